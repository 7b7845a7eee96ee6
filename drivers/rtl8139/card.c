/*
 * The RTL8139's registers (see card.h). Offsets and bits are from the
 * Realtek RTL8139 datasheet; the comments note where QEMU's model of the
 * card (hw/net/rtl8139.c) decides how the code must be ordered.
 *
 * Every port access below has a "memory" clobber, so it is also a
 * compiler barrier: the ring and transmit buffers, which the card reads
 * and writes by DMA, are never cached in registers across a register
 * access.
 */
#include "card.h"

#include <parley/errors.h>
#include <parley/sys.h>
#include <parley/portio.h>

#define REG_IDR0 0x00    /* MAC address, 6 bytes */
#define REG_MAR0 0x08    /* multicast filter, 8 bytes */
#define REG_TSD0 0x10    /* transmit status of descriptor 0-3, 4 bytes each */
#define REG_TSAD0 0x20   /* transmit start address of descriptor 0-3 */
#define REG_RBSTART 0x30 /* receive ring's physical address */
#define REG_CR 0x37      /* command */
#define REG_CAPR 0x38    /* current address of packet read, minus 16 */
#define REG_CBR 0x3A     /* current buffer address: where the card writes next */
#define REG_IMR 0x3C     /* interrupt mask */
#define REG_ISR 0x3E     /* interrupt status */
#define REG_TCR 0x40     /* transmit configuration */
#define REG_RCR 0x44     /* receive configuration */
#define REG_MPC 0x4C     /* missed packet counter */
#define REG_CONFIG1 0x52
#define REG_MSR 0x58 /* media status */

#define CR_RST (1u << 4) /* reset; reads 1 until done */
#define CR_RE (1u << 3)  /* receiver enable */
#define CR_TE (1u << 2)  /* transmitter enable */

#define RCR_APM (1u << 1)         /* accept frames to our address */
#define RCR_AM (1u << 2)          /* accept multicast (through MAR) */
#define RCR_AB (1u << 3)          /* accept broadcast */
#define RCR_MXDMA (7u << 8)       /* DMA bursts unlimited */
#define RCR_RBLEN_64K (3u << 11)  /* 64 KiB + 16 ring; WRAP (bit 7) stays 0 */
#define RCR_RXFTH_NONE (7u << 13) /* move a frame only once it is all in the FIFO */
#define RCR_VALUE (RCR_APM | RCR_AM | RCR_AB | RCR_MXDMA | RCR_RBLEN_64K | RCR_RXFTH_NONE)

#define TCR_CLRABT (1u << 0) /* retransmit an aborted frame */
#define TCR_MXDMA (6u << 8)  /* 1 KiB DMA bursts */
#define TCR_IFG96 (3u << 24) /* the standard inter-frame gap */
#define TCR_VALUE (TCR_MXDMA | TCR_IFG96)

#define MSR_LINKB (1u << 2) /* set while the link is down */

#define RESET_WAIT_NS 100000000ull /* 100 ms for a reset to finish */
#define TX_WAIT_NS 10000000ull     /* 10 ms for the card to hand a descriptor back */

#define PAGE 4096u
#define RING_PAGES ((RTL_RX_RING_BYTES + RTL_RX_RING_SLACK + PAGE - 1) / PAGE)
#define TX_PAGES ((RTL_TX_DESCRIPTORS * RTL_TX_BUFFER_BYTES + PAGE - 1) / PAGE)

static uint16_t reg(const struct card *card, unsigned offset)
{
    return (uint16_t)(card->io + offset);
}

static long dma_pages(uint32_t dma_handle, uint64_t pages, uint8_t **out, uint32_t *phys)
{
    uint64_t address;
    long base = sys_dma_alloc(dma_handle, pages, &address);
    if (base < 0)
        return base;
    if (address + pages * PAGE > 0x100000000ull)
        return -E_RANGE; /* the card's address registers have 32 bits */
    *out = (uint8_t *)base;
    *phys = (uint32_t)address;
    return 0;
}

static long card_reset(const struct card *card)
{
    outb(reg(card, REG_CONFIG1), 0); /* power on (LWAKE active high) */
    outb(reg(card, REG_CR), CR_RST);
    uint64_t deadline = time_now_ns() + RESET_WAIT_NS;
    while (inb(reg(card, REG_CR)) & CR_RST)
        if (time_now_ns() > deadline)
            return -E_TIMEOUT;
    return 0;
}

/*
 * The order matters. The ring's and buffers' addresses go in before the
 * receiver is on, so the card never writes a frame to address 0. The
 * receiver and transmitter are enabled before RCR and TCR are written:
 * QEMU ignores a TCR write while the transmitter is off, and an RCR
 * write there resets its ring pointers to 0, where ours start too.
 */
