/*
 * I/O APIC and the ACPI MADT.
 *
 * ACPI's Root System Description Pointer sits on a 16-byte boundary in
 * the BIOS area 0xE0000-0xFFFFF, starting "RSD PTR ". It points at the
 * RSDT, a list of tables; the one signed "APIC" (the MADT) lists the
 * I/O APICs (entry type 1: id, MMIO address, first GSI) and the interrupt
 * source overrides (type 2: ISA IRQ n is really GSI g, with its polarity
 * and trigger mode). QEMU, for instance, wires the PIT's IRQ 0 to GSI 2.
 *
 * An I/O APIC has two registers in MMIO: an index (IOREGSEL) and a
 * window (IOWIN); redirection entry n is the 64-bit pair at 0x10 + 2n.
 */
#include "arch/ioapic.h"

#include <stddef.h>

#include "common/string.h"
#include "log.h"
#include "mm/vm.h"

#define RSDP_SEARCH_START 0xE0000
#define RSDP_SEARCH_END 0x100000
#define IOREGSEL 0x00
#define IOWIN 0x10
#define REDIRECTION(n) (0x10 + 2 * (n))
#define REDIRECT_MASKED (1u << 16)
#define REDIRECT_LEVEL (1u << 15)
#define REDIRECT_ACTIVE_LOW (1u << 13)

struct acpi_header {
    char signature[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem[6], oem_table[8];
    uint32_t oem_revision, creator, creator_revision;
} __attribute__((packed));

struct irq_route {
    uint32_t gsi;
    uint32_t flags; /* REDIRECT_LEVEL / REDIRECT_ACTIVE_LOW */
};

static volatile uint32_t *ioapic;
static uint32_t gsi_base;
static struct irq_route routes[IRQ_LINES];

static uint8_t checksum(const void *data, size_t length)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < length; i++)
        sum += ((const uint8_t *)data)[i];
    return sum;
}

/* ACPI tables may lie outside the direct map (above the last usable RAM): map them. */
static const struct acpi_header *map_table(uint64_t phys)
{
    const struct acpi_header *header = vm_map_mmio(phys, sizeof(struct acpi_header));
    return vm_map_mmio(phys, header->length);
}

static const struct acpi_header *find_madt(void)
{
    for (uint64_t at = RSDP_SEARCH_START; at < RSDP_SEARCH_END; at += 16) {
        const char *rsdp = phys_to_virt(at);
        if (memcmp(rsdp, "RSD PTR ", 8) != 0 || checksum(rsdp, 20) != 0)
            continue;
        const struct acpi_header *rsdt = map_table(*(const uint32_t *)(rsdp + 16));
        size_t entries = (rsdt->length - sizeof(*rsdt)) / 4;
        const uint32_t *tables = (const uint32_t *)(rsdt + 1);
        for (size_t i = 0; i < entries; i++) {
            const struct acpi_header *table = map_table(tables[i]);
            if (memcmp(table->signature, "APIC", 4) == 0)
                return table;
        }
    }
    return NULL;
}

/* MADT flags: polarity in bits 0-1 (3 = active low), trigger in bits 2-3 (3 = level). */
static uint32_t override_flags(uint16_t flags)
{
    uint32_t out = 0;
    if ((flags & 3) == 3)
        out |= REDIRECT_ACTIVE_LOW;
    if (((flags >> 2) & 3) == 3)
        out |= REDIRECT_LEVEL;
    return out;
}

static void write_register(uint32_t reg, uint32_t value)
{
    ioapic[IOREGSEL / 4] = reg;
    ioapic[IOWIN / 4] = value;
}

bool ioapic_init(void)
{
    for (unsigned i = 0; i < IRQ_LINES; i++)
        routes[i] = (struct irq_route){.gsi = i, .flags = 0};
    const struct acpi_header *madt = find_madt();
    if (madt == NULL) {
        log_warn("ioapic: no ACPI MADT; device interrupts are unavailable");
        return false;
    }
    const uint8_t *entry = (const uint8_t *)madt + sizeof(*madt) + 8;
    const uint8_t *end = (const uint8_t *)madt + madt->length;
    uint64_t base = 0;
    for (; entry + 2 <= end && entry[1] >= 2; entry += entry[1]) {
        if (entry[0] == 1 && base == 0) {
            base = *(const uint32_t *)(entry + 4);
            gsi_base = *(const uint32_t *)(entry + 8);
        } else if (entry[0] == 2 && entry[3] < IRQ_LINES) {
            routes[entry[3]].gsi = *(const uint32_t *)(entry + 4);
            routes[entry[3]].flags = override_flags(*(const uint16_t *)(entry + 8));
        }
    }
    if (base == 0) {
        log_warn("ioapic: the MADT lists no I/O APIC");
        return false;
    }
    ioapic = vm_map_mmio(base, PAGE_SIZE);
    for (unsigned i = 0; i < IRQ_LINES; i++)
        ioapic_set_masked(i, true);
    log_info("ioapic: at 0x%lx, IRQ 0 -> GSI %u", base, routes[0].gsi);
    return true;
}

void ioapic_set_masked(unsigned irq, bool masked)
{
    if (ioapic == NULL || irq >= IRQ_LINES)
        return;
    uint32_t pin = routes[irq].gsi - gsi_base;
    uint32_t low = (IRQ_VECTOR_BASE + irq) | routes[irq].flags | (masked ? REDIRECT_MASKED : 0);
    write_register(REDIRECTION(pin) + 1, 0); /* destination: APIC id 0 */
    write_register(REDIRECTION(pin), low);
}
