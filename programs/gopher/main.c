/*
 * gopher [URL]: a gopher client (RFC 1436) on the console. Without a
 * URL it opens the start page named on the first line of /etc/gopher.
 *
 * A menu shows its links numbered, each with a type marker (menu.h); a
 * number and Enter follows one. A text document is shown wrapped; binary
 * items are never shown, only saved to a file. Bookmarks are a gopher
 * menu file, $HOME/.gopher-bookmarks (files.h). This file turns keys
 * into the browser's moves (browse.h); docs/gopher.md lists the keys and
 * the screen's layout.
 *
 * A number typed before `=`, `a` or `s` picks a link of the page for
 * it; without one they act on the page itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/console.h>
#include <parley/errors.h>

#include "browse.h"
#include "common.h"
#include "files.h"
#include "menu.h"
#include "page.h"
#include "screen.h"
#include "url.h"

#define CTRL(letter) ((letter)&0x1F)
#define START_PAGE "/etc/gopher"

static struct browser browser; /* static: the history is too big for a small stack */

/* The typed link number as an item of the page on screen. */
static bool typed_link(struct browser *b, unsigned *n, struct menu_item *item)
{
    *n = (unsigned)strtoul(b->digits, NULL, 10);
    b->digits[0] = '\0';
    if (!b->have_page || !page_link(&b->page, *n, item)) {
        browser_say(b, "no link %u here", *n);
        return false;
    }
    return true;
}

/* The item's address, or false after saying why it has none. */
static bool item_address(struct browser *b, unsigned n, const struct menu_item *item,
                         struct gopher_addr *addr)
{
    const struct gopher_addr *base = b->shown.bookmarks ? NULL : &b->shown.addr;
    int err = menu_item_address(item, base, addr);
    if (err < 0)
        browser_say(b, "link %u: %s", n, err == -E_RANGE ? "address too long" : "bad address");
    return err == 0;
}

static void follow(struct browser *b)
{
    unsigned n;
    struct menu_item item;
    static struct gopher_addr addr;
    char title[TITLE_MAX];
    if (!typed_link(b, &n, &item))
        return;
    browser_title(title, item.display, item.display_len);
    size_t url_len;
    const char *url = menu_url(&item, &url_len);
    if (url != NULL)
        browser_open_url(b, url, url_len, title);
    else if (item_address(b, n, &item, &addr))
        browser_go(b, &addr, title);
}

/* `=`: the typed link's address, else the page's. */
static void show_address(struct browser *b)
{
    static char text[GOPHER_URL_MAX];
    static struct gopher_addr addr;
    unsigned n;
    struct menu_item item;
    size_t url_len;
    const char *url;
    if (b->digits[0] == '\0') {
        if (!b->have_shown)
            browser_say(b, "no page");
        else if (b->shown.bookmarks)
            browser_say(b, "page: %s", bookmarks_path());
        else
            gopher_url_format(&b->shown.addr, text, sizeof(text)), browser_say(b, "page: %s", text);
    } else if (!typed_link(b, &n, &item)) {
        return;
    } else if ((url = menu_url(&item, &url_len)) != NULL) {
        browser_say(b, "link %u: %.*s", n, (int)(url_len < 150 ? url_len : 150), url);
    } else if (item_address(b, n, &item, &addr)) {
        if (addr.type == '8' || addr.type == 'T')
            browser_say(b, "link %u: telnet://%s:%u", n, addr.host, addr.port);
        else
            gopher_url_format(&addr, text, sizeof(text)), browser_say(b, "link %u: %s", n, text);
    }
}

/* `a`: bookmarks the typed link, else the page on screen. */
static void add_bookmark(struct browser *b)
{
    static struct gopher_addr addr;
    char title[TITLE_MAX];
    unsigned n;
    struct menu_item item;
    if (b->digits[0] != '\0') {
        if (!typed_link(b, &n, &item) || !item_address(b, n, &item, &addr))
            return;
        browser_title(title, item.display, item.display_len);
    } else if (b->have_page && !b->shown.bookmarks) {
        addr = b->shown.addr;
        snprintf(title, sizeof(title), "%s", b->shown.title);
    } else {
        browser_say(b, "nothing to bookmark");
        return;
    }
    if (bookmarks_path() == NULL) {
        browser_say(b, "no bookmarks: HOME is not set");
        return;
    }
    long err = bookmarks_add(&addr, title);
    if (err < 0)
        browser_say(b, "bookmark not saved: %s", error_string((int)err));
    else
        browser_say(b, "bookmarked: %s", title);
}

/* `s`: saves the typed link's item as it arrives, else the document on screen. */
static void save(struct browser *b)
{
    static struct gopher_addr addr;
    unsigned n;
    struct menu_item item;
    if (b->digits[0] != '\0') {
        if (typed_link(b, &n, &item) && item_address(b, n, &item, &addr))
            browser_download(b, &addr);
        return;
    }
    if (!b->have_page) {
        browser_say(b, "nothing to save");
        return;
    }
    char name[256];
    gopher_save_name(b->shown.bookmarks ? "bookmarks.txt" : b->shown.addr.selector, name,
                     sizeof(name));
    if (!screen_prompt(&b->screen, "Save as: ", name, sizeof(name)))
        return;
    size_t len;
    char *doc = page_document(&b->page, &len);
    long err = doc != NULL ? save_file(name, doc, len) : -E_NOMEM;
    free(doc);
    if (err < 0)
        browser_say(b, "%s: %s", name, error_string((int)err));
    else
        browser_say(b, "saved %zu bytes to %s", len, name);
}

