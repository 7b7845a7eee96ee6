/*
 * init: the first user process.
 *
 * The kernel starts init with the kernel command line's words as its
 * arguments, the root capabilities as handles 1-5 (INIT_HANDLE_* in
 * parley/ipc.h) and the boot image (a cpio archive) mapped read-only at
 * the address in BOOT_IMAGE=address,size. init then
 *
 *  1. starts the services described in etc/services (services.c), each
 *     with exactly the handles its description names (wire.c), except
 *     those named in noservice=a,b (tests that drive a device themselves;
 *     noservice=* starts none, for tests of the kernel alone);
 *     the file server ("serve:fs") comes first and is filled from the
 *     boot image (populate.c) before any other starts;
 *  2. runs the programs the command line names, for tests and demos:
 *       run=a,b,c     programs from bin/, each optionally wired like a
 *                     service with @ before each wire: run=lspci@use:pci
 *       parallel=1    start them all at once instead of one after another
 *       repeat=N      run the whole list N times (spawn/exit cycles)
 *       killafter=MS  with parallel=1: kill whatever still runs after MS ms
 *     reporting each one's exit status on the log; and
 *  3. stays, reporting any service that ends.
 *
 * A word NAME.KEY=VALUE is passed to service or program NAME as its
 * argument KEY=VALUE (net.dns=10.0.2.2:5353 gives the TCP/IP server its DNS
 * server); the others are init's own.
 *
 * Endpoints created for a run= round are closed by init once the round
 * has started, so a server there sees -E_CLOSED when its last client is
 * gone. Wiring a server and its clients needs parallel=1: a server run
 * alone would wait for clients forever.
 */
#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/sys.h>
#include <parley/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cpio.h"
#include "populate.h"
#include "services.h"
#include "wire.h"

#define MAX_PROGRAMS 32

static struct service services[SERVICE_MAX];
static int service_count;

