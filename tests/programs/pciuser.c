/*
 * What a user's PCI handle may do (docs/security.md): read, never
 * write. login's handle to the PCI server carries PCI_BADGE_READ_ONLY, and
 * so does every copy the shell hands on (lspci's), so a user's program
 * can list devices but not switch on a device's bus mastering (which
 * would let the device write anywhere in memory). Uses the handle named
 * by PCI_HANDLE (the shell sets it), else handle 1 (run=pciuser@use:pci#1).
 * Exits 0 when reads work and the write is refused.
 */
#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/pci.h>
#include <stdio.h>
#include <stdlib.h>

#define TIMEOUT_NS 10000000000ull

static long ask(uint32_t pci, uint64_t tag, uint64_t w0, uint64_t w1, uint64_t w2)
{
    struct ipc_msg request = {.tag = tag, .w = {w0, w1, w2, 0}}, reply;
    return ipc_request(pci, &request, &reply, TIMEOUT_NS, NULL);
}

int main(void)
{
    const char *named = getenv("PCI_HANDLE");
    uint32_t pci = named != NULL ? (uint32_t)strtoul(named, NULL, 10) : 1;
    long count = ask(pci, PCI_COUNT, 0, 0, 0);
    long read = ask(pci, PCI_CONFIG_READ, 0, 0, 4);
    long master = ask(pci, PCI_ENABLE_BUS_MASTER, 0, 0, 0);
    printf("pciuser: count %s, read %s, bus master %s\n", error_string((int)count),
           error_string((int)read), error_string((int)master));
    return count == 0 && read == 0 && master == -E_PERM ? 0 : 1;
}
