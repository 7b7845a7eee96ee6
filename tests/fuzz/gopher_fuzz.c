/*
 * libFuzzer target for gopher's parsers (programs/gopher: url.c,
 * menu.c, page.c). Each input is used three ways: as a URL the user
 * typed, as a menu a server sent and as a text document. The sanitizers
 * catch reads outside the input; this file checks the promises the
 * program relies on:
 *
 *   - an address that parses formats back to a URL that parses to the
 *     same address, with a valid host and no CR, LF or NUL in it;
 *   - every screen row fits its width and holds only printable ASCII,
 *     so nothing a server sends can reach the console as a command;
 *   - every link's address, when it has one, obeys the same rules and
 *     survives the same round trip;
 *   - a saved file name is a plain name.
 *
 * Built by tests/fuzz/CMakeLists.txt with clang, against the host C
 * library.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../programs/gopher/menu.h"
#include "../../programs/gopher/page.h"
#include "../../programs/gopher/url.h"

#define WIDTH 80
#define NARROW 13

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "gopher_fuzz: broken promise: %s\n", what);
        abort();
    }
}

static bool same_addr(const struct gopher_addr *a, const struct gopher_addr *b)
{
    return a->type == b->type && a->port == b->port && strcmp(a->host, b->host) == 0 &&
           strcmp(a->selector, b->selector) == 0;
}

/* The rules for any address gopher may send a request to. */
static void check_addr(const struct gopher_addr *a)
{
    static char url[GOPHER_URL_MAX];
    static struct gopher_addr back;
    require(gopher_host_valid(a->host, strlen(a->host)), "valid host");
    require(a->port >= 1 && a->port <= 65535, "port in 1..65535");
    require(strpbrk(a->selector, "\r\n") == NULL, "no CR or LF in the selector");
    size_t n = gopher_url_format(a, url, sizeof(url));
    require(n < sizeof(url), "URL fits GOPHER_URL_MAX");
    require(strncmp(url, "gopher://", 9) == 0, "URL starts gopher://");
    for (size_t i = 0; i < n; i++)
        require(url[i] > 0x20 && url[i] < 0x7F, "URL is printable ASCII without spaces");
    require(gopher_url_parse(url, &back) == 0, "formatted URL parses");
    require(same_addr(a, &back), "URL round trip");
}

static void check_url(const uint8_t *data, size_t size)
{
    static char text[GOPHER_URL_MAX + 1];
    static struct gopher_addr addr;
    size_t n = size < GOPHER_URL_MAX ? size : GOPHER_URL_MAX;
    memcpy(text, data, n);
    text[n] = '\0';
    if (gopher_url_parse(text, &addr) == 0)
        check_addr(&addr);
    char name[64];
    gopher_save_name(text, name, sizeof(name));
    require(name[0] != '\0' && name[0] != '.', "save name not empty, not hidden");
    for (const char *s = name; *s; s++)
        require(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_+", *s) !=
                    NULL,
                "save name is plain");
}

static void check_rows(const struct page *p, size_t width)
{
    char row[512];
    for (size_t i = 0; i < p->count; i++) {
        require(p->rows[i].start + p->rows[i].len <= p->len, "row inside the reply");
        size_t n = page_row_text(p, i, width, row);
        require(n <= width, "row fits the width");
        for (size_t k = 0; k < n; k++)
            require(row[k] >= 0x20 && row[k] < 0x7F, "row is printable ASCII");
    }
    size_t len;
    char *doc = page_document(p, &len);
    require(doc != NULL && len <= p->len + 1, "saved document no bigger than the reply");
    free(doc);
    page_find(p, p->count / 2, "a", width);
}

static void check_menu(const uint8_t *data, size_t size)
{
    static struct gopher_addr base = {.type = '1', .port = 70, .host = "menu.host"};
    static struct gopher_addr addr;
    char *copy = malloc(size + 1);
    memcpy(copy, data, size);
    struct page p;
    if (page_build(&p, copy, size, true, WIDTH, 4096) != 0) {
        page_free(&p);
        return;
    }
    check_rows(&p, WIDTH);
    check_rows(&p, NARROW);
    for (unsigned n = 1; n <= p.link_count; n++) {
        struct menu_item item;
        require(page_link(&p, n, &item), "every numbered link exists");
        require(menu_is_link(&item), "a numbered row is a link");
        menu_marker(&item);
        if (menu_item_address(&item, &base, &addr) == 0)
            check_addr(&addr);
        if (menu_item_address(&item, NULL, &addr) == 0)
            check_addr(&addr);
    }
    struct menu_item none;
    require(!page_link(&p, 0, &none) && !page_link(&p, (unsigned)p.link_count + 1, &none),
            "no link 0 or past the last");
    const char *error;
    size_t error_len;
    if (page_error(&p, &error, &error_len))
        require(error >= p.data && error + error_len <= p.data + p.len, "error text inside");
    page_free(&p);
}

static void check_text(const uint8_t *data, size_t size)
{
    char *copy = malloc(size + 1);
    memcpy(copy, data, size);
    struct page p;
    if (page_build(&p, copy, size, false, NARROW, 1u << 16) == 0)
        check_rows(&p, NARROW);
    page_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_url(data, size);
    check_menu(data, size);
    check_text(data, size);
    return 0;
}
