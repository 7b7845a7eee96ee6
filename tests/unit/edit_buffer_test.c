/*
 * Checks the editor's text buffer (programs/edit/buffer.c): loading with
 * and without a final newline, typing, Enter splitting a line, Backspace
 * and Delete inside a line and across line ends (with the cursor where
 * the text is), the edges where they do nothing, the dirty flag, and
 * saving back exactly what was loaded. A few thousand random edits are
 * checked against a plain string model of the same text. ASan, on for
 * every unit test, catches overruns and leaks.
 */
#include <stdlib.h>
#include <string.h>

#include "../../programs/edit/buffer.h"
#include "check.h"

/* Does the buffer's text equal want? */
static bool text_is(const struct edit_buffer *b, const char *want)
{
    size_t len;
    char *text = buffer_text(b, &len);
    bool ok = text != NULL && len == strlen(want) && memcmp(text, want, len) == 0;
    if (!ok)
        fprintf(stderr, "    text: \"%s\", want \"%s\"\n", text ? text : "(null)", want);
    free(text);
    return ok;
}

static void check_load_and_save(void)
{
    struct edit_buffer b;
    CHECK(buffer_init(&b));
    CHECK(b.count == 1 && !b.dirty && text_is(&b, ""));
    CHECK(buffer_load(&b, "one\ntwo\n", 8));
    CHECK(b.count == 2 && b.lines[1].len == 3 && text_is(&b, "one\ntwo\n") && !b.dirty);
    CHECK(buffer_load(&b, "no newline", 10));
    CHECK(b.count == 1 && text_is(&b, "no newline\n")); /* saving adds the final newline */
    CHECK(buffer_load(&b, "\n\n", 2));
    CHECK(b.count == 2 && text_is(&b, "\n\n"));
    CHECK(buffer_load(&b, "", 0));
    CHECK(b.count == 1 && text_is(&b, ""));
    buffer_free(&b);
}

static void check_typing(void)
{
    struct edit_buffer b;
    CHECK(buffer_init(&b));
    const char *word = "helo";
    for (size_t i = 0; word[i]; i++)
        CHECK(buffer_insert(&b, 0, i, word[i]));
    CHECK(buffer_insert(&b, 0, 3, 'l'));
    CHECK(b.dirty && text_is(&b, "hello\n"));
    CHECK(buffer_insert(&b, 0, 99, '!')); /* past the end: appended */
    CHECK(text_is(&b, "hello!\n"));

    CHECK(buffer_split(&b, 0, 2)); /* Enter in the middle */
    CHECK(b.count == 2 && text_is(&b, "he\nllo!\n"));
    CHECK(buffer_split(&b, 1, 4)); /* Enter at the end: an empty line below */
    CHECK(b.count == 3 && text_is(&b, "he\nllo!\n\n"));

    size_t row = 1, col = 0; /* Backspace at a line's start joins it to the one above */
    CHECK(buffer_backspace(&b, &row, &col));
    CHECK(row == 0 && col == 2 && text_is(&b, "hello!\n\n"));
    CHECK(buffer_backspace(&b, &row, &col));
    CHECK(row == 0 && col == 1 && text_is(&b, "hllo!\n\n"));
    row = col = 0;
    CHECK(!buffer_backspace(&b, &row, &col)); /* nothing before the first character */

    CHECK(buffer_delete(&b, 0, 0)); /* Delete in a line */
    CHECK(text_is(&b, "llo!\n\n"));
    CHECK(buffer_delete(&b, 0, 4)); /* Delete at a line's end pulls the next one up */
    CHECK(b.count == 1 && text_is(&b, "llo!\n"));
    CHECK(!buffer_delete(&b, 0, 4)); /* nothing after the last character */

    b.dirty = false;
    CHECK(buffer_load(&b, "x", 1) && !b.dirty);
    buffer_free(&b);
}

/* Random edits against a model: the text as one string and the cursor as an offset. */
static void check_random_edits(void)
{
    struct edit_buffer b;
    CHECK(buffer_init(&b));
    char model[4096] = "";
    size_t len = 0, row = 0, col = 0;
    srand(7);
    for (int step = 0; step < 5000 && len < sizeof(model) - 2; step++) {
        /* Where the cursor is in the model. */
        size_t at = 0;
        for (size_t r = 0; r < row; r++)
            at = (size_t)(strchr(model + at, '\n') - model) + 1;
        at += col;
        int op = rand() % 10;
        if (op < 5) {
            char c = (char)('a' + rand() % 3);
            CHECK(buffer_insert(&b, row, col, c));
            memmove(model + at + 1, model + at, len - at + 1);
            model[at] = c;
            len++;
            col++;
        } else if (op < 6) {
            CHECK(buffer_split(&b, row, col));
            memmove(model + at + 1, model + at, len - at + 1);
            model[at] = '\n';
            len++;
            row++;
            col = 0;
        } else if (op < 8) {
            if (buffer_backspace(&b, &row, &col)) {
                memmove(model + at - 1, model + at, len - at + 1);
                len--;
            }
        } else if (op < 9) {
            if (buffer_delete(&b, row, col)) {
                memmove(model + at, model + at + 1, len - at);
                len--;
            }
        } else {
            row = (size_t)rand() % b.count; /* move somewhere */
            col = (size_t)rand() % (b.lines[row].len + 1);
        }
        char want[4100];
        snprintf(want, sizeof(want), "%s%s", model, len > 0 || b.count > 1 ? "\n" : "");
        if (!CHECKF(text_is(&b, want), "step %d op %d", step, op))
            break;
    }
    buffer_free(&b);
}

int main(void)
{
    check_load_and_save();
    check_typing();
    check_random_edits();
    return check_finish("edit_buffer_test");
}
