/*
 * Checks the cpio reader. Three sources of archives:
 *   - ones built here in memory, which the malformed cases then damage one
 *     field at a time (bad magic, non-hex digits, names and sizes that run
 *     past the end, a missing trailer, prefixes of every length, random
 *     byte flips);
 *   - one written by tools/mkbootimage.py at build time, whose entries,
 *     order and modes are checked exactly;
 *   - one written by the real `cpio -o -H newc`, when the host has it.
 * The last two are made from a small file tree in the build directory
 * (CPIO_FIXTURE_DIR); entry contents are compared with those files.
 *
 * Archives are always parsed from a heap block of exactly the size passed
 * in, so AddressSanitizer reports any read past the end.
 */
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#include "check.h"
#include "common/cpio.h"

#define FIELD_INO 0
#define FIELD_MODE 1
#define FIELD_FILESIZE 6
#define FIELD_NAMESIZE 11
#define HEADER_SIZE 110
#define DIR_MODE 0040755
#define PROGRAM_MODE 0100755
#define FILE_MODE 0100644

static unsigned char archive[4096];
static size_t archive_len;

static void set_field(size_t header, int field, uint32_t value)
{
    char text[9];

    snprintf(text, sizeof(text), "%08x", value);
    memcpy(archive + header + 6 + (size_t)field * 8, text, 8);
}

static void pad4(void)
{
    while (archive_len % 4 != 0)
        archive[archive_len++] = 0;
}

/* Appends one entry and returns the offset of its header. */
static size_t add_entry(uint32_t mode, const char *name, const void *data, size_t size)
{
    size_t header = archive_len;

    memcpy(archive + header, "070701", 6);
    for (int field = 0; field < 13; field++)
        set_field(header, field, 0);
    set_field(header, FIELD_INO, (uint32_t)header);
    set_field(header, FIELD_MODE, mode);
    set_field(header, FIELD_FILESIZE, (uint32_t)size);
    set_field(header, FIELD_NAMESIZE, (uint32_t)strlen(name) + 1);
    archive_len += HEADER_SIZE;
    memcpy(archive + archive_len, name, strlen(name) + 1);
    archive_len += strlen(name) + 1;
    pad4();
    memcpy(archive + archive_len, data, size);
    archive_len += size;
    pad4();
    return header;
}

/* Entries whose names and data cover every padding remainder. */
static const struct {
    const char *name;
    uint32_t mode;
    const char *data;
} sample[] = {
    {"bin", DIR_MODE, ""},         {"bin/init", PROGRAM_MODE, "\177ELF and so on"},
    {"etc/a", FILE_MODE, "1"},     {"etc/bb", FILE_MODE, "22"},
    {"etc/ccc", FILE_MODE, "333"}, {"etc/dddd", FILE_MODE, "4444"},
    {"etc/empty", FILE_MODE, ""},
};
#define SAMPLE_COUNT (sizeof(sample) / sizeof(sample[0]))

static size_t sample_end[SAMPLE_COUNT]; /* offset just past each entry */
static size_t trailer_at;

static void build_sample(void)
{
    archive_len = 0;
    for (size_t i = 0; i < SAMPLE_COUNT; i++) {
        add_entry(sample[i].mode, sample[i].name, sample[i].data, strlen(sample[i].data));
        sample_end[i] = archive_len;
    }
    trailer_at = add_entry(0, "TRAILER!!!", "", 0);
}

static unsigned char *copy_of(const void *data, size_t len)
{
    unsigned char *copy = malloc(len ? len : 1);

    memcpy(copy, data, len);
    return copy;
}

/* Walks the whole archive; returns the final result of cpio_next. */
static int walk(const unsigned char *data, size_t len, size_t *entries)
{
    size_t offset = 0;
    struct cpio_entry e;
    int r;

    *entries = 0;
    while ((r = cpio_next(data, len, &offset, &e)) == 1)
        (*entries)++;
    return r;
}

static int walk_copy(size_t len, size_t *entries)
{
    unsigned char *copy = copy_of(archive, len);
    int r = walk(copy, len, entries);

    free(copy);
    return r;
}

