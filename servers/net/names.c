/*
 * Parsing names below /net (see names.h). A host is what DNS allows
 * (letters, digits, '-', '.', and '_' which some test names use) or a
 * dotted address; a port is 1..65535 in decimal. Anything else is
 * refused here, before it reaches lwIP.
 */
#include "names.h"

#include <string.h>

#include <parley/errors.h>

static const char *const root_entries[] = {"dns", "if", "ping", "tcp", "udp"};

const char *net_name_root_entry(uint64_t index)
{
    return index < sizeof(root_entries) / sizeof(root_entries[0]) ? root_entries[index] : NULL;
}

static int host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_';
}

/* Copies a host of `length` bytes into out; checks its characters. */
static long parse_host(const char *text, size_t length, char *out)
{
    if (length == 0)
        return -E_INVAL;
    if (length > NET_HOST_MAX)
        return -E_RANGE;
    for (size_t i = 0; i < length; i++)
        if (!host_char(text[i]))
            return -E_INVAL;
    memcpy(out, text, length);
    out[length] = '\0';
    return 0;
}

static long parse_port(const char *text, size_t length, uint16_t *port)
{
    if (length == 0 || length > 5)
        return -E_INVAL;
    uint32_t value = 0;
    for (size_t i = 0; i < length; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -E_INVAL;
        value = value * 10 + (uint32_t)(text[i] - '0');
    }
    if (value == 0 || value > 65535)
        return -E_INVAL;
    *port = (uint16_t)value;
    return 0;
}

/* "HOST:PORT", or ":PORT" when listening is allowed (tcp). */
static long parse_endpoint(const char *text, size_t length, struct net_name *name, int tcp)
{
    const char *colon = NULL;
    for (size_t i = length; i > 0; i--) {
        if (text[i - 1] == ':') {
            colon = text + i - 1;
            break;
        }
    }
    if (colon == NULL)
        return -E_INVAL;
    size_t host_length = (size_t)(colon - text);
    long err = parse_port(colon + 1, length - host_length - 1, &name->port);
    if (err < 0)
        return err;
    if (host_length == 0) {
        if (!tcp)
            return -E_INVAL;
        name->kind = NET_LISTEN;
        return 0;
    }
    name->kind = tcp ? NET_TCP : NET_UDP;
    return parse_host(text, host_length, name->host);
}

long net_name_parse(const char *path, size_t length, struct net_name *name)
{
    memset(name, 0, sizeof(*name));
    while (length > 0 && path[0] == '/') {
        path++;
        length--;
    }
    while (length > 0 && path[length - 1] == '/')
        length--;
    if (length == 0 || (length == 1 && path[0] == '.')) {
        name->kind = NET_ROOT;
        return 0;
    }
    const char *slash = memchr(path, '/', length);
    size_t first = slash != NULL ? (size_t)(slash - path) : length;
    const char *rest = slash != NULL ? slash + 1 : NULL;
    size_t rest_length = slash != NULL ? length - first - 1 : 0;

    if (first == 2 && memcmp(path, "if", 2) == 0) {
        if (rest != NULL)
            return -E_NOTDIR;
        name->kind = NET_IF;
        return 0;
    }
    static const char *const dirs[] = {"tcp", "udp", "dns", "ping"};
    int dir = -1;
    for (int i = 0; i < 4; i++)
        if (strlen(dirs[i]) == first && memcmp(path, dirs[i], first) == 0)
            dir = i;
    if (dir < 0)
        return -E_NOENT;
    if (rest == NULL || rest_length == 0) {
        name->kind = NET_DIR;
        memcpy(name->host, path, first);
        return 0;
    }
    if (memchr(rest, '/', rest_length) != NULL)
        return -E_NOENT;
    switch (dir) {
    case 0:
        return parse_endpoint(rest, rest_length, name, 1);
    case 1:
        return parse_endpoint(rest, rest_length, name, 0);
    case 2:
        name->kind = NET_DNS;
        return parse_host(rest, rest_length, name->host);
    default:
        name->kind = NET_PING;
        return parse_host(rest, rest_length, name->host);
    }
}
