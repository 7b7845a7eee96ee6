/*
 * Uses every kind of hardware capability init can hand out, wired as
 *   hwcaps@ports:0x40:4@irq:0@phys:0xb8000:0x1000@dma:8
 * (handles 1-4): programs the PIT's channel 0 through its ports and
 * receives five of its interrupts as notifications, acknowledging each;
 * writes a line straight into the VGA text buffer; allocates DMA memory
 * below 4 GiB; and checks that none of the capabilities reaches further
 * than it was cut. Exits 0 when everything held.
 */
#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>
#include <string.h>

#define PORTS 1
#define IRQ 2
#define VGA 3
#define DMA 4

#define PIT_HZ 1193182u

static int failures;

static void check(const char *what, int ok)
{
    if (!ok) {
        failures++;
        printf("hwcaps: FAIL %s\n", what);
    }
}

static void outb(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static void timer_interrupts(void)
{
    check("enable ports", sys_ioport_enable(PORTS) == 0);
    uint16_t divisor = (uint16_t)(PIT_HZ / 200);
    outb(0x43, 0x34); /* channel 0, lo/hi byte, rate generator */
    outb(0x40, (uint8_t)divisor);
    outb(0x40, (uint8_t)(divisor >> 8));

    long ep = endpoint_create();
    check("bind irq 0", sys_irq_bind(IRQ, (uint32_t)ep, 0x4) == 0);
    int received = 0;
    for (int i = 0; i < 5; i++) {
        struct ipc_msg msg;
        uint64_t sender;
        long err = ipc_receive((uint32_t)ep, &msg, 1000000000ull, NULL, &sender);
        if (err == 0 && msg.tag == IPC_TAG_NOTIFY && msg.w[0] == 0x4)
            received++;
        sys_irq_ack(IRQ);
    }
    outb(0x43, 0x30); /* channel 0 back to one-shot: stop the interrupts */
    printf("hwcaps: %d timer interrupts received\n", received);
    check("five interrupts", received == 5);
}

static void screen(void)
{
    long addr = sys_phys_map(VGA);
    check("map VGA", addr > 0);
    if (addr <= 0)
        return;
    volatile uint16_t *cells = (volatile uint16_t *)addr;
    const char *text = "hwcaps: written through a physical-memory capability";
    for (size_t i = 0; i < strlen(text); i++)
        cells[24 * 80 + i] = (uint16_t)(0x2F00 | (uint8_t)text[i]);
}

static void dma(void)
{
    uint64_t phys = 0;
    long addr = sys_dma_alloc(DMA, 4, &phys);
    check("dma alloc",
          addr > 0 && phys != 0 && phys % 4096 == 0 && phys + 4 * 4096 <= (1ull << 32));
    if (addr > 0)
        memset((void *)addr, 0x5A, 4 * 4096);
    check("dma budget enforced", sys_dma_alloc(DMA, 5, &phys) == -E_NOSPC);
    /* A derived budget takes its pages out of the source's: 3 of the 4 left move. */
    check("dma derive past the budget", sys_cap_derive(DMA, 0, 5) == -E_RANGE);
    long part = sys_cap_derive(DMA, 0, 3);
    check("dma derive", part > 0);
    check("dma source lowered", sys_dma_alloc(DMA, 2, &phys) == -E_NOSPC);
    check("dma derived budget", part > 0 && sys_dma_alloc((uint32_t)part, 3, &phys) > 0);
    check("dma derived budget enforced",
          part > 0 && sys_dma_alloc((uint32_t)part, 1, &phys) == -E_NOSPC);
    check("dma source's last page", sys_dma_alloc(DMA, 1, &phys) > 0);
    check("dma all spent", sys_dma_alloc(DMA, 1, &phys) == -E_NOSPC);
}

static void limits(void)
{
    check("ports cannot grow", sys_cap_derive(PORTS, 0x40, 100) == -E_RANGE);
    check("ports outside", sys_cap_derive(PORTS, 0x60, 1) == -E_RANGE);
    check("irq cannot grow", sys_cap_derive(IRQ, 1, 1) == -E_RANGE);
    check("phys cannot grow", sys_cap_derive(VGA, 0xb8000, 0x2000) == -E_RANGE);
    long sub = sys_cap_derive(PORTS, 0x42, 1);
    check("ports sub-range", sub > 0);
    check("not an irq", sys_irq_bind(PORTS, 1, 1) == -E_BADHANDLE);
}

int main(void)
{
    limits();
    timer_interrupts();
    screen();
    dma();
    printf("hwcaps: %d failed\n", failures);
    return failures == 0 ? 0 : 1;
}
