/*
 * Checks what gopher makes of a server's reply (programs/gopher/menu.c
 * and page.c): line ends (CR LF, LF, none at the end), the "." line,
 * menu lines with fields missing or extra, info, error and URL lines,
 * the markers and the exact screen rows, an item's address (the host
 * defaulting to the menu's server), text dot-unstuffing and wrapping,
 * tabs, control bytes and non-ASCII shown safely, very long lines, the
 * row limit, finding, and the document as saved.
 */
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#include "../../programs/gopher/menu.h"
#include "../../programs/gopher/page.h"
#include "check.h"

/* The lines gopher_next_line finds in text, joined by '|'. */
static bool lines_are(const char *text, const char *want)
{
    char got[256] = "";
    size_t pos = 0, len = strlen(text), n = 0;
    const char *line;
    size_t line_len;
    while (gopher_next_line(text, len, &pos, &line, &line_len) && n + line_len + 2 < sizeof(got)) {
        if (n > 0)
            got[n++] = '|';
        memcpy(got + n, line, line_len);
        n += line_len;
        got[n] = '\0';
    }
    bool ok = strcmp(got, want) == 0;
    if (!ok)
        fprintf(stderr, "    lines \"%s\", want \"%s\"\n", got, want);
    return ok;
}

static void check_lines(void)
{
    CHECK(lines_are("a\r\nb\r\n.\r\n", "a|b"));
    CHECK(lines_are("a\nb\n.\n", "a|b"));
    CHECK(lines_are("a\nb", "a|b")); /* closed without "." or a last line end */
    CHECK(lines_are("a\r\n\r\nb\n", "a||b"));
    CHECK(lines_are("a\n.\nafter\n", "a"));
    CHECK(lines_are(".\r\n", ""));
    CHECK(lines_are(".", ""));
    CHECK(lines_are("", ""));
    CHECK(lines_are("..\n.x\n", "..|.x")); /* only a lone "." ends */
    CHECK(lines_are("a\r\r\nb\n", "a\r|b"));

    const char *line = "..x";
    size_t len = 3;
    text_unstuff(&line, &len);
    CHECK(len == 2 && memcmp(line, ".x", 2) == 0);
    line = ".x";
    len = 2;
    text_unstuff(&line, &len);
    CHECK(len == 2 && memcmp(line, ".x", 2) == 0);
    line = "..";
    len = 2;
    text_unstuff(&line, &len);
    CHECK(len == 1 && line[0] == '.');
}

static struct menu_item parse(const char *line)
{
    struct menu_item item;
    menu_parse_line(line, strlen(line), &item);
    return item;
}

static bool span_is(const char *text, size_t len, const char *want)
{
    return len == strlen(want) && memcmp(text, want, len) == 0;
}

static void check_parse_line(void)
{
    struct menu_item m = parse("1Sub menu\t/sub\texample.org\t70");
    CHECK(m.type == '1' && span_is(m.display, m.display_len, "Sub menu"));
    CHECK(span_is(m.selector, m.selector_len, "/sub") &&
          span_is(m.host, m.host_len, "example.org"));
    CHECK(m.port == 70 && menu_is_link(&m));

    m = parse("0Doc\t/d.txt\th\t7070\t+\textra"); /* gopher+ and more */
    CHECK(m.type == '0' && span_is(m.selector, m.selector_len, "/d.txt") && m.port == 7070);
    m = parse("0Doc\t/d.txt"); /* no host, no port */
    CHECK(m.type == '0' && span_is(m.selector, m.selector_len, "/d.txt") && m.host_len == 0);
    CHECK(m.port == 0);
    m = parse("0Doc\t/d\t host \t 71 "); /* spaces around host and port */
    CHECK(span_is(m.host, m.host_len, "host") && m.port == 71);
    m = parse("0Doc\t/d\th\tx70");
    CHECK(m.port == 0);
    m = parse("0Doc\t/d\th\t99999");
    CHECK(m.port == 0);
    m = parse("1\t\th\t70");
    CHECK(m.type == '1' && m.display_len == 0 && m.selector_len == 0);

    m = parse("iWelcome to the server\tfake\t(NULL)\t0");
    CHECK(m.type == 'i' && span_is(m.display, m.display_len, "Welcome to the server"));
    CHECK(!menu_is_link(&m));
    m = parse("3Not found\terror\terror.host\t1");
    CHECK(m.type == '3' && !menu_is_link(&m));
    m = parse("Just some text with no tab"); /* plain text: shown, never followed */
    CHECK(m.type == 'i' && span_is(m.display, m.display_len, "Just some text with no tab"));
    m = parse("");
    CHECK(m.type == 'i' && m.display_len == 0);
    m = parse("\tsel\thost\t70"); /* no type at all */
    CHECK(m.type == 'i' && m.display_len == 0 && !menu_is_link(&m));

    size_t len;
    m = parse("hWeb site\tURL:http://example.org/\th\t70");
    const char *url = menu_url(&m, &len);
    CHECK(url != NULL && span_is(url, len, "http://example.org/"));
    m = parse("hPage\t/page.html\th\t70");
    CHECK(menu_url(&m, &len) == NULL);
    m = parse("0Text\tURL:http://x/\th\t70");
    CHECK(menu_url(&m, &len) == NULL);
}

