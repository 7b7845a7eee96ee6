/*
 * tablebomb ns|pipe: one user trying to fill a server's table for
 * everybody (docs/security.md, "Servers"; tests/qemu/test_peer_closed.py).
 *
 *   tablebomb ns    derives namespaces ("/bin" read-only) from its own
 *                   until the vfs refuses
 *   tablebomb pipe  (as `tablebomb pipe | cat`) makes more ends of its
 *                   stdout's pipe with PIPE_DUP until the pipe server
 *                   refuses
 *
 * Prints "tablebomb: KIND: N, then ERROR" for each (kinds ns and ends;
 * ends counts every end, the pipe's own two too), then "tablebomb:
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
#define HANDLE_STDOUT 2

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

/*
 * A user's program gets no handle to the pipe service from the shell,
 * only the ends of its pipeline: run as `tablebomb pipe | cat`, it makes
 * more ends of its stdout's pipe with PIPE_DUP until refused. Its session
 * holds the pipe's two ends already, so the count starts at 2.
 */
static int bomb_pipes(void)
{
    const char *out = getenv("STDOUT");
    if (out == NULL || strcmp(out, "pipe") != 0) {
        printf("tablebomb: stdout must be a pipe (tablebomb pipe | cat)\n");
        return 1;
    }
    long count = 2, err = 0;
    while (count < TRIES_MAX && (err = pipe_dup(HANDLE_STDOUT)) >= 0)
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
