/*
 * Wiring (see wire.h). The wires:
 *   serve:EP          receive right on endpoint EP
 *   use:EP            send, duplicate and transfer rights on EP
 *   use:EP#BADGE      the same, minted with BADGE (the server sees it on each message)
 *   trace             the trace capability
 *   ports:BASE:COUNT  I/O ports [BASE, BASE + COUNT)
 *   irq:N             interrupt line N
 *   phys:BASE:LENGTH  a physical range to map (page aligned)
 *   dma:PAGES         a budget of DMA pages
 *   pci-ports:VENDOR:DEVICE:BAR   the I/O ports of that BAR of a PCI device
 *   pci-irq:VENDOR:DEVICE         the interrupt line of a PCI device
 *   priority:driver   not a handle: run above ordinary programs (drivers)
 * Numbers are in C notation (0x60 or 96). Hardware wires are derived from
 * the root capabilities the kernel gave init (INIT_HANDLE_*); nothing a
 * program gets is more than its description names. The pci- wires ask the
 * PCI server (the service on endpoint "pci") where the device is, so a
 * driver gets exactly its own card's ports and line, wherever the
 * firmware put them.
 */
#include "wire.h"

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/pci.h>
#include <parley/sys.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cpio.h"

#define ENDPOINTS_MAX 32
#define PCI_WIRE_TIMEOUT_NS 5000000000ull /* the PCI server answers at once once it runs */
#define IRQ_LINES 24                      /* init's IRQ root: lines 0-23 */

static struct wire_endpoint endpoints[ENDPOINTS_MAX];
static int endpoint_count;

long wire_endpoint(const char *name, size_t length, int temporary)
{
    for (int i = 0; i < endpoint_count; i++)
        if (strlen(endpoints[i].name) == length && strncmp(endpoints[i].name, name, length) == 0)
            return endpoints[i].handle;
    if (endpoint_count == ENDPOINTS_MAX || length == 0 || length >= sizeof(endpoints[0].name))
        return -E_NOSPC;
    long h = endpoint_create();
    if (h < 0)
        return h;
    struct wire_endpoint *ep = &endpoints[endpoint_count++];
    snprintf(ep->name, sizeof(ep->name), "%.*s", (int)length, name);
    ep->handle = (uint32_t)h;
    ep->temporary = temporary;
    return h;
}

void wire_close_temporary(void)
{
    int kept = 0;
    for (int i = 0; i < endpoint_count; i++) {
        if (endpoints[i].temporary)
            handle_close(endpoints[i].handle);
        else
            endpoints[kept++] = endpoints[i];
    }
    endpoint_count = kept;
}

/* A hardware wire, BASE[:LENGTH] or (for DMA) PAGES, derived from one of init's roots. */
static long hardware_handle(uint32_t root, const char *numbers, int with_base)
{
    char *end;
    uint64_t first = strtoull(numbers, &end, 0);
    if (end == numbers)
        return -E_INVAL;
    if (!with_base)
        return sys_cap_derive(root, 0, first);
    if (*end != ':')
        return sys_cap_derive(root, first, 1);
    return sys_cap_derive(root, first, strtoull(end + 1, NULL, 0));
}

static long endpoint_wire(const char *name, uint32_t rights, int temporary)
{
    size_t length = strcspn(name, "#");
    long ep = wire_endpoint(name, length, temporary);
    if (ep < 0)
        return ep;
    uint64_t badge = name[length] == '#' ? strtoull(name + length + 1, NULL, 0) : 0;
    if (badge > UINT32_MAX)
        return -E_RANGE;
    return badge != 0 ? handle_mint((uint32_t)ep, rights, (uint32_t)badge)
                      : handle_dup((uint32_t)ep, rights);
}

/* The endpoint init made for the pci service, or -E_NOENT; never made here. */
static long pci_endpoint(void)
{
    for (int i = 0; i < endpoint_count; i++)
        if (strcmp(endpoints[i].name, "pci") == 0)
            return endpoints[i].handle;
    return -E_NOENT;
}

static long pci_request(uint32_t pci, uint64_t tag, uint64_t w0, uint64_t w1, struct ipc_msg *reply)
{
    struct ipc_msg request = {tag, {w0, w1, 0, 0}};
    return ipc_request(pci, &request, reply, PCI_WIRE_TIMEOUT_NS, NULL);
}

