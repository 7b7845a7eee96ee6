/*
 * Checks the hardware-independent parts of the PCI server and lspci:
 * the mechanism #1 address encoding, BAR decoding (I/O, 16-bit I/O,
 * 32-bit and 64-bit memory, prefetchable, unused), enumeration of a
 * simulated bus (multi-function devices, a single-function device that
 * mirrors itself on every function number, devices behind a bridge on
 * other buses), BAR sizing that restores every BAR and the command
 * register and writes all ones only with decoding off, and the class
 * names lspci prints.
 */
#include <stdint.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/proto/pci.h>

#include "../../drivers/pci/pci_bus.h"
#include "../../programs/lspci/pci_class.h"
#include "check.h"

/* --- A simulated configuration space --- */

#define MAX_FAKE 16

struct fake_function {
    uint16_t bdf;
    uint8_t config[PCI_CONFIG_SIZE];
    uint32_t bar_writable[PCI_BAR_COUNT]; /* bits a BAR write may change */
    int mirrors;                          /* answers for all 8 function numbers */
};

struct fake_bus {
    struct fake_function functions[MAX_FAKE];
    int count;
    int ones_with_decoding_on; /* all-ones BAR writes while I/O or memory decoding was on */
    int stray_writes;          /* writes outside the command register and the BARs */
};

static struct fake_function *fake_find(struct fake_bus *bus, uint16_t bdf)
{
    for (int i = 0; i < bus->count; i++) {
        struct fake_function *f = &bus->functions[i];
        if (f->bdf == bdf || (f->mirrors && (f->bdf & ~7u) == (bdf & ~7u)))
            return f;
    }
    return NULL;
}

static uint32_t fake_get(const uint8_t *config, uint16_t offset, unsigned width)
{
    uint32_t value = 0;
    for (unsigned i = 0; i < width; i++)
        value |= (uint32_t)config[offset + i] << (8 * i);
    return value;
}

static void fake_put(uint8_t *config, uint16_t offset, unsigned width, uint32_t value)
{
    for (unsigned i = 0; i < width; i++)
        config[offset + i] = (uint8_t)(value >> (8 * i));
}

static uint32_t fake_read(void *context, uint16_t bdf, uint16_t offset, unsigned width)
{
    CHECKF(offset < PCI_CONFIG_SIZE && offset % width == 0, "read offset %u width %u", offset,
           width);
    struct fake_function *f = fake_find(context, bdf);
    if (f == NULL)
        return width == 4 ? 0xFFFFFFFFu : (1u << (8 * width)) - 1; /* nobody answers */
    return fake_get(f->config, offset, width);
}

static void fake_write(void *context, uint16_t bdf, uint16_t offset, unsigned width, uint32_t value)
{
    struct fake_bus *bus = context;
    struct fake_function *f = fake_find(bus, bdf);

    CHECKF(f != NULL, "write to absent function %04x", bdf);
    if (f == NULL)
        return;
    if (offset == PCI_COMMAND && width == 2) {
        fake_put(f->config, offset, 2, value);
        return;
    }
    if (offset >= PCI_BAR0 && offset < PCI_BAR0 + 4 * PCI_BAR_COUNT && width == 4) {
        uint32_t writable = f->bar_writable[(offset - PCI_BAR0) / 4];
        uint32_t old = fake_get(f->config, offset, 4);
        uint16_t command = (uint16_t)fake_get(f->config, PCI_COMMAND, 2);
        if (value == 0xFFFFFFFFu && (command & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)))
            bus->ones_with_decoding_on++;
        fake_put(f->config, offset, 4, (value & writable) | (old & ~writable));
        return;
    }
    bus->stray_writes++;
}

