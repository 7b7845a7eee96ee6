/*
 * A minimal assertion helper for the host unit tests. CHECK(expr) counts a
 * check and, when expr is false, prints where and what failed and keeps
 * going, so one run reports every broken case. CHECKF adds a printf-style
 * note for checks inside loops, where the line alone does not say which
 * case failed. check_finish() prints the summary line and gives main its
 * exit status.
 */
#ifndef TESTS_UNIT_CHECK_H
#define TESTS_UNIT_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static unsigned long check_count;
static unsigned long check_failed;

static inline bool check_record(bool ok, const char *expr, const char *file, int line)
{
    check_count++;
    if (!ok) {
        check_failed++;
        fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, expr);
    }
    return ok;
}

__attribute__((format(printf, 5, 6))) static inline bool
check_record_note(bool ok, const char *expr, const char *file, int line, const char *fmt, ...)
{
    if (!check_record(ok, expr, file, line)) {
        va_list ap;
        va_start(ap, fmt);
        fputs("    note: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
    }
    return ok;
}

#define CHECK(expr) check_record((expr) != 0, #expr, __FILE__, __LINE__)
#define CHECKF(expr, ...) check_record_note((expr) != 0, #expr, __FILE__, __LINE__, __VA_ARGS__)

/* Prints "name: N checks, M failed" and returns the exit status for main. */
static inline int check_finish(const char *name)
{
    printf("%s: %lu checks, %lu failed\n", name, check_count, check_failed);
    return check_failed == 0 ? 0 : 1;
}

#endif