/* `/` and `n`: the next row from `from` holding the find text. */
static void find(struct browser *b, size_t from)
{
    long row = b->have_page ? page_find(&b->page, from, b->find, b->screen.cols) : -1;
    if (row < 0) {
        browser_say(b, "not found: %s", b->find);
        return;
    }
    browser_say(b, "found on row %ld%s", row + 1, (size_t)row < from ? " (from the top)" : "");
    b->top = (size_t)row;
    b->mark = row;
}

/* Moves the screen by rows, keeping the last screen full when paging down. */
static void scroll(struct browser *b, long rows)
{
    size_t count = b->have_page ? b->page.count : 0;
    size_t last = count > b->screen.rows ? count - b->screen.rows : 0;
    long top = (long)b->top + rows;
    if (top < 0)
        top = 0;
    if (rows > 0 && (size_t)top > last)
        top = (long)(last > b->top ? last : b->top);
    b->top = (size_t)top;
}

/* Handles one key; returns false to quit. */
static bool handle_key(struct browser *b, const struct console_key *k)
{
    long page = (long)b->screen.rows;
    bool had_digits = b->digits[0] != '\0';
    b->message[0] = '\0';
    if (k->ch >= '0' && k->ch <= '9') {
        size_t len = strlen(b->digits);
        if (len < DIGITS_MAX)
            b->digits[len] = (char)k->ch, b->digits[len + 1] = '\0';
        return true;
    }
    if (k->key == '\b' && had_digits) {
        b->digits[strlen(b->digits) - 1] = '\0';
        return true;
    }
    switch (k->key) {
    case '\n':
        if (had_digits)
            follow(b);
        return true;
    case KEY_PAGE_DOWN:
        scroll(b, page);
        break;
    case KEY_PAGE_UP:
        scroll(b, -page);
        break;
    case KEY_DOWN:
        scroll(b, 1);
        break;
    case KEY_UP:
        scroll(b, -1);
        break;
    case KEY_HOME:
        b->top = 0;
        break;
    case KEY_END:
        scroll(b, (long)(b->have_page ? b->page.count : 0));
        break;
    default:
        switch (k->ch) {
        case ' ':
            scroll(b, page);
            break;
        case 'b':
            browser_step(b, -1);
            break;
        case 'f':
            browser_step(b, 1);
            break;
        case 'g': {
            static char text[GOPHER_URL_MAX];
            static struct gopher_addr addr;
            text[0] = '\0';
            if (!screen_prompt(&b->screen, "Go to: ", text, sizeof(text)))
                break;
            int err = gopher_url_parse(text, &addr);
            if (err < 0)
                browser_say(b, "%s: %s",
                            err == -E_RANGE ? "address too long" : "not a gopher address", text);
            else
                browser_go(b, &addr, text);
            break;
        }
        case '/':
            b->find[0] = '\0';
            if (screen_prompt(&b->screen, "Find: ", b->find, sizeof(b->find)))
                find(b, b->top);
            break;
        case 'n':
            if (b->find[0] == '\0')
                browser_say(b, "nothing to find: / first");
            else
                find(b, b->mark >= 0 ? (size_t)b->mark + 1 : b->top);
            break;
        case 's':
            save(b);
            break;
        case 'a':
            add_bookmark(b);
            break;
        case 'B': {
            static struct entry e = {.bookmarks = true, .title = "bookmarks"};
            e.top = 0;
            browser_visit(b, &e);
            break;
        }
        case '=':
            show_address(b);
            break;
        case 'r':
            if (!b->have_shown)
                break;
            b->shown.top = b->top;
            if (b->have_page)
                browser_load(b, &b->shown);
            else
                browser_visit(b, &b->shown);
            break;
        case '?':
            browser_say(
                b, "NUM Enter follow  b/f back/fwd  g go  / n find  s save  a B bookmarks  = q");
            break;
        case 'q':
        case CTRL('c'):
            return false;
        }
    }
    b->digits[0] = '\0';
    return true;
}

/* The address to start from: the argument, else the first line of /etc/gopher. */
static int start_address(int argc, char **argv, struct gopher_addr *addr, char *text, size_t size)
{
    if (argc == 2) {
        snprintf(text, size, "%s", argv[1]);
    } else {
        char *data;
        size_t len;
        long err = util_read_file(START_PAGE, 4096, &data, &len);
        if (err < 0) {
            fprintf(stderr, "gopher: no start page: %s: %s (try gopher gopher://HOST/)\n",
                    START_PAGE, error_string((int)err));
            return 1;
        }
        snprintf(text, size, "%.*s", (int)strcspn(data, "\n"), data);
        free(data);
        if (strspn(text, " \t\r") == strlen(text)) {
            fprintf(stderr, "gopher: %s holds no address (try gopher gopher://HOST/)\n",
                    START_PAGE);
            return 1;
        }
    }
    int err = gopher_url_parse(text, addr);
    if (err < 0) {
        fprintf(stderr, "gopher: %s: %s\n",
                err == -E_RANGE ? "address too long" : "not a gopher address", text);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static struct gopher_addr start;
    static char text[GOPHER_URL_MAX];
    struct browser *b = &browser;
    util_start("gopher");
    if (argc > 2)
        return util_usage("usage: gopher [URL]");
    if (start_address(argc, argv, &start, text, sizeof(text)) != 0)
        return 1;
    if (!screen_open(&b->screen))
        return util_usage("needs a console");
    b->mark = -1;
    browser_go(b, &start, text);
    long err = 0;
    for (;;) {
        browser_draw(b);
        struct console_key key;
        err = console_read_key(HANDLE_KEYS, &key);
        if (err < 0 || !handle_key(b, &key))
            break;
    }
    screen_close(&b->screen);
    page_free(&b->page);
    if (err < 0)
        return util_fail("console", err);
    return 0;
}
