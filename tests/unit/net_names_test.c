/*
 * Checks the TCP/IP server's parser of names below /net
 * (servers/net/names.c): every kind of name, the root in its spellings,
 * hosts and ports at and past their limits, and junk refused with the
 * right error before it could reach lwIP.
 */
#include <string.h>

#include <parley/errors.h>

#include "../../servers/net/names.h"
#include "check.h"

static long parse(const char *path, struct net_name *name)
{
    return net_name_parse(path, strlen(path), name);
}

static void test_kinds(void)
{
    struct net_name n;
    CHECK(parse("", &n) == 0 && n.kind == NET_ROOT);
    CHECK(parse(".", &n) == 0 && n.kind == NET_ROOT);
    CHECK(parse("/", &n) == 0 && n.kind == NET_ROOT);
    CHECK(parse("if", &n) == 0 && n.kind == NET_IF);
    CHECK(parse("tcp", &n) == 0 && n.kind == NET_DIR && strcmp(n.host, "tcp") == 0);
    CHECK(parse("ping/", &n) == 0 && n.kind == NET_DIR);
    CHECK(parse("tcp/10.0.2.2:70", &n) == 0 && n.kind == NET_TCP && n.port == 70 &&
          strcmp(n.host, "10.0.2.2") == 0);
    CHECK(parse("/tcp/gopher.test:7070", &n) == 0 && n.kind == NET_TCP && n.port == 7070 &&
          strcmp(n.host, "gopher.test") == 0);
    CHECK(parse("tcp/:8080", &n) == 0 && n.kind == NET_LISTEN && n.port == 8080);
    CHECK(parse("udp/10.0.2.2:53", &n) == 0 && n.kind == NET_UDP && n.port == 53);
    CHECK(parse("dns/parley.test", &n) == 0 && n.kind == NET_DNS &&
          strcmp(n.host, "parley.test") == 0);
    CHECK(parse("ping/10.0.2.2", &n) == 0 && n.kind == NET_PING);
}

static void test_refused(void)
{
    struct net_name n;
    CHECK(parse("nowhere", &n) == -E_NOENT);
    CHECK(parse("if/x", &n) == -E_NOTDIR);
    CHECK(parse("tcp/a/b:1", &n) == -E_NOENT);
    CHECK(parse("tcp/host", &n) == -E_INVAL);
    CHECK(parse("tcp/host:", &n) == -E_INVAL);
    CHECK(parse("tcp/host:0", &n) == -E_INVAL);
    CHECK(parse("tcp/host:65536", &n) == -E_INVAL);
    CHECK(parse("tcp/host:65535", &n) == 0 && n.port == 65535);
    CHECK(parse("tcp/host:123456", &n) == -E_INVAL);
    CHECK(parse("tcp/host:8x", &n) == -E_INVAL);
    CHECK(parse("tcp/ho st:80", &n) == -E_INVAL);
    CHECK(parse("udp/:53", &n) == -E_INVAL); /* no listening UDP */
    CHECK(parse("dns/", &n) == 0 && n.kind == NET_DIR);
    CHECK(parse("dns/a%b", &n) == -E_INVAL);
    char long_host[NET_HOST_MAX + 16] = "dns/";
    memset(long_host + 4, 'a', NET_HOST_MAX + 1);
    CHECK(parse(long_host, &n) == -E_RANGE);
    long_host[4 + NET_HOST_MAX] = '\0';
    CHECK(parse(long_host, &n) == 0 && strlen(n.host) == NET_HOST_MAX);
    /* Not NUL-terminated: only `length` bytes count. */
    CHECK(net_name_parse("tcp/h:80junk", 8, &n) == 0 && n.port == 80);
}

static void test_root_entries(void)
{
    CHECK(strcmp(net_name_root_entry(0), "dns") == 0);
    CHECK(strcmp(net_name_root_entry(4), "udp") == 0);
    CHECK(net_name_root_entry(5) == NULL);
}

int main(void)
{
    test_kinds();
    test_refused();
    test_root_entries();
    return check_finish("net_names_test");
}
