/*
 * net: the TCP/IP server, lwIP 2.1 in one ring-3 thread, serving /net
 * (<parley/proto/net.h>) as a file server. docs/network.md explains the
 * design.
 *
 * Handles, as init wires them (serve:net use:nic use:net):
 *   1  its endpoint (receive): the vfs, clients and the driver call it
 *   2  the network driver (<parley/proto/nic.h>)
 *   3  a plain send handle to its own endpoint, for minting the badged
 *      handles it gives out (objects, and the driver's NET_BADGE_NIC)
 *
 * Arguments (init passes the kernel command line's net.KEY=VALUE words
 * as KEY=VALUE): dns=ADDRESS[:PORT] uses that DNS server instead of the
 * one DHCP offers (tests point it at a server on the host).
 *
 * The loop is ipc_serve with a hook that runs before every wait: it runs
 * lwIP's timers, fails what waited too long, sends the frames gathered
 * since the last wait in one batch, and bounds the wait by the next
 * timer. Everything that waits for the network is a saved reply, so the
 * loop never blocks on anything but its own endpoint and the driver's
 * transmit thread, which never waits for it.
 *
 * A client that closes its handle without FS_CLOSE, or dies, is closed
 * all the same: the kernel sends IPC_TAG_CLOSED with the object's badge
 * when its last handle goes (on_peer_closed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lwip/dhcp.h>
#include <lwip/dns.h>
#include <lwip/init.h>
#include <lwip/netif.h>
#include <lwip/timeouts.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/net.h>
#include <parley/proto/nic.h>
#include <parley/sys.h>

#include "conn.h"
#include "nicif.h"

#define HANDLE_ENDPOINT 1
#define HANDLE_NIC 2
#define HANDLE_MINT 3
#define CLIENT_RIGHTS (RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER)
#define NIC_WAIT_NS 3000000000ull /* how long start-up waits for the driver */
#define PATH_MAX_BYTES 512

unsigned short net_dns_port = 53;
static ip_addr_t configured_dns;
static bool dns_configured;
static struct netif netif;
static bool have_netif;

/* The object a request names; badge 0 (the vfs's unbadged handle) is the root, *o = NULL. */
static long request_object(uint64_t sender, struct net_object **o)
{
    uint32_t badge = IPC_SENDER_BADGE(sender);
    *o = NULL;
    if (badge == 0)
        return 0;
    *o = object_find(badge);
    return *o != NULL ? 0 : -E_BADHANDLE;
}

static uint32_t rights_of(const struct net_object *o)
{
    return o == NULL ? FS_RIGHTS_ALL : o->rights;
}

static void drop_handles(const struct ipc_extra *extra)
{
    for (uint32_t i = 0; i < extra->recv_count && i < IPC_MAX_HANDLES; i++)
        handle_close(extra->recv_handles[i]);
}

long conn_handle_for(struct net_object *o)
{
    return handle_mint(HANDLE_MINT, CLIENT_RIGHTS, o->badge);
}

/* --- /net/if --- */

static void format_if(struct net_object *o)
{
    char address[IP4ADDR_STRLEN_MAX], mask[IP4ADDR_STRLEN_MAX], gateway[IP4ADDR_STRLEN_MAX];
    char dns[IP4ADDR_STRLEN_MAX] = "none";
    struct nicif_stats st = {0};
    int link = 0;
    size_t n = 0;
    if (!have_netif) {
        o->text_length = (uint32_t)snprintf(o->text, sizeof(o->text), "link none\n");
        return;
    }
    nicif_stats(&st, &link);
    ip4addr_ntoa_r(netif_ip4_addr(&netif), address, sizeof(address));
    ip4addr_ntoa_r(netif_ip4_netmask(&netif), mask, sizeof(mask));
    ip4addr_ntoa_r(netif_ip4_gw(&netif), gateway, sizeof(gateway));
    const ip_addr_t *server = dns_getserver(0);
    if (!ip_addr_isany(server))
        ip4addr_ntoa_r(ip_2_ip4(server), dns, sizeof(dns));
    const uint8_t *m = netif.hwaddr;
    n = (size_t)snprintf(o->text, sizeof(o->text),
                         "address %s\nnetmask %s\ngateway %s\ndns %s\ndns_port %u\n"
                         "mac %02x:%02x:%02x:%02x:%02x:%02x\nlink %s\nmtu %u\ndhcp %s\n"
                         "rx_packets %llu\nrx_bytes %llu\ntx_packets %llu\ntx_bytes %llu\n"
                         "rx_errors %llu\ntx_errors %llu\nrx_dropped %llu\nrx_missed %llu\n",
                         address, mask, gateway, dns, net_dns_port, m[0], m[1], m[2], m[3], m[4],
                         m[5], link ? "up" : "down", netif.mtu,
                         dhcp_supplied_address(&netif) ? "bound" : "waiting",
                         (unsigned long long)st.rx_packets, (unsigned long long)st.rx_bytes,
                         (unsigned long long)st.tx_packets, (unsigned long long)st.tx_bytes,
                         (unsigned long long)st.rx_errors, (unsigned long long)st.tx_errors,
                         (unsigned long long)st.rx_dropped, (unsigned long long)st.rx_missed);
    o->text_length = (uint32_t)(n < sizeof(o->text) ? n : sizeof(o->text) - 1);
}

