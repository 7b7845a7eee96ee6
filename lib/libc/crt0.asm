; The entry point of every Parley user program.
;
; The kernel starts the first thread at _start with rsp 16-byte aligned and
; pointing at the SysV-style start block:
;
;     rsp + 0         argc
;     rsp + 8         argv[0] ... argv[argc - 1], then NULL
;     after that      envp[0] ... , then NULL
;
; Nothing else needs setting up (the C library initialises itself on first
; use), so this only records envp as `environ` (for getenv, lib/libc/env.c)
; and argv[0] as `libc_program` (for the library's own messages, such as
; exit's report of lost output), hands the three values to main and passes
; main's result to exit, which flushes stdout and ends the process.

bits 64
default rel

section .text
global _start
extern main
extern exit
extern environ
extern libc_program

_start:
    xor ebp, ebp                ; a zero frame pointer ends every stack walk here
    mov rdi, [rsp]              ; argc
    lea rsi, [rsp + 8]          ; argv
    lea rdx, [rsi + rdi*8 + 8]  ; envp: just past argv's NULL
    mov [rel environ], rdx      ; the environment getenv reads
    mov rax, [rsi]              ; argv[0], or NULL when argc is 0
    mov [rel libc_program], rax
    ; rsp is still 16-byte aligned here, as the ABI requires before a call.
    call main
    mov edi, eax                ; main's return value is the exit status
    call exit
    ud2                         ; exit does not return

; Tells the linker this object does not need an executable stack.
section .note.GNU-stack noalloc noexec nowrite progbits
