/*
 * tablebomb ns|pipe: one user trying to fill a server's table for
 * everybody (docs/security.md, "Servers"; tests/qemu/test_peer_closed.py).
 *
 *   tablebomb ns    derives namespaces ("/bin" read-only) from its own
 *                   until the vfs refuses
 *   tablebomb pipe  makes pipes until the pipe server refuses, then more
 *                   ends of the first pipe with PIPE_DUP until refused
 *
 * Prints "tablebomb: KIND: N, then ERROR" for each (kinds ns, pipes and
 * ends; ends counts every end, the pipes' own too), then "tablebomb:
 * holding" and keeps all it got until a line is typed, so another user
 * can log in and work meanwhile. Each login is a session with its share
 * of the vfs's namespaces and the pipe server's pipes and ends, so the
 * errors should be "quota exceeded" at about that share, never a full
 * table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/file.h>
#include <parley/pipe.h>

#define TRIES_MAX 1000 /* more than any table holds */

static void report(const char *kind, long count, long err)
{
    printf("tablebomb: %s: %ld, then %s\n", kind, count, error_string((int)err));
}

static void bomb_namespaces(void)
{
    const char *const mounts[] = {"/bin=/bin:ro"};
    long count = 0, err = 0;
    while (count < TRIES_MAX && (err = ns_derive(mounts, 1)) >= 0)
        count++;
    report("ns", count, err);
}

static int bomb_pipes(void)
{
    const char *named = getenv("PIPE_HANDLE");
    if (named == NULL) {
        printf("tablebomb: no pipe service (PIPE_HANDLE)\n");
        return 1;
    }
    uint32_t service = (uint32_t)strtoul(named, NULL, 10), first[2], ends[2];
    long pipes = 0, err = 0;
    while (pipes < TRIES_MAX && (err = pipe_create(service, pipes == 0 ? first : ends)) == 0)
        pipes++;
    report("pipes", pipes, err);
    if (pipes == 0)
        return 1;
    long count = 2 * pipes;
    while (count < TRIES_MAX && (err = pipe_dup(first[0])) >= 0)
        count++;
    report("ends", count, err);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[1], "ns") != 0 && strcmp(argv[1], "pipe") != 0)) {
        fprintf(stderr, "usage: tablebomb ns|pipe\n");
        return 2;
    }
    if (strcmp(argv[1], "ns") == 0)
        bomb_namespaces();
    else if (bomb_pipes() != 0)
        return 1;
    printf("tablebomb: holding; press Enter to let go\n");
    fflush(stdout);
    char line[16];
    fgets(line, sizeof(line), stdin);
    return 0;
}
