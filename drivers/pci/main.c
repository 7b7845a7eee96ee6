/*
 * pci: the PCI server, the only process that touches PCI configuration
 * space.
 *
 * Handles, in the order init grants them:
 *   1  ports 0xCF8-0xCFF (configuration mechanism #1: address and data)
 *   2  receive right on the PCI endpoint
 *
 * At start it enumerates every bus, device and function and sizes their
 * BARs (pci_bus.c), logs one line per function, then answers the
 * requests of parley/proto/pci.h by index into that list until its last
 * client is gone. Drivers ask it where their device's registers are and
 * which IRQ line it uses; they never need the configuration ports
 * themselves.
 */
#include <stdint.h>
#include <stdio.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/pci.h>
#include <parley/sys.h>
#include <parley/portio.h>

#include "pci_bus.h"

#define HANDLE_PORTS 1
#define HANDLE_ENDPOINT 2

#define CONFIG_ADDRESS 0xCF8
#define CONFIG_DATA 0xCFC

#define MAX_FUNCTIONS 256

struct pci_server {
    struct pci_config_ops ops;
    struct pci_function functions[MAX_FUNCTIONS];
    size_t count;
};

static struct pci_server server;

/*
 * Mechanism #1: select the dword through 0xCF8, then move the bytes
 * through 0xCFC + (offset & 3) at the access's width. The server has one
 * thread, so nothing can change the address port in between.
 */
static uint32_t config_read(void *context, uint16_t bdf, uint16_t offset, unsigned width)
{
    (void)context;
    uint16_t port = (uint16_t)(CONFIG_DATA + (offset & 3));

    outl(CONFIG_ADDRESS, pci_config_address(bdf, offset));
    if (width == 1)
        return inb(port);
    if (width == 2)
        return inw(port);
    return inl(port);
}

static void config_write(void *context, uint16_t bdf, uint16_t offset, unsigned width,
                         uint32_t value)
{
    (void)context;
    uint16_t port = (uint16_t)(CONFIG_DATA + (offset & 3));

    outl(CONFIG_ADDRESS, pci_config_address(bdf, offset));
    if (width == 1)
        outb(port, (uint8_t)value);
    else if (width == 2)
        outw(port, (uint16_t)value);
    else
        outl(port, value);
}

/* The function at a request's index, or NULL past the end of the list. */
static const struct pci_function *function_at(const struct pci_server *s, uint64_t index)
{
    return index < s->count ? &s->functions[index] : NULL;
}

/*
 * The handlers. No PCI request carries handles or memory, so whatever a
 * client sent along is given up at once rather than kept.
 */

static long serve_count(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                        uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    const struct pci_server *s = context;
    (void)request, (void)sender, (void)reply_extra;

    ipc_extra_drop(extra);
    reply->w[0] = s->count;
    return 0;
}

static long serve_info(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                       uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    const struct pci_function *fn = function_at(context, request->w[0]);
    (void)sender, (void)reply_extra;

    ipc_extra_drop(extra);
    if (fn == NULL)
        return -E_NOENT;
    reply->w[0] = fn->bdf;
    reply->w[1] = fn->vendor | (uint32_t)fn->device << 16;
    reply->w[2] = (uint32_t)fn->class_code << 16 | (uint32_t)fn->subclass << 8 | fn->prog_if;
    reply->w[3] = fn->irq_line | (uint32_t)fn->header_type << 8;
    return 0;
}

static long serve_find(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                       uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    const struct pci_server *s = context;
    uint64_t vendor = request->w[0], device = request->w[1];
    (void)sender, (void)reply_extra;

    ipc_extra_drop(extra);
    for (uint64_t i = request->w[2]; i < s->count; i++) {
        const struct pci_function *fn = &s->functions[i];
        if ((vendor == PCI_ANY || vendor == fn->vendor) &&
            (device == PCI_ANY || device == fn->device)) {
            reply->w[0] = i;
            return 0;
        }
    }
    return -E_NOENT;
}

static long serve_find_class(void *context, const struct ipc_msg *request,
                             const struct ipc_extra *extra, uint64_t sender, struct ipc_msg *reply,
                             struct ipc_extra *reply_extra)
{
    const struct pci_server *s = context;
    uint64_t class_code = request->w[0], subclass = request->w[1];
    (void)sender, (void)reply_extra;

    ipc_extra_drop(extra);
    for (uint64_t i = request->w[2]; i < s->count; i++) {
        const struct pci_function *fn = &s->functions[i];
        if (class_code == fn->class_code && (subclass == PCI_ANY || subclass == fn->subclass)) {
            reply->w[0] = i;
            return 0;
        }
    }
    return -E_NOENT;
}

