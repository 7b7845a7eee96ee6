/*
 * Names for PCI class codes, as lspci prints them ("Ethernet controller",
 * "Host bridge"). Kept apart from lspci's main.c so the host unit test
 * (tests/unit/pci_test.c) can check the table.
 */
#ifndef PARLEY_LSPCI_PCI_CLASS_H
#define PARLEY_LSPCI_PCI_CLASS_H

#include <stdint.h>

/*
 * The name of a class and subclass: the subclass's own name when the
 * table knows it, else the class's ("Network controller"), else
 * "Unknown class". Never NULL.
 */
const char *pci_class_name(uint8_t class_code, uint8_t subclass);

#endif