static bool marker_is(const char *line, const char *want)
{
    struct menu_item m = parse(line);
    return strcmp(menu_marker(&m), want) == 0;
}

static void check_markers(void)
{
    CHECK(marker_is("0x\ts\th\t70", "[TXT]"));
    CHECK(marker_is("1x\ts\th\t70", "[DIR]"));
    CHECK(marker_is("7x\ts\th\t70", "[?]"));
    CHECK(marker_is("9x\ts\th\t70", "[BIN]"));
    CHECK(marker_is("5x\ts\th\t70", "[BIN]"));
    CHECK(marker_is("sx\ts\th\t70", "[BIN]"));
    CHECK(marker_is("zx\ts\th\t70", "[BIN]")); /* unknown: saved, never shown */
    CHECK(marker_is("gx\ts\th\t70", "[IMG]"));
    CHECK(marker_is("Ix\ts\th\t70", "[IMG]"));
    CHECK(marker_is("hx\tURL:http://a/\th\t70", "[URL]"));
    CHECK(marker_is("hx\t/a.html\th\t70", "[HTM]"));
    CHECK(marker_is("8x\t\th\t23", "[TEL]"));
    CHECK(marker_is("2x\t\th\t105", "[CSO]"));
}

/* The screen row for line as link `number`, width columns. */
static bool row_is(const char *line, unsigned number, size_t width, const char *want)
{
    struct menu_item m = parse(line);
    char out[512];
    size_t n = menu_format_line(&m, number, width, out);
    bool ok = n == strlen(want) && memcmp(out, want, n) == 0;
    if (!ok)
        fprintf(stderr, "    row \"%.*s\", want \"%s\"\n", (int)n, out, want);
    return ok;
}

static void check_rows(void)
{
    CHECK(row_is("1Sub menu\t/sub\th\t70", 1, 80, "  1 [DIR] Sub menu"));
    CHECK(row_is("0About\t/about\th\t70", 12, 80, " 12 [TXT] About"));
    CHECK(row_is("7Search\t/s\th\t70", 3, 80, "  3 [?] Search"));
    CHECK(row_is("9File\t/f.zip\th\t70", 1000, 80, "1000 [BIN] File"));
    CHECK(row_is("iHello\tfake\t(NULL)\t0", 0, 80, "          Hello"));
    CHECK(row_is("Plain text", 0, 80, "          Plain text"));
    CHECK(row_is("3Not found\terr\terr\t1", 0, 80, "    [ERR] Not found"));
    CHECK(row_is("hSite\tURL:http://a.org/\th\t70", 4, 80, "  4 [URL] Site <http://a.org/>"));
    CHECK(row_is("hhttp://a.org/\tURL:http://a.org/\th\t70", 4, 80, "  4 [URL] http://a.org/"));
    CHECK(row_is("1Sub menu\t/sub\th\t70", 1, 12, "  1 [DIR] Su"));
    CHECK(row_is("1Sub menu\t/sub\th\t70", 1, 5, "  1 ["));
    CHECK(row_is("iA\tB", 0, 0, ""));
    /* what the console must never see: escapes, controls, raw non-ASCII */
    CHECK(row_is("i\033[2J\x07x\x7F\tf\th\t1", 0, 80, "          ?[2J?x?"));
    CHECK(row_is("0caf\xC3\xA9 \xE2\x82\xAC \xE9t\xE9\t/x\th\t70", 1, 80, "  1 [TXT] caf? ? ?t?"));
    CHECK(row_is("0bad \xC3 \xF0\x9F\x98\t/x\th\t70", 1, 80, "  1 [TXT] bad ? ???"));
}

static void check_render(void)
{
    char out[64];
    size_t n;
    CHECK(text_render("a\tb", 3, 80, out, &n) == 3 && n == 9 && memcmp(out, "a       b", 9) == 0);
    CHECK(text_render("abcdef", 6, 4, out, &n) == 4 && n == 4); /* the rest for the next row */
    CHECK(text_render("ab\tc", 4, 5, out, &n) == 2 && n == 2);  /* the tab waits for a row */
    CHECK(text_render("\tx", 2, 4, out, &n) == 1 && n == 4);    /* a tab wider than a row */
    CHECK(text_render("a\rb\r", 4, 80, out, &n) == 4 && n == 2 && memcmp(out, "ab", 2) == 0);
    CHECK(text_render("ab\xC3\xA9", 4, 3, out, &n) == 4 && n == 3); /* é stays whole */
    CHECK(text_render("ab\xC3\xA9", 4, 2, out, &n) == 2 && n == 2);
    CHECK(text_render("abc", 3, 0, out, &n) == 0 && n == 0);
    CHECK(text_render("abc", 3, 2, NULL, &n) == 2 && n == 2); /* measuring only */
}

