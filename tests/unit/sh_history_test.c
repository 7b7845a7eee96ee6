/*
 * Checks the shell's history (programs/sh/history.c): adding lines while
 * skipping blank ones and immediate repeats, dropping the oldest when
 * full while the numbers keep counting, the listing format, and up/down
 * recall: the draft saved on the first up and given back below the
 * newest entry, the stops at both ends, and the reset after a line is
 * entered. ASan, on for every unit test, checks that no line leaks.
 */
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>

#include "../../programs/sh/history.h"
#include "check.h"

static bool same(const char *got, const char *want)
{
    return got && want && strcmp(got, want) == 0;
}

static void check_add(void)
{
    struct sh_history h;
    sh_history_init(&h);
    CHECK(sh_history_count(&h) == 0 && sh_history_get(&h, 0) == NULL);

    CHECK(sh_history_add(&h, "ls") == 0);
    CHECK(sh_history_add(&h, "") == 0);
    CHECK(sh_history_add(&h, "   \t") == 0);
    CHECK(sh_history_add(&h, NULL) == 0);
    CHECK(sh_history_add(&h, "ls") == 0); /* an immediate repeat */
    CHECK(sh_history_add(&h, "pwd") == 0);
    CHECK(sh_history_add(&h, "ls") == 0);  /* a repeat, but not immediate */
    CHECK(sh_history_add(&h, "ls ") == 0); /* not the same line */
    CHECK(sh_history_count(&h) == 4);
    CHECK(same(sh_history_get(&h, 0), "ls"));
    CHECK(same(sh_history_get(&h, 1), "pwd"));
    CHECK(same(sh_history_get(&h, 2), "ls"));
    CHECK(same(sh_history_get(&h, 3), "ls "));
    CHECK(sh_history_get(&h, 4) == NULL);
    CHECK(sh_history_number(&h, 0) == 1 && sh_history_number(&h, 3) == 4);

    /* The history keeps its own copy. */
    char line[] = "echo hi";
    CHECK(sh_history_add(&h, line) == 0);
    line[0] = 'X';
    CHECK(same(sh_history_get(&h, 4), "echo hi"));

    /* Long lines are kept whole. */
    static char longline[5000];
    memset(longline, 'x', sizeof(longline) - 1);
    CHECK(sh_history_add(&h, longline) == 0);
    CHECK(strlen(sh_history_get(&h, 5)) == sizeof(longline) - 1);

    sh_history_free(&h);
    CHECK(sh_history_count(&h) == 0 && sh_history_get(&h, 0) == NULL);
    /* Usable again after free, numbering on from where it was. */
    CHECK(sh_history_add(&h, "again") == 0);
    CHECK(sh_history_count(&h) == 1 && sh_history_number(&h, 0) == 7);
    sh_history_free(&h);
}

static void check_full(void)
{
    struct sh_history h;
    char line[32];
    sh_history_init(&h);

    for (int i = 1; i <= SH_HISTORY_MAX; i++) {
        snprintf(line, sizeof(line), "cmd %d", i);
        CHECK(sh_history_add(&h, line) == 0);
    }
    CHECK(sh_history_count(&h) == SH_HISTORY_MAX);
    CHECK(same(sh_history_get(&h, 0), "cmd 1") && sh_history_number(&h, 0) == 1);

    for (int i = SH_HISTORY_MAX + 1; i <= 250; i++) {
        snprintf(line, sizeof(line), "cmd %d", i);
        CHECK(sh_history_add(&h, line) == 0);
    }
    CHECK(sh_history_count(&h) == SH_HISTORY_MAX);
    CHECK(same(sh_history_get(&h, 0), "cmd 151") && sh_history_number(&h, 0) == 151);
    CHECK(same(sh_history_get(&h, 99), "cmd 250") && sh_history_number(&h, 99) == 250);
    for (size_t i = 0; i < SH_HISTORY_MAX; i++) {
        snprintf(line, sizeof(line), "cmd %lu", sh_history_number(&h, i));
        CHECKF(same(sh_history_get(&h, i), line), "entry %zu", i);
    }
    /* A repeat of the newest is still skipped when full. */
    CHECK(sh_history_add(&h, "cmd 250") == 0);
    CHECK(sh_history_number(&h, 0) == 151);
    sh_history_free(&h);
}

