/*
 * snprintf and vsnprintf: thin wrappers over kvsnprintf, the printf engine
 * in lib/common/format.c that the kernel's log uses too, so user programs
 * and the kernel format alike and there is one engine to test and fix.
 * Writing to standard output is stdout.c's job.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "common/format.h"

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
    return kvsnprintf(buf, size, fmt, ap);
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