static void check_address(void)
{
    struct gopher_addr base = {.type = '1', .port = 7070}, a;
    strcpy(base.host, "menu.host");
    struct menu_item m = parse("0Doc\t/d.txt\tother.host\t71");
    CHECK(menu_item_address(&m, &base, &a) == 0);
    CHECK(a.type == '0' && strcmp(a.host, "other.host") == 0 && a.port == 71);
    CHECK(strcmp(a.selector, "/d.txt") == 0);
    m = parse("0Doc\t/d.txt\tother.host");
    CHECK(menu_item_address(&m, &base, &a) == 0 && a.port == 70);
    m = parse("0Doc\t/d.txt");
    CHECK(menu_item_address(&m, &base, &a) == 0);
    CHECK(strcmp(a.host, "menu.host") == 0 && a.port == 7070);
    CHECK(menu_item_address(&m, NULL, &a) == -E_INVAL);
    m = parse("0Doc\t/d\tbad/host\t70");
    CHECK(menu_item_address(&m, &base, &a) == -E_INVAL);
    m = parse("0Doc\t/d\rx\th\t70");
    CHECK(menu_item_address(&m, &base, &a) == -E_INVAL);
    struct menu_item nul = parse("0Doc\t/d\th\t70");
    char with_nul[] = "0Doc\t/\0d\th\t70";
    menu_parse_line(with_nul, sizeof(with_nul) - 1, &nul);
    CHECK(menu_item_address(&nul, &base, &a) == -E_INVAL);
    /* base may be the result itself */
    m = parse("1Up\t/up");
    CHECK(menu_item_address(&m, &base, &base) == 0 && strcmp(base.host, "menu.host") == 0);
    CHECK(strcmp(base.selector, "/up") == 0);

    /* a selector or host too long for the address, safely refused */
    size_t big = GOPHER_SELECTOR_MAX + 100;
    char *line = malloc(big + 32);
    memcpy(line, "0Long\t", 6);
    memset(line + 6, 's', big);
    memcpy(line + 6 + big, "\th\t70", 6);
    menu_parse_line(line, strlen(line), &m);
    CHECK(m.selector_len == big && menu_item_address(&m, &base, &a) == -E_RANGE);
    free(line);
}

/* A page of text, from a string literal. */
static int build(struct page *p, const char *text, bool menu, size_t cols, size_t max_rows)
{
    size_t len = strlen(text);
    char *data = malloc(len + 1);
    memcpy(data, text, len + 1);
    return page_build(p, data, len, menu, cols, max_rows);
}

static bool page_row_is(const struct page *p, size_t row, const char *want)
{
    char out[512];
    size_t n = page_row_text(p, row, 80, out);
    bool ok = n == strlen(want) && memcmp(out, want, n) == 0;
    if (!ok)
        fprintf(stderr, "    row %zu \"%.*s\", want \"%s\"\n", row, (int)n, out, want);
    return ok;
}

static void check_menu_page(void)
{
    struct page p;
    const char *menu = "iWelcome\tfake\t(NULL)\t0\r\n"
                       "1Sub menu\t/sub\th\t70\r\n"
                       "0About\t/about.txt\th\t70\r\n"
                       "3Oops\terr\terr\t0\r\n"
                       "7Search\t/search\th\t70\r\n"
                       ".\r\n"
                       "1After the end\t/x\th\t70\r\n";
    CHECK(build(&p, menu, true, 80, 1000) == 0);
    CHECK(p.count == 5 && p.link_count == 3 && !p.truncated);
    CHECK(page_row_is(&p, 0, "          Welcome"));
    CHECK(page_row_is(&p, 1, "  1 [DIR] Sub menu"));
    CHECK(page_row_is(&p, 2, "  2 [TXT] About"));
    CHECK(page_row_is(&p, 3, "    [ERR] Oops"));
    CHECK(page_row_is(&p, 4, "  3 [?] Search"));
    CHECK(page_row_is(&p, 5, ""));
    struct menu_item m;
    CHECK(page_link(&p, 2, &m) && span_is(m.selector, m.selector_len, "/about.txt"));
    CHECK(!page_link(&p, 0, &m) && !page_link(&p, 4, &m));
    const char *error;
    size_t error_len;
    CHECK(!page_error(&p, &error, &error_len)); /* it has links */
    CHECK(page_find(&p, 0, "about", 80) == 2);
    CHECK(page_find(&p, 3, "SUB MENU", 80) == 1); /* wraps round, any case */
    CHECK(page_find(&p, 0, "nowhere", 80) == -1);
    CHECK(page_find(&p, 0, "", 80) == -1);
    size_t len;
    char *doc = page_document(&p, &len);
    CHECK(doc != NULL && len == strlen(menu) - strlen(".\r\n1After the end\t/x\th\t70\r\n"));
    CHECK(doc != NULL && memcmp(doc, menu, len) == 0);
    free(doc);
    page_free(&p);

    CHECK(build(&p, "3'/nothing' does not exist!\terror.host\t1\r\n.\r\n", true, 80, 10) == 0);
    CHECK(p.link_count == 0 && page_error(&p, &error, &error_len));
    CHECK(span_is(error, error_len, "'/nothing' does not exist!"));
    page_free(&p);

    CHECK(build(&p, "", true, 80, 10) == 0 && p.count == 0 && p.link_count == 0);
    CHECK(!page_link(&p, 1, &m) && page_find(&p, 0, "x", 80) == -1);
    page_free(&p);

    /* the row limit */
    CHECK(build(&p, "1a\ta\th\t70\n1b\tb\th\t70\n1c\tc\th\t70\n", true, 80, 2) == 0);
    CHECK(p.count == 2 && p.link_count == 2 && p.truncated);
    page_free(&p);
}