static void check_format(void)
{
    struct sh_history h;
    char buf[64];
    sh_history_init(&h);
    sh_history_add(&h, "ls /bin");
    sh_history_add(&h, "echo 'a  b'");

    CHECK(sh_history_format(&h, 0, buf, sizeof(buf)) == 14 && same(buf, "    1  ls /bin"));
    CHECK(sh_history_format(&h, 1, buf, sizeof(buf)) > 0 && same(buf, "    2  echo 'a  b'"));
    strcpy(buf, "junk");
    CHECK(sh_history_format(&h, 2, buf, sizeof(buf)) == -1 && same(buf, ""));
    /* Cut short like snprintf, returning the full length. */
    CHECK(sh_history_format(&h, 0, buf, 6) == 14 && same(buf, "    1"));

    h.first += 123456; /* as if that many lines had come and gone */
    CHECK(sh_history_format(&h, 0, buf, sizeof(buf)) > 0 && same(buf, "123457  ls /bin"));
    sh_history_free(&h);
}

static void check_navigation(void)
{
    struct sh_history h;
    sh_history_init(&h);

    /* With nothing in the history there is nowhere to go. */
    CHECK(sh_history_up(&h, "typed") == NULL);
    CHECK(sh_history_down(&h) == NULL);

    sh_history_add(&h, "one");
    sh_history_add(&h, "two");
    sh_history_add(&h, "three");

    /* Down on the draft does nothing. */
    CHECK(sh_history_down(&h) == NULL);

    /* Up walks back and stops at the oldest; the draft is kept. */
    CHECK(same(sh_history_up(&h, "half-typ"), "three"));
    CHECK(same(sh_history_up(&h, "three"), "two"));
    CHECK(same(sh_history_up(&h, "two"), "one"));
    CHECK(sh_history_up(&h, "one") == NULL);
    CHECK(sh_history_up(&h, "one") == NULL);

    /* Down walks forward to the draft, then stops. */
    CHECK(same(sh_history_down(&h), "two"));
    CHECK(same(sh_history_down(&h), "three"));
    CHECK(same(sh_history_down(&h), "half-typ"));
    CHECK(sh_history_down(&h) == NULL);

    /* Up again saves what is on screen now as the draft. */
    CHECK(same(sh_history_up(&h, "half-typed"), "three"));
    CHECK(same(sh_history_down(&h), "half-typed"));

    /* Entering a line resets the cursor and forgets the draft. */
    CHECK(same(sh_history_up(&h, "draft"), "three"));
    CHECK(same(sh_history_up(&h, "three"), "two"));
    sh_history_add(&h, "two"); /* the recalled line, run again */
    CHECK(sh_history_count(&h) == 4 && same(sh_history_get(&h, 3), "two"));
    CHECK(sh_history_down(&h) == NULL);
    CHECK(same(sh_history_up(&h, ""), "two"));
    CHECK(same(sh_history_up(&h, ""), "three"));
    CHECK(same(sh_history_down(&h), "two"));
    CHECK(same(sh_history_down(&h), ""));

    /* A skipped line (a repeat, or blank) also resets. */
    CHECK(same(sh_history_up(&h, "x"), "two"));
    CHECK(same(sh_history_up(&h, "x"), "three"));
    sh_history_add(&h, "   ");
    CHECK(sh_history_count(&h) == 4);
    CHECK(same(sh_history_up(&h, "y"), "two"));
    CHECK(same(sh_history_down(&h), "y"));

    /* Reset (Ctrl-C) drops the draft; a NULL line counts as empty. */
    CHECK(same(sh_history_up(&h, "z"), "two"));
    sh_history_reset(&h);
    CHECK(sh_history_down(&h) == NULL);
    CHECK(same(sh_history_up(&h, NULL), "two"));
    CHECK(same(sh_history_down(&h), ""));

    /* Freeing in the middle of a walk frees the draft too (ASan checks). */
    CHECK(same(sh_history_up(&h, "left behind"), "two"));
    sh_history_free(&h);
    CHECK(sh_history_up(&h, "x") == NULL && sh_history_down(&h) == NULL);
    sh_history_free(&h);
}

/* A walk over a full history reaches exactly the kept lines, in order. */
static void check_navigation_full(void)
{
    struct sh_history h;
    char line[32];
    sh_history_init(&h);
    for (int i = 1; i <= 130; i++) {
        snprintf(line, sizeof(line), "cmd %d", i);
        sh_history_add(&h, line);
    }
    int steps = 0;
    const char *got;
    while ((got = sh_history_up(&h, "draft")) != NULL) {
        snprintf(line, sizeof(line), "cmd %d", 130 - steps);
        CHECKF(same(got, line), "step %d: %s", steps, got);
        steps++;
    }
    CHECK(steps == SH_HISTORY_MAX);
    steps = 0;
    while ((got = sh_history_down(&h)) != NULL)
        steps++;
    CHECK(steps == SH_HISTORY_MAX && same(h.draft, "draft"));
    sh_history_free(&h);
}

int main(void)
{
    check_add();
    check_full();
    check_format();
    check_navigation();
    check_navigation_full();
    return check_finish("sh_history_test");
}