/* --- fs requests --- */

/* The path of a request: w0's low 16 bits, the bytes in w1..w3 or the region. */
static long request_path(const struct ipc_msg *req, const struct ipc_extra *extra, char *out)
{
    size_t length = FS_PATH_LENGTH(req->w[0]);
    const char *bytes = (const char *)&req->w[1];
    if (length >= PATH_MAX_BYTES)
        return -E_RANGE;
    if (length > FS_INLINE) {
        if (extra->recv_mem == 0 || extra->recv_mem_length < length)
            return -E_INVAL;
        bytes = (const char *)extra->recv_mem;
    }
    memcpy(out, bytes, length);
    out[length] = '\0';
    return (long)length;
}

static long open_object(struct net_object *dir, const char *path, size_t length, uint32_t flags,
                        struct net_object **made)
{
    uint32_t wanted = flags & FS_RIGHTS_ALL;
    if (wanted == 0)
        return -E_INVAL;
    if (wanted & ~rights_of(dir))
        return -E_PERM;
    if (dir != NULL && dir->kind == NET_LISTEN) {
        if (strcmp(path, "accept") != 0)
            return -E_NOENT;
        long err = conn_accept(dir, made);
        return err;
    }
    if (dir != NULL && dir->kind != NET_ROOT)
        return -E_NOTDIR;
    struct net_name name;
    long err = net_name_parse(path, length, &name);
    if (err < 0)
        return err;
    bool is_dir = name.kind == NET_ROOT || name.kind == NET_DIR;
    if ((flags & FS_O_DIRECTORY) && !is_dir)
        return -E_NOTDIR;
    if (name.kind == NET_LISTEN && name.port < 1024 && !(rights_of(dir) & FS_RIGHT_ADMIN))
        return -E_PERM;
    if (!is_dir && name.kind != NET_IF && !have_netif)
        return -E_NETDOWN;
    struct net_object *o = object_new(dir, name.kind, &err);
    if (o == NULL)
        return err;
    o->name = name;
    o->rights = wanted;
    o->state = NET_READY;
    if (name.kind == NET_IF)
        format_if(o);
    else if (!is_dir)
        err = conn_begin(o);
    if (err < 0) {
        conn_close(o);
        object_free(o);
        return err;
    }
    *made = o;
    return 0;
}

static long on_open(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                    uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    static char path[PATH_MAX_BYTES];
    struct net_object *dir, *made = NULL;
    long err = request_object(sender, &dir);
    long length = err < 0 ? err : request_path(req, extra, path);
    drop_handles(extra);
    ipc_extra_drop(&(struct ipc_extra){.recv_mem = extra->recv_mem,
                                       .recv_mem_length = extra->recv_mem_length});
    if (length < 0)
        return length;
    err = open_object(dir, path, (size_t)length, FS_PATH_FLAGS(req->w[0]), &made);
    if (err != 0)
        return err; /* an error, or IPC_NO_REPLY: accept waits */
    long handle = conn_handle_for(made);
    if (handle < 0) {
        conn_close(made);
        object_free(made);
        return handle;
    }
    bool is_dir = made->kind == NET_ROOT || made->kind == NET_DIR;
    reply->w[0] = is_dir ? FS_TYPE_DIR : FS_TYPE_FILE;
    reply->w[1] = made->rights;
    reply_extra->send_handles[0] = (uint32_t)handle;
    reply_extra->send_count = 1;
    return 0;
}

static long on_read(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                    uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    ipc_extra_drop(extra);
    struct net_object *o;
    long err = request_object(sender, &o);
    if (err < 0)
        return err;
    if (!(rights_of(o) & FS_RIGHT_READ))
        return -E_PERM;
    if (o == NULL || o->kind == NET_ROOT || o->kind == NET_DIR)
        return -E_ISDIR;
    uint64_t length = req->w[1] < FS_IO_MAX ? req->w[1] : FS_IO_MAX;
    if (o->kind == NET_IF || (o->kind == NET_DNS && o->state == NET_READY))
        return conn_text_read(o, req->w[0], length, reply, reply_extra);
    if (o->kind == NET_DNS)
        return o->state == NET_FAILED ? o->error : wait_save(&o->read, length);
    if (o->kind == NET_LISTEN)
        return -E_INVAL;
    return conn_read(o, length, reply, reply_extra);
}

