/*
 * Checks gopher's URLs (programs/gopher/url.c): RFC 4266 addresses with
 * and without the scheme, port and type, the defaults (port 70, type 1),
 * percent-decoding of the selector (a %09 search query included), what
 * is refused (other schemes, bad hosts and ports, CR/LF/NUL in the
 * selector, too long), formatting back with the escapes a URL needs and
 * the round trip through both, and the file names offered for saving.
 */
#include <string.h>

#include <parley/errors.h>

#include "../../programs/gopher/url.h"
#include "check.h"

/* Parses text and checks every field of the result. */
static bool parses_to(const char *text, const char *host, unsigned port, char type,
                      const char *selector)
{
    struct gopher_addr a;
    int err = gopher_url_parse(text, &a);
    bool ok = err == 0 && strcmp(a.host, host) == 0 && a.port == port && a.type == type &&
              strcmp(a.selector, selector) == 0;
    if (!ok)
        fprintf(stderr, "    \"%s\": err %d host \"%s\" port %u type '%c' selector \"%s\"\n", text,
                err, err == 0 ? a.host : "", err == 0 ? a.port : 0, err == 0 ? a.type : '-',
                err == 0 ? a.selector : "");
    return ok;
}

static int parse_error(const char *text)
{
    struct gopher_addr a;
    return gopher_url_parse(text, &a);
}

static void check_parse(void)
{
    CHECK(parses_to("gopher://10.0.2.2/1", "10.0.2.2", 70, '1', ""));
    CHECK(parses_to("gopher://example.org", "example.org", 70, '1', ""));
    CHECK(parses_to("gopher://example.org/", "example.org", 70, '1', ""));
    CHECK(parses_to("example.org", "example.org", 70, '1', ""));
    CHECK(parses_to("example.org:7070/0/docs/a.txt", "example.org", 7070, '0', "/docs/a.txt"));
    CHECK(parses_to("gopher://host:70/1/sub", "host", 70, '1', "/sub"));
    CHECK(parses_to("GOPHER://Host:71/0x", "Host", 71, '0', "x"));
    CHECK(parses_to("gopher://host:/1/x", "host", 70, '1', "/x")); /* empty port */
    CHECK(parses_to("  gopher://host/1/x \r\n", "host", 70, '1', "/x"));
    CHECK(parses_to("gopher://host/9/file.zip", "host", 70, '9', "/file.zip"));
    CHECK(parses_to("gopher://my_host-1.local/1", "my_host-1.local", 70, '1', ""));
    /* percent-decoding, of the type too, and lenient about stray '%' */
    CHECK(parses_to("gopher://h/0/a%20b%2fc", "h", 70, '0', "/a b/c"));
    CHECK(parses_to("gopher://h/%31/x", "h", 70, '1', "/x"));
    CHECK(parses_to("gopher://h/0/100%", "h", 70, '0', "/100%"));
    CHECK(parses_to("gopher://h/0/%zz%4", "h", 70, '0', "/%zz%4"));
    CHECK(parses_to("gopher://h/0/caf%C3%A9", "h", 70, '0', "/caf\xC3\xA9"));
    /* a search with its query after %09 */
    CHECK(parses_to("gopher://h/7/find%09two words", "h", 70, '7', "/find\ttwo words"));
    CHECK(parses_to("gopher://h/7/find%09a%09b", "h", 70, '7', "/find\ta\tb"));
    /* '?' and '#' are just bytes of a selector */
    CHECK(parses_to("gopher://h/1/a?b#c", "h", 70, '1', "/a?b#c"));
    CHECK(parses_to("gopher://h/hURL:http://x.org/", "h", 70, 'h', "URL:http://x.org/"));

    CHECK(parse_error("http://example.org/") == -E_INVAL);
    CHECK(parse_error("gopherx://h/") == -E_INVAL);
    CHECK(parse_error("") == -E_INVAL);
    CHECK(parse_error("   ") == -E_INVAL);
    CHECK(parse_error("gopher://") == -E_INVAL);
    CHECK(parse_error("gopher:///1") == -E_INVAL);
    CHECK(parse_error("gopher://:70/1") == -E_INVAL);
    CHECK(parse_error("gopher://h:0/1") == -E_INVAL);
    CHECK(parse_error("gopher://h:65536/1") == -E_INVAL);
    CHECK(parse_error("gopher://h:99999999999999999999/1") == -E_INVAL);
    CHECK(parse_error("gopher://h:7x/1") == -E_INVAL);
    CHECK(parse_error("gopher://a b/1") == -E_INVAL);
    CHECK(parse_error("gopher://[::1]/1") == -E_INVAL);
    CHECK(parse_error("gopher://h/../1") == 0);           /* only bytes of a selector */
    CHECK(parse_error("gopher://h/0/a%0Db") == -E_INVAL); /* CR would end the request */
    CHECK(parse_error("gopher://h/0/a%0ab") == -E_INVAL);
    CHECK(parse_error("gopher://h/0/a%00b") == -E_INVAL);
    CHECK(parse_error("gopher://h/%00") == -E_INVAL);
    CHECK(parse_error("gopher://h/%09x") == -E_INVAL); /* a tab is no type */
    CHECK(parses_to("gopher://h:65535/1", "h", 65535, '1', ""));

    char big[GOPHER_SELECTOR_MAX + 64];
    memcpy(big, "gopher://h/0", 12);
    memset(big + 12, 'x', GOPHER_SELECTOR_MAX - 1);
    big[12 + GOPHER_SELECTOR_MAX - 1] = '\0'; /* the longest selector that fits */
    CHECK(parse_error(big) == 0);
    big[12 + GOPHER_SELECTOR_MAX - 1] = 'x';
    big[12 + GOPHER_SELECTOR_MAX] = '\0';
    CHECK(parse_error(big) == -E_RANGE);
    char host[GOPHER_HOST_MAX + 16];
    memcpy(host, "gopher://", 9);
    memset(host + 9, 'a', GOPHER_HOST_MAX);
    host[9 + GOPHER_HOST_MAX] = '\0';
    CHECK(parse_error(host) == -E_RANGE);
    host[9 + GOPHER_HOST_MAX - 1] = '\0';
    CHECK(parse_error(host) == 0);
}