struct program {
    char name[32];
    char wires[WIRE_MAX][WIRE_TEXT_MAX];
    int wire_count;
    long pid;
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

/* Drops the services named in the comma-separated list `skip` ("*": all of them). */
static void skip_services(const char *skip)
{
    if (skip != NULL && strcmp(skip, "*") == 0) {
        printf("init: not starting any service (noservice=*)\n");
        service_count = 0;
        return;
    }
    int kept = 0;
    for (int i = 0; i < service_count; i++) {
        const char *at = skip;
        int skipped = 0;
        while (skip != NULL && *at != '\0' && !skipped) {
            size_t n = strcspn(at, ",");
            skipped = strlen(services[i].name) == n && strncmp(services[i].name, at, n) == 0;
            at += n + (at[n] == ',');
        }
        if (skipped)
            printf("init: not starting service %s (noservice=)\n", services[i].name);
        else
            services[kept++] = services[i];
    }
    service_count = kept;
}

/* Does service s receive on endpoint ep? */
static int serves(const struct service *s, const char *ep)
{
    for (int w = 0; w < s->wire_count; w++)
        if (wire_serves(s->wires[w], ep))
            return 1;
    return 0;
}

/* Fills the file server (the first `count` services serve "fs") from the boot image. */
static void populate(const struct boot_image *image, int count)
{
    for (int i = 0; i < count; i++) {
        if (services[i].pid <= 0)
            continue;
        long root = wire_endpoint("fs", 2, 0); /* init's own handle: the root, every right */
        if (root < 0 || populate_ramdisk(image, (uint32_t)root) < 0)
            printf("init: the ramdisk is not (fully) populated\n");
        return;
    }
}

static void start_services(const struct boot_image *image, const char *skip)
{
    struct cpio_entry entry;
    if (cpio_find(image->data, image->size, "etc/services", &entry) < 0) {
        printf("init: no etc/services in the boot image: no services\n");
        return;
    }
    service_count = services_parse(entry.data, entry.size, services, SERVICE_MAX);
    if (service_count <= 0)
        return;
    skip_services(skip);
    /*
     * The file server first, alone, then the boot image copied into it,
     * so that no service finds the file system empty.
     */
    int first = 0;
    for (int i = 0; i < service_count; i++) {
        if (serves(&services[i], "fs")) {
            struct service s = services[i];
            memmove(&services[first + 1], &services[first], (size_t)(i - first) * sizeof(s));
            services[first++] = s;
        }
    }
    services_start(image, services, first);
    populate(image, first);
    services_start(image, services + first, service_count - first);
    printf("init: %d services started\n", service_count);
}

/* Parses "a@w1@w2,b,c" into programs; returns how many. */
static int parse_run_list(const char *list, struct program *programs)
{
    int count = 0;
    while (*list != '\0' && count < MAX_PROGRAMS) {
        size_t item = strcspn(list, ",");
        struct program *p = &programs[count++];
        memset(p, 0, sizeof(*p));
        size_t name = strcspn(list, "@,");
        snprintf(p->name, sizeof(p->name), "%.*s", (int)name, list);
        for (size_t at = name; at < item && list[at] == '@' && p->wire_count < WIRE_MAX;) {
            at++;
            size_t length = strcspn(list + at, "@,");
            snprintf(p->wires[p->wire_count++], WIRE_TEXT_MAX, "%.*s", (int)length, list + at);
            at += length;
        }
        list += item + (list[item] == ',');
    }
    return count;
}

/* Logs the end of a child: one of this round's programs, or a service. */
static void report(long pid, int status, struct program *programs, int count)
{
    for (int i = 0; i < count; i++) {
        if (programs[i].pid == pid) {
            printf("init: %s (pid %ld) exited status=%d\n", programs[i].name, pid, status);
            programs[i].pid = 0;
            return;
        }
    }
    struct service *s = services_find(services, service_count, pid);
    if (s != NULL) {
        printf("init: service %s (pid %ld) ended with status %d\n", s->name, pid, status);
        s->pid = -E_CLOSED;
    }
}

/* Starts one round of the run list; returns how many are still running. */
static void run_round(const struct boot_image *image, struct program *programs, int count,
                      int parallel, int quiet, long kill_after_ms)
{
    int status;
    int running = 0;
    for (int i = 0; i < count; i++) {
        struct program *p = &programs[i];
        char path[48];
        snprintf(path, sizeof(path), "bin/%s", p->name);
        p->pid = wire_start(image, p->name, path, p->wires, p->wire_count, 1);
        if (p->pid <= 0)
            continue;
        running++;
        while (!parallel && p->pid > 0) {
            long pid = sys_wait(-1, &status);
            if (pid < 0)
                break;
            if (quiet && pid == p->pid)
                p->pid = 0;
            else
                report(pid, status, programs, count);
            running -= pid > 0 && services_find(services, service_count, pid) == NULL;
        }
    }
    wire_close_temporary();
    if (parallel && kill_after_ms > 0) {
        sys_sleep((uint64_t)kill_after_ms * 1000000ull);
        for (int i = 0; i < count; i++)
            if (programs[i].pid > 0 && sys_kill(programs[i].pid) == 0)
                printf("init: killed %s (pid %ld)\n", programs[i].name, programs[i].pid);
    }
    while (parallel && running > 0) {
        long pid = sys_wait(-1, &status);
        if (pid < 0)
            break;
        if (services_find(services, service_count, pid) == NULL)
            running--;
        report(pid, status, programs, quiet ? 0 : count);
    }
}

static void run_programs(const struct boot_image *image, int argc, char **argv)
{
    const char *list = option(argc, argv, "run");
    if (list == NULL)
        return;
    static struct program programs[MAX_PROGRAMS];
    int count = parse_run_list(list, programs);
    const char *repeat_text = option(argc, argv, "repeat");
    long repeat = repeat_text != NULL ? strtol(repeat_text, NULL, 10) : 1;
    const char *parallel_text = option(argc, argv, "parallel");
    int parallel = parallel_text != NULL && strcmp(parallel_text, "1") == 0;
    const char *kill_text = option(argc, argv, "killafter");
    long kill_after_ms = kill_text != NULL ? strtol(kill_text, NULL, 10) : 0;

    struct sysinfo before, after;
    for (long round = 0; round < repeat; round++) {
        if (round == 1)
            sys_sysinfo(&before); /* after one warm-up round */
        run_round(image, programs, count, parallel, repeat > 1, kill_after_ms);
    }
    if (repeat > 1) {
        sys_sysinfo(&after);
        printf("init: %ld rounds done; frames free after round 1=%lu after round %ld=%lu\n", repeat,
               (unsigned long)before.frames_free, repeat, (unsigned long)after.frames_free);
    }
    printf("init: all programs finished\n");
}

int main(int argc, char **argv, char **envp)
{
    struct boot_image image;
    if (find_boot_image(envp, &image) < 0) {
        printf("init: no boot image in the environment\n");
        return 1;
    }
    printf("init: boot image of %zu bytes\n", image.size);
    wire_set_options(argc, argv);
    start_services(&image, option(argc, argv, "noservice"));
    run_programs(&image, argc, argv);
    for (;;) {
        int status;
        long pid = sys_wait(-1, &status);
        if (pid > 0)
            report(pid, status, NULL, 0);
        else
            sys_sleep(1000000000ull);
    }
}
