; Kernel entry: from GRUB's 32-bit protected mode to C in the higher half.
;
; GRUB (multiboot2) jumps here with paging off, eax = the multiboot2 magic
; and ebx = the physical address of the boot information. We check both
; the magic and that the CPU has long mode, build page tables that map the
; first 1 GiB three times (identity, at the direct-map base and at the
; kernel base), turn on PAE, long mode and no-execute, load a minimal GDT,
; and jump to kernel_main(magic, info, entry_tsc) in the top 2 GiB.
; vm.c then replaces these tables with the real kernel ones.

bits 32

MB2_MAGIC       equ 0xE85250D6      ; multiboot2 header magic
MB2_LOADER      equ 0x36D76289      ; what the loader leaves in eax
KERNEL_VMA      equ 0xFFFFFFFF80000000
PAGE_PRESENT    equ 1 << 0
PAGE_WRITE      equ 1 << 1
PAGE_HUGE       equ 1 << 7           ; 2 MiB page in a page directory

section .multiboot2
align 8
mb2_header:
    dd MB2_MAGIC
    dd 0                            ; architecture: i386 protected mode
    dd mb2_header_end - mb2_header
    dd -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
    dw 6, 0                         ; module alignment tag: modules start
    dd 8                            ; on page boundaries (init maps them)
    dw 0, 0                         ; end tag
    dd 8
mb2_header_end:

section .boot.bss nobits
align 4096
boot_pml4:      resb 4096
boot_pdpt_low:  resb 4096           ; PML4[0] and PML4[256]
boot_pdpt_high: resb 4096           ; PML4[511]
boot_pd:        resb 4096           ; 512 x 2 MiB = the first 1 GiB
boot_stack:     resb 4096
boot_stack_top:

section .boot.data
align 8
boot_entry_tsc: dq 0
boot_gdt:
    dq 0
    dq 0x00AF9A000000FFFF           ; 0x08: 64-bit ring-0 code
    dq 0x00CF92000000FFFF           ; 0x10: ring-0 data
boot_gdt_ptr:
    dw boot_gdt_ptr - boot_gdt - 1
    dd boot_gdt
boot_no_mb2:    db "Parley: not loaded by a multiboot2 loader", 0
boot_no_lm:     db "Parley: this CPU has no 64-bit long mode", 0

section .boot.text
global boot_entry
boot_entry:
    cli
    mov esp, boot_stack_top
    mov edi, eax                    ; keep magic and info pointer safe:
    mov esi, ebx                    ; rdtsc and cpuid clobber eax..edx
    rdtsc                           ; first thing: the boot benchmark's start
    mov [boot_entry_tsc], eax
    mov [boot_entry_tsc + 4], edx

    mov ebx, boot_no_mb2
    cmp edi, MB2_LOADER
    jne boot_fail

    mov ebx, boot_no_lm
    mov eax, 0x80000000             ; is extended cpuid leaf 0x80000001 there?
    cpuid
    cmp eax, 0x80000001
    jb boot_fail
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29               ; LM bit
    jz boot_fail

    ; Page directory: 512 huge pages covering physical 0 .. 1 GiB.
    mov ecx, 0
.fill_pd:
    mov eax, ecx
    shl eax, 21
    or eax, PAGE_PRESENT | PAGE_WRITE | PAGE_HUGE
    mov [boot_pd + ecx * 8], eax
    mov dword [boot_pd + ecx * 8 + 4], 0
    inc ecx
    cmp ecx, 512
    jne .fill_pd

    mov eax, boot_pd
    or eax, PAGE_PRESENT | PAGE_WRITE
    mov [boot_pdpt_low], eax            ; 0 .. 1 GiB
    mov [boot_pdpt_high + 510 * 8], eax ; KERNEL_VMA .. +1 GiB
    mov eax, boot_pdpt_low
    or eax, PAGE_PRESENT | PAGE_WRITE
    mov [boot_pml4], eax                ; identity, for the next few instructions
    mov [boot_pml4 + 256 * 8], eax      ; the direct map base 0xFFFF800000000000
    mov eax, boot_pdpt_high
    or eax, PAGE_PRESENT | PAGE_WRITE
    mov [boot_pml4 + 511 * 8], eax

    mov eax, boot_pml4
    mov cr3, eax
    mov eax, cr4
    or eax, 1 << 5                  ; PAE
    mov cr4, eax
    mov ecx, 0xC0000080             ; EFER
    rdmsr
    or eax, (1 << 8) | (1 << 11)    ; LME (long mode) | NXE (no-execute bit)
    wrmsr
    mov eax, cr0
    or eax, (1 << 31) | (1 << 16)   ; PG | WP (ring 0 honours read-only pages)
    mov cr0, eax

    lgdt [boot_gdt_ptr]
    jmp 0x08:boot_long_mode

; Prints the NUL-terminated message at ebx on the screen and COM1, then stops.
boot_fail:
    mov edi, 0xB8000
.char:
    mov al, [ebx]
    test al, al
    jz .halt
    mov ah, 0x4F                    ; white on red
    mov [edi], ax
    add edi, 2
    mov dx, 0x3F8
    out dx, al
    inc ebx
    jmp .char
.halt:
    hlt
    jmp .halt

bits 64
boot_long_mode:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor ax, ax
    mov fs, ax
    mov gs, ax
    mov rax, higher_half
    jmp rax

section .text
extern kernel_main
higher_half:
    mov rsp, kernel_boot_stack_top
    xor ebp, ebp
    mov edi, edi                    ; magic (zero-extends)
    mov esi, esi                    ; boot information, physical
    mov rdx, [abs boot_entry_tsc]
    call kernel_main
.hang:
    cli
    hlt
    jmp .hang

section .bss
align 16
global kernel_boot_stack_top
kernel_boot_stack: resb 16384
kernel_boot_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