/*
 * Finds the device "VENDOR:DEVICE..." of a pci- wire through the PCI
 * server; returns its index in the server's list and leaves *rest after
 * the device id. Says on the log why it cannot.
 */
static long pci_wire_device(const char *wire, const char *numbers, uint32_t *pci, const char **rest)
{
    char *end;
    uint64_t vendor = strtoull(numbers, &end, 0);
    if (end == numbers || *end != ':')
        return -E_INVAL;
    const char *device_at = end + 1;
    uint64_t device = strtoull(device_at, &end, 0);
    if (end == device_at || vendor > 0xFFFF || device > 0xFFFF)
        return -E_INVAL;
    *rest = end;
    long ep = pci_endpoint();
    if (ep < 0) {
        printf("init: %s: no pci service to ask\n", wire);
        return ep;
    }
    *pci = (uint32_t)ep;
    struct ipc_msg reply;
    long err = pci_request(*pci, PCI_FIND, vendor, device, &reply);
    if (err == -E_NOENT)
        printf("init: %s: no PCI device %04lx:%04lx\n", wire, (unsigned long)vendor,
               (unsigned long)device);
    else if (err < 0)
        printf("init: %s: the PCI server did not answer: %s\n", wire, strerror((int)err));
    return err < 0 ? err : (long)reply.w[0];
}

/* pci-ports:VENDOR:DEVICE:BAR: exactly the ports of that BAR, which must be an I/O BAR. */
static long pci_ports_handle(const char *wire)
{
    const char *rest;
    uint32_t pci;
    long index = pci_wire_device(wire, wire + 10, &pci, &rest);
    if (index < 0)
        return index;
    if (*rest != ':')
        return -E_INVAL;
    char *end;
    uint64_t bar = strtoull(rest + 1, &end, 0);
    if (end == rest + 1 || *end != '\0' || bar > 5)
        return -E_INVAL;
    struct ipc_msg reply;
    long err = pci_request(pci, PCI_BAR, (uint64_t)index, bar, &reply);
    if (err < 0)
        return err;
    uint64_t base = reply.w[0], size = reply.w[1];
    if (size == 0 || !(reply.w[2] & PCI_BAR_IO)) {
        printf("init: %s: BAR %lu is %s\n", wire, (unsigned long)bar,
               size == 0 ? "not in use" : "memory, not I/O ports");
        return -E_INVAL;
    }
    return sys_cap_derive(INIT_HANDLE_IOPORTS, base, size);
}

/* pci-irq:VENDOR:DEVICE: the interrupt line the firmware gave the device (PCI_INFO w3). */
static long pci_irq_handle(const char *wire)
{
    const char *rest;
    uint32_t pci;
    long index = pci_wire_device(wire, wire + 8, &pci, &rest);
    if (index < 0)
        return index;
    if (*rest != '\0')
        return -E_INVAL;
    struct ipc_msg reply;
    long err = pci_request(pci, PCI_INFO, (uint64_t)index, 0, &reply);
    if (err < 0)
        return err;
    unsigned line = (unsigned)(reply.w[3] & 0xFF);
    if (line >= IRQ_LINES) {
        printf("init: %s: the device has no usable interrupt line (%u)\n", wire, line);
        return -E_RANGE;
    }
    return sys_cap_derive(INIT_HANDLE_IRQ, line, 1);
}

/* What init started, by name, so that a proc:NAME wire can name it. */
#define STARTED_MAX 64
static struct {
    char name[32];
    long pid;
} started[STARTED_MAX];
static int started_count;

static void started_add(const char *name, long pid)
{
    for (int i = 0; i < started_count; i++)
        if (strcmp(started[i].name, name) == 0) {
            started[i].pid = pid;
            return;
        }
    if (started_count < STARTED_MAX) {
        strlcpy(started[started_count].name, name, sizeof(started[0].name));
        started[started_count++].pid = pid;
    }
}

/* proc:NAME: a handle that may end service NAME (SYS_PROC_HANDLE; init may end what it started). */
static long started_handle(const char *name)
{
    for (int i = 0; i < started_count; i++)
        if (strcmp(started[i].name, name) == 0)
            return sys_proc_handle(started[i].pid);
    return -E_NOENT;
}

