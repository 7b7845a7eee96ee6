/*
 * What every protocol header shares: tag numbering and the protocol
 * numbers. A tag's high bits name the protocol and its low 8 bits the
 * message, so tags are unique across protocols and the IPC trace can name
 * any of them (see all.h).
 */
#ifndef PARLEY_PROTO_BASE_H
#define PARLEY_PROTO_BASE_H

#include <stdint.h>

#include <parley/ipc.h>

#define PARLEY_TAG(protocol, message) ((uint64_t)(protocol) << 8 | (message))

/* Protocol numbers. */
#define PROTO_TEST 0x01    /* test and benchmark programs (test.h) */
#define PROTO_INPUT 0x02   /* keyboard driver -> console (input.h) */
#define PROTO_CONSOLE 0x03 /* terminals (console.h) */
#define PROTO_PCI 0x04     /* PCI configuration space (pci.h) */
#define PROTO_FS 0x05      /* files and directories (fs.h) */
#define PROTO_NS 0x06      /* namespaces, served by the vfs (ns.h) */
#define PROTO_PIPE 0x07    /* pipes between processes (pipe.h) */
#define PROTO_AUTH 0x08    /* passwords and users (auth.h) */
#define PROTO_NIC 0x09     /* network driver <-> TCP/IP server (nic.h) */

#endif
