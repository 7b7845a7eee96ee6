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
 */
#include <parley/errors.h>
#include <parley/sys.h>
#include <parley/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cpio.h"

#define MAX_PROGRAMS 32

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

/* Starts bin/<name>; returns its pid or a negative error (already reported). */
static long start(const struct boot_image *image, const char *name)
{
    char path[64];
    snprintf(path, sizeof(path), "bin/%s", name);
    struct cpio_entry entry;
    if (cpio_find(image->data, image->size, path, &entry) < 0) {
        printf("init: %s: no such program in the boot image\n", name);
        return -E_NOENT;
    }
    const char *argv[] = {name, NULL};
    long pid = sys_spawn(entry.data, entry.size, argv);
    if (pid < 0)
        printf("init: cannot start %s: %s\n", name, strerror((int)pid));
    return pid;
}

static void report(long pid, int status, char names[][32], const long *pids, int count)
{
    for (int i = 0; i < count; i++)
        if (pids[i] == pid)
            printf("init: %s (pid %ld) exited status=%d\n", names[i], pid, status);
}

static void run_round(const struct boot_image *image, char names[][32], int count,
                      int parallel, int quiet)
{
    long pids[MAX_PROGRAMS];
    int status;
    for (int i = 0; i < count; i++) {
        pids[i] = start(image, names[i]);
        if (!parallel && pids[i] > 0) {
            long pid = sys_wait(pids[i], &status);
            if (!quiet)
                report(pid, status, names, pids, count);
        }
    }
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

    static char names[MAX_PROGRAMS][32];
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
