/*
 * libFuzzer target for the ELF parser. Each input is a whole file. The
 * sanitizers catch reads outside it; this file checks the other half of
 * the contract: whenever elf_parse() accepts an input, the image it
 * returns obeys every rule the kernel's mapper relies on, re-derived here
 * independently of elf.c. A failure must carry a reason and one of the
 * two documented error codes.
 *
 * Built by tests/fuzz/CMakeLists.txt with clang, against the host C
 * library's memcpy and friends.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <parley/errors.h>

#include "proc/elf.h"

#define USER_LIMIT 0x800000000000ULL
#define PAGE 4096

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "elf_fuzz: accepted image breaks a rule: %s\n", what);
        abort();
    }
}

static void check_segment(const struct elf_segment *s, uint64_t file_size)
{
    require(s->memsz > 0 && s->memsz <= (1ULL << 30), "memsz in 1..1 GiB");
    require(s->filesz <= s->memsz, "filesz <= memsz");
    require(s->offset <= file_size && s->filesz <= file_size - s->offset, "data inside file");
    require(s->vaddr >= ELF_USER_MIN, "vaddr >= ELF_USER_MIN");
    require(s->vaddr <= USER_LIMIT && s->memsz <= USER_LIMIT - s->vaddr, "end <= user limit");
    require(s->vaddr % PAGE == s->offset % PAGE, "vaddr and offset congruent");
    require((s->flags & ~7u) == 0, "only R/W/X flags");
    require(!((s->flags & ELF_SEGMENT_WRITE) && (s->flags & ELF_SEGMENT_EXEC)), "W^X");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image img;
    int r = elf_parse(data, size, size, USER_LIMIT, &img);

    if (r != 0) {
        require(r == -E_NOEXEC || r == -E_INVAL, "error is -E_NOEXEC or -E_INVAL");
        require(img.reason != NULL && img.segment_count == 0, "failure has a reason");
        return 0;
    }
    require(img.reason == NULL, "success has no reason");
    require(img.segment_count >= 1 && img.segment_count <= ELF_MAX_SEGMENTS, "segment count");

    int entry_ok = 0;
    for (size_t i = 0; i < img.segment_count; i++) {
        const struct elf_segment *a = &img.segments[i];
        check_segment(a, size);
        if ((a->flags & ELF_SEGMENT_EXEC) && img.entry >= a->vaddr &&
            img.entry < a->vaddr + a->memsz)
            entry_ok = 1;
        /* Whole pages [first, end) must be disjoint. */
        uint64_t a_first = a->vaddr & ~(uint64_t)(PAGE - 1);
        uint64_t a_end = (a->vaddr + a->memsz + PAGE - 1) & ~(uint64_t)(PAGE - 1);
        for (size_t j = 0; j < i; j++) {
            const struct elf_segment *b = &img.segments[j];
            uint64_t b_first = b->vaddr & ~(uint64_t)(PAGE - 1);
            uint64_t b_end = (b->vaddr + b->memsz + PAGE - 1) & ~(uint64_t)(PAGE - 1);
            require(a_end <= b_first || b_end <= a_first, "segments on separate pages");
        }
    }
    require(entry_ok, "entry inside an executable segment");
    return 0;
}