/* Makes the handle one wire describes; the caller closes it once the child has its copy. */
static long wire_handle(const char *wire, int temporary)
{
    if (strcmp(wire, "trace") == 0)
        return handle_dup(INIT_HANDLE_TRACE, RIGHT_USE | RIGHT_TRANSFER | RIGHT_DUPLICATE);
    if (strncmp(wire, "serve:", 6) == 0)
        return endpoint_wire(wire + 6, RIGHT_RECEIVE | RIGHT_TRANSFER, temporary);
    if (strncmp(wire, "use:", 4) == 0)
        return endpoint_wire(wire + 4, RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER, temporary);
    if (strncmp(wire, "ports:", 6) == 0)
        return hardware_handle(INIT_HANDLE_IOPORTS, wire + 6, 1);
    if (strncmp(wire, "irq:", 4) == 0)
        return hardware_handle(INIT_HANDLE_IRQ, wire + 4, 1);
    if (strncmp(wire, "phys:", 5) == 0)
        return hardware_handle(INIT_HANDLE_PHYS, wire + 5, 1);
    if (strncmp(wire, "dma:", 4) == 0)
        return hardware_handle(INIT_HANDLE_DMA, wire + 4, 0);
    if (strncmp(wire, "pci-ports:", 10) == 0)
        return pci_ports_handle(wire);
    if (strncmp(wire, "pci-irq:", 8) == 0)
        return pci_irq_handle(wire);
    if (strncmp(wire, "proc:", 5) == 0)
        return started_handle(wire + 5);
    return -E_INVAL;
}

static int option_count;
static char **options;

void wire_set_options(int argc, char **argv)
{
    option_count = argc;
    options = argv;
}

/* Fills argv with {name, KEY=VALUE for every NAME.KEY=VALUE option, NULL}. */
static void service_argv(const char *name, const char **argv, int max)
{
    size_t n = strlen(name);
    int count = 0;
    argv[count++] = name;
    for (int i = 1; i < option_count && count < max - 1; i++)
        if (strncmp(options[i], name, n) == 0 && options[i][n] == '.' &&
            strchr(options[i] + n + 1, '=') != NULL)
            argv[count++] = options[i] + n + 1;
    argv[count] = NULL;
}

long wire_start(const struct boot_image *image, const char *name, const char *program,
                char wires[][WIRE_TEXT_MAX], int wire_count, int temporary)
{
    uint32_t handles[WIRE_MAX];
    int made = 0;
    long err = 0;
    unsigned flags = 0;
    for (int w = 0; w < wire_count && w < WIRE_MAX && err >= 0; w++) {
        if (strcmp(wires[w], "priority:driver") == 0) {
            flags |= SPAWN_DRIVER_PRIORITY;
            continue;
        }
        err = wire_handle(wires[w], temporary);
        if (err < 0) {
            printf("init: %s: cannot make wire %s: %s\n", name, wires[w], strerror((int)err));
            break;
        }
        handles[made++] = (uint32_t)err;
    }
    long pid = err;
    if (err >= 0) {
        struct cpio_entry entry;
        const char *argv[WIRE_ARGS_MAX + 2];
        service_argv(name, argv, WIRE_ARGS_MAX + 2);
        pid = cpio_find(image->data, image->size, program, &entry);
        if (pid >= 0)
            pid = sys_spawn_flags(entry.data, entry.size, argv, handles, (uint32_t)made, flags);
    }
    if (pid < 0) {
        for (int i = 0; i < made; i++) /* on success they moved to the child */
            handle_close(handles[i]);
        printf("init: cannot start %s: %s\n", name, strerror((int)pid));
        return pid;
    }
    started_add(name, pid);
    if (wire_count > 0) {
        char granted[WIRE_MAX * WIRE_TEXT_MAX] = "";
        for (int i = 0; i < wire_count; i++) {
            strcat(granted, " ");
            strcat(granted, wires[i]);
        }
        printf("init: started %s (pid %ld) with%s\n", name, pid, granted);
    }
    return pid;
}

static int wire_names(const char *wire, const char *prefix, const char *ep)
{
    size_t n = strlen(prefix);
    if (strncmp(wire, prefix, n) != 0)
        return 0;
    size_t length = strcspn(wire + n, "#");
    return strlen(ep) == length && strncmp(wire + n, ep, length) == 0;
}

int wire_serves(const char *wire, const char *ep)
{
    return wire_names(wire, "serve:", ep);
}

int wire_uses(const char *wire, const char *ep)
{
    return wire_names(wire, "use:", ep);
}
