/*
 * PCI enumeration and BAR decoding (see pci_bus.h), written against a
 * struct pci_config_ops so that it runs on the machine and in the host
 * unit tests alike.
 *
 * Enumeration is the brute-force scan over all 256 buses rather than a
 * walk down from bus 0 through the PCI-PCI bridges: it costs a few
 * thousand port accesses once at start, and it finds every function even
 * when firmware numbered the buses in some unexpected way.
 */
#include <string.h>

#include <parley/errors.h>
#include <parley/proto/pci.h>

#include "pci_bus.h"

uint32_t pci_config_address(uint16_t bdf, uint16_t offset)
{
    /* bus << 16 | device << 11 | function << 8 is the bdf shifted by 8. */
    return 1u << 31 | (uint32_t)bdf << 8 | (offset & 0xFCu);
}

int pci_bar_is_64bit(uint32_t raw)
{
    /* Memory BAR (bit 0 clear) with type 2 in bits 2-1. */
    return (raw & 1u) == 0 && ((raw >> 1) & 3u) == 2;
}

void pci_bar_decode(uint32_t original, uint32_t probed, uint32_t original_high,
                    uint32_t probed_high, struct pci_bar *bar)
{
    uint64_t mask;

    memset(bar, 0, sizeof(*bar));
    if (original & 1u) {
        /*
         * I/O: bits 1-0 are flags. Devices that decode only 16 bits of
         * I/O address read back zeros above bit 15, which is why the size
         * is taken from the lowest writable bit rather than by negating
         * the whole mask.
         */
        mask = probed & ~3u;
        bar->base = original & ~3u;
        bar->flags = PCI_BAR_IO;
    } else {
        /* Memory: bit 3 is prefetchable, bits 2-1 the type, bit 0 zero. */
        mask = probed & ~0xFu;
        bar->base = original & ~0xFu;
        if (pci_bar_is_64bit(original)) {
            mask |= (uint64_t)probed_high << 32;
            bar->base |= (uint64_t)original_high << 32;
            bar->flags |= PCI_BAR_MEM64;
        }
        if (original & 8u)
            bar->flags |= PCI_BAR_PREFETCH;
    }
    bar->size = mask & (~mask + 1);
    if (bar->size == 0)
        memset(bar, 0, sizeof(*bar));
}

/* Writes all ones to the BAR dword at offset, reads the answer, puts the old value back. */
static uint32_t bar_probe(const struct pci_config_ops *ops, uint16_t bdf, uint16_t offset,
                          uint32_t *original)
{
    *original = ops->read(ops->context, bdf, offset, 4);
    ops->write(ops->context, bdf, offset, 4, 0xFFFFFFFFu);
    uint32_t probed = ops->read(ops->context, bdf, offset, 4);
    ops->write(ops->context, bdf, offset, 4, *original);
    return probed;
}

void pci_bars_probe(const struct pci_config_ops *ops, uint16_t bdf, unsigned count,
                    struct pci_bar *bars)
{
    uint32_t command = ops->read(ops->context, bdf, PCI_COMMAND, 2);

    memset(bars, 0, count * sizeof(*bars));
    /*
     * While a BAR holds all ones the device would claim addresses at the
     * top of the space; with decoding off it claims nothing.
     */
    ops->write(ops->context, bdf, PCI_COMMAND, 2,
               command & ~(uint32_t)(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
    for (unsigned i = 0; i < count; i++) {
        uint16_t offset = (uint16_t)(PCI_BAR0 + 4 * i);
        uint32_t original, original_high = 0, probed_high = 0;
        uint32_t probed = bar_probe(ops, bdf, offset, &original);

        if (pci_bar_is_64bit(original)) {
            /* The upper half lives in the next slot, which is not a BAR of its own. */
            if (i + 1 == count)
                break; /* a 64-bit BAR with no room for its upper half: broken, leave unused */
            probed_high = bar_probe(ops, bdf, (uint16_t)(offset + 4), &original_high);
            pci_bar_decode(original, probed, original_high, probed_high, &bars[i]);
            i++;
            continue;
        }
        pci_bar_decode(original, probed, 0, 0, &bars[i]);
    }
    ops->write(ops->context, bdf, PCI_COMMAND, 2, command);
}

/* How many BARs a header layout has: 6 for a device, 2 for a bridge, 1 for CardBus. */
static unsigned bar_count(uint8_t header_type)
{
    switch (header_type & PCI_HEADER_LAYOUT) {
    case 0:
        return 6;
    case 1:
        return 2;
    case 2:
        return 1;
    }
    return 0;
}

int pci_function_read(const struct pci_config_ops *ops, uint16_t bdf, struct pci_function *fn)
{
    uint32_t id = ops->read(ops->context, bdf, PCI_VENDOR_ID, 4);

    memset(fn, 0, sizeof(*fn));
    if ((id & 0xFFFFu) == PCI_NO_DEVICE)
        return -E_NOENT;
    uint32_t class_revision = ops->read(ops->context, bdf, PCI_CLASS_REVISION, 4);
    fn->bdf = bdf;
    fn->vendor = (uint16_t)id;
    fn->device = (uint16_t)(id >> 16);
    fn->class_code = (uint8_t)(class_revision >> 24);
    fn->subclass = (uint8_t)(class_revision >> 16);
    fn->prog_if = (uint8_t)(class_revision >> 8);
    fn->header_type = (uint8_t)ops->read(ops->context, bdf, PCI_HEADER_TYPE, 1);
    fn->irq_line = (uint8_t)ops->read(ops->context, bdf, PCI_INTERRUPT_LINE, 1);
    fn->irq_pin = (uint8_t)ops->read(ops->context, bdf, PCI_INTERRUPT_PIN, 1);
    pci_bars_probe(ops, bdf, bar_count(fn->header_type), fn->bars);
    return 0;
}

size_t pci_enumerate(const struct pci_config_ops *ops, struct pci_function *list, size_t max)
{
    size_t found = 0;

    for (unsigned bus = 0; bus < PCI_BUSES; bus++) {
        for (unsigned device = 0; device < PCI_DEVICES; device++) {
            uint16_t first = PCI_BDF(bus, device, 0);
            if ((ops->read(ops->context, first, PCI_VENDOR_ID, 2) & 0xFFFFu) == PCI_NO_DEVICE)
                continue;
            /*
             * Single-function devices may answer for every function
             * number with copies of function 0, so functions 1-7 are
             * looked at only when the device says it has them.
             */
            uint8_t header = (uint8_t)ops->read(ops->context, first, PCI_HEADER_TYPE, 1);
            unsigned functions = (header & PCI_HEADER_MULTI_FUNCTION) ? PCI_FUNCTIONS : 1;
            for (unsigned function = 0; function < functions; function++) {
                struct pci_function fn;
                if (pci_function_read(ops, PCI_BDF(bus, device, function), &fn) < 0)
                    continue;
                if (found < max)
                    list[found] = fn;
                found++;
            }
        }
    }
    return found;
}
