/*
 * x86 port I/O for drivers: inb/inw/inl read a byte, word or doubleword
 * from an I/O port, outb/outw/outl write one. In ring 3 these work only on
 * the ports of an I/O-port capability the driver has enabled
 * (sys_ioport_enable); any other port raises #GP and the kernel ends the
 * process. One copy for every driver (PS/2, PCI, RTL8139, VGA, COM2).
 */
#ifndef PARLEY_PORTIO_H
#define PARLEY_PORTIO_H

#include <stdint.h>

static inline uint8_t inb(uint16_t port)
{
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t value;
    __asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t value;
    __asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline void outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t value)
{
    __asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t value)
{
    __asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

#endif
