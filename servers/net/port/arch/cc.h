/*
 * lwIP's compiler and platform port for Parley's user space (lwIP 2.1.x,
 * as Debian's source package `lwip` ships it; see servers/net/CMakeLists.txt).
 *
 * Parley's C library has <stdint.h>, <stddef.h>, <limits.h>, <ctype.h>,
 * <string.h> and <stdio.h> but no <inttypes.h>, so the printf formats of
 * lwIP's integer types are spelled out here. Diagnostics go to the
 * kernel log through printf; a failed assertion is a bug in the stack or
 * its port, so the server logs it and exits rather than run on with a
 * corrupt state.
 */
#ifndef PARLEY_LWIP_ARCH_CC_H
#define PARLEY_LWIP_ARCH_CC_H

#include <stdio.h>
#include <stdlib.h>

#define LWIP_NO_INTTYPES_H 1
#define X8_F "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

#define BYTE_ORDER LITTLE_ENDIAN

#define LWIP_PLATFORM_DIAG(x)                                                                      \
    do {                                                                                           \
        printf x;                                                                                  \
    } while (0)

void net_port_assert(const char *message, const char *file, int line);
#define LWIP_PLATFORM_ASSERT(x) net_port_assert((x), __FILE__, __LINE__)

/* Random numbers for ports, DNS ids and TCP sequence numbers (port.c). */
unsigned net_port_random(void);
#define LWIP_RAND() (net_port_random())

#endif