static bool formats_to(char type, const char *host, unsigned port, const char *selector,
                       const char *want)
{
    struct gopher_addr a = {.type = type, .port = port};
    strcpy(a.host, host);
    strcpy(a.selector, selector);
    char out[GOPHER_URL_MAX];
    size_t n = gopher_url_format(&a, out, sizeof(out));
    bool ok = n == strlen(want) && strcmp(out, want) == 0;
    if (!ok)
        fprintf(stderr, "    formatted \"%s\", want \"%s\"\n", out, want);
    return ok;
}

static void check_format(void)
{
    CHECK(formats_to('1', "10.0.2.2", 70, "", "gopher://10.0.2.2:70/1"));
    CHECK(formats_to('0', "h", 7070, "/docs/a.txt", "gopher://h:7070/0/docs/a.txt"));
    CHECK(formats_to('7', "h", 70, "/find\ttwo words", "gopher://h:70/7/find%09two%20words"));
    CHECK(formats_to('0', "h", 70, "100%\"#<>~", "gopher://h:70/0100%25%22%23%3C%3E~"));
    CHECK(formats_to('0', "h", 70, "caf\xC3\xA9\x7F", "gopher://h:70/0caf%C3%A9%7F"));
    CHECK(formats_to('%', "h", 70, "", "gopher://h:70/%25"));
    CHECK(formats_to('h', "h", 70, "URL:http://x.org/", "gopher://h:70/hURL:http://x.org/"));

    /* cut short like snprintf: the whole length back, always a NUL */
    struct gopher_addr a = {.type = '1', .port = 70};
    strcpy(a.host, "example.org");
    char small[10];
    CHECK(gopher_url_format(&a, small, sizeof(small)) == strlen("gopher://example.org:70/1"));
    CHECK(strcmp(small, "gopher://") == 0);
    CHECK(gopher_url_format(&a, NULL, 0) == strlen("gopher://example.org:70/1"));
}

/* Formatting then parsing gives back the address, for every byte a selector may hold. */
static void check_round_trip(void)
{
    struct gopher_addr a = {.type = '0', .port = 1234}, back;
    strcpy(a.host, "h.example");
    size_t n = 0;
    for (int c = 1; c < 256; c++)
        if (c != '\r' && c != '\n')
            a.selector[n++] = (char)c;
    a.selector[n] = '\0';
    char url[GOPHER_URL_MAX];
    gopher_url_format(&a, url, sizeof(url));
    CHECK(gopher_url_parse(url, &back) == 0);
    CHECK(back.type == a.type && back.port == a.port && strcmp(back.host, a.host) == 0);
    CHECK(strcmp(back.selector, a.selector) == 0);
    for (int t = 1; t < 256; t++) {
        if (t == '\t' || t == '\r' || t == '\n')
            continue;
        struct gopher_addr b = {.type = (char)t, .port = 70};
        strcpy(b.host, "h");
        strcpy(b.selector, "/s");
        gopher_url_format(&b, url, sizeof(url));
        CHECKF(gopher_url_parse(url, &back) == 0 && back.type == (char)t &&
                   strcmp(back.selector, "/s") == 0,
               "type 0x%02x: %s", t, url);
    }
}

static bool host_ok(const char *name)
{
    return gopher_host_valid(name, strlen(name));
}

static void check_hosts(void)
{
    CHECK(host_ok("10.0.2.2"));
    CHECK(host_ok("gopher.floodgap.com"));
    CHECK(host_ok("a-b_c"));
    CHECK(!host_ok(""));
    CHECK(!host_ok("a/b"));
    CHECK(!host_ok("a:b"));
    CHECK(!host_ok("a b"));
    CHECK(!host_ok("h\xC3\xA9"));
    CHECK(!gopher_host_valid("ab\0c", 4));
}

static bool save_name_is(const char *selector, const char *want)
{
    char out[64];
    gopher_save_name(selector, out, sizeof(out));
    bool ok = strcmp(out, want) == 0;
    if (!ok)
        fprintf(stderr, "    save name of \"%s\": \"%s\", want \"%s\"\n", selector, out, want);
    return ok;
}

static void check_save_names(void)
{
    CHECK(save_name_is("/files/archive.zip", "archive.zip"));
    CHECK(save_name_is("archive.zip", "archive.zip"));
    CHECK(save_name_is("/dir/sub/", "sub"));
    CHECK(save_name_is("", "gopher.out"));
    CHECK(save_name_is("/", "gopher.out"));
    CHECK(save_name_is("/a/..", "_."));
    CHECK(save_name_is("/a/.hidden", "_hidden"));
    CHECK(save_name_is("/a b/c d&e.txt", "c_d_e.txt"));
    CHECK(save_name_is("/find\tquery/x", "find"));
    CHECK(save_name_is("/caf\xC3\xA9.txt", "caf__.txt"));
    char tiny[4];
    gopher_save_name("/abcdef", tiny, sizeof(tiny));
    CHECK(strcmp(tiny, "abc") == 0);
    gopher_save_name("", tiny, sizeof(tiny));
    CHECK(strcmp(tiny, "gop") == 0);
}

int main(void)
{
    check_parse();
    check_format();
    check_round_trip();
    check_hosts();
    check_save_names();
    return check_finish("gopher_url_test");
}
