/*
 * UDP sockets and pings (see conn.h).
 *
 * A UDP socket is a udp_pcb connected to its peer, so lwIP delivers only
 * the peer's datagrams; up to NET_DATAGRAMS_MAX wait to be read, one per
 * read, and more are dropped, as UDP allows.
 *
 * Pings share one raw ICMP pcb. Each ping object sends echo requests
 * with its badge's low 16 bits as the identifier and its own sequence
 * numbers, so an echo reply names the object it belongs to; replies that
 * name none are left to lwIP.
 */
#include "conn.h"

#include <string.h>

#include <lwip/inet_chksum.h>
#include <lwip/ip.h>
#include <lwip/pbuf.h>
#include <lwip/prot/icmp.h>
#include <lwip/prot/ip4.h>
#include <lwip/raw.h>
#include <lwip/udp.h>

#include <parley/errors.h>
#include <parley/proto/net.h>
#include <parley/sys.h>

#define PING_DATA 56 /* bytes after the ICMP header, as ping(8) sends */

static struct raw_pcb *icmp;

/* --- UDP --- */

static void on_datagram(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *from,
                        u16_t port)
{
    (void)pcb;
    (void)from;
    (void)port;
    struct net_object *o = arg;
    if (o == NULL || o->datagram_count == NET_DATAGRAMS_MAX) {
        pbuf_free(p);
        return;
    }
    o->datagrams[o->datagram_count++] = p;
    if (o->read.reply != 0) {
        struct ipc_msg reply = {0};
        struct ipc_extra extra = {0};
        uint64_t length = o->read.length;
        long status = dgram_read(o, length, &reply, &extra);
        wait_answer(&o->read, status, &reply, &extra);
    }
}

/* --- Ping --- */

static void send_echo(struct net_object *o)
{
    struct pbuf *p = pbuf_alloc(PBUF_IP, sizeof(struct icmp_echo_hdr) + PING_DATA, PBUF_RAM);
    if (p == NULL)
        return;
    struct icmp_echo_hdr *echo = p->payload;
    ICMPH_TYPE_SET(echo, ICMP_ECHO);
    ICMPH_CODE_SET(echo, 0);
    echo->chksum = 0;
    echo->id = lwip_htons((u16_t)o->badge);
    echo->seqno = lwip_htons(++o->ping_sequence);
    uint8_t *data = (uint8_t *)(echo + 1);
    for (int i = 0; i < PING_DATA; i++)
        data[i] = (uint8_t)i;
    echo->chksum = inet_chksum(echo, p->len);
    o->ping_sent_ns = time_now_ns();
    raw_sendto(icmp, p, &o->address);
    pbuf_free(p);
}

struct echo_match {
    uint16_t id, sequence;
    struct net_object *found;
};

static void match_one(struct net_object *o, void *arg)
{
    struct echo_match *m = arg;
    if (o->kind == NET_PING && (uint16_t)o->badge == m->id && o->ping_sequence == m->sequence &&
        o->read.reply != 0)
        m->found = o;
}

static u8_t on_icmp(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *from)
{
    (void)arg;
    (void)pcb;
    uint64_t now = time_now_ns();
    /* A raw pcb sees the IP header too. */
    if (p->tot_len < IP_HLEN + sizeof(struct icmp_echo_hdr))
        return 0;
    struct ip_hdr iphdr;
    struct icmp_echo_hdr echo;
    pbuf_copy_partial(p, &iphdr, sizeof(iphdr), 0);
    u16_t header = (u16_t)(IPH_HL(&iphdr) * 4);
    if (pbuf_copy_partial(p, &echo, sizeof(echo), header) != sizeof(echo) ||
        echo.type != ICMP_ER)
        return 0;
    struct echo_match m = {lwip_ntohs(echo.id), lwip_ntohs(echo.seqno), NULL};
    object_each(match_one, &m);
    if (m.found == NULL)
        return 0;
    struct net_ping ping = {
        .address = ip4_addr_get_u32(ip_2_ip4(from)),
        .sequence = m.sequence,
        .ttl = IPH_TTL(&iphdr),
        .bytes = (uint32_t)(p->tot_len - header),
        .rtt_ns = now - m.found->ping_sent_ns,
    };
    struct ipc_msg reply = {.w = {sizeof(ping)}};
    memcpy(&reply.w[1], &ping, sizeof(ping));
    wait_answer(&m.found->read, 0, &reply, NULL);
    pbuf_free(p);
    return 1;
}

long dgram_init(void)
{
    icmp = raw_new(IP_PROTO_ICMP);
    if (icmp == NULL)
        return -E_NOMEM;
    raw_recv(icmp, on_icmp, NULL);
    return 0;
}

/* --- Requests --- */

long dgram_begin(struct net_object *o)
{
    if (o->kind == NET_PING) {
        o->state = NET_READY;
        return 0;
    }
    struct udp_pcb *pcb = udp_new_ip_type(IPADDR_TYPE_V4);
    if (pcb == NULL)
        return -E_NOSPC;
    if (udp_connect(pcb, &o->address, o->name.port) != ERR_OK) {
        udp_remove(pcb);
        return -E_NETDOWN;
    }
    udp_recv(pcb, on_datagram, o);
    o->udp = pcb;
    o->state = NET_READY;
    return 0;
}

long dgram_read(struct net_object *o, uint64_t length, struct ipc_msg *reply,
                struct ipc_extra *reply_extra)
{
    if (o->state == NET_FAILED)
        return o->error;
    if (o->kind == NET_PING) {
        if (o->state != NET_READY || o->read.reply != 0)
            return o->read.reply != 0 ? -E_BUSY : wait_save(&o->read, length);
        long err = wait_save(&o->read, length);
        if (err == IPC_NO_REPLY) {
            send_echo(o);
            o->deadline = time_now_ns() + NET_PING_TIMEOUT_NS;
        }
        return err;
    }
    if (o->datagram_count == 0)
        return wait_save(&o->read, length);
    struct pbuf *p = o->datagrams[0];
    o->datagram_count--;
    memmove(&o->datagrams[0], &o->datagrams[1], (size_t)o->datagram_count * sizeof(p));
    long n = conn_fill(&p, length, reply, reply_extra);
    if (p != NULL)
        pbuf_free(p); /* what did not fit is lost, as with any datagram */
    return n < 0 ? n : 0;
}

long dgram_write(struct net_object *o, const uint8_t *bytes, uint64_t length)
{
    if (o->kind != NET_UDP)
        return -E_PERM;
    if (o->state != NET_READY)
        return -E_AGAIN;
    if (length > NET_UDP_MAX)
        return -E_RANGE;
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)length, PBUF_RAM);
    if (p == NULL)
        return -E_NOMEM;
    pbuf_take(p, bytes, (u16_t)length);
    err_t err = udp_send(o->udp, p);
    pbuf_free(p);
    return err == ERR_OK ? 0 : -E_NETDOWN;
}

void dgram_expire(struct net_object *o, uint64_t now, uint64_t *next)
{
    if (o->read.reply == 0 || o->state != NET_READY)
        return;
    if (now >= o->deadline)
        wait_answer(&o->read, -E_TIMEOUT, NULL, NULL);
    else if (o->deadline < *next)
        *next = o->deadline;
}

void dgram_close(struct net_object *o)
{
    if (o->udp != NULL) {
        udp_remove(o->udp);
        o->udp = NULL;
    }
    while (o->datagram_count > 0)
        pbuf_free(o->datagrams[--o->datagram_count]);
}
