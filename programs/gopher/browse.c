/*
 * The browser (see browse.h): loading pages into the history, the
 * status line, downloads, and what each item type leads to.
 */
#include "browse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/file.h>

#include "fetch.h"
#include "files.h"
#include "menu.h"

void browser_say(struct browser *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->message, sizeof(b->message), fmt, ap);
    va_end(ap);
}

void browser_draw(struct browser *b)
{
    static char left[GOPHER_URL_MAX];
    char right[sizeof(b->message)];
    if (!b->have_shown)
        snprintf(left, sizeof(left), "gopher");
    else if (b->shown.bookmarks)
        snprintf(left, sizeof(left), "bookmarks");
    else
        gopher_url_format(&b->shown.addr, left, sizeof(left));
    const struct page *p = b->have_page ? &b->page : NULL;
    if (b->message[0] != '\0')
        snprintf(right, sizeof(right), "%s", b->message);
    else if (b->digits[0] != '\0')
        snprintf(right, sizeof(right), "link %s", b->digits);
    else if (p != NULL && p->count == 0)
        snprintf(right, sizeof(right), "empty");
    else if (p != NULL) {
        size_t last = b->top + b->screen.rows < p->count ? b->top + b->screen.rows : p->count;
        snprintf(right, sizeof(right), "%zu-%zu/%zu%s", b->top + 1, last, p->count,
                 p->truncated ? " truncated" : "");
    } else
        right[0] = '\0';
    screen_draw(&b->screen, p, b->top, b->mark, left, right);
}

/* A message drawn at once, before something slow. */
static void announce(struct browser *b, const char *text)
{
    browser_say(b, "%s", text);
    browser_draw(b);
}

/* Copies text as the screen would show it into title. */
void browser_title(char title[TITLE_MAX], const char *text, size_t len)
{
    size_t n;
    text_render(text, len, TITLE_MAX - 1, title, &n);
    title[n] = '\0';
}

/* Fetches e and, when that works, puts it on screen at e->top. */
bool browser_load(struct browser *b, const struct entry *e)
{
    char *data = NULL;
    size_t len = 0;
    long err = 0;
    bool truncated = false;
    if (e->bookmarks) {
        if (bookmarks_path() == NULL) {
            browser_say(b, "no bookmarks: HOME is not set");
            return false;
        }
        err = bookmarks_read(&data, &len);
        if (err < 0) {
            browser_say(b, "%s",
                        err == -E_NOENT ? "no bookmarks yet: a adds one" : error_string((int)err));
            return false;
        }
    } else {
        announce(b, "loading...");
        struct fetch_reply reply;
        err = fetch_document(&e->addr, &reply);
        if (reply.len == 0) {
            free(reply.data);
            browser_say(b, "%s:%u: %s", e->addr.host, e->addr.port,
                        err < 0 ? error_string((int)err) : "closed without a reply");
            if (!b->have_shown)
                b->shown = *e, b->have_shown = true;
            return false;
        }
        data = reply.data;
        len = reply.len;
        truncated = reply.truncated;
    }
    struct page page;
    bool menu = e->bookmarks || e->addr.type == '1' || e->addr.type == '7';
    int built = page_build(&page, data, len, menu, b->screen.cols, MAX_ROWS);
    if (built < 0) {
        page_free(&page);
        browser_say(b, "%s", error_string(built));
        return false;
    }
    page_free(&b->page);
    b->page = page;
    b->have_page = true;
    b->shown = *e;
    b->have_shown = true;
    b->top = e->top < page.count ? e->top : 0;
    b->mark = -1;
    const char *error;
    size_t error_len;
    b->message[0] = '\0';
    if (truncated)
        browser_say(b, "truncated at %u MiB", FETCH_LIMIT >> 20);
    else if (page.truncated)
        browser_say(b, "truncated at %u rows", MAX_ROWS);
    else if (err < 0)
        browser_say(b, "incomplete: %s", error_string((int)err));
    else if (page_error(&page, &error, &error_len))
        browser_say(b, "server error: %.*s", (int)(error_len < 120 ? error_len : 120), error);
    return true;
}

