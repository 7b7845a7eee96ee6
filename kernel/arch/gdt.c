/*
 * The GDT and TSS.
 *
 * Descriptor bits that matter in long mode: present (47), DPL (45-46),
 * type S (44), executable (43), readable/writable (41), long mode (53).
 * The TSS descriptor is 16 bytes and points at struct tss below.
 * Double faults, NMIs and machine checks run on their own IST stacks so
 * that a kernel stack overflow still produces a readable register dump.
 */
#include "arch/gdt.h"

#include <stddef.h>

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

/*
 * The I/O permission bitmap follows the TSS: one bit per port, 0 =
 * allowed in ring 3. It holds the running process's bitmap when that
 * process has I/O port capabilities; otherwise iomap_base points past the
 * TSS limit, which denies every port.
 */
#define IO_BITMAP_BYTES 8192

struct tss_block {
    struct tss tss;
    uint8_t io_bitmap[IO_BITMAP_BYTES + 1]; /* the CPU reads one byte past the end */
} __attribute__((packed));

struct gdt_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

#define IST_STACK_SIZE 8192

static uint64_t gdt[7];
static struct tss_block block;
#define tss block.tss
static const uint8_t *loaded_bitmap;
const uint8_t *gdt_active_io_bitmap;
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

#define SEG_PRESENT (1ull << 47)
#define SEG_DPL3 (3ull << 45)
#define SEG_CODE_DATA (1ull << 44)
#define SEG_EXEC (1ull << 43)
#define SEG_RW (1ull << 41)
#define SEG_LONG (1ull << 53)

static void tss_descriptor(uint64_t *slot, struct tss_block *t)
{
    uint64_t base = (uint64_t)t;
    uint64_t limit = sizeof(*t) - 1;
    slot[0] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x9ull << 40) /* available TSS */
              | SEG_PRESENT | ((base >> 24) & 0xFF) << 56;
    slot[1] = base >> 32;
}

void gdt_init(void)
{
    gdt[0] = 0;
    gdt[1] = SEG_PRESENT | SEG_CODE_DATA | SEG_EXEC | SEG_RW | SEG_LONG;
    gdt[2] = SEG_PRESENT | SEG_CODE_DATA | SEG_RW;
    gdt[3] = SEG_PRESENT | SEG_CODE_DATA | SEG_RW | SEG_DPL3;
    gdt[4] = SEG_PRESENT | SEG_CODE_DATA | SEG_EXEC | SEG_RW | SEG_LONG | SEG_DPL3;
    for (int i = 0; i < 3; i++)
        tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
    tss.iomap_base = sizeof(block); /* past the limit: ring 3 gets no ports */
    block.io_bitmap[IO_BITMAP_BYTES] = 0xFF;
    tss_descriptor(&gdt[5], &block);

    struct gdt_pointer pointer = {sizeof(gdt) - 1, (uint64_t)gdt};
    __asm__ volatile("lgdt %0\n\t"
                     "mov %1, %%ds\n\t"
                     "mov %1, %%es\n\t"
                     "mov %1, %%ss\n\t"
                     "pushq %2\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "ltr %w3"
                     :
                     : "m"(pointer), "r"((uint64_t)GDT_KERNEL_DATA), "i"(GDT_KERNEL_CODE),
                       "r"((uint64_t)GDT_TSS)
                     : "rax", "memory");
}

void gdt_set_kernel_stack(uint64_t rsp0)
{
    tss.rsp[0] = rsp0;
}

void gdt_set_io_bitmap(const uint8_t *bitmap)
{
    gdt_active_io_bitmap = bitmap;
    if (bitmap == NULL) {
        tss.iomap_base = sizeof(block);
        return;
    }
    if (bitmap != loaded_bitmap) {
        for (int i = 0; i < IO_BITMAP_BYTES; i++)
            block.io_bitmap[i] = bitmap[i];
        loaded_bitmap = bitmap;
    }
    tss.iomap_base = offsetof(struct tss_block, io_bitmap);
}

void gdt_forget_io_bitmap(const uint8_t *bitmap)
{
    if (loaded_bitmap == bitmap)
        loaded_bitmap = NULL;
    if (gdt_active_io_bitmap == bitmap)
        gdt_active_io_bitmap = (const uint8_t *)1; /* matches nothing: the next switch reloads */
}
