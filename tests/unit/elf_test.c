/*
 * Checks the ELF parser against images built here byte by byte. The
 * builder writes fields at the offsets the ELF64 specification gives
 * rather than through the parser's own structs, so a layout mistake in
 * elf.c cannot hide behind the same mistake in the test.
 *
 * Every image is copied into a heap block of exactly the size handed to
 * elf_parse(), so AddressSanitizer catches any read past `available`.
 * Covered: a valid image with ignored non-load headers; every header
 * field that decides -E_NOEXEC or -E_INVAL; each segment rule both ways,
 * at its exact boundary where it has one; the entry point; truncation at
 * every length; and the host's own /bin/true, which must be refused.
 */
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#include "check.h"
#include "proc/elf.h"

#define USER_LIMIT 0x800000000000ULL
#define GIB (1ULL << 30)

/* ELF64 header field offsets (System V ABI, "ELF Header"). */
#define EH_TYPE 16
#define EH_MACHINE 18
#define EH_VERSION 20
#define EH_ENTRY 24
#define EH_PHOFF 32
#define EH_EHSIZE 52
#define EH_PHENTSIZE 54
#define EH_PHNUM 56
#define EH_SIZE 64
/* Program header field offsets and size. */
#define PH_TYPE 0
#define PH_FLAGS 4
#define PH_OFFSET 8
#define PH_VADDR 16
#define PH_FILESZ 32
#define PH_MEMSZ 40
#define PH_ALIGN 48
#define PH_SIZE 56

#define PT_NULL 0
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_GNU_STACK 0x6474e551
#define R ELF_SEGMENT_READ
#define W ELF_SEGMENT_WRITE
#define X ELF_SEGMENT_EXEC

struct test_phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t filesz;
    uint64_t memsz;
};

static unsigned char image[EH_SIZE + 64 * PH_SIZE + 256];

static void put(unsigned char *p, uint64_t value, int width)
{
    for (int i = 0; i < width; i++)
        p[i] = (unsigned char)(value >> (8 * i));
}

/* Writes a valid header and the program headers at phoff; returns the
 * number of bytes that hold both. */
static size_t build(uint64_t entry, const struct test_phdr *ph, size_t n, uint64_t phoff)
{
    static const unsigned char ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1};

    memset(image, 0, sizeof(image));
    memcpy(image, ident, sizeof(ident));
    put(image + EH_TYPE, 2, 2);
    put(image + EH_MACHINE, 62, 2);
    put(image + EH_VERSION, 1, 4);
    put(image + EH_ENTRY, entry, 8);
    put(image + EH_PHOFF, phoff, 8);
    put(image + EH_EHSIZE, EH_SIZE, 2);
    put(image + EH_PHENTSIZE, PH_SIZE, 2);
    put(image + EH_PHNUM, n, 2);
    for (size_t i = 0; i < n; i++) {
        unsigned char *p = image + phoff + i * PH_SIZE;
        put(p + PH_TYPE, ph[i].type, 4);
        put(p + PH_FLAGS, ph[i].flags, 4);
        put(p + PH_OFFSET, ph[i].offset, 8);
        put(p + PH_VADDR, ph[i].vaddr, 8);
        put(p + PH_FILESZ, ph[i].filesz, 8);
        put(p + PH_MEMSZ, ph[i].memsz, 8);
        put(p + PH_ALIGN, 0x1000, 8);
    }
    return phoff + n * PH_SIZE;
}

/* Parses the first `available` bytes of image from an exact-size copy. */
static int parse(size_t available, uint64_t file_size, uint64_t limit, struct elf_image *out)
{
    unsigned char *copy = malloc(available ? available : 1);

    memcpy(copy, image, available);
    int r = elf_parse(copy, available, file_size, limit, out);
    free(copy);
    return r;
}

/* A failure must come with a reason and leave no segments behind. */
static bool failed_cleanly(const struct elf_image *img)
{
    return img->reason != NULL && img->reason[0] != '\0' && img->segment_count == 0;
}

/* The standard image: text, data with bss, and two headers to ignore. */
#define FILE_SIZE 0x2100
static const struct test_phdr standard[] = {
    {PT_NOTE, R, 0x200, 0x400200, 0x20, 0x20},
    {PT_LOAD, R | X, 0, 0x400000, 0x1800, 0x1800},
    {PT_LOAD, R | W, 0x2000, 0x402000, 0x100, 0x3000},
    {PT_GNU_STACK, R | W, 0, 0, 0, 0},
};
#define STANDARD_ENTRY 0x400100

