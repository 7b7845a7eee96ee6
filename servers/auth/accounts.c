/*
 * The account files as text (see accounts.h). Every function walks the
 * text line by line with next_line and never writes past the buffers it
 * is given; nothing here trusts the files to be well formed, since a
 * root user may edit them by hand.
 */
#include "accounts.h"

#include <string.h>

#include <parley/errors.h>

/* One line of text: [start, start + length), without '\n' or a trailing '\r'. */
struct line {
    const char *start;
    size_t length;
};

/* Takes the next line from [*at, end); false at the end of the text. */
static bool next_line(const char **at, const char *end, struct line *line)
{
    if (*at >= end)
        return false;
    const char *eol = memchr(*at, '\n', (size_t)(end - *at));
    if (eol == NULL)
        eol = end;
    line->start = *at;
    line->length = (size_t)(eol - *at);
    if (line->length > 0 && line->start[line->length - 1] == '\r')
        line->length--;
    *at = eol < end ? eol + 1 : end;
    return true;
}

/* Lines that are not accounts: blank ones and comments. */
static bool skipped(const struct line *line)
{
    return line->length == 0 || line->start[0] == '#';
}

/* The name field of a line: the bytes before the first ':'; 0 if there is none. */
static size_t name_field(const struct line *line)
{
    const char *colon = memchr(line->start, ':', line->length);
    return colon == NULL ? 0 : (size_t)(colon - line->start);
}

static bool field_is(const struct line *line, const char *name, size_t length)
{
    return name_field(line) == length && length > 0 && memcmp(line->start, name, length) == 0;
}

bool accounts_name_valid(const char *name, size_t length)
{
    if (length == 0 || length > AUTH_NAME_MAX || name[0] == '-' || name[0] == '.')
        return false;
    for (size_t i = 0; i < length; i++) {
        char c = name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || c == '.';
        if (!ok)
            return false;
    }
    return true;
}

/* Copies a path field; paths must be absolute and fit. */
static bool copy_path(char *out, const char *start, size_t length)
{
    if (length == 0 || length > AUTH_PATH_MAX || start[0] != '/' ||
        memchr(start, '\0', length) != NULL)
        return false;
    memcpy(out, start, length);
    out[length] = '\0';
    return true;
}

int accounts_parse_passwd_line(const char *line, size_t length, struct account *out)
{
    const char *field[4];
    size_t size[4];
    const char *at = line, *end = line + length;
    for (int i = 0; i < 4; i++) {
        const char *colon = memchr(at, ':', (size_t)(end - at));
        if ((colon == NULL) != (i == 3))
            return -E_INVAL; /* fewer or more than four fields */
        field[i] = at;
        size[i] = (size_t)((colon != NULL ? colon : end) - at);
        at += size[i] + 1;
    }
    if (!accounts_name_valid(field[0], size[0]) || size[1] == 0 || size[1] > 10)
        return -E_INVAL;
    uint64_t uid = 0;
    for (size_t i = 0; i < size[1]; i++) {
        if (field[1][i] < '0' || field[1][i] > '9')
            return -E_INVAL;
        uid = uid * 10 + (uint64_t)(field[1][i] - '0');
    }
    if (uid > AUTH_UID_MAX)
        return -E_INVAL;
    struct account account = {.uid = (uint32_t)uid};
    memcpy(account.name, field[0], size[0]);
    if (!copy_path(account.home, field[2], size[2]) || !copy_path(account.shell, field[3], size[3]))
        return -E_INVAL;
    *out = account;
    return 0;
}

int accounts_find_name(const char *text, size_t size, const char *name, size_t length,
                       struct account *out)
{
    const char *at = text;
    struct line line;
    while (next_line(&at, text + size, &line))
        if (!skipped(&line) && field_is(&line, name, length) &&
            accounts_parse_passwd_line(line.start, line.length, out) == 0)
            return 0;
    return -E_NOENT;
}

int accounts_find_uid(const char *text, size_t size, uint32_t uid, struct account *out)
{
    const char *at = text;
    struct line line;
    while (next_line(&at, text + size, &line))
        if (!skipped(&line) && accounts_parse_passwd_line(line.start, line.length, out) == 0 &&
            out->uid == uid)
            return 0;
    return -E_NOENT;
}

int accounts_shadow_hash(const char *text, size_t size, const char *name, size_t length, char *hash,
                         size_t hash_size)
{
    const char *at = text;
    struct line line;
    if (!accounts_name_valid(name, length))
        return -E_NOENT;
    while (next_line(&at, text + size, &line)) {
        if (skipped(&line) || !field_is(&line, name, length))
            continue;
        size_t n = line.length - length - 1;
        if (n + 1 > hash_size)
            return -E_RANGE;
        memcpy(hash, line.start + length + 1, n);
        hash[n] = '\0';
        return 0;
    }
    return -E_NOENT;
}

/* Appends length bytes to out at *used; false if they do not fit. */
static bool append(char *out, size_t out_size, size_t *used, const char *bytes, size_t length)
{
    if (length > out_size - *used)
        return false;
    memcpy(out + *used, bytes, length);
    *used += length;
    return true;
}

long accounts_shadow_replace(const char *text, size_t size, const char *name, const char *hash,
                             char *out, size_t out_size)
{
    size_t length = strlen(name);
    if (!accounts_name_valid(name, length) || hash[strcspn(hash, ":\n\r")] != '\0')
        return -E_INVAL;
    size_t used = 0;
    bool done = false, ok = true;
    const char *at = text, *end = text + size;
    while (ok && at < end) {
        const char *start = at;
        struct line line = {start, 0};
        next_line(&at, end, &line);
        if (!done && !skipped(&line) && field_is(&line, name, length)) {
            /* The new line keeps the old one's ending, whatever it was. */
            const char *rest = line.start + line.length;
            ok = append(out, out_size, &used, name, length) &&
                 append(out, out_size, &used, ":", 1) &&
                 append(out, out_size, &used, hash, strlen(hash)) &&
                 append(out, out_size, &used, rest, (size_t)(at - rest));
            done = true;
        } else {
            ok = append(out, out_size, &used, start, (size_t)(at - start));
        }
    }
    if (ok && !done) {
        if (used > 0 && out[used - 1] != '\n')
            ok = append(out, out_size, &used, "\n", 1);
        ok = ok && append(out, out_size, &used, name, length) &&
             append(out, out_size, &used, ":", 1) &&
             append(out, out_size, &used, hash, strlen(hash)) &&
             append(out, out_size, &used, "\n", 1);
    }
    return ok ? (long)used : -E_RANGE;
}
