/*
 * lspci: lists every PCI function the PCI server found, one line each:
 *
 *   00:03.0 10ec:8139 class 0200 Ethernet controller  irq 11  BAR0 io 0xc000 size 256
 *
 * Everything comes from the PCI server's requests (parley/proto/pci.h),
 * never from the hardware. The interrupt line is shown only for
 * functions that have an interrupt pin. Output goes to stdout (the
 * console or a pipe under the shell, the kernel log under init).
 *
 * The PCI server's handle: the one named by PCI_HANDLE in the
 * environment, else handle 1 as init's run=lspci@use:pci wires it. Under
 * the shell (STDIN set) handle 1 is stdin, so without PCI_HANDLE lspci
 * says it has no way to the server instead of sending it PCI requests.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/pci.h>

#include "pci_class.h"

static uint32_t pci_handle = 1;

#define PCI_INTERRUPT_PIN 0x3D
#define BARS 6

/* Long enough for a server that is still enumerating, short enough to notice one that hangs. */
#define TIMEOUT_NS 10000000000ull

/* Sends one PCI request; returns the status and fills *reply. */
static long pci_request(uint64_t tag, uint64_t w0, uint64_t w1, uint64_t w2, struct ipc_msg *reply)
{
    struct ipc_msg request = {.tag = tag, .w = {w0, w1, w2, 0}};

    return ipc_request(pci_handle, &request, reply, TIMEOUT_NS, NULL);
}

static void print_bar(unsigned number, const struct ipc_msg *bar)
{
    uint64_t flags = bar->w[2];

    printf("  BAR%u %s 0x%lx size %lu", number, (flags & PCI_BAR_IO) ? "io" : "mem",
           (unsigned long)bar->w[0], (unsigned long)bar->w[1]);
    if (flags & PCI_BAR_MEM64)
        printf(" 64-bit");
    if (flags & PCI_BAR_PREFETCH)
        printf(" prefetchable");
}

/* Prints the line for function index; returns 0 or the request's error. */
static long print_function(uint64_t index)
{
    struct ipc_msg info, reply;
    long err = pci_request(PCI_INFO, index, 0, 0, &info);
    if (err < 0)
        return err;
    uint64_t bdf = info.w[0], ids = info.w[1], class_word = info.w[2];
    uint8_t class_code = (uint8_t)(class_word >> 16), subclass = (uint8_t)(class_word >> 8);

    printf("%02x:%02x.%x %04x:%04x class %02x%02x %s", (unsigned)(bdf >> 8),
           (unsigned)(bdf >> 3) & 0x1F, (unsigned)bdf & 7, (unsigned)(ids & 0xFFFF),
           (unsigned)(ids >> 16), class_code, subclass, pci_class_name(class_code, subclass));
    err = pci_request(PCI_CONFIG_READ, index, PCI_INTERRUPT_PIN, 1, &reply);
    if (err == 0 && reply.w[0] != 0)
        printf("  irq %u", (unsigned)(info.w[3] & 0xFF));
    for (unsigned bar = 0; bar < BARS && err == 0; bar++) {
        err = pci_request(PCI_BAR, index, bar, 0, &reply);
        if (err == 0 && reply.w[1] != 0)
            print_bar(bar, &reply);
    }
    printf("\n");
    return err;
}

int main(void)
{
    const char *named = getenv("PCI_HANDLE");
    if (named != NULL) {
        pci_handle = (uint32_t)strtoul(named, NULL, 10);
    } else if (getenv("STDIN") != NULL) {
        fprintf(stderr, "lspci: no handle to the PCI server (PCI_HANDLE is not set)\n");
        return 1;
    }
    struct ipc_msg reply;
    long err = pci_request(PCI_COUNT, 0, 0, 0, &reply);
    if (err < 0) {
        fprintf(stderr, "lspci: cannot reach the PCI server: %s\n", error_string((int)err));
        return 1;
    }
    uint64_t count = reply.w[0];
    for (uint64_t i = 0; i < count; i++) {
        err = print_function(i);
        if (err < 0) {
            fprintf(stderr, "lspci: function %lu: %s\n", (unsigned long)i, error_string((int)err));
            return 1;
        }
    }
    return 0;
}