static long on_write(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                     uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)reply_extra;
    drop_handles(extra);
    struct net_object *o;
    long err = request_object(sender, &o);
    if (err == 0 && !(rights_of(o) & FS_RIGHT_WRITE))
        err = -E_PERM;
    if (err == 0 && (o == NULL || o->kind == NET_ROOT || o->kind == NET_DIR))
        err = -E_ISDIR;
    if (err < 0) {
        if (extra->recv_mem != 0)
            sys_vm_release((void *)extra->recv_mem, extra->recv_mem_length);
        return err;
    }
    return conn_write(o, req, extra, reply); /* it owns the region from here */
}

static long on_stat(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                    uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)req;
    (void)reply_extra;
    ipc_extra_drop(extra);
    struct net_object *o;
    long err = request_object(sender, &o);
    if (err < 0)
        return err;
    if (o == NULL || o->kind == NET_ROOT || o->kind == NET_DIR) {
        reply->w[0] = o == NULL || o->kind == NET_ROOT ? 5 : 0;
        reply->w[1] = FS_STAT_WORD(FS_TYPE_DIR, rights_of(o), 0555, 0);
        return 0;
    }
    if (o->kind == NET_IF) {
        reply->w[0] = o->text_length;
        reply->w[1] = FS_STAT_WORD(FS_TYPE_FILE, o->rights, 0444, 0);
        return 0;
    }
    return conn_stat(o, reply);
}

static long on_readdir(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                       uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)reply_extra;
    ipc_extra_drop(extra);
    struct net_object *o;
    long err = request_object(sender, &o);
    if (err < 0)
        return err;
    if (o != NULL && o->kind != NET_ROOT && o->kind != NET_DIR)
        return -E_NOTDIR;
    const char *entry = o == NULL || o->kind == NET_ROOT ? net_name_root_entry(req->w[0]) : NULL;
    if (entry == NULL)
        return -E_NOENT;
    size_t length = strlen(entry);
    uint32_t type = strcmp(entry, "if") == 0 ? FS_TYPE_FILE : FS_TYPE_DIR;
    reply->w[0] = length | (uint64_t)type << 32;
    memcpy(&reply->w[1], entry, length);
    return 0;
}

static long on_close(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                     uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)req;
    (void)reply;
    (void)reply_extra;
    ipc_extra_drop(extra);
    struct net_object *o;
    long err = request_object(sender, &o);
    if (err < 0 || o == NULL)
        return err;
    conn_close(o);
    object_free(o);
    return 0;
}

/*
 * The kernel's word that the last handle with this badge is gone (its
 * holder closed it without FS_CLOSE, or died): the same as FS_CLOSE. An
 * object already closed by FS_CLOSE is no longer found.
 */
static long on_peer_closed(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                           uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    struct net_object *o;
    if (ipc_closed_badge(sender) == 0) {
        ipc_extra_drop(extra);
        return -E_PERM; /* only the kernel says this */
    }
    if (request_object(sender, &o) == 0 && o != NULL)
        return on_close(context, req, extra, sender, reply, reply_extra);
    ipc_extra_drop(extra);
    return 0;
}

/* Everything that would change a directory: /net has nothing to change. */
static long on_refused(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                       uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)req;
    (void)sender;
    (void)reply;
    (void)reply_extra;
    ipc_extra_drop(extra);
    return -E_PERM;
}

/* --- The driver --- */

static long on_nic_rx(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                      uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)req;
    (void)reply;
    drop_handles(extra);
    if (IPC_SENDER_BADGE(sender) != NET_BADGE_NIC || !have_netif) {
        if (extra->recv_mem != 0)
            sys_vm_release((void *)extra->recv_mem, extra->recv_mem_length);
        return -E_PERM;
    }
    long err = nicif_receive(&netif, extra);
    /* The region goes back for the next batch either way. */
    reply_extra->send_mem = extra->recv_mem;
    reply_extra->send_mem_length = extra->recv_mem_length;
    return extra->recv_mem != 0 ? 0 : err;
}