static void check_valid_image(void)
{
    struct elf_image img;
    size_t len = build(STANDARD_ENTRY, standard, 4, EH_SIZE);

    CHECK(parse(len, FILE_SIZE, USER_LIMIT, &img) == 0);
    CHECK(img.entry == STANDARD_ENTRY);
    CHECK(img.reason == NULL && img.reason_header == -1);
    CHECK(img.segment_count == 2);
    CHECK(img.segments[0].vaddr == 0x400000 && img.segments[0].memsz == 0x1800);
    CHECK(img.segments[0].offset == 0 && img.segments[0].filesz == 0x1800);
    CHECK(img.segments[0].flags == (R | X));
    CHECK(img.segments[1].vaddr == 0x402000 && img.segments[1].memsz == 0x3000);
    CHECK(img.segments[1].offset == 0x2000 && img.segments[1].filesz == 0x100);
    CHECK(img.segments[1].flags == (R | W));

    /* Program headers need not follow the ELF header directly. */
    len = build(STANDARD_ENTRY, standard, 4, 0x100);
    CHECK(parse(len, FILE_SIZE, USER_LIMIT, &img) == 0 && img.segment_count == 2);

    /* A bad image after a good one must not keep the good one's data. */
    len = build(0x402000, standard, 4, EH_SIZE);
    CHECK(parse(len, FILE_SIZE, USER_LIMIT, &img) == -E_INVAL && failed_cleanly(&img));
    CHECK(img.entry == 0 && img.reason_header == -1);

    /* available may not exceed the file it claims to be a prefix of. */
    len = build(STANDARD_ENTRY, standard, 4, EH_SIZE);
    CHECK(parse(len, len - 1, USER_LIMIT, &img) == -E_INVAL && failed_cleanly(&img));
}

/* One header field overwritten in the standard image. */
struct header_case {
    const char *what;
    size_t at;
    int width;
    uint64_t value;
    int expect;
};

static const struct header_case header_cases[] = {
    {"magic byte 0", 0, 1, 0x7e, -E_NOEXEC},
    {"magic byte 1", 1, 1, 'e', -E_NOEXEC},
    {"magic byte 2", 2, 1, 'l', -E_NOEXEC},
    {"magic byte 3", 3, 1, 'G', -E_NOEXEC},
    {"ELFCLASS32", 4, 1, 1, -E_NOEXEC},
    {"ELFCLASSNONE", 4, 1, 0, -E_NOEXEC},
    {"big-endian", 5, 1, 2, -E_NOEXEC},
    {"ident version 0", 6, 1, 0, -E_NOEXEC},
    {"ident version 2", 6, 1, 2, -E_NOEXEC},
    {"ET_REL", EH_TYPE, 2, 1, -E_NOEXEC},
    {"ET_DYN", EH_TYPE, 2, 3, -E_NOEXEC},
    {"ET_CORE", EH_TYPE, 2, 4, -E_NOEXEC},
    {"EM_386", EH_MACHINE, 2, 3, -E_NOEXEC},
    {"EM_AARCH64", EH_MACHINE, 2, 183, -E_NOEXEC},
    {"e_version 0", EH_VERSION, 4, 0, -E_NOEXEC},
    {"e_ehsize 52", EH_EHSIZE, 2, 52, -E_INVAL},
    {"e_phentsize 32", EH_PHENTSIZE, 2, 32, -E_INVAL},
    {"e_phentsize 64", EH_PHENTSIZE, 2, 64, -E_INVAL},
    {"e_phnum 0", EH_PHNUM, 2, 0, -E_INVAL},
    {"e_phnum 65", EH_PHNUM, 2, 65, -E_INVAL},
    {"e_phnum PN_XNUM", EH_PHNUM, 2, 0xffff, -E_INVAL},
    {"e_phnum 5, one past the data", EH_PHNUM, 2, 5, -E_INVAL},
    {"e_phoff one byte late", EH_PHOFF, 8, EH_SIZE + 1, -E_INVAL},
    {"e_phoff past the data", EH_PHOFF, 8, 0x10000, -E_INVAL},
    {"e_phoff wraps", EH_PHOFF, 8, UINT64_MAX - 8, -E_INVAL},
};

