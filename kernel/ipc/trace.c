/*
 * IPC trace lines. Tag names come from the protocol headers under
 * lib/include/parley/proto/, which list their tags with PARLEY_TAGS
 * X-macros, so the trace shows the same names the code uses.
 */
#include "ipc/trace.h"

#include <stddef.h>

#include <parley/errors.h>
#include <parley/proto/all.h>

#include "arch/serial.h"
#include "arch/tsc.h"
#include "common/format.h"
#include "proc/process.h"
#include "sched/thread.h"

static bool trace_all;
static uint32_t traced_processes;
bool ipc_trace_any;

struct tag_name {
    uint64_t tag;
    const char *name;
};

static const struct tag_name tag_names[] = {
#define PARLEY_TAG_ENTRY(name, value) {value, #name},
    PARLEY_ALL_TAGS(PARLEY_TAG_ENTRY)
#undef PARLEY_TAG_ENTRY
};

static const char *const error_names[] = {
#define PARLEY_ERROR_NAME(name, num, text) [num] = #name,
    PARLEY_ERRORS(PARLEY_ERROR_NAME)
#undef PARLEY_ERROR_NAME
};

void ipc_trace_set_all(bool on)
{
    trace_all = on;
    ipc_trace_any = trace_all || traced_processes != 0;
}

void ipc_trace_set_process(struct process *p, bool on)
{
    if (p->traced != on)
        traced_processes += on ? 1 : (uint32_t)-1;
    p->traced = on;
    ipc_trace_any = trace_all || traced_processes != 0;
}

bool ipc_trace_wanted(const struct process *from, const struct process *to)
{
    return trace_all || (from != NULL && from->traced) || (to != NULL && to->traced);
}

static const char *tag_name(uint64_t tag)
{
    for (size_t i = 0; i < sizeof(tag_names) / sizeof(tag_names[0]); i++)
        if (tag_names[i].tag == tag)
            return tag_names[i].name;
    return NULL;
}

static int format_word(char *out, size_t size, uint64_t word)
{
    return word == 0 ? ksnprintf(out, size, "0") : ksnprintf(out, size, "0x%lx", word);
}

void ipc_trace(const char *op, const struct process *from, const struct process *to,
               uint32_t endpoint, const struct ipc_message *msg, uint64_t call_id, long err)
{
    if (!ipc_trace_wanted(from, to))
        return;
    char line[400];
    size_t n = 0;
#define APPEND(...)                                                                                \
    n += (size_t)ksnprintf(line + n, n < sizeof(line) ? sizeof(line) - n : 0, __VA_ARGS__)
    APPEND("IPC t=%lu op=%s from=", tsc_nanos_since_boot(), op);
    if (from != NULL)
        APPEND("%u:%s", from->pid, from->name);
    else
        APPEND("0:kernel");
    if (to != NULL)
        APPEND(" to=%u:%s", to->pid, to->name);
    else
        APPEND(" to=-");
    APPEND(" ep=%u tag=0x%lx", endpoint, msg->tag);
    const char *name = tag_name(msg->tag);
    if (name != NULL)
        APPEND("(%s)", name);
    APPEND(" w=[");
    for (int i = 0; i < 4; i++) {
        if (n < sizeof(line))
            n += (size_t)format_word(line + n, sizeof(line) - n, msg->words[i]);
        APPEND(i < 3 ? "," : "]");
    }
    APPEND(" handles=%u mem=%lup", msg->handle_count, (msg->mem_length + 4095) / 4096);
    if (call_id != 0)
        APPEND(" id=%lu", call_id);
    if (err != 0)
        APPEND(" err=%s", -err < (long)(sizeof(error_names) / sizeof(error_names[0])) &&
                                  error_names[-err] != NULL
                              ? error_names[-err]
                              : "E_UNKNOWN");
    APPEND("\n");
#undef APPEND
    if (n > sizeof(line) - 1)
        n = sizeof(line) - 1;
    serial_write(line, n);
}
