; Thread switch.
;
; context_switch(save, load) saves the callee-saved registers on the
; current kernel stack, stores rsp into *save, loads `load` as the new
; rsp and pops the new thread's registers; its `ret` continues wherever
; that thread last called context_switch (or, for a new thread, at
; thread_start_user). Caller-saved registers need no saving: the C
; caller already assumes they are clobbered.

bits 64
section .text

extern isr_return
extern sched_finish_switch

global context_switch
context_switch:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp
    mov rsp, rsi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

; First code a new user thread runs: finish the scheduler's bookkeeping,
; then leave through the trap frame that thread_create_user built.
global thread_start_user
thread_start_user:
    call sched_finish_switch
    jmp isr_return

section .note.GNU-stack noalloc noexec nowrite progbits
