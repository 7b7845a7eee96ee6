/*
 * Checked user copies (see usercopy.h and arch/usercopy.asm).
 */
#include "proc/usercopy.h"

#include <parley/errors.h>

#include "mm/aspace.h"
#include "proc/process.h"
#include "trap.h"

extern int user_copy(void *dst, const void *src, size_t length);
extern char user_copy_words[], user_copy_bytes[], user_copy_failed[];

int copy_from_user(void *dst, uint64_t user_src, size_t length)
{
    if (!user_range_ok(user_src, length))
        return -E_FAULT;
    return user_copy(dst, (const void *)user_src, length);
}

int copy_to_user(uint64_t user_dst, const void *src, size_t length)
{
    if (!user_range_ok(user_dst, length))
        return -E_FAULT;
    return user_copy((void *)user_dst, src, length);
}

long copy_string_from_user(char *dst, uint64_t user_src, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        int err = copy_from_user(&dst[i], user_src + i, 1);
        if (err < 0)
            return err;
        if (dst[i] == '\0')
            return (long)i;
    }
    return -E_RANGE;
}

int usercopy_handle_fault(struct trap_frame *frame, uint64_t addr)
{
    if (frame->rip != (uint64_t)user_copy_words && frame->rip != (uint64_t)user_copy_bytes)
        return 0;
    struct process *p = process_current();
    const char *why;
    if (p != NULL && addr < USER_TOP && aspace_fault(p->aspace, addr, frame->error, &why) == 0)
        return 1; /* a demand page: the copy resumes */
    frame->rip = (uint64_t)user_copy_failed;
    return 1;
}