static struct fake_function *fake_add(struct fake_bus *bus, uint16_t bdf, uint16_t vendor,
                                      uint16_t device, uint32_t class_word, uint8_t header)
{
    struct fake_function *f = &bus->functions[bus->count++];

    memset(f, 0, sizeof(*f));
    f->bdf = bdf;
    fake_put(f->config, PCI_VENDOR_ID, 2, vendor);
    fake_put(f->config, PCI_DEVICE_ID, 2, device);
    fake_put(f->config, PCI_CLASS_REVISION, 4, class_word << 8 | 0x01);
    fake_put(f->config, PCI_HEADER_TYPE, 1, header);
    fake_put(f->config, PCI_COMMAND, 2, PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
    return f;
}

/* An I/O BAR of size bytes at base; decode16 devices read zeros above bit 15. */
static void fake_io_bar(struct fake_function *f, int slot, uint32_t base, uint32_t size,
                        int decode16)
{
    f->bar_writable[slot] = ~(size - 1) & ~3u & (decode16 ? 0xFFFFu : 0xFFFFFFFFu);
    fake_put(f->config, (uint16_t)(PCI_BAR0 + 4 * slot), 4, base | 1u);
}

static void fake_mem32_bar(struct fake_function *f, int slot, uint32_t base, uint32_t size,
                           int prefetch)
{
    f->bar_writable[slot] = ~(size - 1) & ~0xFu;
    fake_put(f->config, (uint16_t)(PCI_BAR0 + 4 * slot), 4, base | (prefetch ? 8u : 0u));
}

static void fake_mem64_bar(struct fake_function *f, int slot, uint64_t base, uint64_t size,
                           int prefetch)
{
    uint64_t writable = ~(size - 1);
    f->bar_writable[slot] = (uint32_t)writable & ~0xFu;
    f->bar_writable[slot + 1] = (uint32_t)(writable >> 32);
    fake_put(f->config, (uint16_t)(PCI_BAR0 + 4 * slot), 4,
             (uint32_t)base | 4u | (prefetch ? 8u : 0u));
    fake_put(f->config, (uint16_t)(PCI_BAR0 + 4 * slot + 4), 4, (uint32_t)(base >> 32));
}

static void fake_irq(struct fake_function *f, uint8_t line, uint8_t pin)
{
    f->config[PCI_INTERRUPT_LINE] = line;
    f->config[PCI_INTERRUPT_PIN] = pin;
}

/* QEMU's i440FX machine, plus devices that exercise the corners. */
static void fake_machine(struct fake_bus *bus)
{
    struct fake_function *f;

    memset(bus, 0, sizeof(*bus));
    fake_add(bus, PCI_BDF(0, 0, 0), 0x8086, 0x1237, 0x060000, 0x00);
    fake_add(bus, PCI_BDF(0, 1, 0), 0x8086, 0x7000, 0x060100, 0x80);
    f = fake_add(bus, PCI_BDF(0, 1, 1), 0x8086, 0x7010, 0x010180, 0x00);
    fake_io_bar(f, 4, 0xC040, 16, 1);
    f = fake_add(bus, PCI_BDF(0, 1, 3), 0x8086, 0x7113, 0x068000, 0x00);
    fake_irq(f, 9, 1);
    f = fake_add(bus, PCI_BDF(0, 2, 0), 0x1234, 0x1111, 0x030000, 0x00);
    fake_mem32_bar(f, 0, 0xFD000000u, 16u << 20, 1);
    fake_mem32_bar(f, 2, 0xFEBF0000u, 4096, 0);
    f = fake_add(bus, PCI_BDF(0, 3, 0), 0x10EC, 0x8139, 0x020000, 0x00);
    fake_io_bar(f, 0, 0xC000, 256, 0);
    fake_mem32_bar(f, 1, 0xFEBF1000u, 256, 0);
    fake_irq(f, 11, 1);
    /* 64-bit BARs: 8 GiB prefetchable above 4 GiB, then 16 KiB. */
    f = fake_add(bus, PCI_BDF(0, 4, 0), 0x1AF4, 0x1050, 0x038000, 0x00);
    fake_mem64_bar(f, 0, 0x800000000ull, 8ull << 30, 1);
    fake_mem64_bar(f, 2, 0xFEB00000ull, 16384, 0);
    fake_io_bar(f, 4, 0xC100, 32, 1);
    /* Single-function, but answers on every function number. */
    f = fake_add(bus, PCI_BDF(0, 5, 0), 0x1B36, 0x0001, 0x0C0330, 0x00);
    f->mirrors = 1;
    /* A bridge (two BARs) and devices on the buses behind it. */
    f = fake_add(bus, PCI_BDF(0, 30, 0), 0x8086, 0x244E, 0x060401, 0x01);
    fake_mem32_bar(f, 0, 0xFEA00000u, 4096, 0);
    fake_mem32_bar(f, 2, 0xFE900000u, 4096, 0); /* not a BAR in a bridge header */
    fake_add(bus, PCI_BDF(1, 0, 0), 0x8086, 0x100E, 0x020000, 0x00);
    fake_add(bus, PCI_BDF(255, 31, 0), 0x1234, 0x0002, 0xFF0000, 0x80);
    fake_add(bus, PCI_BDF(255, 31, 7), 0x1234, 0x0003, 0x0C0500, 0x00);
}

/* --- Tests --- */

static void check_address(void)
{
    CHECK(pci_config_address(PCI_BDF(0, 0, 0), 0) == 0x80000000u);
    CHECK(pci_config_address(PCI_BDF(0, 3, 0), 0x3C) == 0x8000183Cu);
    CHECK(pci_config_address(PCI_BDF(0, 3, 0), 0x3D) == 0x8000183Cu); /* byte within the dword */
    CHECK(pci_config_address(PCI_BDF(0, 1, 1), 0x10) == 0x80000910u);
    CHECK(pci_config_address(PCI_BDF(2, 0, 0), 0x04) == 0x80020004u);
    CHECK(pci_config_address(PCI_BDF(255, 31, 7), 0xFF) == 0x80FFFFFCu);
    CHECK(PCI_BDF_BUS(PCI_BDF(0xAB, 0x15, 6)) == 0xAB);
    CHECK(PCI_BDF_DEVICE(PCI_BDF(0xAB, 0x15, 6)) == 0x15);
    CHECK(PCI_BDF_FUNCTION(PCI_BDF(0xAB, 0x15, 6)) == 6);
}

static void check_decode(void)
{
    struct pci_bar bar;

    /* I/O, 256 ports. */
    pci_bar_decode(0xC001, 0xFFFFFF01u, 0, 0, &bar);
    CHECK(bar.base == 0xC000 && bar.size == 256 && bar.flags == PCI_BAR_IO);
    /* I/O decoding only 16 bits: upper half reads back zero. */
    pci_bar_decode(0xC041, 0x0000FFF1u, 0, 0, &bar);
    CHECK(bar.base == 0xC040 && bar.size == 16 && bar.flags == PCI_BAR_IO);
    /* 32-bit memory, 256 bytes. */
    pci_bar_decode(0xFEBF1000u, 0xFFFFFF00u, 0, 0, &bar);
    CHECK(bar.base == 0xFEBF1000u && bar.size == 256 && bar.flags == 0);
    /* 32-bit prefetchable memory, 16 MiB. */
    pci_bar_decode(0xFD000008u, 0xFF000008u, 0, 0, &bar);
    CHECK(bar.base == 0xFD000000u && bar.size == (16u << 20) && bar.flags == PCI_BAR_PREFETCH);
    /* 64-bit prefetchable, 8 GiB at 32 GiB: the low half's address bits are all fixed. */
    CHECK(pci_bar_is_64bit(0x0000000Cu));
    CHECK(!pci_bar_is_64bit(0x00000008u) && !pci_bar_is_64bit(0x0000C005u));
    pci_bar_decode(0x0000000Cu, 0x0000000Cu, 0x8, 0xFFFFFFFEu, &bar);
    CHECK(bar.base == 0x800000000ull && bar.size == (8ull << 30) &&
          bar.flags == (PCI_BAR_MEM64 | PCI_BAR_PREFETCH));
    /* 64-bit, 16 KiB below 4 GiB. */
    pci_bar_decode(0xFEB00004u, 0xFFFFC004u, 0, 0xFFFFFFFFu, &bar);
    CHECK(bar.base == 0xFEB00000ull && bar.size == 16384 && bar.flags == PCI_BAR_MEM64);
    /* Unused BARs: nothing writable. */
    pci_bar_decode(0, 0, 0, 0, &bar);
    CHECK(bar.base == 0 && bar.size == 0 && bar.flags == 0);
    pci_bar_decode(0x1, 0x1, 0, 0, &bar);
    CHECK(bar.size == 0 && bar.flags == 0);
}

static const struct pci_function *find(const struct pci_function *list, size_t n, uint16_t bdf)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].bdf == bdf)
            return &list[i];
    return NULL;
}

