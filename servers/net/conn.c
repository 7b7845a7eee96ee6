/*
 * Name lookup and TCP on lwIP's raw API (see conn.h).
 *
 * An object goes NET_WAIT_NETWORK (no address yet) -> NET_RESOLVING
 * (DNS) -> NET_CONNECTING (SYN sent) -> NET_READY, or to NET_FAILED with
 * an error from any of them; each step starts in the callback of the one
 * before, and conn_expire enforces the deadline over all of them.
 *
 * lwIP calls back with the object as its argument (tcp_arg). Before an
 * object is freed its callbacks are taken off the pcb, and DNS callbacks
 * carry the badge instead of the pointer, since a lookup cannot be
 * cancelled: a lookup that finishes after its object is gone finds no
 * object and does nothing.
 */
#include "conn.h"

#include <stdio.h>
#include <string.h>

#include <lwip/dns.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <lwip/tcp.h>

#include <parley/errors.h>
#include <parley/proto/net.h>
#include <parley/sys.h>

#define PAGE 4096u

static void fail(struct net_object *o, long err)
{
    o->state = NET_FAILED;
    o->error = err;
    object_fail_waits(o, err);
}

static int online(void)
{
    return netif_default != NULL && netif_is_up(netif_default) && netif_is_link_up(netif_default) &&
           !ip4_addr_isany_val(*netif_ip4_addr(netif_default));
}

long conn_fill(struct pbuf **chain, uint64_t length, struct ipc_msg *reply,
               struct ipc_extra *reply_extra)
{
    struct pbuf *p = *chain;
    uint64_t n = p != NULL ? p->tot_len : 0;
    if (n > length)
        n = length;
    if (n > FS_IO_MAX)
        n = FS_IO_MAX;
    if (n <= FS_INLINE) {
        if (n > 0)
            pbuf_copy_partial(p, &reply->w[1], (u16_t)n, 0);
    } else {
        uint64_t size = (n + PAGE - 1) & ~(uint64_t)(PAGE - 1);
        long region = vm_region_new(size);
        if (region < 0)
            return region;
        pbuf_copy_partial(p, (void *)region, (u16_t)n, 0);
        reply_extra->send_mem = (uint64_t)region;
        reply_extra->send_mem_length = size;
    }
    reply->w[0] = n;
    if (n > 0)
        *chain = pbuf_free_header(p, (u16_t)n);
    return (long)n;
}

long conn_text_read(const struct net_object *o, uint64_t offset, uint64_t length,
                    struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    if (offset >= o->text_length)
        return 0;
    uint64_t n = o->text_length - offset;
    if (n > length)
        n = length;
    if (n <= FS_INLINE) {
        memcpy(&reply->w[1], o->text + offset, n);
    } else {
        long region = vm_region_new(PAGE);
        if (region < 0)
            return region;
        memcpy((void *)region, o->text + offset, n);
        reply_extra->send_mem = (uint64_t)region;
        reply_extra->send_mem_length = PAGE;
    }
    reply->w[0] = n;
    return 0;
}

/* --- TCP --- */

static void push_write(struct net_object *o);

/* Answers a waiting read from what has arrived (or the end), if there is anything to say. */
static void serve_read(struct net_object *o)
{
    if (o->read.reply == 0 || (o->queue == NULL && !o->eof))
        return;
    struct ipc_msg reply = {0};
    struct ipc_extra extra = {0};
    long n = conn_fill(&o->queue, o->read.length, &reply, &extra);
    if (n > 0 && o->tcp != NULL)
        tcp_recved(o->tcp, (u16_t)n);
    wait_answer(&o->read, n < 0 ? n : 0, &reply, &extra);
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct net_object *o = arg;
    (void)err;
    if (o == NULL) {
        if (p != NULL) {
            tcp_recved(pcb, p->tot_len);
            pbuf_free(p);
        }
        return ERR_OK;
    }
    if (p == NULL)
        o->eof = true;
    else if (o->queue == NULL)
        o->queue = p;
    else
        pbuf_cat(o->queue, p);
    serve_read(o);
    return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t length)
{
    (void)pcb;
    (void)length;
    struct net_object *o = arg;
    if (o != NULL)
        push_write(o);
    return ERR_OK;
}