static int find_copy(size_t len, const char *name)
{
    unsigned char *copy = copy_of(archive, len);
    struct cpio_entry e;
    int r = cpio_find(copy, len, name, &e);

    free(copy);
    return r;
}

static void check_iteration(void)
{
    size_t offset = 0;
    struct cpio_entry e;

    build_sample();
    for (size_t i = 0; i < SAMPLE_COUNT; i++) {
        CHECKF(cpio_next(archive, archive_len, &offset, &e) == 1, "entry %zu", i);
        CHECKF(e.name_length == strlen(sample[i].name) && strcmp(e.name, sample[i].name) == 0,
               "entry %zu name", i);
        CHECKF(e.size == strlen(sample[i].data) && memcmp(e.data, sample[i].data, e.size) == 0,
               "entry %zu data", i);
        CHECKF(e.mode == sample[i].mode, "entry %zu mode", i);
        CHECKF(offset == sample_end[i], "entry %zu offset", i);
    }
    CHECK(cpio_next(archive, archive_len, &offset, &e) == 0);
    CHECK(offset == trailer_at);
    CHECK(cpio_next(archive, archive_len, &offset, &e) == 0);

    /* Upper-case hex digits are hex digits too. */
    memcpy(archive + sample_end[1] + 6 + FIELD_FILESIZE * 8, "0000000A", 8);
    offset = sample_end[1];
    CHECK(cpio_next(archive, archive_len, &offset, &e) == 1 && e.size == 10);
}

static void check_find(void)
{
    struct cpio_entry e;

    build_sample();
    CHECK(cpio_find(archive, archive_len, "bin/init", &e) == 0);
    CHECK(e.size == 14 && memcmp(e.data, "\177ELF", 4) == 0 && e.mode == PROGRAM_MODE);
    CHECK(cpio_find(archive, archive_len, "etc/empty", &e) == 0 && e.size == 0);
    CHECK(cpio_find(archive, archive_len, "etc/ccc", &e) == 0 && e.size == 3);
    CHECK(cpio_find(archive, archive_len, "bin", &e) == -E_NOENT); /* a directory */
    CHECK(cpio_find(archive, archive_len, "bin/ini", &e) == -E_NOENT);
    CHECK(cpio_find(archive, archive_len, "bin/init2", &e) == -E_NOENT);
    CHECK(cpio_find(archive, archive_len, "/bin/init", &e) == -E_NOENT);
    CHECK(cpio_find(archive, archive_len, "", &e) == -E_NOENT);
    CHECK(cpio_find(archive, archive_len, "TRAILER!!!", &e) == -E_NOENT);
    CHECK(cpio_find(archive, archive_len, NULL, &e) == -E_INVAL);
}

/* Overwrites bytes of the entry at header and expects -E_INVAL. */
static void expect_damage_refused(const char *what, size_t header, size_t at, const char *bytes,
                                  size_t n)
{
    size_t entries;

    build_sample();
    memcpy(archive + header + at, bytes, n);
    CHECKF(walk_copy(archive_len, &entries) == -E_INVAL, "%s", what);
    CHECKF(find_copy(archive_len, "nothing") == -E_INVAL, "%s: find", what);
}

#define DAMAGE(what, header, at, literal)                                                          \
    expect_damage_refused(what, header, at, literal, sizeof(literal) - 1)

