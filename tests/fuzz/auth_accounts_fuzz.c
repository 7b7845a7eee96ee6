/*
 * libFuzzer target for auth's reading of the account files
 * (servers/auth/accounts.c). An input's first line is "NAME HASH UID",
 * what a client or the passwd program would ask about; the rest is the
 * text of /etc/passwd and /etc/shadow at once (each parser skips what is
 * not its own kind of line). Checked besides what the sanitizers catch:
 *   - an account found by name has that name, and by uid that uid, with
 *     a valid name, a uid within AUTH_UID_MAX and absolute paths that fit;
 *   - a found hash fits its buffer, and a buffer one byte short says so;
 *   - shadow_replace with a valid name and hash gives text in which that
 *     name's hash is the new one, is -E_RANGE exactly when out is too
 *     small, and replacing the hash by the old one again gives back the
 *     original text byte for byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#include "../../servers/auth/accounts.h"

#define HASH_MAX 512

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "auth_accounts_fuzz: %s\n", what);
        abort();
    }
}

static void check_account(const struct account *a)
{
    size_t n = strnlen(a->name, sizeof(a->name));
    require(n < sizeof(a->name) && accounts_name_valid(a->name, n), "account name");
    require(a->uid <= AUTH_UID_MAX, "uid above AUTH_UID_MAX");
    require(strnlen(a->home, sizeof(a->home)) < sizeof(a->home) && a->home[0] == '/', "home");
    require(strnlen(a->shell, sizeof(a->shell)) < sizeof(a->shell) && a->shell[0] == '/', "shell");
}

static void check_replace(const char *text, size_t size, const char *name, const char *hash)
{
    size_t room = size + strlen(name) + strlen(hash) + 3;
    char *out = malloc(room), *back = malloc(room);
    char found[HASH_MAX + 1], old[HASH_MAX + 1];
    if (out == NULL || back == NULL)
        goto done;
    size_t length = strlen(name);
    int had = accounts_shadow_hash(text, size, name, length, old, sizeof(old));
    long r = accounts_shadow_replace(text, size, name, hash, out, room);
    if (!accounts_name_valid(name, length) || hash[strcspn(hash, ":\n\r")] != '\0') {
        require(r == -E_INVAL, "shadow_replace took an invalid name or hash");
        goto done;
    }
    require(r > 0 && (size_t)r <= room, "shadow_replace with room to spare failed");
    require(accounts_shadow_replace(text, size, name, hash, back, (size_t)r) == r &&
                memcmp(back, out, (size_t)r) == 0,
            "shadow_replace needs more than the length it returns");
    require(accounts_shadow_replace(text, size, name, hash, back, (size_t)r - 1) == -E_RANGE,
            "shadow_replace fitted a buffer too small");
    require(accounts_shadow_hash(out, (size_t)r, name, length, found, sizeof(found)) == 0 &&
                strcmp(found, hash) == 0,
            "the replaced hash does not read back");
    /* Putting the old hash back must restore the text exactly (a NUL would cut it short). */
    if (had == 0 && old[strcspn(old, ":\n\r")] == '\0' && memchr(text, '\0', size) == NULL) {
        long b = accounts_shadow_replace(out, (size_t)r, name, old, back, room);
        require(b == (long)size && memcmp(back, text, size) == 0,
                "replacing the hash back did not restore the text");
    }
done:
    free(out);
    free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2 * AUTH_FILE_MAX)
        return 0;
    const uint8_t *eol = memchr(data, '\n', size);
    size_t first = eol != NULL ? (size_t)(eol - data) : size;
    size_t text_size = eol != NULL ? size - first - 1 : 0;

    /* The first line's words, NUL-terminated; the text, in a buffer of exactly its size. */
    char *ask = malloc(first + 1), *text = malloc(text_size ? text_size : 1);
    if (ask == NULL || text == NULL) {
        free(ask);
        free(text);
        return 0;
    }
    memcpy(ask, data, first);
    ask[first] = '\0';
    memcpy(text, data + first + 1 - (eol == NULL), text_size);
    char *name = ask, *hash = "", *uid_word = "";
    char *space = strchr(name, ' ');
    if (space != NULL) {
        *space = '\0';
        hash = space + 1;
        space = strchr(hash, ' ');
        if (space != NULL) {
            *space = '\0';
            uid_word = space + 1;
        }
    }
    uint32_t uid = (uint32_t)strtoul(uid_word, NULL, 10);
    size_t length = strlen(name);

    struct account a;
    if (accounts_find_name(text, text_size, name, length, &a) == 0) {
        check_account(&a);
        require(strcmp(a.name, name) == 0, "found another name");
        struct account b;
        require(accounts_find_uid(text, text_size, a.uid, &b) == 0 && b.uid == a.uid,
                "a found account's uid is not found");
    }
    if (accounts_find_uid(text, text_size, uid, &a) == 0) {
        check_account(&a);
        require(a.uid == uid, "found another uid");
    }

    char found[HASH_MAX + 1];
    int h = accounts_shadow_hash(text, text_size, name, length, found, sizeof(found));
    require(h == 0 || h == -E_NOENT || h == -E_RANGE, "shadow_hash's error");
    if (h == 0)
        require(strnlen(found, sizeof(found)) < sizeof(found), "a hash without its NUL");
    if (h == -E_RANGE)
        require(accounts_shadow_hash(text, text_size, name, length, found, 1) == -E_RANGE,
                "a hash too long for a big buffer fitted a small one");
    if (strlen(hash) <= 200)
        check_replace(text, text_size, name, hash);
    free(ask);
    free(text);
    return 0;
}
