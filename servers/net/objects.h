/*
 * The TCP/IP server's open objects: everything a client holds a handle
 * to (a directory of /net, a connection, a listening or UDP socket, a
 * name being looked up, a ping, /net/if), found by the badge of the
 * handle, and the requests each one has waiting (saved replies).
 *
 * Badges are never reused, so a handle to a closed object can never
 * reach a newer one. A directory opened through the unbadged root (the
 * vfs's, when it makes a namespace's /net mount) is a session: every
 * object opened through it, or through anything opened through it,
 * counts against it (NET_DIR_OBJECTS_MAX: -E_QUOTA beyond) and all of
 * them against the whole table (NET_OBJECTS_MAX: -E_NOSPC). A session
 * closed while its objects live stays in the table, closed, until the
 * last of them goes, so closing a mount never frees its quota early.
 */
#ifndef NET_OBJECTS_H
#define NET_OBJECTS_H

#include <stdbool.h>
#include <stdint.h>

#include <lwip/ip_addr.h>

#include <parley/ipc_lib.h>

#include "names.h"

#define NET_BACKLOG_MAX 8   /* connections a listener holds before accept */
#define NET_DATAGRAMS_MAX 16 /* datagrams a UDP socket queues */
#define NET_TEXT_MAX 1024    /* /net/if and dns/NAME as text */

enum net_state {
    NET_WAIT_NETWORK, /* no address yet */
    NET_RESOLVING,    /* waiting for DNS */
    NET_CONNECTING,   /* TCP SYN sent */
    NET_READY,
    NET_FAILED, /* error says why */
};

/* A request kept waiting: its saved reply handle (0: none) and what it asked. */
struct net_wait {
    uint32_t reply;
    uint64_t length; /* FS_READ: bytes wanted */
};

struct net_object {
    uint32_t badge; /* 0: a free slot */
    enum net_kind kind;
    uint32_t rights;         /* FS_RIGHT_* this handle has */
    struct net_object *dir;  /* its session (NULL: it is one, opened through the unbadged root) */
    int children;            /* a session: the objects counting against it */
    bool closed;             /* a session closed while it still has children */
    struct net_name name;
    ip_addr_t address;
    enum net_state state;
    long error;        /* NET_FAILED: the negative error */
    uint64_t deadline; /* ns: when waiting for the network, a name or a connection gives up */

    struct tcp_pcb *tcp;
    struct udp_pcb *udp;
    struct pbuf *queue; /* received bytes (TCP) or datagrams (UDP, one per chain in datagrams) */
    struct pbuf *datagrams[NET_DATAGRAMS_MAX];
    int datagram_count;
    bool eof; /* the peer closed its side */

    struct net_wait stat, read, write, accept;
    /* An FS_WRITE in progress: the bytes (a region we own, or inline ones). */
    const uint8_t *write_bytes;
    uint64_t write_length, write_done;
    void *write_region;
    uint64_t write_region_length;
    uint8_t write_inline[16];

    struct net_object *backlog[NET_BACKLOG_MAX]; /* a listener's unaccepted connections */
    int backlog_count;
    struct net_object *listener; /* an unaccepted connection: who holds it */

    uint16_t ping_sequence;
    uint64_t ping_sent_ns;

    char text[NET_TEXT_MAX]; /* NET_IF, NET_DNS: what a read returns */
    uint32_t text_length;
};

/* The object a request's badge names; NULL for a closed one. Badge 0 is the root. */
struct net_object *object_find(uint32_t badge);

/* A new object of `kind` opened through dir, with a fresh badge; NULL + *err when full. */
struct net_object *object_new(struct net_object *dir, enum net_kind kind, long *err);

/*
 * Frees an object: answers whatever it has waiting with -E_BADHANDLE
 * first. A session with objects left is only marked closed.
 */
void object_free(struct net_object *o);

/* Calls fn on every live object (it may free the one it is given). */
void object_each(void (*fn)(struct net_object *o, void *arg), void *arg);

/* Saves the reply to the request being handled as w's; returns IPC_NO_REPLY or an error. */
long wait_save(struct net_wait *w, uint64_t length);

/*
 * Answers a waiting request with status (and, if 0, msg's words and
 * extra's region); releases the region if the caller is gone. Does
 * nothing when nothing waits.
 */
void wait_answer(struct net_wait *w, long status, struct ipc_msg *msg, struct ipc_extra *extra);

/* Answers every waiting request of o with err. */
void object_fail_waits(struct net_object *o, long err);

#endif