static long on_nic_link(void *context, const struct ipc_msg *req, const struct ipc_extra *extra,
                        uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)reply;
    (void)reply_extra;
    ipc_extra_drop(extra);
    if (IPC_SENDER_BADGE(sender) != NET_BADGE_NIC || !have_netif)
        return -E_PERM;
    if (req->w[0] & NIC_LINK_UP)
        netif_set_link_up(&netif);
    else
        netif_set_link_down(&netif);
    printf("net: link %s\n", req->w[0] & NIC_LINK_UP ? "up" : "down");
    return 0;
}

static const struct ipc_handler handlers[] = {
    {FS_OPEN, on_open},        {FS_READ, on_read},
    {FS_WRITE, on_write},      {FS_STAT, on_stat},
    {FS_READDIR, on_readdir},  {FS_CLOSE, on_close},
    {FS_TRUNCATE, on_refused}, {FS_MKDIR, on_refused},
    {FS_UNLINK, on_refused},   {FS_RMDIR, on_refused},
    {FS_TOKEN, on_refused},    {FS_RENAME, on_refused},
    {FS_SETOWNER, on_refused}, {NIC_RX, on_nic_rx},
    {NIC_LINK, on_nic_link},   {IPC_TAG_CLOSED, on_peer_closed},
};

/* --- The loop --- */

static uint64_t before_wait(void *context)
{
    (void)context;
    sys_check_timeouts();
    uint64_t now = time_now_ns();
    uint64_t next = conn_expire(now);
    nicif_flush();
    uint32_t ms = sys_timeouts_sleeptime();
    uint64_t wait = ms == SYS_TIMEOUTS_SLEEPTIME_INFINITE ? IPC_FOREVER : (uint64_t)ms * 1000000u;
    if (next != UINT64_MAX && next - now < wait)
        wait = next > now ? next - now : 0;
    return wait == 0 ? 1000 : wait; /* never a bare poll: it would spin */
}

static void on_status(struct netif *n)
{
    if (ip4_addr_isany_val(*netif_ip4_addr(n)))
        return;
    if (dns_configured)
        dns_setserver(0, &configured_dns);
    char address[IP4ADDR_STRLEN_MAX], gateway[IP4ADDR_STRLEN_MAX], dns[IP4ADDR_STRLEN_MAX];
    ip4addr_ntoa_r(netif_ip4_addr(n), address, sizeof(address));
    ip4addr_ntoa_r(netif_ip4_gw(n), gateway, sizeof(gateway));
    ip4addr_ntoa_r(ip_2_ip4(dns_getserver(0)), dns, sizeof(dns));
    printf("net: address %s, gateway %s, dns %s port %u\n", address, gateway, dns, net_dns_port);
    conn_network_up();
}

static void configure(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "dns=", 4) == 0) {
            char text[64];
            snprintf(text, sizeof(text), "%s", argv[i] + 4);
            char *colon = strchr(text, ':');
            if (colon != NULL) {
                *colon = '\0';
                long port = strtol(colon + 1, NULL, 10);
                if (port > 0 && port < 65536)
                    net_dns_port = (unsigned short)port;
            }
            dns_configured = ipaddr_aton(text, &configured_dns) != 0;
            if (!dns_configured)
                printf("net: bad dns setting %s\n", argv[i]);
        } else {
            printf("net: unknown setting %s\n", argv[i]);
        }
    }
}

int main(int argc, char **argv)
{
    configure(argc, argv);
    lwip_init();
    if (dgram_init() < 0)
        printf("net: no ICMP socket: ping will not work\n");
    long to_stack = handle_mint(HANDLE_MINT, RIGHT_SEND | RIGHT_TRANSFER, NET_BADGE_NIC);
    long err = to_stack < 0 ? to_stack : 0;
    /* A machine without a card (no driver on "nic") must not hang here. */
    if (err == 0) {
        err = nicif_start(&netif, HANDLE_NIC, (uint32_t)to_stack, NIC_WAIT_NS);
        if (err < 0)
            handle_close((uint32_t)to_stack); /* it moves only with a call that got through */
    }
    if (err == 0) {
        have_netif = true;
        netif_set_status_callback(&netif, on_status);
        if (dns_configured)
            dns_setserver(0, &configured_dns);
        dhcp_start(&netif);
        printf("net: lwIP %s on %c%c, asking DHCP for an address\n", LWIP_VERSION_STRING,
               netif.name[0], netif.name[1]);
    } else {
        printf("net: no network card (%s): /net has no network\n", error_string((int)err));
    }
    struct ipc_serve_hooks hooks = {before_wait};
    err = ipc_serve_hooked(HANDLE_ENDPOINT, handlers, sizeof(handlers) / sizeof(handlers[0]), NULL,
                           &hooks);
    printf("net: stopped: %s\n", err == 0 ? "no clients left" : error_string((int)err));
    return err == 0 ? 0 : 1;
}