static void check_header_fields(void)
{
    for (size_t i = 0; i < sizeof(header_cases) / sizeof(header_cases[0]); i++) {
        const struct header_case *c = &header_cases[i];
        struct elf_image img;
        size_t len = build(STANDARD_ENTRY, standard, 4, EH_SIZE);

        put(image + c->at, c->value, c->width);
        int r = parse(len, FILE_SIZE, USER_LIMIT, &img);
        CHECKF(r == c->expect, "%s: got %d, want %d", c->what, r, c->expect);
        CHECKF(failed_cleanly(&img) && img.reason_header == -1, "%s: reason", c->what);
    }
}

/*
 * One case: up to three program headers and an entry point, the result
 * expected, and on failure the program header the reason should name and
 * a word it should contain.
 */
struct segment_case {
    const char *what;
    int expect;
    int header;
    const char *word;
    uint64_t entry;
    size_t n;
    struct test_phdr ph[3];
};

/* A table reads best one case per line, so clang-format keeps out. */
/* clang-format off */

/* Small file parts, so that only the rule under test can fail. */
#define TEXT(vaddr, memsz) {PT_LOAD, R | X, (vaddr) & 0xfff, (vaddr), 0x10, (memsz)}
#define DATA(vaddr, memsz) {PT_LOAD, R | W, (vaddr) & 0xfff, (vaddr), 0, (memsz)}
#define LOAD(flags, offset, vaddr, filesz, memsz) {PT_LOAD, flags, offset, vaddr, filesz, memsz}
#define TOP (USER_LIMIT - 0x1000)
#define KERNEL 0xffffffff80000000
#define WRAP 0xfffffffffffff000