static void check_malformed(void)
{
    build_sample();            /* for the offsets below */
    size_t e2 = sample_end[1]; /* header of etc/a */
    size_t mode = 6 + FIELD_MODE * 8, filesize = 6 + FIELD_FILESIZE * 8;
    size_t namesize = 6 + FIELD_NAMESIZE * 8;

    DAMAGE("magic 070702", e2, 0, "070702");
    DAMAGE("magic 170701", e2, 0, "1");
    DAMAGE("old binary magic", e2, 0, "\xc7\x71");
    DAMAGE("mode with a space", e2, mode, " 0100644");
    DAMAGE("mode with a g", e2, mode, "0010064g");
    DAMAGE("filesize with 0x", e2, filesize, "0x000001");
    DAMAGE("namesize with a NUL", e2, namesize, "0000000\0");
    DAMAGE("namesize 0", e2, namesize, "00000000");
    DAMAGE("namesize 1, empty name", e2, namesize, "00000001");
    DAMAGE("namesize 5, name not terminated", e2, namesize, "00000005");
    DAMAGE("namesize 7, NUL inside name", e2, namesize, "00000007");
    DAMAGE("namesize past the end", e2, namesize, "00001000");
    DAMAGE("namesize ffffffff", e2, namesize, "ffffffff");
    DAMAGE("filesize past the end", e2, filesize, "00001000");
    DAMAGE("filesize ffffffff", e2, filesize, "ffffffff");
    DAMAGE("trailer magic", trailer_at, 0, "070700");
    DAMAGE("trailer name", trailer_at, HEADER_SIZE, "TRAILER!!?");

    /* Offsets that are not at an entry boundary inside the archive. */
    struct cpio_entry e;
    size_t offset;
    build_sample();
    offset = 2;
    CHECK(cpio_next(archive, archive_len, &offset, &e) == -E_INVAL);
    offset = archive_len + 4;
    CHECK(cpio_next(archive, archive_len, &offset, &e) == -E_INVAL);
    offset = archive_len;
    CHECK(cpio_next(archive, archive_len, &offset, &e) == -E_INVAL);
    CHECK(cpio_next(archive, 0, &(size_t){0}, &e) == -E_INVAL);

    /* The archive ends right after the last entry: no trailer. */
    size_t entries;
    CHECK(walk_copy(trailer_at, &entries) == -E_INVAL && entries == SAMPLE_COUNT);
    CHECK(find_copy(trailer_at, "nothing") == -E_INVAL);
    /* Damage after a match does not stop cpio_find from finding it. */
    CHECK(find_copy(trailer_at, "bin/init") == 0);
}

/*
 * Every prefix of the sample. A prefix that holds the trailer's header
 * and name is a whole archive; any shorter one is missing its trailer. An
 * entry is found once the prefix holds it with its padding.
 */
static void check_truncation(void)
{
    size_t trailer_end = trailer_at + HEADER_SIZE + sizeof("TRAILER!!!");

    build_sample();
    for (size_t len = 0; len <= archive_len; len++) {
        size_t entries;
        int want = len >= trailer_end ? 0 : -E_INVAL;

        CHECKF(walk_copy(len, &entries) == want, "prefix of %zu bytes", len);
        CHECKF(find_copy(len, "etc/ccc") == (len >= sample_end[4] ? 0 : -E_INVAL),
               "find etc/ccc in %zu bytes", len);
        CHECKF(find_copy(len, "missing") == (len >= trailer_end ? -E_NOENT : -E_INVAL),
               "find missing in %zu bytes", len);
    }
}

/*
 * Random byte changes to the sample: whatever cpio_next makes of them, it
 * must stop, move forward by a whole header each time, and hand out only
 * names and data inside the archive.
 */
static void check_random_damage(void)
{
    srand(1);
    for (int round = 0; round < 20000; round++) {
        build_sample();
        for (int k = rand() % 4 + 1; k > 0; k--)
            archive[rand() % archive_len] = "0123456789abcdef\0!x7"[rand() % 20];
        size_t len = (size_t)rand() % (archive_len + 1);
        unsigned char *copy = copy_of(archive, len);
        size_t offset = 0, last = 0;
        struct cpio_entry e;
        int r, steps = 0;

        while ((r = cpio_next(copy, len, &offset, &e)) == 1 && steps++ < 100) {
            const unsigned char *name = (const unsigned char *)e.name;
            const unsigned char *data = e.data;
            CHECKF(offset >= last + HEADER_SIZE + 2 && offset <= len, "round %d", round);
            CHECKF(name > copy && name + e.name_length < copy + len, "round %d name", round);
            CHECKF(data >= copy && data + e.size <= copy + len, "round %d data", round);
            CHECKF(strlen(e.name) == e.name_length, "round %d name length", round);
            last = offset;
        }
        CHECKF(r == 0 || r == -E_INVAL, "round %d: result %d", round, r);
        free(copy);
    }
}

