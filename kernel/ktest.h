/*
 * Built-in kernel tests, selected with test=NAME on the command line.
 *
 * They exercise code that only runs on the real machine (page faults,
 * the frame allocator on the real memory map). Results are reported on
 * serial as "test: NAME pass" or "test: NAME fail: why", and QEMU exits
 * through the isa-debug-exit device at port 0xf4: 0x10 for pass (QEMU
 * status 33), 0x11 for fail or panic (status 35).
 */
#ifndef KTEST_H
#define KTEST_H

#include <stdbool.h>

#define KTEST_EXIT_PASS 0x10
#define KTEST_EXIT_FAIL 0x11

/* Remembers the command line; test mode is on when it has test=NAME. */
void ktest_configure(const char *cmdline);
bool ktest_mode(void);

/* Runs the selected test and exits QEMU; returns if no test was selected. */
void ktest_run(void);

/* Called by panic(): in test mode, exits QEMU with the failure status. */
void ktest_exit_on_panic(void);

#endif
