/*
 * Root capabilities, given to init at boot as handles 1-5 (INIT_HANDLE_*
 * in parley/ipc.h): the trace capability — whoever holds it with
 * RIGHT_USE may switch the IPC trace on and off (SYS_TRACE_SET) — and
 * the four hardware roots (hwcap.c). They are static objects, never
 * destroyed.
 */
#include "ipc/caps.h"

#include <stddef.h>

#include <parley/ipc.h>

#include "ipc/handle.h"
#include "ipc/hwcap.h"
#include "log.h"
#include "panic.h"
#include "proc/process.h"

static const struct kobject_ops static_ops = {NULL, NULL, NULL};
static struct kobject trace_cap = {.type = OBJECT_TRACE, .ops = &static_ops};

void caps_give_root(struct process *init)
{
    if (handle_install(&init->handles, &trace_cap, RIGHTS_ALL) != INIT_HANDLE_TRACE)
        panic("caps: init's handle table is not empty");
    hwcap_give_roots(init);
    log_info("caps: init holds the trace, I/O port, IRQ, physical memory and DMA roots");
}
