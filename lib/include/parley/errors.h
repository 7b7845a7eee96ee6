/*
 * The one list of error codes shared by the kernel and user space.
 *
 * Every fallible operation returns a negative code from this list
 * (-E_INVAL, -E_NOMEM, ...). error_string() turns a code, negative or
 * positive, into a short sentence for messages. The list is an X-macro
 * so the numbers, names and strings cannot drift apart.
 */
#ifndef PARLEY_ERRORS_H
#define PARLEY_ERRORS_H

#define PARLEY_ERRORS(X)                                                                           \
    X(E_OK, 0, "success")                                                                          \
    X(E_INVAL, 1, "invalid argument")                                                              \
    X(E_NOMEM, 2, "out of memory")                                                                 \
    X(E_FAULT, 3, "bad address")                                                                   \
    X(E_RANGE, 4, "value out of range")                                                            \
    X(E_NOENT, 5, "no such file or directory")                                                     \
    X(E_EXIST, 6, "already exists")                                                                \
    X(E_PERM, 7, "permission denied")                                                              \
    X(E_BADHANDLE, 8, "bad handle")                                                                \
    X(E_CLOSED, 9, "peer closed")                                                                  \
    X(E_TIMEOUT, 10, "timed out")                                                                  \
    X(E_AGAIN, 11, "would block")                                                                  \
    X(E_NOSYS, 12, "no such system call")                                                          \
    X(E_NOEXEC, 13, "not an executable")                                                           \
    X(E_BUSY, 14, "resource busy")                                                                 \
    X(E_NOSPC, 15, "no space left")                                                                \
    X(E_CHILD, 16, "no such child")                                                                \
    X(E_SRCH, 17, "no such process")                                                               \
    X(E_2BIG, 18, "argument list too long")                                                        \
    X(E_INTR, 19, "interrupted")                                                                   \
    X(E_NOTEMPTY, 20, "directory not empty")                                                       \
    X(E_NOTDIR, 21, "not a directory")                                                             \
    X(E_ISDIR, 22, "is a directory")                                                               \
    X(E_CONNREFUSED, 23, "connection refused")                                                     \
    X(E_NOHOST, 24, "host not found")                                                              \
    X(E_NETDOWN, 25, "network is down")                                                            \
    X(E_CONNRESET, 26, "connection reset by peer")                                                 \
    X(E_ADDRINUSE, 27, "address already in use")                                                   \
    X(E_QUOTA, 28, "quota exceeded")

enum parley_error {
#define PARLEY_ERROR_ENUM(name, num, text) name = num,
    PARLEY_ERRORS(PARLEY_ERROR_ENUM)
#undef PARLEY_ERROR_ENUM
};

/* Returns the message for an error code; the sign of err is ignored. */
static inline const char *error_string(int err)
{
    if (err < 0)
        err = -err;
    switch (err) {
#define PARLEY_ERROR_CASE(name, num, text)                                                         \
    case num:                                                                                      \
        return text;
        PARLEY_ERRORS(PARLEY_ERROR_CASE)
#undef PARLEY_ERROR_CASE
    }
    return "unknown error";
}

#endif
