/*
 * PCI enumeration and BAR decoding, without any port I/O of its own.
 *
 * Everything here reaches configuration space through a struct
 * pci_config_ops that the caller supplies: the PCI server's main.c gives
 * it functions that use ports 0xCF8/0xCFC, the host unit tests give it a
 * simulated bus. That keeps the rules of the bus (multi-function
 * devices, BAR sizing, 64-bit BARs spanning two slots) testable off the
 * machine.
 *
 * A function's location is its "bdf": bus << 8 | device << 3 | function,
 * the same 16-bit number the PCI protocol (parley/proto/pci.h) uses.
 */
#ifndef PARLEY_DRIVERS_PCI_BUS_H
#define PARLEY_DRIVERS_PCI_BUS_H

#include <stddef.h>
#include <stdint.h>

#define PCI_BUSES 256
#define PCI_DEVICES 32
#define PCI_FUNCTIONS 8
#define PCI_BAR_COUNT 6
#define PCI_CONFIG_SIZE 256

/* Offsets in the configuration header common to every header type. */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_CLASS_REVISION 0x08 /* class << 24 | subclass << 16 | prog-if << 8 | revision */
#define PCI_HEADER_TYPE 0x0E
#define PCI_BAR0 0x10
#define PCI_INTERRUPT_LINE 0x3C
#define PCI_INTERRUPT_PIN 0x3D

#define PCI_COMMAND_IO (1u << 0)
#define PCI_COMMAND_MEMORY (1u << 1)
#define PCI_COMMAND_MASTER (1u << 2)

#define PCI_HEADER_MULTI_FUNCTION 0x80
#define PCI_HEADER_LAYOUT 0x7F /* 0 = ordinary device, 1 = PCI-PCI bridge, 2 = CardBus */

#define PCI_NO_DEVICE 0xFFFFu /* what an empty slot's vendor ID reads as */

#define PCI_BDF(bus, device, function)                                                             \
    ((uint16_t)((unsigned)(bus) << 8 | (unsigned)(device) << 3 | (unsigned)(function)))
#define PCI_BDF_BUS(bdf) ((unsigned)(bdf) >> 8)
#define PCI_BDF_DEVICE(bdf) (((unsigned)(bdf) >> 3) & 0x1F)
#define PCI_BDF_FUNCTION(bdf) ((unsigned)(bdf)&0x7)

/*
 * Access to configuration space. offset is below PCI_CONFIG_SIZE and a
 * multiple of width (1, 2 or 4), so an access never crosses a dword.
 */
struct pci_config_ops {
    uint32_t (*read)(void *context, uint16_t bdf, uint16_t offset, unsigned width);
    void (*write)(void *context, uint16_t bdf, uint16_t offset, unsigned width, uint32_t value);
    void *context;
};

/* One decoded base address register; size 0 means the BAR is unused. */
struct pci_bar {
    uint64_t base;
    uint64_t size;
    uint32_t flags; /* PCI_BAR_IO, PCI_BAR_MEM64, PCI_BAR_PREFETCH */
};

/* What enumeration learned about one function. */
struct pci_function {
    uint16_t bdf;
    uint16_t vendor;
    uint16_t device;
    uint8_t class_code;
    uint8_t subclass;
    uint8_t prog_if;
    uint8_t header_type; /* as read, multi-function bit included */
    uint8_t irq_line;
    uint8_t irq_pin;
    struct pci_bar bars[PCI_BAR_COUNT];
};

/*
 * The value configuration mechanism #1 writes to the address port 0xCF8
 * to reach `offset` of function bdf: enable bit 31, bus in bits 23-16,
 * device in 15-11, function in 10-8 and the dword-aligned offset in 7-0.
 * The byte within the dword is picked by reading 0xCFC + (offset & 3).
 */
uint32_t pci_config_address(uint16_t bdf, uint16_t offset);

/*
 * Decodes one BAR from the value it held (`original`) and the value read
 * back after writing all ones to it (`probed`). For a 64-bit memory BAR,
 * original_high and probed_high are the same for the following slot (the
 * upper half); they are ignored otherwise. The size is the lowest address
 * bit the device let us set; a BAR with no writable address bits is
 * unused (size 0).
 */
void pci_bar_decode(uint32_t original, uint32_t probed, uint32_t original_high,
                    uint32_t probed_high, struct pci_bar *bar);

/* True if a BAR's raw value says it is a 64-bit memory BAR (taking two slots). */
int pci_bar_is_64bit(uint32_t raw);

/*
 * Sizes the BARs of function bdf (count of them: 6 for an ordinary
 * device, 2 for a bridge) into bars[0..count). Each BAR is written with
 * all ones, read back and restored, with I/O and memory decoding switched
 * off in the command register meanwhile, so the device never answers at
 * the bogus addresses; the command register is restored at the end.
 */
void pci_bars_probe(const struct pci_config_ops *ops, uint16_t bdf, unsigned count,
                    struct pci_bar *bars);

/*
 * Reads the identity, class, interrupt and BARs of the function at bdf
 * into *fn. Returns 0, or -E_NOENT if no function answers there.
 */
int pci_function_read(const struct pci_config_ops *ops, uint16_t bdf, struct pci_function *fn);

/*
 * Scans every bus, device and function (functions 1-7 only when function
 * 0's header type says the device has several), storing up to max
 * functions in list in bus, device, function order. Returns how many
 * were found (which may exceed max: the rest were not stored).
 */
size_t pci_enumerate(const struct pci_config_ops *ops, struct pci_function *list, size_t max);

#endif
