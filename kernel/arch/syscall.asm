; The system-call entry (LSTAR points here).
;
; `syscall` leaves the user rip in rcx and rflags in r11, masks rflags
; with FMASK (so interrupts are off) and does not switch stacks. We swap
; to the kernel GS, park the user rsp and load this thread's kernel stack.
;
; The general path builds the same struct trap_frame an interrupt would,
; so the C side sees one frame layout for both; the result goes back in
; the frame's rax and we return with sysret, which reloads rip from rcx
; and rflags from r11.
;
; A call or reply-receive first tries the IPC fast path (ipc/fastpath.c)
; with only the message registers and what sysret needs saved (struct
; fast_frame). The C function either says FASTPATH_SLOW, having changed
; nothing (the registers go back as they came and the general path
; runs), or it has blocked this thread and made another one current.
; Then we leave this stack as context_switch (sched/switch.asm) would:
; the user's callee-saved registers and a return address pushed below the
; fast frame, rsp stored in the thread. The other thread's stack is then
; loaded and "returned" into, also as context_switch does: either it
; blocked here too, and returns into fast_resume_ready (its frame already
; holds its result) or fast_resume (a waker on the general path left the
; result in the thread), or it blocked on the general path and returns
; into its C caller.
;
; Every register but the results comes back to ring 3 as the user left
; it: the fast path reloads the caller-saved ones from its frame, and the
; callee-saved ones go through C (which keeps them) and the switch frame.

bits 64

%include "arch/frame.inc"

section .text

extern syscall_dispatch
extern fastpath_call
extern fastpath_reply_receive
extern fastpath_resume
extern sched_finish_switch

USER_CS equ 0x23
USER_SS equ 0x1B
SYS_IPC_CALL equ 16                 ; parley/syscall.h
SYS_IPC_REPLY_RECEIVE equ 18
FASTPATH_SLOW equ 1                 ; ipc/fastpath.h

global syscall_entry
syscall_entry:
    swapgs
    mov [gs:8], rsp                 ; percpu.user_rsp
    mov rsp, [gs:0]                 ; percpu.kernel_rsp
    cmp rax, SYS_IPC_CALL
    je .fast_call
    cmp rax, SYS_IPC_REPLY_RECEIVE
    je .fast_reply_receive
.general:
    push qword USER_SS
    push qword [gs:8]
    push r11                        ; user rflags
    push qword USER_CS
    push rcx                        ; user rip
    push qword 0                    ; error code slot
    push qword 0x100                ; "vector" 256: marks a syscall frame
    PUSH_GENERAL_REGISTERS
    mov rdi, rsp
    call syscall_dispatch
    POP_GENERAL_REGISTERS
    mov rcx, [rsp + 16]             ; rip (the frame may have been changed)
    mov r11, [rsp + 32]             ; rflags
    mov rsp, [rsp + 40]             ; user rsp
    swapgs
    o64 sysret

; struct fast_frame, lowest address first: rdi rsi rdx r10 r8 r9 r12 r13
; rip rflags rsp rax.
%macro PUSH_FAST_FRAME 0
    push rax
    push qword [gs:8]               ; user rsp: [gs:8] is overwritten once we block
    push r11
    push rcx
    push r13
    push r12
    push r9
    push r8
    push r10
    push rdx
    push rsi
    push rdi
%endmacro

; Back to the registers of the frame, up to its user rsp (rcx: rip, r11: rflags).
%macro POP_FAST_REGISTERS 0
    pop rdi
    pop rsi
    pop rdx
    pop r10
    pop r8
    pop r9
    pop r12
    pop r13
    pop rcx
    pop r11
%endmacro

.fast_call:
    PUSH_FAST_FRAME
    mov rdi, rsp
    call fastpath_call
    jmp .fast_switch
.fast_reply_receive:
    PUSH_FAST_FRAME
    mov rdi, rsp
    call fastpath_reply_receive
.fast_switch:                       ; rax = next thread's stack, rdx = where ours goes
    cmp rax, FASTPATH_SLOW
    je .fast_slow
    push qword fast_resume          ; our return address when we are switched back to
    push rbp                        ; the order context_switch pushes
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdx], rsp
    mov rsp, rax
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret
.fast_slow:                         ; nothing happened: back to the registers we came with
    POP_FAST_REGISTERS
    add rsp, 8                      ; the user rsp, still in [gs:8]: nothing blocked
    pop rax                         ; the call number
    jmp .general

; A thread that blocked in the fast path, switched back to by the general
; path: the result is in its struct thread, fastpath_resume puts it in
; the frame.
global fast_resume
fast_resume:
    call sched_finish_switch        ; as every switched-to thread does
    mov rdi, rsp
    call fastpath_resume
; Its frame holds its result: back to ring 3.
global fast_resume_ready
fast_resume_ready:
    POP_FAST_REGISTERS
    mov rax, [rsp + 8]              ; the result
    mov rsp, [rsp]                  ; user rsp
    swapgs
    o64 sysret

section .note.GNU-stack noalloc noexec nowrite progbits