long card_setup(struct card *card, uint32_t dma_handle)
{
    long err;
    if ((err = dma_pages(dma_handle, RING_PAGES, &card->ring, &card->ring_phys)) < 0 ||
        (err = dma_pages(dma_handle, TX_PAGES, &card->tx, &card->tx_phys)) < 0)
        return err;
    if ((err = card_reset(card)) < 0)
        return err;
    for (unsigned i = 0; i < 6; i++)
        card->mac[i] = inb(reg(card, REG_IDR0 + i));
    outw(reg(card, REG_IMR), 0);
    outl(reg(card, REG_RBSTART), card->ring_phys);
    for (unsigned i = 0; i < RTL_TX_DESCRIPTORS; i++)
        outl(reg(card, REG_TSAD0 + 4 * i), card->tx_phys + i * RTL_TX_BUFFER_BYTES);
    for (unsigned i = 0; i < 8; i++)
        outb(reg(card, REG_MAR0 + i), 0xFF); /* every multicast group: the stack filters */
    outb(reg(card, REG_CR), CR_RE | CR_TE);
    outl(reg(card, REG_RCR), RCR_VALUE);
    outl(reg(card, REG_TCR), TCR_VALUE);
    outw(reg(card, REG_CAPR), rtl_capr(0));
    outl(reg(card, REG_MPC), 0);
    outw(reg(card, REG_ISR), 0xFFFF);
    card->tx_next = 0;
    for (unsigned i = 0; i < RTL_TX_DESCRIPTORS; i++)
        card->tx_busy[i] = false;
    return 0;
}

void card_enable_interrupts(const struct card *card)
{
    outw(reg(card, REG_IMR), ISR_WANTED);
}

bool card_link_up(const struct card *card)
{
    return (inb(reg(card, REG_MSR)) & MSR_LINKB) == 0;
}

uint16_t card_interrupts(const struct card *card)
{
    return inw(reg(card, REG_ISR));
}

void card_clear_interrupts(const struct card *card, uint16_t bits)
{
    outw(reg(card, REG_ISR), bits);
}

uint32_t card_rx_write(const struct card *card)
{
    return inw(reg(card, REG_CBR));
}

void card_rx_done(const struct card *card, uint32_t read)
{
    outw(reg(card, REG_CAPR), rtl_capr(read));
}

void card_rx_reset(const struct card *card)
{
    outb(reg(card, REG_CR), CR_TE);
    outl(reg(card, REG_RBSTART), card->ring_phys);
    outb(reg(card, REG_CR), CR_RE | CR_TE);
    outl(reg(card, REG_RCR), RCR_VALUE);
    outw(reg(card, REG_CAPR), rtl_capr(0));
}

uint32_t card_missed(const struct card *card)
{
    return inl(reg(card, REG_MPC)) & 0xFFFFFFu;
}

/*
 * Waits until the card has finished with descriptor d: OWN set means the
 * frame has been copied out of its buffer. A frame the card aborted
 * (excessive collisions) leaves the transmitter waiting; CLRABT tells it
 * to try that frame again. The wait gives the CPU away between looks.
 */
static long descriptor_wait(struct card *card, unsigned d)
{
    uint16_t tsd_port = reg(card, REG_TSD0 + 4 * d);
    uint64_t deadline = time_now_ns() + (card->tx_stuck ? 0 : TX_WAIT_NS);
    bool retried = false;
    for (;;) {
        uint32_t tsd = inl(tsd_port);
        if (tsd & RTL_TSD_OWN) {
            if (tsd & RTL_TSD_ERRORS)
                card->tx_errors++;
            card->tx_busy[d] = false;
            card->tx_stuck = false;
            return 0;
        }
        if ((tsd & RTL_TSD_TABT) && !retried) {
            card->tx_errors++;
            outl(reg(card, REG_TCR), TCR_VALUE | TCR_CLRABT);
            retried = true;
        }
        if (time_now_ns() >= deadline) {
            card->tx_errors++;
            card->tx_stuck = true;
            return -E_TIMEOUT;
        }
        sys_yield();
    }
}

long card_transmit(struct card *card, const uint8_t *frame, uint32_t length)
{
    unsigned d = card->tx_next;
    if (length < RTL_TX_FRAME_MIN || length > NIC_FRAME_MAX)
        return 0;
    if (card->tx_busy[d]) {
        long err = descriptor_wait(card, d);
        if (err < 0)
            return err;
    }
    uint32_t size = rtl_tx_fill(card->tx + d * RTL_TX_BUFFER_BYTES, frame, length);
    /* Writing TSD clears OWN and starts the transfer; the card takes descriptors in turn. */
    outl(reg(card, REG_TSD0 + 4 * d), rtl_tx_command(size));
    card->tx_busy[d] = true;
    card->tx_next = (d + 1) % RTL_TX_DESCRIPTORS;
    return 1;
}