static long serve_bar(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                      uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    const struct pci_function *fn = function_at(context, request->w[0]);
    (void)sender, (void)reply_extra;

    ipc_extra_drop(extra);
    if (fn == NULL)
        return -E_NOENT;
    if (request->w[1] >= PCI_BAR_COUNT)
        return -E_INVAL;
    const struct pci_bar *bar = &fn->bars[request->w[1]];
    reply->w[0] = bar->base;
    reply->w[1] = bar->size;
    reply->w[2] = bar->flags;
    return 0;
}

static long serve_config_read(void *context, const struct ipc_msg *request,
                              const struct ipc_extra *extra, uint64_t sender, struct ipc_msg *reply,
                              struct ipc_extra *reply_extra)
{
    const struct pci_server *s = context;
    const struct pci_function *fn = function_at(s, request->w[0]);
    uint64_t offset = request->w[1], width = request->w[2];
    (void)sender, (void)reply_extra;

    ipc_extra_drop(extra);
    if (fn == NULL)
        return -E_NOENT;
    /* An aligned access of 1, 2 or 4 bytes stays within one dword of the 256. */
    if ((width != 1 && width != 2 && width != 4) || offset >= PCI_CONFIG_SIZE ||
        offset % width != 0)
        return -E_INVAL;
    reply->w[0] = s->ops.read(s->ops.context, fn->bdf, (uint16_t)offset, (unsigned)width);
    return 0;
}

static long serve_enable_bus_master(void *context, const struct ipc_msg *request,
                                    const struct ipc_extra *extra, uint64_t sender,
                                    struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    const struct pci_server *s = context;
    const struct pci_function *fn = function_at(s, request->w[0]);
    (void)reply, (void)reply_extra;

    ipc_extra_drop(extra);
    if (IPC_SENDER_BADGE(sender) != 0)
        return -E_PERM; /* a read-only handle: a user's */
    if (fn == NULL)
        return -E_NOENT;
    /* A 16-bit write leaves the status register above it (write-one-to-clear bits) alone. */
    uint32_t command = s->ops.read(s->ops.context, fn->bdf, PCI_COMMAND, 2);
    command |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
    s->ops.write(s->ops.context, fn->bdf, PCI_COMMAND, 2, command);
    return 0;
}

static const struct ipc_handler handlers[] = {
    {PCI_COUNT, serve_count},
    {PCI_INFO, serve_info},
    {PCI_FIND, serve_find},
    {PCI_FIND_CLASS, serve_find_class},
    {PCI_BAR, serve_bar},
    {PCI_CONFIG_READ, serve_config_read},
    {PCI_ENABLE_BUS_MASTER, serve_enable_bus_master},
};

/*
 * One log line per function, e.g.
 *   pci: 00:03.0 10ec:8139 class 02.00 irq 11 bar0 io 0xc000 size 256
 * printed in pieces: standard output sends the line when the '\n' comes.
 */
static void log_function(const struct pci_function *fn)
{
    printf("pci: %02x:%02x.%x %04x:%04x class %02x.%02x", PCI_BDF_BUS(fn->bdf),
           PCI_BDF_DEVICE(fn->bdf), PCI_BDF_FUNCTION(fn->bdf), fn->vendor, fn->device,
           fn->class_code, fn->subclass);
    if (fn->irq_pin != 0)
        printf(" irq %u", fn->irq_line);
    for (unsigned i = 0; i < PCI_BAR_COUNT; i++) {
        const struct pci_bar *bar = &fn->bars[i];
        if (bar->size != 0)
            printf(" bar%u %s 0x%lx size %lu", i, (bar->flags & PCI_BAR_IO) ? "io" : "mem",
                   (unsigned long)bar->base, (unsigned long)bar->size);
    }
    printf("\n");
}

int main(void)
{
    long err = sys_ioport_enable(HANDLE_PORTS);
    if (err < 0) {
        printf("pci: cannot use the configuration ports: %s\n", error_string((int)err));
        return 1;
    }
    server.ops = (struct pci_config_ops){config_read, config_write, NULL};
    size_t found = pci_enumerate(&server.ops, server.functions, MAX_FUNCTIONS);
    server.count = found < MAX_FUNCTIONS ? found : MAX_FUNCTIONS;
    for (size_t i = 0; i < server.count; i++)
        log_function(&server.functions[i]);
    if (found > MAX_FUNCTIONS)
        printf("pci: %zu functions, only the first %d kept\n", found, MAX_FUNCTIONS);
    else
        printf("pci: %zu functions\n", found);

    err = ipc_serve(HANDLE_ENDPOINT, handlers, sizeof(handlers) / sizeof(handlers[0]), &server);
    if (err < 0) {
        printf("pci: cannot serve: %s\n", error_string((int)err));
        return 1;
    }
    return 0;
}
