/*
 * init: the first user process.
 *
 * The kernel starts init with the kernel command line's words as its
 * arguments and the boot image (a cpio archive of bin/...) mapped
 * read-only at the address in BOOT_IMAGE=address,size. Until the service
 * manager arrives (drivers and servers, a later issue) init runs the
 * programs the command line names:
 *
 *   run=a,b,c     programs from bin/ to run (default: hello)
 *   parallel=1    start them all at once instead of one after another
 *   repeat=N      run the whole list N times (spawn/exit cycles)
 *
 * and reports each one's exit status on the log. Then it stays, as the
 * parent that never exits.
 *
 * A program may be wired to others with @ suffixes, each giving it one
 * handle (its handles 1, 2, ... in order):
 *   NAME@serve:EP  receive right on endpoint EP (one endpoint per name per round)
 *   NAME@use:EP    send, duplicate and transfer rights on EP
 *   NAME@trace     the trace capability (init's handle 1)
 *   NAME@ports:BASE:COUNT   I/O ports [BASE, BASE + COUNT)
 *   NAME@irq:N              interrupt line N
 *   NAME@phys:BASE:LENGTH   a physical range to map (page aligned)
 *   NAME@dma:PAGES          a budget of DMA pages
 * (numbers in C notation: 0x60 or 96).
 * init closes its own endpoint handles once the round has started, so a
 * server sees -E_CLOSED when its last client is gone. Wiring needs
 * parallel=1: a server run alone would wait for clients forever.
 */
#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <parley/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cpio.h"

#define MAX_PROGRAMS 32
#define MAX_WIRES 8
#define MAX_ENDPOINTS 8

struct boot_image {
    const void *data;
    size_t size;
};

static const char *option(int argc, char **argv, const char *key)
{
    size_t n = strlen(key);
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=')
            return argv[i] + n + 1;
    return NULL;
}

static int find_boot_image(char **envp, struct boot_image *image)
{
    for (; *envp != NULL; envp++) {
        if (strncmp(*envp, "BOOT_IMAGE=", 11) != 0)
            continue;
        char *end;
        image->data = (const void *)strtoull(*envp + 11, &end, 0);
        if (*end != ',')
            return -E_INVAL;
        image->size = strtoull(end + 1, NULL, 0);
        return 0;
    }
    return -E_NOENT;
}

/* The endpoints of one round, by name. */
struct endpoints {
    char names[MAX_ENDPOINTS][16];
    long handles[MAX_ENDPOINTS];
    int count;
};

static long endpoint_named(struct endpoints *eps, const char *name, size_t length)
{
    for (int i = 0; i < eps->count; i++)
        if (strlen(eps->names[i]) == length && strncmp(eps->names[i], name, length) == 0)
            return eps->handles[i];
    if (eps->count == MAX_ENDPOINTS || length >= sizeof(eps->names[0]))
        return -E_NOSPC;
    long h = endpoint_create();
    if (h < 0)
        return h;
    snprintf(eps->names[eps->count], sizeof(eps->names[0]), "%.*s", (int)length, name);
    eps->handles[eps->count++] = h;
    return h;
}

/* A hardware wire, kind:BASE[:LENGTH], derived from one of init's roots. */
static long hardware_handle(uint32_t root, const char *numbers, int with_base)
{
    char *end;
    uint64_t first = strtoull(numbers, &end, 0);
    if (!with_base)
        return sys_cap_derive(root, 0, first);
    if (*end != ':')
        return sys_cap_derive(root, first, 1);
    return sys_cap_derive(root, first, strtoull(end + 1, NULL, 0));
}

/* Turns one "@kind:..." wire into a fresh handle for the child. */
static long wire_handle(struct endpoints *eps, const char *wire, size_t length)
{
    if (length == 5 && strncmp(wire, "trace", 5) == 0)
        return handle_dup(INIT_HANDLE_TRACE, RIGHT_USE | RIGHT_TRANSFER);
    if (strncmp(wire, "ports:", 6) == 0)
        return hardware_handle(INIT_HANDLE_IOPORTS, wire + 6, 1);
    if (strncmp(wire, "irq:", 4) == 0)
        return hardware_handle(INIT_HANDLE_IRQ, wire + 4, 1);
    if (strncmp(wire, "phys:", 5) == 0)
        return hardware_handle(INIT_HANDLE_PHYS, wire + 5, 1);
    if (strncmp(wire, "dma:", 4) == 0)
        return hardware_handle(INIT_HANDLE_DMA, wire + 4, 0);
    uint32_t rights;
    if (strncmp(wire, "serve:", 6) == 0)
        rights = RIGHT_RECEIVE | RIGHT_TRANSFER;
    else if (strncmp(wire, "use:", 4) == 0)
        rights = RIGHT_SEND | RIGHT_DUPLICATE | RIGHT_TRANSFER;
    else
        return -E_INVAL;
    const char *name = strchr(wire, ':') + 1;
    long ep = endpoint_named(eps, name, length - (size_t)(name - wire));
    return ep < 0 ? ep : handle_dup((uint32_t)ep, rights);
}

