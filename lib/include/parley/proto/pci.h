/*
 * The PCI protocol: the PCI server is the only process that touches PCI
 * configuration space (ports 0xCF8-0xCFF). It enumerates every bus,
 * device and function at start and answers by index into that list.
 * Every request is a call; every reply's tag is its status (0 or a
 * negative error: -E_NOENT past the end of the list or when nothing
 * matches, -E_INVAL for a bad BAR number or offset).
 *
 *   PCI_COUNT          reply: w0 = number of functions found
 *   PCI_INFO           w0 = index
 *                      reply: w0 = bus << 8 | device << 3 | function,
 *                             w1 = vendor | device id << 16,
 *                             w2 = class << 16 | subclass << 8 | prog-if,
 *                             w3 = interrupt line | header type << 8
 *   PCI_FIND           w0 = vendor, w1 = device id (PCI_ANY matches all),
 *                      w2 = first index to look at; reply: w0 = index
 *   PCI_FIND_CLASS     w0 = class, w1 = subclass (PCI_ANY), w2 = first index;
 *                      reply: w0 = index
 *   PCI_BAR            w0 = index, w1 = BAR number (0-5)
 *                      reply: w0 = base address, w1 = size in bytes,
 *                             w2 = PCI_BAR_* flags (0 size = BAR unused)
 *   PCI_CONFIG_READ    w0 = index, w1 = offset, w2 = width (1, 2 or 4)
 *                      reply: w0 = value
 *   PCI_ENABLE_BUS_MASTER  w0 = index; sets I/O, memory and bus-master enable
 *                      (unbadged handles only: drivers and init; -E_PERM for
 *                      a badged one)
 *
 * A badged handle (PCI_BADGE_READ_ONLY, which init gives login, and so
 * every user's shell and lspci) may read but not write: a device with bus
 * mastering on can write anywhere in memory.
 */
#ifndef PARLEY_PROTO_PCI_H
#define PARLEY_PROTO_PCI_H

#include <parley/proto/base.h>

#define PCI_COUNT PARLEY_TAG(PROTO_PCI, 1)
#define PCI_INFO PARLEY_TAG(PROTO_PCI, 2)
#define PCI_FIND PARLEY_TAG(PROTO_PCI, 3)
#define PCI_FIND_CLASS PARLEY_TAG(PROTO_PCI, 4)
#define PCI_BAR PARLEY_TAG(PROTO_PCI, 5)
#define PCI_CONFIG_READ PARLEY_TAG(PROTO_PCI, 6)
#define PCI_ENABLE_BUS_MASTER PARLEY_TAG(PROTO_PCI, 7)

#define PCI_BADGE_READ_ONLY 1 /* init/services: use:pci#1 for login */

#define PROTO_PCI_TAGS(X)                                                                          \
    X(PCI_COUNT, PCI_COUNT)                                                                        \
    X(PCI_INFO, PCI_INFO)                                                                          \
    X(PCI_FIND, PCI_FIND)                                                                          \
    X(PCI_FIND_CLASS, PCI_FIND_CLASS)                                                              \
    X(PCI_BAR, PCI_BAR)                                                                            \
    X(PCI_CONFIG_READ, PCI_CONFIG_READ)                                                            \
    X(PCI_ENABLE_BUS_MASTER, PCI_ENABLE_BUS_MASTER)

#define PCI_ANY 0xFFFFu
#define PCI_BAR_IO (1u << 0)
#define PCI_BAR_MEM64 (1u << 1)
#define PCI_BAR_PREFETCH (1u << 2)

#endif
