/*
 * The class-name table behind pci_class_name: the classes and subclasses
 * a PC or an emulator commonly shows, with the wording of the PCI ID
 * database that Linux's lspci uses, so the two outputs read alike.
 */
#include <stddef.h>

#include "pci_class.h"

/* A subclass of ANY_SUBCLASS names the whole class. */
#define ANY_SUBCLASS 0x100

struct class_name {
    uint8_t class_code;
    uint16_t subclass;
    const char *name;
};

static const struct class_name names[] = {
    {0x00, 0x01, "VGA compatible unclassified device"},
    {0x00, ANY_SUBCLASS, "Unclassified device"},
    {0x01, 0x00, "SCSI storage controller"},
    {0x01, 0x01, "IDE interface"},
    {0x01, 0x02, "Floppy disk controller"},
    {0x01, 0x04, "RAID bus controller"},
    {0x01, 0x05, "ATA controller"},
    {0x01, 0x06, "SATA controller"},
    {0x01, 0x07, "Serial Attached SCSI controller"},
    {0x01, 0x08, "Non-Volatile memory controller"},
    {0x01, ANY_SUBCLASS, "Mass storage controller"},
    {0x02, 0x00, "Ethernet controller"},
    {0x02, ANY_SUBCLASS, "Network controller"},
    {0x03, 0x00, "VGA compatible controller"},
    {0x03, 0x01, "XGA compatible controller"},
    {0x03, 0x02, "3D controller"},
    {0x03, ANY_SUBCLASS, "Display controller"},
    {0x04, 0x00, "Multimedia video controller"},
    {0x04, 0x01, "Multimedia audio controller"},
    {0x04, 0x03, "Audio device"},
    {0x04, ANY_SUBCLASS, "Multimedia controller"},
    {0x05, 0x00, "RAM memory"},
    {0x05, ANY_SUBCLASS, "Memory controller"},
    {0x06, 0x00, "Host bridge"},
    {0x06, 0x01, "ISA bridge"},
    {0x06, 0x02, "EISA bridge"},
    {0x06, 0x04, "PCI bridge"},
    {0x06, 0x07, "CardBus bridge"},
    {0x06, ANY_SUBCLASS, "Bridge"},
    {0x07, 0x00, "Serial controller"},
    {0x07, 0x01, "Parallel controller"},
    {0x07, ANY_SUBCLASS, "Communication controller"},
    {0x08, 0x00, "PIC"},
    {0x08, 0x01, "DMA controller"},
    {0x08, 0x02, "Timer"},
    {0x08, 0x03, "RTC"},
    {0x08, 0x05, "SD Host controller"},
    {0x08, ANY_SUBCLASS, "System peripheral"},
    {0x09, 0x00, "Keyboard controller"},
    {0x09, 0x02, "Mouse controller"},
    {0x09, ANY_SUBCLASS, "Input device controller"},
    {0x0C, 0x03, "USB controller"},
    {0x0C, 0x05, "SMBus"},
    {0x0C, ANY_SUBCLASS, "Serial bus controller"},
    {0x0D, ANY_SUBCLASS, "Wireless controller"},
    {0x10, ANY_SUBCLASS, "Encryption controller"},
    {0x11, ANY_SUBCLASS, "Signal processing controller"},
    {0xFF, ANY_SUBCLASS, "Unassigned class"},
};

const char *pci_class_name(uint8_t class_code, uint8_t subclass)
{
    /* Each class lists its subclasses before its catch-all entry. */
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].class_code == class_code &&
            (names[i].subclass == subclass || names[i].subclass == ANY_SUBCLASS))
            return names[i].name;
    return "Unknown class";
}