static void on_error(void *arg, err_t err)
{
    struct net_object *o = arg;
    if (o == NULL)
        return;
    o->tcp = NULL; /* lwIP has freed it */
    long e = -E_CONNRESET;
    if (o->state == NET_CONNECTING)
        e = err == ERR_RST ? -E_CONNREFUSED : -E_TIMEOUT;
    if (o->listener != NULL) {
        /* Not accepted yet: it just leaves the backlog. */
        struct net_object *l = o->listener;
        for (int i = 0; i < l->backlog_count; i++)
            if (l->backlog[i] == o)
                l->backlog[i] = l->backlog[--l->backlog_count];
        object_free(o);
        return;
    }
    fail(o, e);
}

static void attach(struct net_object *o, struct tcp_pcb *pcb)
{
    o->tcp = pcb;
    tcp_arg(pcb, o);
    tcp_recv(pcb, on_recv);
    tcp_sent(pcb, on_sent);
    tcp_err(pcb, on_error);
    tcp_nagle_disable(pcb);
}

static void answer_stat(struct net_object *o)
{
    struct ipc_msg reply = {0};
    long status = conn_stat(o, &reply);
    if (status != IPC_NO_REPLY)
        wait_answer(&o->stat, status, &reply, NULL);
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)pcb;
    struct net_object *o = arg;
    if (o == NULL || err != ERR_OK)
        return ERR_OK;
    o->state = NET_READY;
    answer_stat(o);
    push_write(o);
    return ERR_OK;
}

