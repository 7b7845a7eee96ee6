/*
 * Process handles (OBJECT_PROCESS): the capability to end one process,
 * or the whole resource group it leads (docs/syscalls.md, SYS_PROC_HANDLE
 * and SYS_PROC_END).
 *
 * A process gets one for a process it may end itself (process_may_end)
 * and can pass it on like any handle: init hands services' handles to
 * whoever its wiring names (`proc:NAME`), login keeps the one of each
 * shell it starts and ends the session with it at logout. A handle names
 * a pid, which is never reused, so it can never reach a later process;
 * one made for a group leader also keeps that group, so the group can be
 * ended after its leader is gone.
 */
#ifndef PROC_PROCCAP_H
#define PROC_PROCCAP_H

#include <stdint.h>

/* SYS_PROC_HANDLE: a handle for process pid, if the caller may end it. */
long proc_handle_make(uint64_t pid);

/* SYS_PROC_END: ends the handle's process, or with PROC_END_GROUP every process of its group. */
long proc_end(uint64_t handle, uint64_t flags);

#endif
