; The system-call entry (LSTAR points here).
;
; `syscall` leaves the user rip in rcx and rflags in r11, masks rflags
; with FMASK (so interrupts are off) and does not switch stacks. We swap
; to the kernel GS, park the user rsp, load this thread's kernel stack and
; build the same struct trap_frame an interrupt would, so the C side sees
; one frame layout for both. The result goes back in the frame's rax and
; we return with sysret, which reloads rip from rcx and rflags from r11.

bits 64

%include "arch/frame.inc"

section .text

extern syscall_dispatch

USER_CS equ 0x23
USER_SS equ 0x1B

global syscall_entry
syscall_entry:
    swapgs
    mov [gs:8], rsp                 ; percpu.user_rsp
    mov rsp, [gs:0]                 ; percpu.kernel_rsp
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

section .note.GNU-stack noalloc noexec nowrite progbits
