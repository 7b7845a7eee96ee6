/*
 * The service description (etc/services). One service per line:
 *
 *   NAME  PROGRAM  WIRE...
 *
 * e.g. `keyboard bin/ps2kbd ports:0x60:1 ports:0x64:1 irq:1 use:console#256`.
 * '#' at the start of a line begins a comment (a '#' inside a wire is a
 * badge). A service that uses endpoint EP depends on the one that serves
 * EP, and starts after it; a cycle is reported and broken.
 */
#include "services.h"

#include <parley/errors.h>
#include <stdio.h>
#include <string.h>

/* Copies the next whitespace-separated word of [*at, end) into out; 0 at the end of the line. */
static int next_word(const char **at, const char *end, char *out, size_t size)
{
    while (*at < end && (**at == ' ' || **at == '\t'))
        (*at)++;
    const char *start = *at;
    while (*at < end && **at != ' ' && **at != '\t' && **at != '\n')
        (*at)++;
    size_t length = (size_t)(*at - start);
    if (length == 0)
        return 0;
    if (length >= size)
        return -E_RANGE;
    memcpy(out, start, length);
    out[length] = '\0';
    return 1;
}

static int parse_line(const char *at, const char *end, struct service *s, int line)
{
    memset(s, 0, sizeof(*s));
    /* A NUL would end a word early without a blank, and a name or wire
     * would quietly mean less than the line says. */
    if (memchr(at, '\0', (size_t)(end - at)) != NULL) {
        printf("init: etc/services line %d: holds a NUL byte\n", line);
        return -E_INVAL;
    }
    if (next_word(&at, end, s->name, sizeof(s->name)) <= 0 ||
        next_word(&at, end, s->program, sizeof(s->program)) <= 0) {
        printf("init: etc/services line %d: expected NAME PROGRAM WIRE...\n", line);
        return -E_INVAL;
    }
    int got;
    while ((got = next_word(&at, end, s->wires[s->wire_count], WIRE_TEXT_MAX)) > 0)
        if (++s->wire_count == WIRE_MAX)
            break;
    if (got < 0 || (s->wire_count == WIRE_MAX && next_word(&at, end, s->name, 1) != 0)) {
        printf("init: etc/services line %d: too many or too long wires\n", line);
        return -E_INVAL;
    }
    return 0;
}

int services_parse(const char *text, size_t length, struct service *out, int max)
{
    int count = 0, line = 0;
    const char *end = text + length;
    for (const char *at = text; at < end; line++) {
        const char *eol = memchr(at, '\n', (size_t)(end - at));
        if (eol == NULL)
            eol = end;
        const char *first = at;
        while (first < eol && (*first == ' ' || *first == '\t'))
            first++;
        if (first < eol && *first != '#') {
            if (count == max) {
                printf("init: etc/services: more than %d services\n", max);
                return -E_NOSPC;
            }
            if (parse_line(first, eol, &out[count], line + 1) == 0)
                count++;
        }
        at = eol + 1;
    }
    return count;
}

/* True if every endpoint `s` uses is served by a service already started (or by none). */
static int ready(const struct service *s, const struct service *all, int count)
{
    for (int w = 0; w < s->wire_count; w++) {
        if (strncmp(s->wires[w], "use:", 4) != 0)
            continue;
        char ep[WIRE_TEXT_MAX];
        snprintf(ep, sizeof(ep), "%.*s", (int)strcspn(s->wires[w] + 4, "#"), s->wires[w] + 4);
        for (int i = 0; i < count; i++)
            for (int v = 0; v < all[i].wire_count; v++)
                if (&all[i] != s && all[i].pid == 0 && wire_serves(all[i].wires[v], ep))
                    return 0;
    }
    return 1;
}

void services_start(const struct boot_image *image, struct service *services, int count)
{
    int left = count;
    while (left > 0) {
        int started = 0;
        for (int i = 0; i < count; i++) {
            struct service *s = &services[i];
            if (s->pid != 0 || !ready(s, services, count))
                continue;
            s->pid = wire_start(image, s->name, s->program, s->wires, s->wire_count, 0);
            if (s->pid == 0)
                s->pid = -E_INVAL;
            started++;
            left--;
        }
        if (started == 0) {
            printf("init: etc/services has a dependency cycle; starting the rest anyway\n");
            for (int i = 0; i < count; i++)
                if (services[i].pid == 0)
                    services[i].pid = wire_start(image, services[i].name, services[i].program,
                                                 services[i].wires, services[i].wire_count, 0);
            return;
        }
    }
}

struct service *services_find(struct service *services, int count, long pid)
{
    for (int i = 0; i < count; i++)
        if (services[i].pid == pid)
            return &services[i];
    return NULL;
}
