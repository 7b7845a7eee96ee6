/*
 * Reading the kernel command line handed over by the boot loader, such as
 * "console=serial trace=ipc,sched test". Tokens are separated by spaces;
 * a token is either "key" or "key=value", and when a key repeats the last
 * occurrence wins, so a boot menu can append overrides to a default line.
 *
 * Keys match whole token names only: "test" does not match "testing=1" or
 * "mytest". A NULL command line is treated as empty.
 */
#ifndef KERNEL_LIB_CMDLINE_H
#define KERNEL_LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Returns true if key is present and copies its value ("" for a bare key)
 * into out, truncated to outsz - 1 bytes and NUL-terminated. out may be
 * NULL when outsz is 0.
 */
bool cmdline_get(const char *cmdline, const char *key, char *out, size_t outsz);

/* Returns true if key is present, with or without a value. */
bool cmdline_has(const char *cmdline, const char *key);

/*
 * Returns true if key's value is a comma-separated list that contains item
 * as a whole element: ("trace=ipc,sched", "trace", "sched") is true,
 * ("trace=ipc,sched", "trace", "sch") is false.
 */
bool cmdline_has_value(const char *cmdline, const char *key, const char *item);

#endif
