/*
 * The keyboard side of the console server: key events from the keyboard
 * driver, the key queue of each console, and the reads that wait for keys.
 *
 * A key press goes to the console on the screen, except the ones the
 * server keeps for itself: Alt+F1..F4 switch consoles and Shift+PgUp/PgDn
 * scroll the shown one through its history. If a read is waiting on that
 * console the key goes to it (CONSOLE_READ_KEY gets it as it is,
 * CONSOLE_READ_LINE feeds it to the line editor); otherwise it waits in
 * the console's queue for the next read, so typing ahead loses nothing.
 *
 * A read that cannot be answered at once is kept with reply_save() and
 * answered with ipc_reply_to() when its key arrives; one reader per
 * console may wait (another gets -E_BUSY). A waiting reader whose caller
 * has stopped waiting (it exited or was killed mid-read; the kernel then
 * answers handle_info on its saved reply with -E_CLOSED) is dropped when
 * the next read or key comes, so it holds the console for nobody. Badges
 * name consoles, not programs, so peer-closed messages cannot tell this.
 *
 * The keyboard driver sends its events one-way (ipc_send), so INPUT_KEY
 * is answered with IPC_NO_REPLY: the serve loop then just receives the
 * next message.
 */
#include <string.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/console.h>
#include <parley/proto/input.h>
#include <parley/sys.h>

#include "server.h"

#define PAGE 4096u
#define SCROLL_STEP (VT_ROWS / 2) /* lines per Shift+PgUp, as on Linux */

static void queue_push(struct console *c, const struct key_event *key)
{
    if (c->key_count == KEY_QUEUE)
        return; /* full: the newest key is lost, the ones typed first are kept */
    c->keys[(c->key_head + c->key_count) % KEY_QUEUE] = *key;
    c->key_count++;
}

static struct key_event queue_pop(struct console *c)
{
    struct key_event key = c->keys[c->key_head];
    c->key_head = (c->key_head + 1) % KEY_QUEUE;
    c->key_count--;
    return key;
}

static void key_reply(const struct key_event *key, struct ipc_msg *reply)
{
    reply->w[0] = key->key;
    reply->w[1] = key->mods;
    reply->w[2] = key->down;
    reply->w[3] = key->ch;
}

/*
 * Fills in the reply to a finished line: its length and the text, in the
 * words if it fits, else in a fresh region moved with the reply.
 */
static long line_reply(struct console *c, enum edit_result result, struct ipc_msg *reply,
                       struct ipc_extra *reply_extra)
{
    if (result == EDIT_INTR)
        return -E_INTR;
    if (result == EDIT_EOF) {
        reply->w[3] = CONSOLE_EOF;
        return 0;
    }
    size_t length = c->edit.length;
    reply->w[0] = length;
    if (length <= CONSOLE_INLINE) {
        memcpy(&reply->w[1], c->edit.line, length);
        return 0;
    }
    size_t region = (length + PAGE - 1) & ~(size_t)(PAGE - 1); /* regions are whole pages */
    long addr = vm_region_new(region);
    if (addr < 0)
        return addr;
    memcpy((void *)addr, c->edit.line, length);
    reply_extra->send_mem = (uint64_t)addr;
    reply_extra->send_mem_length = region;
    return 0;
}

/*
 * Answers c's waiting reader with status (and, on success, the message
 * and region given). If the reply cannot be delivered (say the reader
 * left no room for a region) the reader gets that error instead; if it
 * is gone, there is nothing more to do. Either way the region is not
 * left behind and the console takes reads again.
 */
static void answer_reader(struct console *c, long status, struct ipc_msg *msg,
                          struct ipc_extra *extra)
{
    if (status < 0) {
        if (extra->send_mem != 0)
            sys_vm_release((void *)extra->send_mem, extra->send_mem_length);
        memset(msg, 0, sizeof(*msg));
        memset(extra, 0, sizeof(*extra));
    }
    msg->tag = (uint64_t)status;
    long err = ipc_reply_to(c->reader, msg, extra);
    if (err < 0) {
        if (extra->send_mem != 0)
            sys_vm_release((void *)extra->send_mem, extra->send_mem_length);
        if (err != -E_CLOSED) {
            struct ipc_msg failed = {.tag = (uint64_t)err};
            if (ipc_reply_to(c->reader, &failed, NULL) < 0)
                handle_close(c->reader);
        }
    }
    c->reading = READ_NONE;
}

/* Forgets c's waiting reader if its caller is gone: a dead program's read holds nothing. */
static void drop_gone_reader(struct console *c)
{
    if (c->reading == READ_NONE || handle_info(c->reader) != -E_CLOSED)
        return;
    handle_close(c->reader);
    c->reading = READ_NONE;
}

/*
 * Ctrl-C while nobody reads: tells the console's interrupt endpoint (the
 * shell), if there is one and something waits on it. True if it did.
 */
static bool interrupt_sent(struct console *c, const struct key_event *key)
{
    if (key->ch != 3 || c->interrupt == 0)
        return false;
    struct ipc_msg msg = {.tag = CONSOLE_INTERRUPT};
    long err = ipc_send(c->interrupt, &msg, IPC_POLL, NULL);
    if (err == -E_CLOSED || err == -E_BADHANDLE) {
        handle_close(c->interrupt);
        c->interrupt = 0;
    }
    return err == 0;
}

