/*
 * Multiboot2 boot information parser.
 *
 * The block starts with a 32-bit total size and a reserved word, followed
 * by tags. Each tag begins with a 32-bit type and size and is padded to an
 * 8-byte boundary; type 0 ends the list. Every size is checked against the
 * block's bounds before use, so a corrupt block is refused, never followed.
 */
#include "boot/multiboot2.h"

#include <parley/errors.h>

#include "common/string.h"

#define TAG_END 0
#define TAG_CMDLINE 1
#define TAG_MODULE 3
#define TAG_MEMORY_MAP 6

struct tag {
    uint32_t type;
    uint32_t size;
};

struct mmap_tag {
    struct tag tag;
    uint32_t entry_size;
    uint32_t entry_version;
};

struct mmap_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
    uint32_t reserved;
};

struct module_tag {
    struct tag tag;
    uint32_t start;
    uint32_t end;
};

/* Copies a string that must end inside [text, text + room), truncating to `size`. */
static void copy_string(char *out, size_t size, const char *text, size_t room)
{
    size_t n = strnlen(text, room);
    if (n >= size)
        n = size - 1;
    memcpy(out, text, n);
    out[n] = '\0';
}

static int parse_memory_map(const struct mmap_tag *m, struct boot_info *out)
{
    if (m->tag.size < sizeof(*m) || m->entry_size < sizeof(struct mmap_entry))
        return -E_INVAL;
    const uint8_t *entry = (const uint8_t *)(m + 1);
    const uint8_t *end = (const uint8_t *)m + m->tag.size;
    for (; entry + m->entry_size <= end; entry += m->entry_size) {
        if (out->region_count == BOOT_MAX_REGIONS)
            break;
        const struct mmap_entry *e = (const struct mmap_entry *)entry;
        out->regions[out->region_count++] =
            (struct boot_region){.base = e->base, .length = e->length, .type = e->type};
    }
    return 0;
}

static void parse_module(const struct module_tag *m, struct boot_info *out)
{
    if (m->tag.size < sizeof(*m) || out->module_count == BOOT_MAX_MODULES || m->end < m->start)
        return;
    struct boot_module *mod = &out->modules[out->module_count++];
    mod->start = m->start;
    mod->end = m->end;
    copy_string(mod->name, sizeof(mod->name), (const char *)(m + 1), m->tag.size - sizeof(*m));
}

int multiboot2_parse(const void *info, size_t limit, struct boot_info *out)
{
    memset(out, 0, sizeof(*out));
    if (limit < 16)
        return -E_INVAL;
    const uint8_t *base = info;
    uint32_t total = *(const uint32_t *)base;
    if (total < 16 || total > limit)
        return -E_INVAL;
    out->info_size = total;

    size_t offset = 8;
    for (;;) {
        if (offset + sizeof(struct tag) > total)
            return -E_INVAL;
        const struct tag *tag = (const struct tag *)(base + offset);
        if (tag->size < sizeof(struct tag) || tag->size > total - offset)
            return -E_INVAL;
        if (tag->type == TAG_END)
            break;
        if (tag->type == TAG_CMDLINE)
            copy_string(out->cmdline, sizeof(out->cmdline), (const char *)(tag + 1),
                        tag->size - sizeof(*tag));
        else if (tag->type == TAG_MEMORY_MAP && parse_memory_map((const void *)tag, out) < 0)
            return -E_INVAL;
        else if (tag->type == TAG_MODULE)
            parse_module((const void *)tag, out);
        offset += (tag->size + 7) & ~7u;
    }
    return out->region_count > 0 ? 0 : -E_INVAL;
}