static void start_connect(struct net_object *o)
{
    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (pcb == NULL) {
        fail(o, -E_NOSPC);
        return;
    }
    attach(o, pcb);
    o->state = NET_CONNECTING;
    err_t err = tcp_connect(pcb, &o->address, o->name.port, on_connected);
    if (err != ERR_OK) {
        tcp_arg(pcb, NULL);
        tcp_abort(pcb);
        o->tcp = NULL;
        fail(o, err == ERR_RTE ? -E_NETDOWN : -E_NOSPC);
    }
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct net_object *l = arg;
    if (l == NULL || err != ERR_OK || pcb == NULL)
        return ERR_VAL;
    long e;
    struct net_object *c =
        l->backlog_count < NET_BACKLOG_MAX ? object_new(l->dir, NET_TCP, &e) : NULL;
    if (c == NULL) {
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    c->rights = l->rights;
    c->state = NET_READY;
    c->name = l->name;
    c->name.kind = NET_TCP;
    c->address = pcb->remote_ip;
    attach(c, pcb);
    c->listener = l;
    l->backlog[l->backlog_count++] = c;
    if (l->accept.reply != 0) {
        /* Somebody waits: hand the oldest out now. */
        struct net_object *made = NULL;
        uint32_t reply = l->accept.reply;
        l->accept.reply = 0;
        conn_accept(l, &made);
        long handle = made != NULL ? conn_handle_for(made) : -E_NOSPC;
        struct ipc_msg msg = {.tag = handle < 0 ? (uint64_t)handle : 0};
        struct ipc_extra extra = {0};
        if (handle >= 0) {
            msg.w[0] = FS_TYPE_FILE;
            msg.w[1] = made->rights;
            extra.send_handles[0] = (uint32_t)handle;
            extra.send_count = 1;
        }
        if (ipc_reply_to(reply, &msg, handle >= 0 ? &extra : NULL) < 0 && handle >= 0) {
            handle_close((uint32_t)handle); /* the caller left: the connection stays ours */
            conn_close(made);
            object_free(made);
        }
    }
    return ERR_OK;
}

static long start_listen(struct net_object *o)
{
    struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
    if (pcb == NULL)
        return -E_NOSPC;
    if (tcp_bind(pcb, IP4_ADDR_ANY, o->name.port) != ERR_OK) {
        tcp_abort(pcb);
        return -E_ADDRINUSE;
    }
    struct tcp_pcb *listening = tcp_listen_with_backlog(pcb, NET_BACKLOG_MAX);
    if (listening == NULL) {
        tcp_abort(pcb);
        return -E_NOSPC;
    }
    o->tcp = listening;
    tcp_arg(listening, o);
    tcp_accept(listening, on_accept);
    o->state = NET_READY;
    return 0;
}

/* --- Lookup --- */

static void resolved(struct net_object *o)
{
    switch (o->kind) {
    case NET_TCP:
        start_connect(o);
        break;
    case NET_DNS: {
        char text[IP4ADDR_STRLEN_MAX];
        ip4addr_ntoa_r(ip_2_ip4(&o->address), text, sizeof(text));
        o->text_length = (uint32_t)snprintf(o->text, sizeof(o->text), "%s\n", text);
        o->state = NET_READY;
        answer_stat(o);
        if (o->read.reply != 0) {
            struct ipc_msg reply = {0};
            struct ipc_extra extra = {0};
            long status = conn_text_read(o, 0, o->read.length, &reply, &extra);
            wait_answer(&o->read, status, &reply, &extra);
        }
        break;
    }
    default: {
        long err = dgram_begin(o);
        if (err < 0)
            fail(o, err);
        else
            answer_stat(o);
    }
    }
}

static void on_found(const char *name, const ip_addr_t *address, void *arg)
{
    (void)name;
    struct net_object *o = object_find((uint32_t)(uintptr_t)arg);
    if (o == NULL || o->state != NET_RESOLVING)
        return;
    if (address == NULL) {
        fail(o, -E_NOHOST);
        return;
    }
    o->address = *address;
    resolved(o);
}

static void start_lookup(struct net_object *o)
{
    o->state = NET_RESOLVING;
    err_t err = dns_gethostbyname(o->name.host, &o->address, on_found, (void *)(uintptr_t)o->badge);
    if (err == ERR_OK)
        resolved(o);
    else if (err != ERR_INPROGRESS)
        fail(o, err == ERR_VAL ? -E_NETDOWN : -E_NOHOST);
}

long conn_begin(struct net_object *o)
{
    o->deadline = time_now_ns() + NET_CONNECT_TIMEOUT_NS;
    if (o->kind == NET_LISTEN)
        return start_listen(o);
    if (!online()) {
        o->state = NET_WAIT_NETWORK;
        return 0;
    }
    start_lookup(o);
    return 0;
}

static void network_up_one(struct net_object *o, void *arg)
{
    (void)arg;
    if (o->state == NET_WAIT_NETWORK)
        start_lookup(o);
}

void conn_network_up(void)
{
    object_each(network_up_one, NULL);
}

static void expire_one(struct net_object *o, void *arg)
{
    uint64_t *next = arg;
    uint64_t now = next[1];
    bool waiting =
        o->state == NET_WAIT_NETWORK || o->state == NET_RESOLVING || o->state == NET_CONNECTING;
    if (waiting && now >= o->deadline) {
        if (o->tcp != NULL) {
            tcp_arg(o->tcp, NULL);
            tcp_abort(o->tcp);
            o->tcp = NULL;
        }
        fail(o, o->state == NET_WAIT_NETWORK ? -E_NETDOWN : -E_TIMEOUT);
    } else if (waiting && o->deadline < next[0]) {
        next[0] = o->deadline;
    }
    if (o->kind == NET_PING)
        dgram_expire(o, now, &next[0]);
}

uint64_t conn_expire(uint64_t now)
{
    uint64_t next[2] = {UINT64_MAX, now};
    object_each(expire_one, next);
    return next[0];
}

/* --- Requests --- */

long conn_stat(struct net_object *o, struct ipc_msg *reply)
{
    if (o->state == NET_FAILED)
        return o->error;
    if (o->state != NET_READY)
        return wait_save(&o->stat, 0);
    uint64_t ready = o->queue != NULL ? o->queue->tot_len : 0;
    if (o->kind == NET_DNS)
        ready = ip4_addr_get_u32(ip_2_ip4(&o->address));
    else if (o->kind == NET_LISTEN)
        ready = (uint64_t)o->backlog_count;
    else if (o->kind == NET_UDP)
        ready = (uint64_t)o->datagram_count;
    reply->w[0] = ready;
    reply->w[1] = FS_STAT_WORD(FS_TYPE_FILE, o->rights, 0666, 0);
    return 0;
}

long conn_read(struct net_object *o, uint64_t length, struct ipc_msg *reply,
               struct ipc_extra *reply_extra)
{
    if (o->kind != NET_TCP)
        return dgram_read(o, length, reply, reply_extra);
    if (o->queue == NULL && o->state == NET_FAILED)
        return o->error;
    if (o->state == NET_READY && (o->queue != NULL || o->eof)) {
        long n = conn_fill(&o->queue, length, reply, reply_extra);
        if (n > 0 && o->tcp != NULL)
            tcp_recved(o->tcp, (u16_t)n);
        return n < 0 ? n : 0;
    }
    return wait_save(&o->read, length);
}

/* Queues as much of the write in progress as lwIP takes; answers it when all is queued. */
static void push_write(struct net_object *o)
{
    if (o->write.reply == 0 || o->state != NET_READY || o->tcp == NULL)
        return;
    while (o->write_done < o->write_length) {
        uint64_t n = o->write_length - o->write_done;
        uint64_t room = tcp_sndbuf(o->tcp);
        if (n > room)
            n = room;
        if (n > 0xFFFF)
            n = 0xFFFF;
        if (n == 0 || tcp_sndqueuelen(o->tcp) >= TCP_SND_QUEUELEN - 4)
            break;
        uint8_t flags = TCP_WRITE_FLAG_COPY;
        if (o->write_done + n < o->write_length)
            flags |= TCP_WRITE_FLAG_MORE;
        err_t err = tcp_write(o->tcp, o->write_bytes + o->write_done, (u16_t)n, flags);
        if (err == ERR_MEM)
            break;
        if (err != ERR_OK) {
            fail(o, -E_CONNRESET);
            return;
        }
        o->write_done += n;
    }
    tcp_output(o->tcp);
    if (o->write_done < o->write_length)
        return;
    struct ipc_msg reply = {.w = {o->write_length}};
    if (o->write_region != NULL) {
        sys_vm_release(o->write_region, o->write_region_length);
        o->write_region = NULL;
    }
    o->write_bytes = NULL;
    wait_answer(&o->write, 0, &reply, NULL);
}

long conn_write(struct net_object *o, const struct ipc_msg *req, const struct ipc_extra *extra,
                struct ipc_msg *reply)
{
    uint64_t length = req->w[1];
    const uint8_t *bytes = (const uint8_t *)&req->w[2];
    void *region = (void *)extra->recv_mem;
    long err = 0;
    if (length > FS_IO_MAX)
        err = -E_RANGE;
    else if (length > FS_WRITE_INLINE && (region == NULL || extra->recv_mem_length < length))
        err = -E_INVAL;
    else if (o->state == NET_FAILED)
        err = o->error;
    else if (o->kind == NET_UDP || o->kind == NET_PING)
        err = dgram_write(o, length > FS_WRITE_INLINE ? region : bytes, length);
    else if (o->kind != NET_TCP)
        err = -E_PERM;
    else if (o->write.reply != 0)
        err = -E_BUSY;
    if (err != 0 || o->kind != NET_TCP) {
        if (region != NULL)
            sys_vm_release(region, extra->recv_mem_length);
        reply->w[0] = err == 0 ? length : 0;
        return err;
    }
    if (length > FS_WRITE_INLINE) {
        o->write_region = region;
        o->write_region_length = extra->recv_mem_length;
        o->write_bytes = region;
    } else {
        if (region != NULL)
            sys_vm_release(region, extra->recv_mem_length);
        memcpy(o->write_inline, bytes, length);
        o->write_bytes = o->write_inline;
    }
    o->write_length = length;
    o->write_done = 0;
    err = wait_save(&o->write, length);
    if (err < 0) {
        object_fail_waits(o, err);
        return err;
    }
    push_write(o); /* may answer at once, through the saved reply */
    return IPC_NO_REPLY;
}

long conn_accept(struct net_object *o, struct net_object **made)
{
    *made = NULL;
    if (o->kind != NET_LISTEN)
        return -E_NOTDIR;
    if (o->backlog_count == 0)
        return wait_save(&o->accept, 0);
    struct net_object *c = o->backlog[0];
    memmove(&o->backlog[0], &o->backlog[1], (size_t)(o->backlog_count - 1) * sizeof(c));
    o->backlog_count--;
    c->listener = NULL;
    *made = c;
    return 0;
}

void conn_close(struct net_object *o)
{
    if (o->kind == NET_UDP || o->kind == NET_PING) {
        dgram_close(o);
        return;
    }
    while (o->backlog_count > 0) {
        struct net_object *c = o->backlog[--o->backlog_count];
        c->listener = NULL;
        conn_close(c);
        object_free(c);
    }
    if (o->tcp != NULL) {
        struct tcp_pcb *pcb = o->tcp;
        tcp_arg(pcb, NULL);
        if (o->kind == NET_LISTEN) {
            tcp_accept(pcb, NULL);
            tcp_close(pcb);
        } else {
            tcp_recv(pcb, NULL);
            tcp_sent(pcb, NULL);
            tcp_err(pcb, NULL);
            if (o->queue != NULL || tcp_close(pcb) != ERR_OK)
                tcp_abort(pcb); /* unread data or no memory: reset */
        }
        o->tcp = NULL;
    }
    if (o->queue != NULL) {
        pbuf_free(o->queue);
        o->queue = NULL;
    }
}
