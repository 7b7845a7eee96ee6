; Copying to and from user memory.
;
; user_copy(dst, src, length) copies eight bytes at a time with
; `rep movsq`, then the last few with `rep movsb`. The page-fault handler
; knows the addresses of those two instructions: a fault at either is
; either a demand page it can map (the instruction then simply resumes,
; rep keeps its progress in rcx/rsi/rdi) or a bad user address, in which
; case it resumes at user_copy_failed, which returns -E_FAULT.
; Callers check beforehand that the user range lies in the user half, so
; a user pointer can never make the kernel read or write kernel memory.

bits 64
section .text

E_FAULT equ 3

global user_copy
global user_copy_words
global user_copy_bytes
global user_copy_failed
user_copy:
    mov rcx, rdx
    shr rcx, 3                      ; whole words
user_copy_words:
    rep movsq
    mov rcx, rdx
    and rcx, 7                      ; the bytes left over
user_copy_bytes:
    rep movsb
    xor eax, eax
    ret
user_copy_failed:
    mov eax, -E_FAULT
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