/*
 * Starts bin/<name> for the run= item `item` (NAME@wire@wire...); returns
 * its pid or a negative error (already reported).
 */
static long start(const struct boot_image *image, const char *item, struct endpoints *eps)
{
    char name[32];
    size_t name_length = strcspn(item, "@");
    snprintf(name, sizeof(name), "%.*s", (int)name_length, item);
    uint32_t handles[MAX_WIRES];
    uint32_t count = 0;
    long err = 0;
    for (const char *wire = item + name_length; *wire == '@' && err >= 0;) {
        wire++;
        size_t length = strcspn(wire, "@");
        err = count < MAX_WIRES ? wire_handle(eps, wire, length) : -E_2BIG;
        if (err >= 0)
            handles[count++] = (uint32_t)err;
        wire += length;
    }
    long pid = err;
    if (err >= 0) {
        char path[64];
        snprintf(path, sizeof(path), "bin/%s", name);
        struct cpio_entry entry;
        const char *argv[] = {name, NULL};
        pid = cpio_find(image->data, image->size, path, &entry);
        if (pid >= 0)
            pid = sys_spawn_handles(entry.data, entry.size, argv, handles, count);
    }
    if (pid < 0)
        printf("init: cannot start %s: %s\n", item, strerror((int)pid));
    for (uint32_t i = 0; i < count; i++)
        handle_close(handles[i]); /* the child has its own copies */
    return pid;
}

static void report(long pid, int status, char names[][128], const long *pids, int count)
{
    for (int i = 0; i < count; i++)
        if (pids[i] == pid)
            printf("init: %.*s (pid %ld) exited status=%d\n", (int)strcspn(names[i], "@"),
                   names[i], pid, status);
}

static void run_round(const struct boot_image *image, char names[][128], int count,
                      int parallel, int quiet)
{
    long pids[MAX_PROGRAMS];
    int status;
    struct endpoints eps = {.count = 0};
    for (int i = 0; i < count; i++) {
        pids[i] = start(image, names[i], &eps);
        if (!parallel && pids[i] > 0) {
            long pid = sys_wait(pids[i], &status);
            if (!quiet)
                report(pid, status, names, pids, count);
        }
    }
    for (int i = 0; i < eps.count; i++)
        handle_close((uint32_t)eps.handles[i]);
    if (!parallel)
        return;
    for (int i = 0; i < count; i++) {
        if (pids[i] <= 0)
            continue;
        long pid = sys_wait(-1, &status);
        if (pid > 0 && !quiet)
            report(pid, status, names, pids, count);
    }
}

int main(int argc, char **argv, char **envp)
{
    struct boot_image image;
    if (find_boot_image(envp, &image) < 0) {
        printf("init: no boot image in the environment\n");
        return 1;
    }
    printf("init: boot image of %zu bytes\n", image.size);

    static char names[MAX_PROGRAMS][128];
    const char *list = option(argc, argv, "run");
    if (list == NULL)
        list = "hello";
    int count = 0;
    while (*list != '\0' && count < MAX_PROGRAMS) {
        size_t n = strcspn(list, ",");
        snprintf(names[count++], sizeof(names[0]), "%.*s", (int)n, list);
        list += n + (list[n] == ',');
    }
    const char *repeat_text = option(argc, argv, "repeat");
    long repeat = repeat_text != NULL ? strtol(repeat_text, NULL, 10) : 1;
    const char *parallel_text = option(argc, argv, "parallel");
    int parallel = parallel_text != NULL && strcmp(parallel_text, "1") == 0;

    struct sysinfo before, after;
    for (long round = 0; round < repeat; round++) {
        if (round == 1)
            sys_sysinfo(&before); /* after one warm-up round */
        run_round(&image, names, count, parallel, repeat > 1);
    }
    if (repeat > 1) {
        sys_sysinfo(&after);
        printf("init: %ld rounds done; frames free after round 1=%lu after round %ld=%lu\n",
               repeat, (unsigned long)before.frames_free, repeat,
               (unsigned long)after.frames_free);
    }
    printf("init: all programs finished\n");
    for (;;)
        sys_sleep(1000000000ull);
}