static const struct segment_case segment_cases[] = {
    {"text only", 0, 0, NULL, 0x400000, 1, {TEXT(0x400000, 0x1000)}},
    {"lowest user page", 0, 0, NULL, 0x10000, 1, {TEXT(0x10000, 0x1000)}},
    {"below ELF_USER_MIN", -E_INVAL, 0, "outside", 0xf000, 1, {TEXT(0xf000, 0x1000)}},
    {"at address 0", -E_INVAL, 0, "outside", 0, 1, {TEXT(0, 0x1000)}},
    {"ends at user_limit", 0, 0, NULL, TOP, 1, {TEXT(TOP, 0x1000)}},
    {"ends past user_limit", -E_INVAL, 0, "outside", TOP, 1, {TEXT(TOP, 0x1001)}},
    {"kernel address", -E_INVAL, 0, "outside", KERNEL, 1, {TEXT(KERNEL, 0x1000)}},
    {"wraps around", -E_INVAL, 0, "wraps", WRAP, 1, {TEXT(WRAP, 0x2000)}},
    {"exactly 1 GiB", 0, 0, NULL, 0x40000000, 1, {LOAD(R | X, 0, 0x40000000, 0x10, GIB)}},
    {"1 GiB + 1", -E_INVAL, 0, "absurd", 0x40000000, 1,
     {LOAD(R | X, 0, 0x40000000, 0x10, GIB + 1)}},
    {"memsz UINT64_MAX", -E_INVAL, 0, "absurd", 0x400000, 1,
     {LOAD(R | X, 0, 0x400000, 0x10, UINT64_MAX)}},
    {"filesz > memsz", -E_INVAL, 0, "file size", 0x400000, 1,
     {LOAD(R | X, 0, 0x400000, 0x1001, 0x1000)}},
    {"data ends at file end", 0, 0, NULL, 0x402000, 1,
     {LOAD(R | X, 0x2000, 0x402000, 0x100, 0x100)}},
    {"data past file end", -E_INVAL, 0, "end of the file", 0x402000, 1,
     {LOAD(R | X, 0x2000, 0x402000, 0x101, 0x101)}},
    {"offset past file end", -E_INVAL, 0, "end of the file", 0x403000, 1,
     {LOAD(R | X, 0x3000, 0x403000, 0, 0x100)}},
    {"offset + filesz wraps", -E_INVAL, 0, "end of the file", 0x400000, 1,
     {LOAD(R | X, UINT64_MAX - 0xfff, 0x400000, 0x2000, 0x2000)}},
    {"offset not congruent", -E_INVAL, 0, "modulo", 0x400000, 1,
     {LOAD(R | X, 0x10, 0x400000, 0x10, 0x1000)}},
    {"unaligned but congruent", 0, 0, NULL, 0x400123, 1,
     {LOAD(R | X, 0x123, 0x400123, 0x10, 0x10)}},
    {"writable and executable", -E_INVAL, 0, "writable and executable", 0x400000, 1,
     {LOAD(R | W | X, 0, 0x400000, 0, 0x1000)}},
    {"write and execute only", -E_INVAL, 0, "writable and executable", 0x400000, 1,
     {LOAD(W | X, 0, 0x400000, 0, 0x1000)}},
    {"OS-specific flag bits ignored", 0, 0, NULL, 0x400000, 1,
     {LOAD(0x00100000 | R | X, 0, 0x400000, 0, 0x1000)}},
    {"text then data, page apart", 0, 0, NULL, 0x400000, 2,
     {TEXT(0x400000, 0x1000), DATA(0x401000, 0x10)}},
    {"data in text's last page", -E_INVAL, 1, "shares a page", 0x400000, 2,
     {TEXT(0x400000, 0x1800), DATA(0x401800, 0x10)}},
    {"data before text, sharing", -E_INVAL, 1, "shares a page", 0x400000, 2,
     {DATA(0x401800, 0x10), TEXT(0x400000, 0x1804)}},
    {"data inside text", -E_INVAL, 1, "shares a page", 0x400000, 2,
     {TEXT(0x400000, 0x4000), DATA(0x402000, 0x10)}},
    {"same segment twice", -E_INVAL, 1, "shares a page", 0x400000, 2,
     {TEXT(0x400000, 0x1000), TEXT(0x400000, 0x1000)}},
    {"third overlaps first", -E_INVAL, 2, "shares a page", 0x400000, 3,
     {TEXT(0x400000, 0x1000), DATA(0x402000, 0x10), DATA(0x400ff0, 4)}},
    {"no PT_LOAD", -E_INVAL, -1, "no loadable", 0x400000, 1, {{PT_GNU_STACK, R | W, 0, 0, 0, 0}}},
    {"only empty PT_LOAD", -E_INVAL, -1, "no loadable", 0x400000, 1,
     {LOAD(R | X, 0, 0x400000, 0, 0)}},
    {"empty PT_LOAD skipped", 0, 0, NULL, 0x400000, 2,
     {TEXT(0x400000, 0x1000), LOAD(R | X, 0, 0x400000, 0, 0)}},
    {"empty PT_LOAD with file data", -E_INVAL, 1, "file size", 0x400000, 2,
     {TEXT(0x400000, 0x1000), LOAD(R | X, 0, 0x400000, 1, 0)}},
    {"PT_INTERP", -E_NOEXEC, 0, "PT_INTERP", 0x400000, 2,
     {{PT_INTERP, R, 0x200, 0x400200, 0x1c, 0x1c}, TEXT(0x400000, 0x1000)}},
    {"entry at text end - 1", 0, 0, NULL, 0x400fff, 1, {TEXT(0x400000, 0x1000)}},
    {"entry at text end", -E_INVAL, -1, "entry point", 0x401000, 1, {TEXT(0x400000, 0x1000)}},
    {"entry before text", -E_INVAL, -1, "entry point", 0x3fffff, 1, {TEXT(0x400000, 0x1000)}},
    {"entry 0", -E_INVAL, -1, "entry point", 0, 1, {TEXT(0x400000, 0x1000)}},
    {"entry in data", -E_INVAL, -1, "entry point", 0x402000, 2,
     {TEXT(0x400000, 0x1000), DATA(0x402000, 0x10)}},
    {"entry in read-only", -E_INVAL, -1, "entry point", 0x400000, 1,
     {LOAD(R, 0, 0x400000, 0, 0x1000)}},
};

/* clang-format on */

static void check_segment_rules(void)
{
    for (size_t i = 0; i < sizeof(segment_cases) / sizeof(segment_cases[0]); i++) {
        const struct segment_case *c = &segment_cases[i];
        struct elf_image img;
        size_t len = build(c->entry, c->ph, c->n, EH_SIZE);

        int r = parse(len, FILE_SIZE, USER_LIMIT, &img);
        CHECKF(r == c->expect, "%s: got %d, want %d (%s)", c->what, r, c->expect,
               img.reason ? img.reason : "no reason");
        if (c->expect != 0) {
            CHECKF(failed_cleanly(&img), "%s: reason", c->what);
            CHECKF(img.reason_header == c->header, "%s: reason_header %d, want %d", c->what,
                   img.reason_header, c->header);
            CHECKF(c->word == NULL || (img.reason && strstr(img.reason, c->word)),
                   "%s: reason \"%s\" lacks \"%s\"", c->what, img.reason, c->word);
        } else {
            CHECKF(img.reason == NULL && img.segment_count >= 1 && img.entry == c->entry,
                   "%s: result", c->what);
        }
    }
}

