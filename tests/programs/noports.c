/*
 * Reads the keyboard controller's port 0x60 without an I/O port
 * capability: the kernel must kill it with a general protection fault.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    printf("noports: reading port 0x60 without a capability\n");
    uint8_t value;
    __asm__ volatile("inb $0x60, %0" : "=a"(value));
    printf("noports: read 0x%x, which is wrong\n", value);
    return 0;
}
