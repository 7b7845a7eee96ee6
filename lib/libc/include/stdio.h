/*
 * Standard input and output, and formatted output into buffers.
 *
 * snprintf and vsnprintf format into a buffer with the kernel's own printf
 * engine (lib/common/format.c). The only streams are stdin, stdout and
 * stderr; what they reach is set before main from the environment
 * (docs/files-and-users.md): STDIN and STDOUT = console, file or pipe
 * say which protocol handles 1 (stdin) and 2 (stdout) speak. Without
 * STDOUT, output goes to the kernel log one line per entry, as for
 * services and tests; without STDIN, input is at end of file at once.
 * STDERR (console, file, pipe or log) with STDERR_HANDLE (its handle
 * number) gives stderr a target of its own, written at once; without
 * them stderr writes to stdout's target, at once.
 *
 * stdout is line-buffered on a console and the log, fully buffered on a
 * file or pipe; reading stdin and exit() flush it. At exit a pipe end
 * held as stdin or stdout is closed, so its reader sees end of file and
 * its writer -E_CLOSED. A console read interrupted by Ctrl-C ends the
 * program with status 130, as a POSIX shell reports SIGINT; Ctrl-D on an
 * empty line is end of file.
 *
 * Lost output is never quiet: a write to stdout that fails (a full disk,
 * a closed console) is reported by exit() on stderr as "NAME: write
 * error: reason" and turns status 0 into 1, unless clearerr(stdout)
 * forgot it; a write to a pipe nobody reads any more ends the program at
 * once with status 141, as SIGPIPE does.
 *
 * Conversions: %d %i %u %x %X %o %c %s %p %%, length modifiers hh h l ll z,
 * flags - 0 space + #, width and precision (both may be *). No floating
 * point; an unknown conversion is printed as written.
 */
#ifndef PARLEY_LIBC_STDIO_H
#define PARLEY_LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

/*
 * Formats into buf, writing at most size bytes including the NUL (always
 * written when size > 0); returns the length the whole output would have
 * had, so a result >= size means it was cut short.
 */
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
    __attribute__((__format__(__printf__, 3, 0)));

/* Write to standard output; they return the number of bytes written. */
int printf(const char *restrict fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
int vprintf(const char *restrict fmt, va_list ap) __attribute__((__format__(__printf__, 1, 0)));

/* Writes s and a newline; returns a non-negative number. */
int puts(const char *s);

/* Writes one character; returns it as an unsigned char. */
int putchar(int c);

/*
 * Sends a partly written line now instead of waiting for its '\n' (a
 * Parley extension; the same as fflush(stdout); exit() does this too).
 */
void stdout_flush(void);

/* A stream: only stdin, stdout and stderr exist. */
typedef struct libc_file FILE;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

/* Output to a stream; on a failed write they return EOF (fwrite: fewer items). */
int fputc(int c, FILE *stream);
int putc(int c, FILE *stream);
int fputs(const char *restrict s, FILE *restrict stream);
int fprintf(FILE *restrict stream, const char *restrict fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));
int vfprintf(FILE *restrict stream, const char *restrict fmt, va_list ap)
    __attribute__((__format__(__printf__, 2, 0)));
size_t fwrite(const void *restrict buf, size_t size, size_t count, FILE *restrict stream);

/* Sends what a stream has buffered (NULL: every stream); 0, or EOF if it failed. */
int fflush(FILE *stream);

/* Input from stdin: the next byte as an unsigned char, or EOF. */
int fgetc(FILE *stream);
int getc(FILE *stream);
int getchar(void);

/*
 * Reads one line, with its '\n', or up to size - 1 bytes, and a NUL;
 * returns buf, or NULL at end of input with nothing read.
 */
char *fgets(char *restrict buf, int size, FILE *restrict stream);

/* Reads up to count items of size bytes, waiting until they are all there or input ends. */
size_t fread(void *restrict buf, size_t size, size_t count, FILE *restrict stream);

/*
 * Reads what stdin has now, 1 to size bytes, waiting only while it has
 * nothing (a Parley extension, like POSIX read(2)): so `slow | cat`
 * shows each piece as it comes, where fread would wait for all of its
 * count. Returns 0 at end of input or on an error.
 */
size_t fread_some(void *restrict buf, size_t size, FILE *restrict stream);

/* Whether input ended, or a read or write failed; clearerr forgets both. */
int feof(FILE *stream);
int ferror(FILE *stream);
void clearerr(FILE *stream);

/*
 * Points stream (stdin, stdout or stderr) at handle, speaking the protocol
 * named by kind: "console", "file", "pipe", or "log" (not stdin). What
 * start-up does from STDIN, STDOUT and STDERR, for programs that get
 * their streams some other way (a Parley extension). Flushes stdout
 * first; returns 0 or -E_INVAL.
 */
int stdio_redirect(FILE *stream, const char *kind, unsigned handle);

#endif