static void check_text_page(void)
{
    struct page p;
    CHECK(build(&p, "First line\r\n..dot line\r\n\r\n.x\r\n.\r\nnot shown\r\n", false, 80, 100) ==
          0);
    CHECK(p.count == 4 && !p.menu && p.link_count == 0);
    CHECK(page_row_is(&p, 0, "First line"));
    CHECK(page_row_is(&p, 1, ".dot line"));
    CHECK(page_row_is(&p, 2, ""));
    CHECK(page_row_is(&p, 3, ".x"));
    struct menu_item m;
    CHECK(!page_link(&p, 1, &m));
    size_t len;
    char *doc = page_document(&p, &len);
    CHECK(doc != NULL && len == 25 && memcmp(doc, "First line\n.dot line\n\n.x\n", 25) == 0);
    free(doc);
    page_free(&p);

    /* wrapping: 25 bytes at 10 columns is three rows; a tab counts its columns */
    CHECK(build(&p, "abcdefghijklmnopqrstuvwxy\nab\tcdefghij\n", false, 10, 100) == 0);
    CHECK(p.count == 5);
    CHECK(p.rows[0].len == 10 && p.rows[1].len == 10 && p.rows[2].len == 5);
    CHECK(p.rows[3].len == 5 && p.rows[4].len == 6); /* "ab" + tab = 8 columns, +2 = 10 */
    CHECK(page_row_is(&p, 3, "ab      cd"));
    CHECK(page_find(&p, 0, "uvw", 10) == 2);
    doc = page_document(&p, &len); /* saved as received, not as wrapped */
    CHECK(doc != NULL && len == 38 &&
          memcmp(doc, "abcdefghijklmnopqrstuvwxy\nab\tcdefghij\n", 38) == 0);
    free(doc);
    page_free(&p);

    /* no line end at the end: the last line still counts, and saves with one */
    CHECK(build(&p, "one\ntwo", false, 80, 100) == 0 && p.count == 2);
    doc = page_document(&p, &len);
    CHECK(doc != NULL && len == 8 && memcmp(doc, "one\ntwo\n", 8) == 0);
    free(doc);
    page_free(&p);
}

/* A 1 MiB line with no end, in a menu and in a text document. */
static void check_long_lines(void)
{
    size_t big = 1u << 20;
    struct page p;
    char *data = malloc(big);
    memset(data, 'x', big);
    data[0] = '0';
    data[big - 20] = '\t'; /* a display of a million bytes */
    CHECK(page_build(&p, data, big, true, 80, 1000) == 0);
    CHECK(p.count == 1 && p.link_count == 1);
    char out[512];
    CHECK(page_row_text(&p, 0, 80, out) == 80);
    CHECK(memcmp(out, "  1 [TXT] xxxxxxxxx", 19) == 0);
    page_free(&p);

    data = malloc(big);
    memset(data, 'y', big);
    CHECK(page_build(&p, data, big, false, 80, 1u << 20) == 0);
    CHECK(p.count == (big + 79) / 80 && !p.truncated);
    page_free(&p);
    data = malloc(big);
    memset(data, 'y', big);
    CHECK(page_build(&p, data, big, false, 80, 100) == 0 && p.count == 100 && p.truncated);
    page_free(&p);
}

int main(void)
{
    check_lines();
    check_parse_line();
    check_markers();
    check_rows();
    check_render();
    check_address();
    check_menu_page();
    check_text_page();
    check_long_lines();
    return check_finish("gopher_menu_test");
}
