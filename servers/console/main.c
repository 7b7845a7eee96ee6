/*
 * The console server: CONSOLE_VTS virtual consoles on the VGA text screen.
 *
 * Handles, as init wires them (etc/services):
 *   1  its endpoint (receive)
 *   2  the VGA text buffer, physical 0xB8000, 0x1000 bytes
 *   3  the CRT controller's ports 0x3D4-0x3D5, for the hardware cursor
 *
 * Every client's handle carries a badge saying which console it writes
 * to and reads from (CONSOLE_BADGE_VT(1..CONSOLE_VTS)); the keyboard
 * driver's says CONSOLE_BADGE_KEYBOARD and is the only one whose INPUT_KEY
 * events count. A request with any other badge is refused with -E_PERM.
 * The protocol is in <parley/proto/console.h>.
 *
 * Each console keeps its own screen, cursor, colours and scrollback
 * (vt.c), whether shown or not; only the shown one is copied to the
 * screen (vga.c). Keys go to the shown console (input.c), where a read
 * may be waiting: the server keeps such a caller waiting with a saved
 * reply handle and goes on serving everyone else from its one thread.
 */
#include <stdio.h>
#include <string.h>

#include <parley/errors.h>
#include <parley/ipc_lib.h>
#include <parley/proto/console.h>
#include <parley/proto/input.h>
#include <parley/sys.h>

#include "server.h"
#include "vga.h"

#define HANDLE_ENDPOINT 1
#define HANDLE_VGA 2
#define HANDLE_CRTC 3

#define WRITE_MAX (1u << 20) /* the longest CONSOLE_WRITE taken at once */

static struct console consoles[CONSOLE_VTS];
static struct console *shown = &consoles[0];

struct console *console_of(uint64_t sender)
{
    uint32_t badge = IPC_SENDER_BADGE(sender);
    if (badge < CONSOLE_BADGE_VT(1) || badge > CONSOLE_BADGE_VT(CONSOLE_VTS))
        return NULL;
    return &consoles[badge - CONSOLE_BADGE_VT(1)];
}

struct console *console_number(int n)
{
    return &consoles[n - 1];
}

struct console *console_shown(void)
{
    return shown;
}

void console_show(struct console *c)
{
    shown = c;
    vt_view_reset(&c->vt); /* a console comes back live, not scrolled back */
    vga_draw(&c->vt, true);
}

void console_flush(struct console *c)
{
    if (c == shown)
        vga_draw(&c->vt, false);
}

/* Puts text on console c, then the line being read there back under it. */
static void console_output(struct console *c, const char *text, size_t length)
{
    vt_write(&c->vt, text, length);
    if (c->reading == READ_LINE)
        edit_redraw(&c->edit, &c->vt);
    console_flush(c);
}

static long console_write(void *context, const struct ipc_msg *request,
                          const struct ipc_extra *extra, uint64_t sender, struct ipc_msg *reply,
                          struct ipc_extra *reply_extra)
{
    (void)context;
    (void)reply_extra;
    struct console *c = console_of(sender);
    uint64_t length = request->w[0];
    long status = 0;
    if (c == NULL) {
        status = -E_PERM;
    } else if (length <= CONSOLE_INLINE) {
        char text[CONSOLE_INLINE];
        memcpy(text, &request->w[1], (size_t)length);
        console_output(c, text, (size_t)length);
    } else if (length > WRITE_MAX) {
        status = -E_RANGE;
    } else if (extra->recv_mem == 0 || extra->recv_mem_length < length) {
        status = -E_INVAL; /* the text is not all there */
    } else {
        console_output(c, (const char *)extra->recv_mem, (size_t)length);
    }
    ipc_extra_drop(extra);
    reply->w[0] = length;
    return status;
}

static long console_info(void *context, const struct ipc_msg *request,
                         const struct ipc_extra *extra, uint64_t sender, struct ipc_msg *reply,
                         struct ipc_extra *reply_extra)
{
    (void)context;
    (void)request;
    (void)reply_extra;
    ipc_extra_drop(extra);
    struct console *c = console_of(sender);
    if (c == NULL)
        return -E_PERM;
    reply->w[0] = VT_COLS;
    reply->w[1] = VT_ROWS;
    reply->w[2] = (uint64_t)c->number;
    return 0;
}

static const struct ipc_handler handlers[] = {
    {CONSOLE_WRITE, console_write},
    {CONSOLE_READ_LINE, input_read_line},
    {CONSOLE_READ_KEY, input_read_key},
    {CONSOLE_INFO, console_info},
    {CONSOLE_SET_INTERRUPT, input_set_interrupt},
    {INPUT_KEY, input_key},
};

/* Each console starts blank with a title bar on its first line. */
static void console_init(struct console *c, int number)
{
    char title[160];
    c->number = number;
    vt_init(&c->vt);
    int n = snprintf(title, sizeof(title),
                     "\033[1;37;44m Parley console %d of %d    Alt+F1..F%d: switch    "
                     "Shift+PgUp/PgDn: scroll back\033[K\033[0m\n",
                     number, CONSOLE_VTS, CONSOLE_VTS);
    vt_write(&c->vt, title, (size_t)n);
}

int main(void)
{
    long err = vga_init(HANDLE_VGA, HANDLE_CRTC);
    if (err < 0) {
        printf("console: no screen: %s\n", error_string((int)err));
        return 1;
    }
    for (int i = 0; i < CONSOLE_VTS; i++)
        console_init(&consoles[i], i + 1);
    console_show(&consoles[0]);
    printf("console: ready, %d virtual consoles\n", CONSOLE_VTS);
    err = ipc_serve(HANDLE_ENDPOINT, handlers, sizeof(handlers) / sizeof(handlers[0]), NULL);
    printf("console: stopped: %s\n", err == 0 ? "no clients left" : error_string((int)err));
    return err == 0 ? 0 : 1;
}
