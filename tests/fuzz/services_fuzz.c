/*
 * libFuzzer target for init's service description (init/services.c).
 * Each input is an etc/services file. Whatever it holds, services_parse
 * must return a count within bounds (or -E_NOSPC) and fill each service
 * with NUL-terminated words of no blanks; then services_start, with the
 * process-starting half of init replaced below, must start every service
 * exactly once, whatever cycles the wiring has.
 *
 * init's own messages go to stdout, which is closed to keep runs quiet;
 * libFuzzer reports on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#include "../../init/services.h"

static long next_pid;

/* Stands in for init/wire.c, which starts processes: every start succeeds. */
long wire_start(const struct boot_image *image, const char *name, const char *program,
                char wires[][WIRE_TEXT_MAX], int wire_count, int temporary)
{
    (void)image;
    (void)name;
    (void)program;
    (void)wires;
    (void)wire_count;
    (void)temporary;
    return ++next_pid;
}

/* As wire.c: "serve:EP" exactly. */
int wire_serves(const char *wire, const char *ep)
{
    return strncmp(wire, "serve:", 6) == 0 && strcmp(wire + 6, ep) == 0;
}

static void require(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "services_fuzz: %s\n", what);
        abort();
    }
}

/* A word services_parse may produce: 1..size-1 bytes, none of them blank. */
static int is_word(const char *w, size_t size)
{
    size_t n = strnlen(w, size);
    return n > 0 && n < size && strcspn(w, " \t\n") == n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (freopen("/dev/null", "w", stdout) == NULL)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct service services[SERVICE_MAX];
    char *text = malloc(size ? size : 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    int count = services_parse(text, size, services, SERVICE_MAX);
    free(text);
    require(count == -E_NOSPC || (count >= 0 && count <= SERVICE_MAX), "count out of range");
    if (count < 0)
        return 0;
    for (int i = 0; i < count; i++) {
        const struct service *s = &services[i];
        require(is_word(s->name, sizeof(s->name)) && s->name[0] != '#', "bad name");
        require(is_word(s->program, sizeof(s->program)), "bad program");
        require(s->wire_count >= 0 && s->wire_count <= WIRE_MAX, "wire count out of range");
        for (int w = 0; w < s->wire_count; w++)
            require(is_word(s->wires[w], WIRE_TEXT_MAX), "bad wire");
        require(s->pid == 0, "parsed service already has a pid");
    }

    next_pid = 0;
    services_start(NULL, services, count);
    require(next_pid == count, "not every service started exactly once");
    for (int i = 0; i < count; i++)
        require(services[i].pid > 0 &&
                    services_find(services, count, services[i].pid) == &services[i],
                "a service's pid does not find it");
    return 0;
}
