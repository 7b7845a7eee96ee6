/*
 * keysink: the keyboard side of the console protocol, and nothing else,
 * so the keyboard driver can be tested on its own. Wired as
 *   keysink@serve:kb,ps2kbd@ports:0x60:1@ports:0x64:1@irq:1@use:kb#256
 * it receives the driver's INPUT_KEY messages (handle 1) and logs what
 * they typed, for tests/qemu/test_keyboard.py to compare with what it
 * sent. Enter ends a round; within one it logs
 *   keysink: 100 keys (total 300): <the characters>   every 100 characters
 *   keysink: key 0x123 mods 0x8                       a press with no character
 *   keysink: end: 1000 characters, 1234 presses, 1234 releases, 0 bad badges
 * the last line, with the rest of the characters before it, when Enter is
 * released; the counts then start again. Characters outside '!'..'~',
 * and the backslash, are logged as \xNN so the characters are one word.
 * F1 makes it stop taking keys for a second, as a console that is
 * briefly busy would, to show the driver loses nothing meanwhile; F2
 * makes it exit, to show the driver carries on without a console.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <parley/ipc_lib.h>
#include <parley/proto/console.h>
#include <parley/proto/input.h>
#include <parley/sys.h>

#define HANDLE_KEYS 1
#define BATCH 100
#define BUSY_NS 1000000000ull /* how long F1 keeps it away */

struct sink {
    char batch[BATCH * 4 + 1]; /* up to BATCH characters, escaped */
    int batch_length;          /* bytes used in batch */
    int batch_count;           /* characters in batch */
    unsigned long characters, presses, releases, bad_badges;
};

static void sink_flush(struct sink *s)
{
    if (s->batch_count == 0)
        return;
    s->batch[s->batch_length] = '\0';
    printf("keysink: %d keys (total %lu): %s\n", s->batch_count, s->characters, s->batch);
    s->batch_length = s->batch_count = 0;
}

static void sink_add(struct sink *s, uint32_t c)
{
    if (c > ' ' && c <= '~' && c != '\\')
        s->batch[s->batch_length++] = (char)c;
    else
        s->batch_length += snprintf(s->batch + s->batch_length, 5, "\\x%02x", c & 0xFF);
    s->batch_count++;
    s->characters++;
    if (s->batch_count == BATCH)
        sink_flush(s);
}

static long sink_key(void *context, const struct ipc_msg *msg, const struct ipc_extra *extra,
                     uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    struct sink *s = context;
    (void)extra, (void)reply, (void)reply_extra;
    if (IPC_SENDER_BADGE(sender) != CONSOLE_BADGE_KEYBOARD)
        s->bad_badges++;
    uint32_t key = (uint32_t)msg->w[0], mods = (uint32_t)msg->w[1], c = (uint32_t)msg->w[3];
    if (msg->w[2] == 0) {
        s->releases++;
        if (key == '\n') {
            sink_flush(s);
            printf("keysink: end: %lu characters, %lu presses, %lu releases, %lu bad badges\n",
                   s->characters, s->presses, s->releases, s->bad_badges);
            s->characters = s->presses = s->releases = s->bad_badges = 0;
        }
        return 0;
    }
    s->presses++;
    if (c != 0 && c != '\n') {
        sink_add(s, c);
    } else if (c == 0 && key != KEY_SHIFT && key != KEY_CTRL && key != KEY_ALT) {
        printf("keysink: key 0x%x mods 0x%x\n", key, mods);
        if (key == KEY_F1)
            sys_sleep(BUSY_NS);
        if (key == KEY_F1 + 1) {
            sink_flush(s);
            printf("keysink: leaving\n");
            exit(0);
        }
    }
    return 0;
}

int main(void)
{
    static struct sink sink;
    static const struct ipc_handler handlers[] = {{INPUT_KEY, sink_key}};
    printf("keysink: ready\n");
    int err = ipc_serve(HANDLE_KEYS, handlers, 1, &sink);
    sink_flush(&sink);
    printf("keysink: done (%d)\n", err);
    return err == 0 ? 0 : 1;
}
