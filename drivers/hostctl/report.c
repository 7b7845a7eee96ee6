/*
 * The statistics report (see report.h and docs/web-console.md).
 *
 * One "sys" line with the kernel's figures, one "proc" line per process,
 * then "end". Every value is a plain decimal number except the state,
 * which is a word, and the name, which comes last because it is the
 * guest's own text (argv[0]); anything in it outside printable ASCII is
 * sent as '?', so a name can never end a line early or look like a field.
 */
#include "report.h"

#include <stdint.h>
#include <stdio.h>

#include <parley/errors.h>
#include <parley/sys.h>

#define LINE_MAX_LENGTH 256

static const char *state_name(uint32_t state)
{
    switch (state) {
    case PROC_STATE_RUNNING:
        return "running";
    case PROC_STATE_BLOCKED:
        return "blocked";
    case PROC_STATE_ZOMBIE:
        return "zombie";
    }
    return "unknown";
}

/* Appends name to line (at most room bytes in all) with unprintable bytes as '?'. */
static size_t append_name(char *line, size_t length, size_t room, const char *name, size_t max)
{
    for (size_t i = 0; i < max && name[i] != '\0' && length + 1 < room; i++) {
        unsigned char c = (unsigned char)name[i];
        line[length++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    line[length] = '\0';
    return length;
}

static void report_process(void (*emit)(const char *, size_t), const struct proc_info *p)
{
    char line[LINE_MAX_LENGTH];
    int n = snprintf(line, sizeof(line),
                     "proc pid=%u parent=%u uid=%u state=%s threads=%u priority=%u pages=%lu "
                     "sent=%lu received=%lu name=",
                     (unsigned)p->pid, (unsigned)p->parent, (unsigned)p->uid, state_name(p->state),
                     (unsigned)p->threads, (unsigned)p->priority, (unsigned long)p->pages,
                     (unsigned long)p->messages_sent, (unsigned long)p->messages_received);
    if (n < 0 || (size_t)n >= sizeof(line))
        return;
    size_t length = append_name(line, (size_t)n, sizeof(line), p->name, sizeof(p->name));
    emit(line, length);
}

void report_write(void (*emit)(const char *line, size_t length))
{
    char line[LINE_MAX_LENGTH];
    struct sysinfo info;
    long err = sys_sysinfo(&info);
    if (err < 0) {
        int n = snprintf(line, sizeof(line), "error sysinfo %s", error_string((int)err));
        emit(line, (size_t)n);
    } else {
        int n = snprintf(line, sizeof(line),
                         "sys uptime_ns=%lu frames_total=%lu frames_free=%lu processes=%lu "
                         "threads=%lu kernel_allocations=%lu kernel_bytes=%lu tsc_hz=%lu "
                         "idle_tsc=%lu tsc=%lu",
                         (unsigned long)info.uptime_ns, (unsigned long)info.frames_total,
                         (unsigned long)info.frames_free, (unsigned long)info.processes,
                         (unsigned long)info.threads, (unsigned long)info.kernel_allocations,
                         (unsigned long)info.kernel_bytes, (unsigned long)info.tsc_hz,
                         (unsigned long)info.idle_tsc, (unsigned long)rdtsc());
        emit(line, (size_t)n);
    }
    struct proc_info p;
    uint64_t index = 0;
    while ((err = sys_proc_info(index++, &p)) == 0)
        report_process(emit, &p);
    if (err != -E_NOENT) {
        int n = snprintf(line, sizeof(line), "error proc_info %s", error_string((int)err));
        emit(line, (size_t)n);
    }
    emit("end", 3);
}
