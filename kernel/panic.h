/*
 * Fatal kernel errors. panic() reports on serial and on the screen, with
 * a register dump, then halts; in test mode it ends QEMU with a failure
 * status instead (see ktest.h).
 */
#ifndef PANIC_H
#define PANIC_H

struct trap_frame;

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
__attribute__((noreturn, format(printf, 2, 3))) void
panic_with_frame(const struct trap_frame *frame, const char *fmt, ...);

#endif