long input_set_interrupt(void *context, const struct ipc_msg *request,
                         const struct ipc_extra *extra, uint64_t sender, struct ipc_msg *reply,
                         struct ipc_extra *reply_extra)
{
    (void)context;
    (void)request;
    (void)reply;
    (void)reply_extra;
    struct console *c = console_of(sender);
    if (c == NULL || extra->recv_count > 1 || extra->recv_mem != 0) {
        ipc_extra_drop(extra);
        return c == NULL ? -E_PERM : -E_INVAL;
    }
    if (c->interrupt != 0)
        handle_close(c->interrupt);
    c->interrupt = extra->recv_count == 1 ? extra->recv_handles[0] : 0; /* none: disarm */
    return 0;
}

/* Gives one key press to console c: to its waiting reader, or to its queue. */
static void deliver(struct console *c, const struct key_event *key)
{
    struct ipc_msg msg = {0};
    struct ipc_extra extra = {0};
    drop_gone_reader(c); /* then the key waits in the queue for the next reader */
    if (c->reading == READ_KEY) {
        key_reply(key, &msg);
        answer_reader(c, 0, &msg, &extra);
    } else if (c->reading == READ_LINE) {
        enum edit_result result = edit_key(&c->edit, &c->vt, key);
        if (result != EDIT_MORE)
            answer_reader(c, line_reply(c, result, &msg, &extra), &msg, &extra);
    } else if (!interrupt_sent(c, key)) {
        queue_push(c, key);
    }
}

static bool is_modifier(uint32_t key)
{
    return key == KEY_SHIFT || key == KEY_CTRL || key == KEY_ALT || key == KEY_CAPS_LOCK;
}

/* One key event from the keyboard: the server's own keys, or a key for the shown console. */
static void key_event(const struct key_event *key)
{
    struct console *c = console_shown();
    if (!key->down || is_modifier(key->key))
        return; /* readers get presses of keys that do something */
    if ((key->mods & MOD_ALT) != 0 && key->key >= KEY_F1 && key->key <= KEY_F12) {
        uint32_t n = key->key - KEY_F1;
        if (n < CONSOLE_VTS)
            console_show(console_number((int)n + 1));
        return;
    }
    if ((key->mods & MOD_SHIFT) != 0 && (key->key == KEY_PAGE_UP || key->key == KEY_PAGE_DOWN)) {
        vt_view_scroll(&c->vt, key->key == KEY_PAGE_UP ? SCROLL_STEP : -SCROLL_STEP);
        console_flush(c);
        return;
    }
    vt_view_reset(&c->vt);
    deliver(c, key);
    console_flush(c);
}

long input_key(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
               uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)reply;
    (void)reply_extra;
    ipc_extra_drop(extra);
    if (IPC_SENDER_BADGE(sender) != CONSOLE_BADGE_KEYBOARD)
        return -E_PERM;
    struct key_event key = {(uint32_t)request->w[0], (uint32_t)request->w[1],
                            (uint32_t)request->w[2], (uint32_t)request->w[3]};
    key_event(&key);
    return IPC_NO_REPLY; /* a one-way message: nobody waits for an answer */
}

/* Makes the caller wait for keys: keeps its reply right for later. */
static long wait_for_keys(struct console *c, enum read_kind kind)
{
    long handle = reply_save();
    if (handle < 0)
        return handle;
    c->reading = kind;
    c->reader = (uint32_t)handle;
    return IPC_NO_REPLY;
}

long input_read_line(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                     uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    ipc_extra_drop(extra);
    struct console *c = console_of(sender);
    uint64_t flags = request->w[0];
    uint64_t max = request->w[1];
    if (c == NULL)
        return -E_PERM;
    if ((flags & ~(uint64_t)CONSOLE_NO_ECHO) != 0 || max == 0 || max > CONSOLE_LINE_MAX)
        return -E_INVAL;
    drop_gone_reader(c);
    if (c->reading != READ_NONE)
        return -E_BUSY;

    /* Keys typed ahead are edited (and echoed) now, as if typed just after the request. */
    edit_start(&c->edit, &c->vt, (size_t)max, (flags & CONSOLE_NO_ECHO) == 0);
    enum edit_result result = EDIT_MORE;
    while (result == EDIT_MORE && c->key_count > 0) {
        struct key_event key = queue_pop(c);
        result = edit_key(&c->edit, &c->vt, &key);
    }
    console_flush(c);
    if (result != EDIT_MORE)
        return line_reply(c, result, reply, reply_extra);
    return wait_for_keys(c, READ_LINE);
}

long input_read_key(void *context, const struct ipc_msg *request, const struct ipc_extra *extra,
                    uint64_t sender, struct ipc_msg *reply, struct ipc_extra *reply_extra)
{
    (void)context;
    (void)request;
    (void)reply_extra;
    ipc_extra_drop(extra);
    struct console *c = console_of(sender);
    if (c == NULL)
        return -E_PERM;
    drop_gone_reader(c);
    if (c->reading != READ_NONE)
        return -E_BUSY;
    if (c->key_count > 0) {
        struct key_event key = queue_pop(c);
        key_reply(&key, reply);
        return 0;
    }
    return wait_for_keys(c, READ_KEY);
}
