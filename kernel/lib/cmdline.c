/*
 * Command line lookup. The line is small and read a handful of times at
 * boot, so every query simply scans it from the start; nothing is copied
 * or cached, which keeps the boot loader's string the only copy.
 */
#include "lib/cmdline.h"

static bool cmdline_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Compares n bytes of s with the whole NUL-terminated word. */
static bool cmdline_span_equals(const char *s, size_t n, const char *word)
{
    size_t i = 0;

    for (; i < n; i++) {
        if (word[i] == '\0' || word[i] != s[i])
            return false;
    }
    return word[i] == '\0';
}

/*
 * Finds the last token whose name is exactly key. On success *value points
 * at the value (just past '=') and *value_len is its length, 0 for a bare
 * key. Scanning to the end is what makes the last occurrence win.
 */
static bool cmdline_find(const char *cmdline, const char *key, const char **value,
                         size_t *value_len)
{
    bool found = false;
    const char *p = cmdline;

    if (cmdline == NULL || key == NULL || key[0] == '\0')
        return false;

    while (*p != '\0') {
        while (cmdline_is_space(*p))
            p++;
        if (*p == '\0')
            break;

        const char *name = p;
        while (*p != '\0' && *p != '=' && !cmdline_is_space(*p))
            p++;
        size_t name_len = (size_t)(p - name);

        const char *val = p;
        if (*p == '=') {
            val = ++p;
            while (*p != '\0' && !cmdline_is_space(*p))
                p++;
        }

        if (cmdline_span_equals(name, name_len, key)) {
            found = true;
            *value = val;
            *value_len = (size_t)(p - val);
        }
    }
    return found;
}

bool cmdline_get(const char *cmdline, const char *key, char *out, size_t outsz)
{
    const char *value;
    size_t len;

    if (!cmdline_find(cmdline, key, &value, &len))
        return false;
    if (outsz > 0) {
        size_t n = len < outsz - 1 ? len : outsz - 1;
        for (size_t i = 0; i < n; i++)
            out[i] = value[i];
        out[n] = '\0';
    }
    return true;
}

bool cmdline_has(const char *cmdline, const char *key)
{
    const char *value;
    size_t len;

    return cmdline_find(cmdline, key, &value, &len);
}

bool cmdline_has_value(const char *cmdline, const char *key, const char *item)
{
    const char *value;
    size_t len;

    /* An empty item would match ",," or "key=", which no caller means. */
    if (item == NULL || item[0] == '\0' || !cmdline_find(cmdline, key, &value, &len))
        return false;

    /* Walk the comma-separated elements of the value in place. */
    size_t start = 0;
    while (start <= len) {
        size_t end = start;
        while (end < len && value[end] != ',')
            end++;
        if (cmdline_span_equals(value + start, end - start, item))
            return true;
        start = end + 1;
    }
    return false;
}
