/*
 * Checks lib/libc/ctype.c against the host's <ctype.h> in the "C" locale
 * (the default for a program that never calls setlocale), which defines
 * exactly the ASCII classes: every class and both case mappings must
 * agree for all of 0..127 and EOF. Bytes 128..255 must be in no class
 * and map to themselves, on both sides.
 */
#include "libc_host.h"

#include <ctype.h>
#include <stdio.h>

#include "check.h"

struct class_pair {
    const char *name;
    int (*ours)(int);
    int (*host)(int);
};

/* The host's may be macros; these make them callable through a pointer. */
#define HOST_WRAPPER(fn)                                                                           \
    static int host_##fn(int c)                                                                    \
    {                                                                                              \
        return fn(c);                                                                              \
    }
HOST_WRAPPER(isdigit)
HOST_WRAPPER(isalpha)
HOST_WRAPPER(isalnum)
HOST_WRAPPER(isspace)
HOST_WRAPPER(isupper)
HOST_WRAPPER(islower)
HOST_WRAPPER(isxdigit)
HOST_WRAPPER(isprint)
HOST_WRAPPER(ispunct)
HOST_WRAPPER(iscntrl)

static const struct class_pair classes[] = {
    {"isdigit", libc_isdigit, host_isdigit},    {"isalpha", libc_isalpha, host_isalpha},
    {"isalnum", libc_isalnum, host_isalnum},    {"isspace", libc_isspace, host_isspace},
    {"isupper", libc_isupper, host_isupper},    {"islower", libc_islower, host_islower},
    {"isxdigit", libc_isxdigit, host_isxdigit}, {"isprint", libc_isprint, host_isprint},
    {"ispunct", libc_ispunct, host_ispunct},    {"iscntrl", libc_iscntrl, host_iscntrl},
};

int main(void)
{
    for (size_t k = 0; k < sizeof(classes) / sizeof(classes[0]); k++) {
        const struct class_pair *cl = &classes[k];
        for (int c = -1; c < 256; c++) {
            bool ours = cl->ours(c) != 0;
            bool host = cl->host(c) != 0;
            CHECKF(ours == host, "%s(%d): ours %d, host %d", cl->name, c, ours, host);
            if (c >= 128)
                CHECKF(!ours, "%s(%d) is true outside ASCII", cl->name, c);
        }
    }
    for (int c = -1; c < 256; c++) {
        CHECKF(libc_toupper(c) == toupper(c), "toupper(%d) = %d", c, libc_toupper(c));
        CHECKF(libc_tolower(c) == tolower(c), "tolower(%d) = %d", c, libc_tolower(c));
    }

    /* A few by hand, in case the host were ever run in another locale. */
    CHECK(libc_isspace('\v') && libc_isspace('\f') && !libc_isspace('\0'));
    CHECK(libc_ispunct('~') && libc_ispunct('!') && !libc_ispunct(' '));
    CHECK(libc_iscntrl(127) && !libc_isprint(127) && libc_isprint(' '));
    CHECK(libc_toupper('z') == 'Z' && libc_tolower('A') == 'a' && libc_toupper('1') == '1');
    CHECK(!libc_isalpha(EOF) && libc_toupper(EOF) == EOF);
    return check_finish("libc_ctype_test");
}
