/*
 * Checked copies between the kernel and the current process's memory.
 * Every pointer and length that comes from user space goes through these:
 * a range outside the user half, or a page the process may not access,
 * gives -E_FAULT instead of a kernel fault.
 */
#ifndef PROC_USERCOPY_H
#define PROC_USERCOPY_H

#include <stddef.h>
#include <stdint.h>

struct trap_frame;

int copy_from_user(void *dst, uint64_t user_src, size_t length);
int copy_to_user(uint64_t user_dst, const void *src, size_t length);

/*
 * Copies a NUL-terminated string of at most max-1 characters; returns its
 * length, -E_FAULT, or -E_RANGE if no NUL came within max bytes.
 */
long copy_string_from_user(char *dst, uint64_t user_src, size_t max);

/* Page-fault hook: true if the fault was inside user_copy and has been dealt with. */
int usercopy_handle_fault(struct trap_frame *frame, uint64_t addr);

#endif
