/*
 * The program loader: fills a fresh address space from an ELF image and
 * builds the initial user stack (argc, argv, envp), the way a C program's
 * _start expects it.
 */
#ifndef PROC_LOADER_H
#define PROC_LOADER_H

#include <stddef.h>
#include <stdint.h>

struct aspace;
struct image_source;

/*
 * Loads `image` into `as`. args and env are NUL-separated strings
 * (args_length and env_length bytes). On success stores the entry point
 * and initial stack pointer and returns 0; otherwise a negative error,
 * with a sentence for the log in loader_last_error().
 */
long loader_load(struct aspace *as, const struct image_source *image, const char *args,
                 size_t args_length, const char *env, size_t env_length, uint64_t *entry,
                 uint64_t *stack);

const char *loader_last_error(void);

#endif
