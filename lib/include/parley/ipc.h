/*
 * The IPC ABI, shared by the kernel and the user library.
 *
 * Parley's IPC is rendezvous: a sender and a receiver meet at an
 * endpoint and the kernel moves the message straight from one to the
 * other, never buffering it. A message is a tag and four data words,
 * which travel in registers, plus optionally up to IPC_MAX_HANDLES
 * handles and one memory region, described by a struct ipc_extra in the
 * caller's memory. docs/ipc.md explains the semantics.
 *
 * Register use for the SYS_IPC_* calls (in addition to rax = number):
 *   in:  rdi = endpoint handle; for SYS_IPC_REPLY: 0 = answer the call this
 *              thread received last, or a saved reply handle (SYS_REPLY_SAVE)
 *        rsi = tag, rdx r10 r8 r9 = data words 0-3
 *        r12 = timeout in ns (IPC_POLL: never block, IPC_FOREVER: no limit)
 *        r13 = struct ipc_extra * or 0
 *   out: rax = 0 or a negative error
 *        after a receive (SYS_IPC_RECEIVE, CALL, REPLY_RECEIVE):
 *        rsi = tag, rdx r10 r8 r9 = words,
 *        rdi = the sender's pid | the badge of its handle << 32
 *        and, if r13 was given, its recv_* fields filled in.
 */
#ifndef PARLEY_IPC_H
#define PARLEY_IPC_H

#include <stdint.h>

/* Rights carried by a handle. A duplicate may only have fewer. */
#define RIGHT_SEND (1u << 0)      /* send and call on an endpoint */
#define RIGHT_RECEIVE (1u << 1)   /* receive on an endpoint */
#define RIGHT_DUPLICATE (1u << 2) /* make another handle to the same object */
#define RIGHT_TRANSFER (1u << 3)  /* pass it to another process (message or spawn) */
#define RIGHT_USE (1u << 4)       /* use a hardware or trace capability */
#define RIGHTS_ALL 0x1Fu

/* Kernel object types, as SYS_HANDLE_INFO reports them. */
#define OBJECT_ENDPOINT 1
#define OBJECT_IOPORTS 2 /* a range of I/O ports */
#define OBJECT_IRQ 3     /* an interrupt line (or the root: all lines) */
#define OBJECT_PHYS 4    /* a physical range to map (or the root: all memory) */
#define OBJECT_DMA 5     /* allowance to allocate DMA memory */
#define OBJECT_TRACE 6   /* may switch the IPC trace on and off */
#define OBJECT_REPLY 7   /* a saved reply right (SYS_REPLY_SAVE), used once */
#define OBJECT_PROCESS 8 /* may end a process, or the group it leads (SYS_PROC_END) */

/* init's handles at boot: the root capabilities. */
#define INIT_HANDLE_TRACE 1
#define INIT_HANDLE_IOPORTS 2 /* all I/O ports */
#define INIT_HANDLE_IRQ 3     /* all interrupt lines */
#define INIT_HANDLE_PHYS 4    /* all physical memory */
#define INIT_HANDLE_DMA 5     /* unlimited DMA allocation */

#define IPC_MAX_HANDLES 4
#define IPC_POLL 0ull
#define IPC_FOREVER UINT64_MAX

/* send_flags: bit i set = copy send_handles[i] (needs RIGHT_DUPLICATE) instead of moving it. */
#define IPC_COPY_HANDLE(i) (1u << (i))

/* Tags at or above this are the kernel's own (notifications). */
#define IPC_TAG_KERNEL 0xFFFF0000u
#define IPC_TAG_NOTIFY 0xFFFF0001u /* w0 = the bits that were signalled */
/* The last handle carrying a badge was closed (or its process ended): badge and w0 = the badge. */
#define IPC_TAG_CLOSED 0xFFFF0002u

struct ipc_extra {
    /* What to send with the message. */
    uint32_t send_handles[IPC_MAX_HANDLES];
    uint32_t send_count;
    uint32_t send_flags;
    uint64_t send_mem;        /* start of a region from SYS_VM_RESERVE, moved whole; 0 = none */
    uint64_t send_mem_length; /* its length (as reserved) */
    /*
     * The longest region this operation's receive takes, in bytes (0 = any
     * length). A message with a longer one is refused: its sender gets
     * -E_RANGE and nothing moves. Read by every operation that receives.
     */
    uint64_t recv_mem_max;
    /* What came with the received message (filled in by the kernel). */
    uint32_t recv_handles[IPC_MAX_HANDLES];
    uint32_t recv_count;
    uint32_t reserved;
    uint64_t recv_mem; /* where the received region now lies; 0 = none */
    uint64_t recv_mem_length;
};

#endif