/* Loads e as a new page after the current one, dropping the pages ahead of it. */
void browser_visit(struct browser *b, const struct entry *e)
{
    if (b->have_page && b->history_count > 0)
        b->history[b->history_at].top = b->top;
    if (!browser_load(b, e))
        return;
    if (b->history_count > 0)
        b->history_count = b->history_at + 1;
    if (b->history_count == HISTORY_MAX) {
        memmove(&b->history[0], &b->history[1], (HISTORY_MAX - 1) * sizeof(b->history[0]));
        b->history_count--;
    }
    b->history[b->history_count] = b->shown;
    b->history_at = b->history_count++;
}

/* Moves by step (-1 back, +1 forward) in the history. */
void browser_step(struct browser *b, int step)
{
    if (b->history_count == 0 || (step < 0 && b->history_at == 0) ||
        (step > 0 && b->history_at + 1 >= b->history_count)) {
        browser_say(b, "%s", step < 0 ? "no earlier page" : "no later page");
        return;
    }
    b->history[b->history_at].top = b->top;
    if (browser_load(b, &b->history[b->history_at + (size_t)(long)step]))
        b->history_at += (size_t)(long)step;
}

/* Asks for a file name (default from the selector) and saves the item there as it arrives. */
void browser_download(struct browser *b, const struct gopher_addr *addr)
{
    char name[256];
    gopher_save_name(addr->selector, name, sizeof(name));
    if (!screen_prompt(&b->screen, "Save as: ", name, sizeof(name)))
        return;
    long file = save_open(name);
    if (file < 0) {
        browser_say(b, "%s: %s", name, error_string((int)file));
        return;
    }
    announce(b, "downloading...");
    uint64_t bytes;
    long err = fetch_to_file(addr, (uint32_t)file, &bytes);
    file_close((uint32_t)file);
    if (err < 0 && bytes == 0) {
        save_remove(name);
        browser_say(b, "%s:%u: %s (nothing saved)", addr->host, addr->port, error_string((int)err));
    } else if (err < 0)
        browser_say(b, "%s: %s after %llu bytes", name, error_string((int)err),
                    (unsigned long long)bytes);
    else
        browser_say(b, "saved %llu bytes to %s", (unsigned long long)bytes, name);
}

/* An "h" item's URL: followed when it is a gopher URL, else only shown. */
void browser_open_url(struct browser *b, const char *url, size_t len, const char *title)
{
    static struct gopher_addr addr;
    char text[GOPHER_URL_MAX];
    snprintf(text, sizeof(text), "%.*s", (int)(len < sizeof(text) - 1 ? len : sizeof(text) - 1),
             url);
    bool gopher = strncmp(text, "gopher://", 9) == 0 || strncmp(text, "GOPHER://", 9) == 0;
    if (!gopher || gopher_url_parse(text, &addr) < 0 ||
        (addr.type == 'h' && strncmp(addr.selector, "URL:", 4) == 0)) {
        browser_say(b, "external link: %s", text);
        return;
    }
    browser_go(b, &addr, title);
}

/* Shows, saves or refuses addr according to its type. */
void browser_go(struct browser *b, const struct gopher_addr *addr, const char *title)
{
    static struct entry e;
    memset(&e, 0, sizeof(e));
    e.addr = *addr;
    browser_title(e.title, title, strlen(title));
    switch (addr->type) {
    case '8':
    case 'T':
        browser_say(b, "telnet sessions are not supported (%s:%u)", addr->host, addr->port);
        return;
    case '2':
        browser_say(b, "CSO phone books are not supported");
        return;
    case 'i':
    case '3':
        browser_say(b, "not a link");
        return;
    case 'h':
        if (strncmp(addr->selector, "URL:", 4) == 0) {
            browser_open_url(b, addr->selector + 4, strlen(addr->selector + 4), title);
            return;
        }
        break;
    case '7':
        if (strchr(addr->selector, '\t') == NULL) {
            char query[256] = "";
            if (!screen_prompt(&b->screen, "Search: ", query, sizeof(query)))
                return;
            size_t len = strlen(e.addr.selector);
            if (len + 1 + strlen(query) >= sizeof(e.addr.selector)) {
                browser_say(b, "query too long");
                return;
            }
            snprintf(e.addr.selector + len, sizeof(e.addr.selector) - len, "\t%s", query);
        }
        break;
    case '0':
    case '1':
        break;
    default:
        browser_download(b, addr);
        return;
    }
    browser_visit(b, &e);
}
