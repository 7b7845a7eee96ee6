/*
 * Network objects on lwIP: name lookup, TCP connections and listeners,
 * UDP sockets and pings (conn.c for lookup and TCP, dgram.c for UDP and
 * ping). Each function below is one fs request on one object, as
 * <parley/proto/net.h> defines it; it answers at once (returning the
 * status, with the reply filled in) or saves the reply and returns
 * IPC_NO_REPLY, to answer when lwIP calls back.
 */
#ifndef NET_CONN_H
#define NET_CONN_H

#include <stdint.h>

#include <parley/ipc_lib.h>

#include "objects.h"

/* Starts what a new object needs: lookup, then connect, listen or bind. */
long conn_begin(struct net_object *o);

/* The interface got its address (DHCP): objects waiting for it go on. */
void conn_network_up(void);

/* Fails whatever waited past its deadline; returns the next deadline (ns, UINT64_MAX: none). */
uint64_t conn_expire(uint64_t now);

long conn_stat(struct net_object *o, struct ipc_msg *reply);
long conn_read(struct net_object *o, uint64_t length, struct ipc_msg *reply,
               struct ipc_extra *reply_extra);
long conn_write(struct net_object *o, const struct ipc_msg *req, const struct ipc_extra *extra,
                struct ipc_msg *reply);
/* "accept" on a listener: *made is the connection to hand out now, if one is there. */
long conn_accept(struct net_object *o, struct net_object **made);
/* Closes what the object holds in lwIP; the caller frees the object. */
void conn_close(struct net_object *o);

/* Fills a read reply with up to `length` bytes taken from a chain: inline or a region. */
long conn_fill(struct pbuf **chain, uint64_t length, struct ipc_msg *reply,
               struct ipc_extra *reply_extra);

/* A read of an object's text (NET_IF, NET_DNS) at offset. */
long conn_text_read(const struct net_object *o, uint64_t offset, uint64_t length,
                    struct ipc_msg *reply, struct ipc_extra *reply_extra);

/* UDP and ping (dgram.c). */
long dgram_init(void);
long dgram_begin(struct net_object *o);
long dgram_read(struct net_object *o, uint64_t length, struct ipc_msg *reply,
                struct ipc_extra *reply_extra);
long dgram_write(struct net_object *o, const uint8_t *bytes, uint64_t length);
void dgram_close(struct net_object *o);
void dgram_expire(struct net_object *o, uint64_t now, uint64_t *next);

/* The handle to give a client for object o (main.c mints it). */
long conn_handle_for(struct net_object *o);

#endif
