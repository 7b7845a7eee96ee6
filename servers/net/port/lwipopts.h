/*
 * lwIP's configuration for Parley's TCP/IP server (lwIP 2.1.x, fetched
 * from Debian's source package at build time; docs/network.md).
 *
 * NO_SYS = 1: lwIP runs in the server's single thread, driven by its
 * receive loop (main.c): frames and client requests arrive as messages,
 * and the loop's wait is cut short for lwIP's next timer. There is no
 * other thread, so lwIP needs no locks and no OS abstraction.
 *
 * Sized for QEMU's user-mode network (slirp): MSS 1460, a 64 KiB window
 * with no window scaling (slirp does not scale), send buffer and pbufs
 * enough to keep a window in flight both ways, checksums generated and
 * checked in software. IPv4 only.
 */
#ifndef PARLEY_LWIPOPTS_H
#define PARLEY_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_TIMERS 1

#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 1
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#define LWIP_DNS 1
#define LWIP_IGMP 0
#define LWIP_AUTOIP 0
#define IP_REASSEMBLY 1
#define IP_FRAG 1

/* The DHCP server answers at once; probing the address first only costs seconds at boot. */
#define DHCP_DOES_ARP_CHECK 0
#define LWIP_DHCP_GET_NTP_SRV 0
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 1
#define LWIP_NETIF_HOSTNAME 1

/* The DNS server's port is a setting (dns=ADDRESS:PORT), not always 53 (config.c). */
extern unsigned short net_dns_port;
#define DNS_SERVER_PORT net_dns_port
#define DNS_MAX_SERVERS 2
#define DNS_TABLE_SIZE 8
#define DNS_MAX_NAME_LENGTH 256

/* Memory: lwIP's own heap and pools, static arrays in the server's bss. */
#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#define MEM_ALIGNMENT 8
#define MEM_SIZE (512 * 1024)
#define MEMP_NUM_PBUF 128
#define MEMP_NUM_RAW_PCB 4
#define MEMP_NUM_UDP_PCB 40
#define MEMP_NUM_TCP_PCB 136
#define MEMP_NUM_TCP_PCB_LISTEN 32
#define MEMP_NUM_TCP_SEG 512
#define MEMP_NUM_REASSDATA 8
#define MEMP_NUM_ARP_QUEUE 32
#define PBUF_POOL_SIZE 512
#define PBUF_POOL_BUFSIZE 1536

#define TCP_MSS 1460
#define TCP_WND (44 * TCP_MSS) /* 64,240 bytes: the most without window scaling */
#define LWIP_WND_SCALE 0
#define TCP_SND_BUF (44 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_QUEUE_OOSEQ 1
#define TCP_LISTEN_BACKLOG 1
#define TCP_DEFAULT_LISTEN_BACKLOG 8
#define LWIP_TCP_KEEPALIVE 1
#define TCP_OVERSIZE TCP_MSS

#define LWIP_CHKSUM_ALGORITHM 3
#define CHECKSUM_GEN_IP 1
#define CHECKSUM_GEN_UDP 1
#define CHECKSUM_GEN_TCP 1
#define CHECKSUM_GEN_ICMP 1
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_UDP 1
#define CHECKSUM_CHECK_TCP 1
#define CHECKSUM_CHECK_ICMP 1

#define LWIP_STATS 0
#define LWIP_DEBUG 0

#endif
