/*
 * The pure parts of the utilities (see text.h): byte and string work
 * only, shared by the programs in this directory and by the host unit
 * test.
 */
#include "text.h"

#include <stdio.h>
#include <string.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static char fold(char c, bool ignore_case)
{
    return ignore_case && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

void wc_feed(struct wc_counts *counts, const char *data, size_t len)
{
    counts->bytes += len;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\n')
            counts->lines++;
        if (is_space(data[i])) {
            counts->in_word = false;
        } else if (!counts->in_word) {
            counts->in_word = true;
            counts->words++;
        }
    }
}

bool grep_match(const char *line, size_t len, const char *pattern, bool ignore_case)
{
    size_t n = strlen(pattern);
    if (n == 0)
        return true;
    /* Fixed strings are short and lines shorter than a screen, so a plain scan is enough. */
    for (size_t start = 0; start + n <= len; start++) {
        size_t i = 0;
        while (i < n && fold(line[start + i], ignore_case) == fold(pattern[i], ignore_case))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

size_t head_take(const char *data, size_t len, uint64_t *lines_left)
{
    size_t i = 0;
    while (i<len && * lines_left> 0) {
        if (data[i++] == '\n')
            (*lines_left)--;
    }
    return i;
}

void ls_mode_string(uint32_t type, uint32_t mode, char out[11])
{
    static const char letters[] = "rwxrwxrwx";
    out[0] = type == 2 ? 'd' : '-'; /* FS_TYPE_DIR */
    for (int i = 0; i < 9; i++)
        out[1 + i] = (mode & (0400u >> i)) ? letters[i] : '-';
    out[10] = '\0';
}

int ls_long_line(char *out, size_t size, uint32_t type, uint32_t mode, const char *owner,
                 uint64_t bytes, const char *name)
{
    char mode_text[11];
    ls_mode_string(type, mode, mode_text);
    return snprintf(out, size, "%s  %-8s %8llu  %s%s", mode_text, owner, (unsigned long long)bytes,
                    name, type == 2 ? "/" : "");
}

bool passwd_name(const char *text, size_t len, uint32_t uid, char *out, size_t size)
{
    size_t pos = 0;
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t line_len = nl != NULL ? (size_t)(nl - line) : len - pos;
        pos += line_len + 1;
        const char *colon = memchr(line, ':', line_len);
        if (colon == NULL)
            continue;
        size_t name_len = (size_t)(colon - line);
        uint64_t value = 0;
        size_t i = name_len + 1;
        bool digits = false;
        while (i < line_len && line[i] >= '0' && line[i] <= '9' && value <= UINT32_MAX) {
            value = value * 10 + (uint64_t)(line[i++] - '0');
            digits = true;
        }
        if (digits && (i == line_len || line[i] == ':') && value == uid && name_len > 0) {
            snprintf(out, size, "%.*s", (int)name_len, line);
            return true;
        }
    }
    return false;
}

void size_human(uint64_t bytes, char *out, size_t size)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (bytes >= 10240 && unit < 4) {
        bytes /= 1024;
        unit++;
    }
    snprintf(out, size, "%llu %s", (unsigned long long)bytes, units[unit]);
}