/* 64 program headers (the most allowed) of which 16 or 17 are PT_LOAD. */
static size_t build_many(size_t loads)
{
    struct test_phdr ph[64];

    memset(ph, 0, sizeof(ph));
    for (size_t i = 0; i < loads; i++) {
        size_t slot = i * 3; /* PT_NULL headers in between are ignored */
        ph[slot] = (struct test_phdr){
            PT_LOAD, i == 0 ? R | X : R, i * 0x1000, 0x400000 + i * 0x1000, 0x10, 0x1000};
    }
    return build(0x400000, ph, 64, EH_SIZE);
}

static void check_segment_count(void)
{
    struct elf_image img;
    size_t len = build_many(ELF_MAX_SEGMENTS);

    CHECK(parse(len, 0x20000, USER_LIMIT, &img) == 0);
    CHECK(img.segment_count == ELF_MAX_SEGMENTS);
    CHECK(img.segments[15].vaddr == 0x40f000 && img.segments[15].flags == R);

    len = build_many(ELF_MAX_SEGMENTS + 1);
    CHECK(parse(len, 0x20000, USER_LIMIT, &img) == -E_INVAL && failed_cleanly(&img));
    CHECK(img.reason_header == 3 * ELF_MAX_SEGMENTS);
}

/*
 * Every prefix of the standard image's headers. Until the magic is there
 * it is "not an ELF file"; after that a short prefix is malformed. When the
 * file itself is the prefix, the segments point past its end as well.
 */
static void check_truncation(void)
{
    size_t full = build(STANDARD_ENTRY, standard, 4, EH_SIZE);

    for (size_t len = 0; len <= full; len++) {
        struct elf_image img;
        int want = len < 4 ? -E_NOEXEC : len < full ? -E_INVAL : 0;

        int r = parse(len, FILE_SIZE, USER_LIMIT, &img);
        CHECKF(r == want, "prefix of %zu bytes: got %d, want %d", len, r, want);
        r = parse(len, len, USER_LIMIT, &img);
        CHECKF(r == (want == 0 ? -E_INVAL : want), "file of %zu bytes: got %d", len, r);
    }
}

/* A limit at or below ELF_USER_MIN leaves no room for any segment. */
static void check_user_limit(void)
{
    struct elf_image img;
    size_t len = build(STANDARD_ENTRY, standard, 4, EH_SIZE);

    CHECK(parse(len, FILE_SIZE, 0x405000, &img) == 0);
    CHECK(parse(len, FILE_SIZE, 0x404fff, &img) == -E_INVAL && img.reason_header == 2);
    CHECK(parse(len, FILE_SIZE, ELF_USER_MIN, &img) == -E_INVAL);
    CHECK(parse(len, FILE_SIZE, 0, &img) == -E_INVAL);
    CHECK(parse(len, FILE_SIZE, UINT64_MAX, &img) == 0);
}

/*
 * The host's /bin/true is a position-independent (ET_DYN) executable on
 * any current distribution, and if it were ET_EXEC it would still ask
 * for a dynamic linker: either way it is not something we can run.
 */
static void check_host_binary(void)
{
    FILE *f = fopen("/bin/true", "rb");
    struct elf_image img;

    if (f == NULL) {
        printf("elf_test: /bin/true not found, host binary check skipped\n");
        return;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    unsigned char *data = malloc((size_t)size);
    CHECK(fread(data, 1, (size_t)size, f) == (size_t)size);
    fclose(f);

    CHECK(elf_parse(data, (size_t)size, (uint64_t)size, USER_LIMIT, &img) == -E_NOEXEC);
    CHECK(failed_cleanly(&img));
    printf("elf_test: /bin/true refused: %s\n", img.reason);
    free(data);
}

int main(void)
{
    check_valid_image();
    check_header_fields();
    check_segment_rules();
    check_segment_count();
    check_truncation();
    check_user_limit();
    check_host_binary();
    return check_finish("elf_test");
}
