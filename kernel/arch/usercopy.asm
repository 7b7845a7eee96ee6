; Copying to and from user memory.
;
; user_copy(dst, src, length) is a plain `rep movsb`. The page-fault
; handler knows the address of that one instruction: a fault there is
; either a demand page it can map (the instruction then simply resumes,
; rep movsb keeps its progress in rcx/rsi/rdi) or a bad user address, in
; which case it resumes at user_copy_failed, which returns -E_FAULT.
; Callers check beforehand that the user range lies in the user half, so
; a user pointer can never make the kernel read or write kernel memory.

bits 64
section .text

E_FAULT equ 3

global user_copy
global user_copy_instruction
global user_copy_failed
user_copy:
    mov rcx, rdx
user_copy_instruction:
    rep movsb
    xor eax, eax
    ret
user_copy_failed:
    mov eax, -E_FAULT
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