static void check_enumerate(void)
{
    static struct fake_bus bus, pristine;
    static struct pci_function list[32];
    struct pci_config_ops ops = {fake_read, fake_write, &bus};

    fake_machine(&bus);
    pristine = bus;
    size_t n = pci_enumerate(&ops, list, 32);
    CHECKF(n == 12, "found %zu", n);
    if (n != 12)
        return;

    /* Bus, device, function order; the mirroring device only once. */
    static const uint16_t expected[] = {
        PCI_BDF(0, 0, 0),  PCI_BDF(0, 1, 0), PCI_BDF(0, 1, 1),    PCI_BDF(0, 1, 3),
        PCI_BDF(0, 2, 0),  PCI_BDF(0, 3, 0), PCI_BDF(0, 4, 0),    PCI_BDF(0, 5, 0),
        PCI_BDF(0, 30, 0), PCI_BDF(1, 0, 0), PCI_BDF(255, 31, 0), PCI_BDF(255, 31, 7),
    };
    for (size_t i = 0; i < n; i++)
        CHECKF(list[i].bdf == expected[i], "entry %zu is %04x", i, list[i].bdf);

    const struct pci_function *nic = find(list, n, PCI_BDF(0, 3, 0));
    CHECK(nic->vendor == 0x10EC && nic->device == 0x8139);
    CHECK(nic->class_code == 0x02 && nic->subclass == 0x00 && nic->prog_if == 0x00);
    CHECK(nic->irq_line == 11 && nic->irq_pin == 1);
    CHECK(nic->bars[0].base == 0xC000 && nic->bars[0].size == 256 &&
          nic->bars[0].flags == PCI_BAR_IO);
    CHECK(nic->bars[1].base == 0xFEBF1000u && nic->bars[1].size == 256 && nic->bars[1].flags == 0);
    for (int i = 2; i < PCI_BAR_COUNT; i++)
        CHECK(nic->bars[i].size == 0);

    const struct pci_function *ide = find(list, n, PCI_BDF(0, 1, 1));
    CHECK(ide->prog_if == 0x80 && ide->bars[4].base == 0xC040 && ide->bars[4].size == 16);

    const struct pci_function *isa = find(list, n, PCI_BDF(0, 1, 0));
    CHECK(isa->header_type == 0x80 && isa->class_code == 0x06 && isa->subclass == 0x01);

    const struct pci_function *vga = find(list, n, PCI_BDF(0, 2, 0));
    CHECK(vga->bars[0].base == 0xFD000000u && vga->bars[0].size == (16u << 20) &&
          vga->bars[0].flags == PCI_BAR_PREFETCH);
    CHECK(vga->bars[1].size == 0 && vga->bars[2].size == 4096);

    /* Each 64-bit BAR takes two slots; the upper slot reads as unused. */
    const struct pci_function *big = find(list, n, PCI_BDF(0, 4, 0));
    CHECK(big->bars[0].base == 0x800000000ull && big->bars[0].size == (8ull << 30) &&
          big->bars[0].flags == (PCI_BAR_MEM64 | PCI_BAR_PREFETCH));
    CHECK(big->bars[1].size == 0);
    CHECK(big->bars[2].base == 0xFEB00000ull && big->bars[2].size == 16384 &&
          big->bars[2].flags == PCI_BAR_MEM64);
    CHECK(big->bars[3].size == 0);
    CHECK(big->bars[4].base == 0xC100 && big->bars[4].size == 32);

    /* A bridge has two BARs; what lies where BAR2 would be is not one. */
    const struct pci_function *bridge = find(list, n, PCI_BDF(0, 30, 0));
    CHECK(bridge->bars[0].size == 4096 && bridge->bars[2].size == 0);
    CHECK(find(list, n, PCI_BDF(1, 0, 0))->device == 0x100E);
    CHECK(find(list, n, PCI_BDF(255, 31, 7))->subclass == 0x05);

    /* Sizing left every register as it found it, and only touched what it should. */
    for (int i = 0; i < bus.count; i++)
        CHECKF(memcmp(bus.functions[i].config, pristine.functions[i].config, PCI_CONFIG_SIZE) == 0,
               "config of %04x changed", bus.functions[i].bdf);
    CHECK(bus.ones_with_decoding_on == 0);
    CHECK(bus.stray_writes == 0);

    /* A short list gets the first entries and the true count. */
    static struct pci_function few[3];
    CHECK(pci_enumerate(&ops, few, 3) == 12);
    CHECK(few[2].bdf == PCI_BDF(0, 1, 1));
}

