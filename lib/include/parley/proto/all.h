/*
 * Every protocol's tags in one list, for the kernel's IPC trace (which
 * prints tag names). Each protocol header under this directory defines
 * PROTO_<NAME>_TAGS(X), calling X(name, value) once per tag; add new
 * protocols to PARLEY_ALL_TAGS below.
 */
#ifndef PARLEY_PROTO_ALL_H
#define PARLEY_PROTO_ALL_H

#include <parley/proto/auth.h>
#include <parley/proto/base.h>
#include <parley/proto/console.h>
#include <parley/proto/fs.h>
#include <parley/proto/input.h>
#include <parley/proto/nic.h>
#include <parley/proto/ns.h>
#include <parley/proto/pci.h>
#include <parley/proto/pipe.h>
#include <parley/proto/test.h>

#define PROTO_KERNEL_TAGS(X) X(NOTIFY, IPC_TAG_NOTIFY) X(CLOSED, IPC_TAG_CLOSED)

#define PARLEY_ALL_TAGS(X)                                                                         \
    PROTO_KERNEL_TAGS(X)                                                                           \
    PROTO_TEST_TAGS(X)                                                                             \
    PROTO_INPUT_TAGS(X)                                                                            \
    PROTO_CONSOLE_TAGS(X)                                                                          \
    PROTO_PCI_TAGS(X)                                                                              \
    PROTO_FS_TAGS(X)                                                                               \
    PROTO_NS_TAGS(X)                                                                               \
    PROTO_AUTH_TAGS(X)                                                                             \
    PROTO_PIPE_TAGS(X)                                                                             \
    PROTO_NIC_TAGS(X)

#endif
