/*
 * Memory allocation, process exit, number parsing and sorting.
 *
 * malloc carves 16-byte aligned blocks out of a large address-space
 * reservation that the kernel fills with zeroed pages on first touch;
 * lib/libc/malloc.c explains the design. The strto* functions follow C:
 * on overflow they return the nearest representable limit, and since
 * there is no errno a caller who must tell "overflow" from "the limit
 * itself" compares the result with LONG_MAX and friends.
 */
#ifndef PARLEY_LIBC_STDLIB_H
#define PARLEY_LIBC_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

void *malloc(size_t size) __attribute__((__malloc__, __alloc_size__(1)));
void *calloc(size_t count, size_t size) __attribute__((__malloc__, __alloc_size__(1, 2)));
void *realloc(void *ptr, size_t size) __attribute__((__alloc_size__(2)));
void free(void *ptr);

/* Flushes standard output and ends the process with status. */
_Noreturn void exit(int status);

/* Ends the process at once with status 134 (as a shell reports SIGABRT). */
_Noreturn void abort(void);

int atoi(const char *s);
long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end, int base);

/*
 * The environment: "NAME=value" strings, NULL-terminated; crt0 points
 * environ at the block the kernel passed (SYS_SPAWN with SPAWN_ENV).
 * setenv copies the block the first time it changes it. Parley's
 * conventional names are in docs/files-and-users.md (USER, HOME, PWD, ...).
 */
extern char **environ;
char *getenv(const char *name);
/* Returns 0, or -1 for a bad name (empty or with '=') or no memory. */
int setenv(const char *name, const char *value, int overwrite);
int unsetenv(const char *name);

int abs(int n);
long labs(long n);

/* Sorts in O(n log n) comparisons even on adversarial input (introsort). */
void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t count, size_t size,
              int (*compare)(const void *, const void *));

#endif