static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    *size = (size_t)ftell(f);
    rewind(f);
    unsigned char *data = malloc(*size ? *size : 1);
    if (fread(data, 1, *size, f) != *size) {
        free(data);
        data = NULL;
    }
    fclose(f);
    return data;
}

/* Whether the archive holds name as a regular file with the tree's bytes. */
static bool holds_tree_file(const unsigned char *data, size_t size, const char *name)
{
    char path[512];
    size_t expected_size;
    struct cpio_entry e;

    snprintf(path, sizeof(path), "%s/tree/%s", CPIO_FIXTURE_DIR, name);
    unsigned char *expected = read_file(path, &expected_size);
    bool ok = expected != NULL && cpio_find(data, size, name, &e) == 0 && e.size == expected_size &&
              memcmp(e.data, expected, e.size) == 0;
    free(expected);
    return ok;
}

static const char *const tree_files[] = {"bin/empty", "bin/hello", "etc/motd", "lib/data/big.bin"};

/* mkbootimage.py: implied directories first, then files, each sorted. */
static void check_mkbootimage_archive(void)
{
    static const struct {
        const char *name;
        uint32_t mode;
    } expected[] = {
        {"bin", DIR_MODE},           {"etc", DIR_MODE},
        {"lib", DIR_MODE},           {"lib/data", DIR_MODE},
        {"bin/empty", PROGRAM_MODE}, {"bin/hello", PROGRAM_MODE},
        {"etc/motd", FILE_MODE},     {"lib/data/big.bin", FILE_MODE},
    };
    size_t size, offset = 0;
    struct cpio_entry e;
    unsigned char *data = read_file(CPIO_FIXTURE_DIR "/mkbootimage.cpio", &size);

    if (!CHECK(data != NULL))
        return;
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        CHECKF(cpio_next(data, size, &offset, &e) == 1, "mkbootimage entry %zu", i);
        CHECKF(strcmp(e.name, expected[i].name) == 0 && e.mode == expected[i].mode,
               "mkbootimage entry %zu is %s mode %o", i, e.name, e.mode);
    }
    CHECK(cpio_next(data, size, &offset, &e) == 0);
    CHECK(size - offset == 124); /* trailer header, name and padding, nothing more */
    for (size_t i = 0; i < sizeof(tree_files) / sizeof(tree_files[0]); i++)
        CHECKF(holds_tree_file(data, size, tree_files[i]), "mkbootimage: %s", tree_files[i]);
    free(data);
}

/* GNU cpio: order and modes come from the host, so only contents and
 * file types are compared. */
static void check_cpio_tool_archive(void)
{
    size_t size, offset = 0, dirs = 0;
    struct cpio_entry e;
    unsigned char *data;

    if (!CPIO_TOOL_ARCHIVE) {
        printf("cpio_test: cpio tool not found, its archive was not checked\n");
        return;
    }
    data = read_file(CPIO_FIXTURE_DIR "/tool.cpio", &size);
    if (!CHECK(data != NULL))
        return;
    while (cpio_next(data, size, &offset, &e) == 1)
        dirs += (e.mode & CPIO_MODE_TYPE_MASK) == CPIO_MODE_DIRECTORY;
    CHECK(cpio_next(data, size, &offset, &e) == 0);
    CHECK(dirs == 4);
    for (size_t i = 0; i < sizeof(tree_files) / sizeof(tree_files[0]); i++)
        CHECKF(holds_tree_file(data, size, tree_files[i]), "cpio tool: %s", tree_files[i]);
    CHECK(cpio_find(data, size, "lib/data", &e) == -E_NOENT);
    free(data);
}

int main(void)
{
    check_iteration();
    check_find();
    check_malformed();
    check_truncation();
    check_random_damage();
    check_mkbootimage_archive();
    check_cpio_tool_archive();
    return check_finish("cpio_test");
}
