/*
 * Hardware capabilities (see hwcap.h and docs/ipc.md).
 *
 * One object type per resource, all the same shape: a range [base,
 * base + length) — of ports, of interrupt lines, of physical memory, or
 * (for DMA) a budget of pages. SYS_CAP_DERIVE makes a new object for a
 * sub-range of one the caller holds with RIGHT_DUPLICATE; the USE
 * operations need RIGHT_USE on a range of exactly one kind.
 *
 * Interrupts: a bound line is unmasked in the I/O APIC; when it fires the
 * kernel masks it, acknowledges the local APIC and signals the bound
 * endpoint's notification bits (endpoint_notify never blocks, and bits
 * accumulate, so nothing is lost). The line stays masked until the driver
 * calls SYS_IRQ_ACK.
 */
#include "ipc/hwcap.h"

#include <stddef.h>

#include <parley/errors.h>
#include <parley/ipc.h>
#include <parley/proto/base.h>

#include "arch/gdt.h"
#include "arch/ioapic.h"
#include "arch/lapic.h"
#include "common/string.h"
#include "ipc/endpoint.h"
#include "ipc/handle.h"
#include "log.h"
#include "mm/aspace.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/vm.h"
#include "proc/process.h"
#include "proc/usercopy.h"
#include "sched/sched.h"
#include "trap.h"

#define IO_PORTS 65536
#define DMA_LIMIT (1ull << 32) /* DMA memory lies below 4 GiB for 32-bit devices */

struct hwcap {
    struct kobject object;
    uint64_t base, length;
    struct endpoint *endpoint; /* IRQ: where interrupts go, once bound */
    uint64_t bits;
};

static void hwcap_destroy(struct kobject *object);

static const struct kobject_ops root_ops = {NULL, NULL, NULL};
static const struct kobject_ops derived_ops = {NULL, NULL, hwcap_destroy};

static struct hwcap roots[] = {
    {{OBJECT_IOPORTS, 0, &root_ops}, 0, IO_PORTS, NULL, 0},
    {{OBJECT_IRQ, 0, &root_ops}, 0, IRQ_LINES, NULL, 0},
    {{OBJECT_PHYS, 0, &root_ops}, 0, 1ull << 52, NULL, 0},
    {{OBJECT_DMA, 0, &root_ops}, 0, UINT64_MAX, NULL, 0},
};

static struct hwcap *irq_bound[IRQ_LINES];

static struct hwcap *hwcap_of(struct kobject *object)
{
    return container_of(object, struct hwcap, object);
}

static void unbind(struct hwcap *cap)
{
    if (cap->endpoint == NULL)
        return;
    ioapic_set_masked((unsigned)cap->base, true);
    irq_bound[cap->base] = NULL;
    struct kobject *ep = &cap->endpoint->object;
    cap->endpoint = NULL;
    ep->ops->handle_removed(ep, RIGHT_SEND, 0); /* the binding's sender share */
    if (--ep->handles == 0)
        ep->ops->destroy(ep);
}

static void hwcap_destroy(struct kobject *object)
{
    struct hwcap *cap = hwcap_of(object);
    if (object->type == OBJECT_IRQ)
        unbind(cap);
    kfree(cap);
}

void hwcap_give_roots(struct process *init)
{
    for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
        handle_install(&init->handles, &roots[i].object, RIGHTS_ALL);
}

/* Looks up a hardware capability of `type` with `rights` in the caller's table. */
static struct hwcap *lookup(uint64_t handle, uint32_t type, uint32_t rights, long *err)
{
    struct kobject *object =
        handle_get(&process_current()->handles, (uint32_t)handle, type, rights, err);
    return object != NULL ? hwcap_of(object) : NULL;
}

long sys_cap_derive(struct trap_frame *f)
{
    long err;
    struct kobject *object =
        handle_get(&process_current()->handles, (uint32_t)f->rdi, 0, RIGHT_DUPLICATE, &err);
    if (object == NULL)
        return err;
    if (object->type < OBJECT_IOPORTS || object->type > OBJECT_DMA)
        return -E_BADHANDLE;
    struct hwcap *parent = hwcap_of(object);
    uint64_t base = f->rsi, length = f->rdx;
    if (object->type == OBJECT_DMA) { /* a budget, handed down: base unused */
        base = 0;
        if (length > parent->length)
            return -E_RANGE;
    } else if (length == 0 || base < parent->base || length > parent->length ||
               base - parent->base > parent->length - length) {
        return -E_RANGE;
    }
    if (object->type == OBJECT_PHYS && (base % PAGE_SIZE || length % PAGE_SIZE))
        return -E_INVAL;
    struct hwcap *cap = kzalloc(sizeof(*cap));
    if (cap == NULL)
        return -E_NOMEM;
    cap->object = (struct kobject){.type = object->type, .ops = &derived_ops};
    cap->base = base;
    cap->length = length;
    uint32_t rights = process_current()->handles.slots[(uint32_t)f->rdi].rights;
    long h = handle_install(&process_current()->handles, &cap->object, rights);
    if (h < 0) {
        kfree(cap);
        return h;
    }
    if (object->type == OBJECT_DMA && parent->length != UINT64_MAX)
        parent->length -= length; /* the pages move to the new budget, not copied */
    return h;
}

