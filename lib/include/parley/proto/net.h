/*
 * /net: the TCP/IP server (servers/net, on lwIP) is a file server. It
 * speaks the file-system protocol (fs.h) on its endpoint, the vfs mounts
 * its root at /net in every namespace, and programs reach the network
 * by opening names below it. docs/network.md explains the design; this
 * comment is the reference for the names and what each fs request means
 * on them.
 *
 *   /net/if              a text file, "key value" lines: address, netmask,
 *                        gateway, dns, mac, link, mtu, and the card's
 *                        counters (rx_packets rx_bytes tx_packets tx_bytes
 *                        rx_errors tx_errors rx_dropped rx_missed)
 *   /net/tcp/HOST:PORT   a TCP connection to HOST (a name or a dotted
 *                        address) port PORT
 *   /net/tcp/:PORT       a listening socket on PORT (every address);
 *                        ports below 1024 need FS_RIGHT_ADMIN on the
 *                        directory, which only root's namespace has
 *   /net/udp/HOST:PORT   a UDP socket sending to HOST:PORT, receiving
 *                        only from it
 *   /net/dns/NAME        NAME's IPv4 address, as text "A.B.C.D\n"
 *   /net/ping/HOST       each read sends one ICMP echo request and
 *                        returns a struct net_ping
 *
 * FS_OPEN never waits for the network, so the vfs that forwards it never
 * waits either: it makes the object and replies at once with a handle
 * (badged, RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER). Name lookup
 * and connecting start then; their outcome is the status of the first
 * request that needs it. Every request below may therefore wait, and
 * the server answers it later (a saved reply); a client that stops
 * waiting (its own timeout) loses nothing but that answer.
 *
 *   FS_STAT on a connection waits until it is connected (w0 = bytes
 *     ready to read) or failed; on dns/NAME, until the name is resolved
 *     (w0 = the address, in network byte order as a 32-bit value)
 *   FS_READ on a connection or UDP socket waits for at least one byte
 *     (one datagram) and returns what is there, up to w1 bytes (cut to
 *     FS_IO_MAX); 0 = the peer closed its side (end of file). The
 *     offset is ignored. On ping/HOST it waits up to NET_PING_TIMEOUT_NS
 *     for the echo reply (else -E_TIMEOUT) and returns a struct net_ping.
 *     On /net/if and dns/NAME it reads the text at the offset.
 *   FS_WRITE on a connection waits until every byte is queued for
 *     sending (w0 = bytes written); on a UDP socket it sends one datagram
 *     (at most NET_UDP_MAX bytes). The offset is ignored.
 *   FS_OPEN of "accept" on a listening socket waits for the next
 *     incoming connection and returns a handle to it, as FS_OPEN does
 *   FS_CLOSE closes the connection (FIN) or socket and frees it
 *   FS_READDIR on the root lists if, tcp, udp, dns, ping; the others
 *     are empty
 *
 * Errors, each its own code (parley/errors.h): -E_CONNREFUSED (nothing
 * listens there), -E_NOHOST (the name does not resolve), -E_TIMEOUT (no
 * answer in NET_CONNECT_TIMEOUT_NS), -E_NETDOWN (no address yet, or the
 * link is down), -E_CONNRESET (the peer reset the connection),
 * -E_ADDRINUSE (a port already listened on), -E_PERM (a port below 1024
 * without FS_RIGHT_ADMIN), -E_NOSPC (NET_OBJECTS_MAX objects open in
 * all), -E_QUOTA (NET_DIR_OBJECTS_MAX open through one mount, that is
 * one login session, directories included), -E_INVAL (a malformed
 * name or port), -E_BADHANDLE (a closed object), -E_BUSY (a second
 * request of the same kind while one waits).
 */
#ifndef PARLEY_PROTO_NET_H
#define PARLEY_PROTO_NET_H

#include <stdint.h>

#include <parley/proto/fs.h>

#define NET_CONNECT_TIMEOUT_NS 10000000000ull /* 10 s to resolve and connect */
#define NET_PING_TIMEOUT_NS 1000000000ull     /* 1 s for an echo reply */
#define NET_UDP_MAX 1472                      /* one datagram in one Ethernet frame */
#define NET_OBJECTS_MAX 256                   /* open objects in the whole server */
#define NET_DIR_OBJECTS_MAX 32                /* open objects made through one /net mount */

/* What one read of /net/ping/HOST returns (24 bytes: it travels inline). */
struct net_ping {
    uint32_t address;  /* who answered, network byte order */
    uint16_t sequence; /* the echo request's sequence number */
    uint16_t ttl;      /* the reply's time to live */
    uint32_t bytes;    /* ICMP bytes in the reply */
    uint32_t reserved;
    uint64_t rtt_ns; /* round-trip time */
};

#endif
