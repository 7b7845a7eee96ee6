/*
 * Gopher addresses: an item's type, host, port and selector (RFC 1436),
 * and their text form, the gopher URL of RFC 4266:
 *
 *   [gopher://]HOST[:PORT][/TYPE[SELECTOR]]
 *
 * The part after the first '/' is percent-decoded as a whole, so "%09"
 * puts a tab in the selector: for a search (type 7) the text after that
 * tab is the query, sent to the server as it stands. No port means 70,
 * no type means '1' (a menu). Nothing here makes a system call, so
 * tests/unit/gopher_url_test.c checks it on the build machine.
 */
#ifndef PARLEY_GOPHER_URL_H
#define PARLEY_GOPHER_URL_H

#include <stdbool.h>
#include <stddef.h>

#define GOPHER_PORT 70
#define GOPHER_HOST_MAX 256      /* bytes in a host name, with the NUL */
#define GOPHER_SELECTOR_MAX 2048 /* bytes in a selector (and query), with the NUL */
#define GOPHER_URL_MAX 8192      /* room for any formatted address */

struct gopher_addr {
    char type; /* the item type: '0' text, '1' menu, '7' search, ... */
    unsigned port;
    char host[GOPHER_HOST_MAX];
    char selector[GOPHER_SELECTOR_MAX]; /* raw bytes, never CR, LF or NUL */
};

/*
 * Parses text (spaces around it ignored) into *addr. Returns 0, or
 * -E_INVAL for another scheme, an empty or malformed host, a bad port,
 * or a selector with CR, LF or NUL in it; -E_RANGE when the host or
 * selector is too long. A '%' not followed by two hex digits stays as it
 * is.
 */
int gopher_url_parse(const char *text, struct gopher_addr *addr);

/*
 * Writes "gopher://HOST:PORT/TYPESELECTOR" into out (size bytes, always
 * NUL-terminated when size > 0), the type and selector percent-encoded
 * where a URL needs it (controls, space, non-ASCII, '%', '"', '#', '<',
 * '>'), so that gopher_url_parse gives back the same address. Returns the
 * whole length, as snprintf does.
 */
size_t gopher_url_format(const struct gopher_addr *addr, char *out, size_t size);

/* Is name (len bytes) a host net_dial can take: letters, digits, '.', '-', '_'? */
bool gopher_host_valid(const char *name, size_t len);

/*
 * A file name to save the item at selector under: its last '/'-separated
 * component (before any tab), each byte but letters, digits, '.', '-',
 * '_' and '+' made '_', no leading '.'; "gopher.out" when that leaves
 * nothing. At most size - 1 bytes.
 */
void gopher_save_name(const char *selector, char *out, size_t size);

#endif