long sys_ioport_enable(struct trap_frame *f)
{
    long err;
    struct hwcap *cap = lookup(f->rdi, OBJECT_IOPORTS, RIGHT_USE, &err);
    if (cap == NULL)
        return err;
    struct process *p = process_current();
    if (p->io_bitmap == NULL) {
        p->io_bitmap = kmalloc(IO_PORTS / 8);
        if (p->io_bitmap == NULL)
            return -E_NOMEM;
        memset(p->io_bitmap, 0xFF, IO_PORTS / 8);
    }
    for (uint64_t port = cap->base; port < cap->base + cap->length; port++)
        p->io_bitmap[port / 8] &= (uint8_t) ~(1u << (port % 8));
    gdt_forget_io_bitmap(p->io_bitmap);
    gdt_set_io_bitmap(p->io_bitmap);
    return 0;
}

static void irq_interrupt(struct trap_frame *frame)
{
    unsigned irq = (unsigned)(frame->vector - IRQ_VECTOR_BASE);
    ioapic_set_masked(irq, true);
    lapic_eoi();
    struct hwcap *cap = irq_bound[irq];
    if (cap != NULL) {
        endpoint_notify(cap->endpoint, cap->bits);
        sched_preempt();
    }
}

void hwcap_init(void)
{
    for (int irq = 0; irq < IRQ_LINES; irq++)
        trap_set_handler(IRQ_VECTOR_BASE + irq, irq_interrupt);
}

/* Needs exactly one line: a capability for a range of lines cannot be bound. */
long sys_irq_bind(struct trap_frame *f)
{
    long err;
    struct hwcap *cap = lookup(f->rdi, OBJECT_IRQ, RIGHT_USE, &err);
    if (cap == NULL)
        return err;
    struct kobject *ep = handle_get(&process_current()->handles, (uint32_t)f->rsi, OBJECT_ENDPOINT,
                                    RIGHT_RECEIVE, &err);
    if (ep == NULL)
        return err;
    if (cap->length != 1 || f->rdx == 0)
        return -E_INVAL;
    if (irq_bound[cap->base] != NULL && irq_bound[cap->base] != cap)
        return -E_BUSY;
    unbind(cap);
    ep->handles++; /* the binding keeps the endpoint alive... */
    cap->endpoint = container_of(ep, struct endpoint, object);
    cap->endpoint->senders++; /* ...and is a sender: receivers must not see -E_CLOSED */
    cap->bits = f->rdx;
    irq_bound[cap->base] = cap;
    ioapic_set_masked((unsigned)cap->base, false);
    log_info("irq: line %lu bound to endpoint %u of %u:%s", cap->base, cap->endpoint->id,
             process_current()->pid, process_current()->name);
    return 0;
}

long sys_irq_ack(struct trap_frame *f)
{
    long err;
    struct hwcap *cap = lookup(f->rdi, OBJECT_IRQ, RIGHT_USE, &err);
    if (cap == NULL)
        return err;
    if (cap->endpoint == NULL)
        return -E_INVAL;
    ioapic_set_masked((unsigned)cap->base, false);
    return 0;
}

long sys_phys_map(struct trap_frame *f)
{
    long err;
    struct hwcap *cap = lookup(f->rdi, OBJECT_PHYS, RIGHT_USE, &err);
    if (cap == NULL)
        return err;
    if (cap->length > (1ull << 30))
        return -E_RANGE;
    return aspace_map_physical(process_current()->aspace, cap->base, cap->length,
                               AREA_READ | AREA_WRITE | AREA_SHARED | AREA_DEVICE);
}

long sys_dma_alloc(struct trap_frame *f)
{
    long err;
    struct hwcap *cap = lookup(f->rdi, OBJECT_DMA, RIGHT_USE, &err);
    if (cap == NULL)
        return err;
    uint64_t pages = f->rsi;
    if (pages == 0 || pages > 4096)
        return -E_RANGE;
    if (pages > cap->length)
        return -E_NOSPC;
    uint64_t *user_phys = (uint64_t *)f->rdx;
    if (user_phys != NULL && !user_range_ok(f->rdx, sizeof(uint64_t)))
        return -E_FAULT;
    uint64_t phys = frame_alloc_contig(pages, DMA_LIMIT);
    if (phys == 0)
        return -E_NOMEM;
    memset(phys_to_virt(phys), 0, pages * PAGE_SIZE);
    int64_t addr = aspace_map_physical(process_current()->aspace, phys, pages * PAGE_SIZE,
                                       AREA_READ | AREA_WRITE);
    if (addr < 0) {
        frame_free_contig(phys, pages);
        return addr;
    }
    if (cap->length != UINT64_MAX)
        cap->length -= pages; /* charged as soon as the pages exist */
    if (user_phys != NULL && copy_to_user(f->rdx, &phys, sizeof(phys)) < 0)
        return -E_FAULT; /* mapped, owned and charged all the same: freed at exit */
    return addr;
}
