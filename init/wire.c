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
 *   priority:driver   not a handle: run above ordinary programs (drivers)
 * Numbers are in C notation (0x60 or 96). Hardware wires are derived from
 * the root capabilities the kernel gave init (INIT_HANDLE_*); nothing a
 * program gets is more than its description names.
 */
#include "wire.h"

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cpio.h"

#define ENDPOINTS_MAX 32

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
    return -E_INVAL;
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
        const char *argv[] = {name, NULL};
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