static void check_function_read(void)
{
    static struct fake_bus bus;
    struct pci_config_ops ops = {fake_read, fake_write, &bus};
    struct pci_function fn;

    fake_machine(&bus);
    CHECK(pci_function_read(&ops, PCI_BDF(0, 9, 0), &fn) == -E_NOENT);
    CHECK(pci_function_read(&ops, PCI_BDF(0, 3, 0), &fn) == 0 && fn.vendor == 0x10EC);
}

static void check_class_names(void)
{
    CHECK(strcmp(pci_class_name(0x06, 0x00), "Host bridge") == 0);
    CHECK(strcmp(pci_class_name(0x06, 0x01), "ISA bridge") == 0);
    CHECK(strcmp(pci_class_name(0x06, 0x04), "PCI bridge") == 0);
    CHECK(strcmp(pci_class_name(0x06, 0x80), "Bridge") == 0);
    CHECK(strcmp(pci_class_name(0x03, 0x00), "VGA compatible controller") == 0);
    CHECK(strcmp(pci_class_name(0x02, 0x00), "Ethernet controller") == 0);
    CHECK(strcmp(pci_class_name(0x02, 0x80), "Network controller") == 0);
    CHECK(strcmp(pci_class_name(0x01, 0x01), "IDE interface") == 0);
    CHECK(strcmp(pci_class_name(0x01, 0x06), "SATA controller") == 0);
    CHECK(strcmp(pci_class_name(0x0C, 0x03), "USB controller") == 0);
    CHECK(strcmp(pci_class_name(0xFF, 0x00), "Unassigned class") == 0);
    CHECK(strcmp(pci_class_name(0x42, 0x00), "Unknown class") == 0);
    /* Every class code has some name. */
    for (unsigned c = 0; c < 256; c++)
        for (unsigned s = 0; s < 256; s += 17)
            CHECK(pci_class_name((uint8_t)c, (uint8_t)s) != NULL);
}

int main(void)
{
    check_address();
    check_decode();
    check_enumerate();
    check_function_read();
    check_class_names();
    return check_finish("pci_test");
}
