; Interrupt and exception entry stubs, one per vector.
;
; The CPU pushes ss, rsp, rflags, cs, rip and, for some exceptions, an
; error code. Each stub makes the frame uniform (a zero error code where
; the CPU pushes none), pushes its vector number and jumps to the common
; path, which saves the general registers as a struct trap_frame
; (kernel/trap.h), calls trap_dispatch(frame) and restores everything.
; When the interrupted code was ring 3 we also swap GS so the kernel's
; per-CPU area is in GS while we run.

bits 64

%include "arch/frame.inc"

section .text

extern trap_dispatch

; Vectors whose exceptions push an error code get no zero placeholder.
%assign v 0
%rep 256
isr_%[v]:
%if v <> 8 && v <> 10 && v <> 11 && v <> 12 && v <> 13 && v <> 14 && v <> 17 && v <> 21 && v <> 29 && v <> 30
    push qword 0
%endif
    push qword v
    jmp isr_common
%assign v v + 1
%endrep

isr_common:
    test qword [rsp + 24], 3        ; cs of the interrupted code: ring 3?
    jz .from_kernel_entry
    swapgs
.from_kernel_entry:
    PUSH_GENERAL_REGISTERS
    cld                             ; the C ABI expects the direction flag clear
    mov rdi, rsp
    call trap_dispatch
global isr_return
isr_return:
    POP_GENERAL_REGISTERS
    test qword [rsp + 24], 3
    jz .to_kernel
    swapgs
.to_kernel:
    add rsp, 16                     ; vector and error code
    iretq

section .rodata
global isr_stub_table
isr_stub_table:
%assign v 0
%rep 256
    dq isr_%[v]
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
