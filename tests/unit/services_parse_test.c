/*
 * Checks init's parser of etc/services (init/services.c): comments and
 * blank lines, the words of a line, the limits on wires and word
 * lengths, too many services, and a line holding a NUL byte, which once
 * parsed as words cut short at the NUL (found by tests/fuzz/services_fuzz.c).
 * services_start and services_find run with the process-starting half of
 * init (wire.c) replaced below: every service starts once, dependencies
 * first.
 */
#include <string.h>

#include <parley/errors.h>

#include "../../init/services.h"
#include "check.h"

static long next_pid;
static char started[SERVICE_MAX][32];

long wire_start(const struct boot_image *image, const char *name, const char *program,
                char wires[][WIRE_TEXT_MAX], int wire_count, int temporary)
{
    (void)image;
    (void)program;
    (void)wires;
    (void)wire_count;
    (void)temporary;
    if (next_pid < SERVICE_MAX)
        strcpy(started[next_pid], name);
    return ++next_pid;
}

int wire_serves(const char *wire, const char *ep)
{
    return strncmp(wire, "serve:", 6) == 0 && strcmp(wire + 6, ep) == 0;
}

static struct service services[SERVICE_MAX];

static int parse(const char *text)
{
    return services_parse(text, strlen(text), services, SERVICE_MAX);
}

static void check_words(void)
{
    CHECK(parse("# comment\n\n   \n  vfs  bin/vfs\tserve:vfs use:fs\n#x y z\n") == 1);
    CHECK(strcmp(services[0].name, "vfs") == 0 && strcmp(services[0].program, "bin/vfs") == 0);
    CHECK(services[0].wire_count == 2 && strcmp(services[0].wires[1], "use:fs") == 0);
    CHECK(parse("a b use:x#3") == 1 && strcmp(services[0].wires[0], "use:x#3") == 0);
    /* A line without a program is skipped, the others still count. */
    CHECK(parse("lonely\nok bin/ok\n") == 1 && strcmp(services[0].name, "ok") == 0);
    CHECK(parse("a b 1 2 3 4 5 6 7 8\n") == 1 && services[0].wire_count == WIRE_MAX);
    CHECK(parse("a b 1 2 3 4 5 6 7 8 9\n") == 0);
    char line[128];
    memset(line, 'n', sizeof(line));
    memcpy(line + 31, " bin/x\n", 8);
    CHECK(parse(line) == 1); /* a 31-byte name fits */
    line[31] = 'n';
    memcpy(line + 32, " bin/x\n", 8);
    CHECK(parse(line) == 0);
}

static void check_nul(void)
{
    static const char text[] = "ramdisk \0\0\0\t bin/ramdisk serve:fs\nvfs bin/vfs use:fs\0junk\n"
                               "net bin/net\n";
    CHECK(services_parse(text, sizeof(text) - 1, services, SERVICE_MAX) == 1);
    CHECK(strcmp(services[0].name, "net") == 0);
}

static void check_too_many(void)
{
    char text[SERVICE_MAX * 16] = "";
    for (int i = 0; i <= SERVICE_MAX; i++) {
        char line[16];
        snprintf(line, sizeof(line), "s%d p\n", i);
        strcat(text, line);
    }
    CHECK(parse(text) == -E_NOSPC);
}

static void check_start(void)
{
    int count = parse("login bin/login use:auth use:fs\nauth bin/auth serve:auth use:fs\n"
                      "fs bin/fs serve:fs\nx bin/x serve:y use:z\nz bin/z serve:z use:y\n");
    CHECK(count == 5);
    next_pid = 0;
    services_start(NULL, services, count);
    CHECK(next_pid == 5);
    CHECK(strcmp(started[0], "fs") == 0 && strcmp(started[1], "auth") == 0 &&
          strcmp(started[2], "login") == 0);
    for (int i = 0; i < count; i++)
        CHECK(services[i].pid > 0 &&
              services_find(services, count, services[i].pid) == &services[i]);
    CHECK(services_find(services, count, 99) == NULL);
}

int main(void)
{
    check_words();
    check_nul();
    check_too_many();
    check_start();
    return check_finish("services_parse_test");
}
