/*
 * Checks command line parsing: values and bare keys, the last occurrence
 * of a repeated key winning, whole-name matching (no prefix or suffix
 * matches), truncation of long values, comma-separated lists, and the
 * degenerate inputs (NULL, empty, only spaces).
 */
#include <string.h>

#include "check.h"
#include "lib/cmdline.h"

static const char *const line = "console=serial  loglevel=3 test trace=ipc,sched,vm quiet= "
                                "loglevel=7 testing=1 mytest=2 root=/dev/ram0";

static void check_get(void)
{
    char out[32];

    CHECK(cmdline_get(line, "console", out, sizeof(out)) && strcmp(out, "serial") == 0);
    CHECK(cmdline_get(line, "loglevel", out, sizeof(out)) && strcmp(out, "7") == 0);
    CHECK(cmdline_get(line, "root", out, sizeof(out)) && strcmp(out, "/dev/ram0") == 0);
    CHECK(cmdline_get(line, "testing", out, sizeof(out)) && strcmp(out, "1") == 0);

    /* A bare key and an empty value both read as "". */
    strcpy(out, "junk");
    CHECK(cmdline_get(line, "test", out, sizeof(out)) && strcmp(out, "") == 0);
    strcpy(out, "junk");
    CHECK(cmdline_get(line, "quiet", out, sizeof(out)) && strcmp(out, "") == 0);

    /* A missing key leaves out alone. */
    strcpy(out, "junk");
    CHECK(!cmdline_get(line, "missing", out, sizeof(out)) && strcmp(out, "junk") == 0);
    CHECK(!cmdline_get(line, "consol", out, sizeof(out)));
    CHECK(!cmdline_get(line, "console=serial", out, sizeof(out)));
    CHECK(!cmdline_get(line, "", out, sizeof(out)));

    /* Truncation keeps outsz - 1 characters and the terminator. */
    memset(out, 'Z', sizeof(out));
    CHECK(cmdline_get(line, "root", out, 5) && strcmp(out, "/dev") == 0 && out[5] == 'Z');
    CHECK(cmdline_get(line, "root", out, 1) && out[0] == '\0');
    out[0] = 'Z';
    CHECK(cmdline_get(line, "root", out, 0) && out[0] == 'Z');
    CHECK(cmdline_get(line, "root", NULL, 0));

    /* The first token, the last token, and repeats. */
    CHECK(cmdline_get("a=1", "a", out, sizeof(out)) && strcmp(out, "1") == 0);
    CHECK(cmdline_get("x a=1 b a=2 a=3", "a", out, sizeof(out)) && strcmp(out, "3") == 0);
    CHECK(cmdline_get("a=3 a", "a", out, sizeof(out)) && strcmp(out, "") == 0);
    CHECK(cmdline_get("a a=9", "a", out, sizeof(out)) && strcmp(out, "9") == 0);
    CHECK(cmdline_get("k=v=w", "k", out, sizeof(out)) && strcmp(out, "v=w") == 0);
    CHECK(cmdline_get("\tk=v\n", "k", out, sizeof(out)) && strcmp(out, "v") == 0);
}

static void check_has(void)
{
    CHECK(cmdline_has(line, "test"));
    CHECK(cmdline_has(line, "quiet"));
    CHECK(cmdline_has(line, "mytest"));
    CHECK(!cmdline_has(line, "tes"));
    CHECK(!cmdline_has(line, "testin"));
    CHECK(!cmdline_has(line, "ytest"));
    CHECK(!cmdline_has(line, "serial"));
    CHECK(!cmdline_has(line, "ipc"));
    CHECK(!cmdline_has("testing=1 mytest=1", "test"));
    CHECK(!cmdline_has(NULL, "test"));
    CHECK(!cmdline_has("", "test"));
    CHECK(!cmdline_has("     ", "test"));
    CHECK(!cmdline_has("=1", ""));
    CHECK(!cmdline_has(line, NULL));
}

static void check_has_value(void)
{
    CHECK(cmdline_has_value(line, "trace", "ipc"));
    CHECK(cmdline_has_value(line, "trace", "sched"));
    CHECK(cmdline_has_value(line, "trace", "vm"));
    CHECK(!cmdline_has_value(line, "trace", "sch"));
    CHECK(!cmdline_has_value(line, "trace", "ipc,sched"));
    CHECK(!cmdline_has_value(line, "trace", "mm"));
    CHECK(!cmdline_has_value(line, "trace", ""));
    CHECK(!cmdline_has_value(line, "console", "seria"));
    CHECK(cmdline_has_value(line, "console", "serial"));
    CHECK(!cmdline_has_value(line, "test", "ipc"));
    CHECK(!cmdline_has_value(line, "nokey", "ipc"));
    CHECK(!cmdline_has_value(NULL, "trace", "ipc"));
    CHECK(cmdline_has_value("t=a,,b", "t", "b"));
    CHECK(!cmdline_has_value("t=a,b t=c", "t", "a")); /* last occurrence wins */
    CHECK(cmdline_has_value("t=a,b t=c", "t", "c"));
    CHECK(!cmdline_has_value("t=ab", "t", "a"));
    CHECK(!cmdline_has_value("t=ab", "t", "abc"));
}

int main(void)
{
    check_get();
    check_has();
    check_has_value();
    return check_finish("cmdline_test");
}
