/*
 * libFuzzer target for the console server's request handling
 * (servers/console: main.c, with input.c, edit.c, vt.c and vga.c): its
 * real main and ipc_serve loop run over the host stubs of
 * server_stubs.c, which play the kernel and the clients; this file plays
 * the VGA text buffer (sys_phys_map), the CRT controller's ports (outb,
 * through tests/fuzz/host/parley/portio.h) and the shells that arm
 * Ctrl-C (stub_peer). Each input is a script of records, one message
 * each, every field read from the next bytes (missing bytes read as 0):
 *
 *   op        op & 15: 0-9 a request, 10-12 a key from the keyboard, 13
 *             a waiter dies, 14-15 the kernel says a badge is closed
 *   request:  tag       tag % 8: CONSOLE_WRITE..CONSOLE_SET_INTERRUPT
 *                       (5), INPUT_KEY or IPC_TAG_CLOSED from a client
 *                       (refused), or 7: a random 64-bit tag follows
 *             sender    pid 1 + (sender & 3); badge by (sender >> 2) % 7:
 *                       0 none, 1-4 console 1-4, 5 the keyboard's, 6 a
 *                       random 32 bits
 *             w0        2 bytes, or 4 if op & 0x80
 *             text      if op & 0x40: a byte picks a piece of text from
 *                       a dictionary (escape sequences, long lines); w0
 *                       is its length (unless op & 0x80); in w1..w3, or
 *                       in a region when it is longer
 *             w1..w3    else 24 bytes if op & 0x08, else w1 2 bytes (a
 *                       line's longest length)
 *             region    if op & 0x20 (and no text in one): 2 bytes, 1 +
 *                       n % 300 pages, the first byte % 64 + 1 bytes of
 *                       it from the script
 *             handles   if op & 0x10: a byte, n % 5 handles moved with it
 *   key:      a byte picks a key from a table, a byte its modifiers;
 *             released if op & 0x80; a random character if op & 0x40
 *   waiter dies: a byte picks a saved reply right; its caller is gone
 *   closed:   a badge 1-4 or the keyboard's (a byte), sent from pid 0
 *
 * Each Ctrl-C sent to a console's interrupt endpoint gets its fate from
 * the script's next byte: taken, nobody waiting, or the endpoint gone.
 *
 * Every reply is checked by the stubs. Between messages: each console
 * has at most one reader, and the saved reply rights the server holds
 * are exactly its consoles' readers (so each is answered or closed); the
 * handles it holds are exactly the consoles' interrupt endpoints, one
 * each (so a replaced one was closed); no region or minted handle is
 * held; every console's cursor, view, history and key queue stay in
 * their bounds, and its line editor's line within what the reader
 * asked for; the screen holds exactly the shown console's view, and the
 * hardware cursor and its mirror cell show its cursor (or are off while
 * it is scrolled back).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_stubs.h"

/* The server itself, with its main renamed so this file has its own. */
#define main console_server_main
#include "../../servers/console/main.c"
#undef main

#define FUZZ_PAGES_MAX 300
#define SCREEN_CELLS 2048 /* the text buffer's 0x1000 bytes */
#define MIRROR_CELL 2000  /* vga.c's cursor mirror: the magic, then the cell */
#define MIRROR_MAGIC 0x5043

static const uint64_t fuzz_tags[] = {CONSOLE_WRITE, CONSOLE_READ_LINE,     CONSOLE_READ_KEY,
                                     CONSOLE_INFO,  CONSOLE_SET_INTERRUPT, INPUT_KEY,
                                     IPC_TAG_CLOSED};
#define FUZZ_TAGS (sizeof(fuzz_tags) / sizeof(fuzz_tags[0]))

static const char *const fuzz_texts[] = {
    "hello\n",
    "\r\b\t",
    "\033[2J\033[H",
    "\033[1;31;44mred\033[0m",
    "\033[K",
    "\033[10;70H",
    "\033[99;99f",
    "\033[5A\033[3B\033[200C\033[9D",
    "\033[1;2;3;4;5;6;7;8;9;10;11m",
    "\033[",
    "\033",
    "\033[?25h",
    "\033[;5H",
    "\033[97;100m",
    ("a long line that wraps past the eightieth column of the screen, and on and on...."
     "\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n"),
};
#define FUZZ_TEXTS (sizeof(fuzz_texts) / sizeof(fuzz_texts[0]))

/* Keys and the character each types, as the keyboard driver sends them. */
static const struct {
    uint32_t key, ch;
} fuzz_keys[] = {
    {'a', 'a'},         {'z', 'z'},      {' ', ' '},         {'\n', '\n'},   {'\b', '\b'},
    {'\t', '\t'},       {0x1B, 0x1B},    {'c', 3},           {'d', 4},       {'u', 21},
    {'a', 1},           {'e', 5},        {KEY_LEFT, 0},      {KEY_RIGHT, 0}, {KEY_HOME, 0},
    {KEY_END, 0},       {KEY_DELETE, 0}, {KEY_UP, 0},        {KEY_F1, 0},    {KEY_F1 + 1, 0},
    {KEY_F1 + 2, 0},    {KEY_F1 + 3, 0}, {KEY_F1 + 4, 0},    {KEY_F12, 0},   {KEY_PAGE_UP, 0},
    {KEY_PAGE_DOWN, 0}, {KEY_SHIFT, 0},  {KEY_CAPS_LOCK, 0}, {'\n', '\r'},   {0x7F, 0x7F},
    {'x', 'X'},         {KEY_INSERT, 0},
};
#define FUZZ_KEYS (sizeof(fuzz_keys) / sizeof(fuzz_keys[0]))

/* --- the hardware: the text buffer and the CRT controller --- */

static uint16_t *screen;   /* what sys_phys_map maps: SCREEN_CELLS cells */
static uint8_t crtc_index; /* the register port 0x3D5 writes */
static uint8_t crtc[256];  /* the controller's registers */
static bool drawn;         /* vga.c has put the cursor somewhere */

long sys_phys_map(uint32_t phys)
{
    stub_require(phys == HANDLE_VGA, "sys_phys_map of a handle other than the text buffer's");
    return (long)screen;
}

long sys_ioport_enable(uint32_t ioports)
{
    stub_require(ioports == HANDLE_CRTC, "sys_ioport_enable of a handle other than the CRTC's");
    return 0;
}

void outb(uint16_t port, uint8_t value)
{
    stub_require(port == 0x3D4 || port == 0x3D5, "outb to a port outside the CRTC's");
    if (port == 0x3D4) {
        crtc_index = value;
        return;
    }
    crtc[crtc_index] = value;
    drawn = true;
}

/* --- the shells that asked for Ctrl-C --- */

/* Where a Ctrl-C goes: a byte of the script says 0-5 taken, 6 nobody waits, 7 the endpoint is gone.
 */
static long interrupt_answer(void *arg, const struct stub_sent *sent, struct stub_message *reply)
{
    struct stub_script *s = arg;
    (void)reply;
    stub_require(!sent->call && sent->msg->tag == CONSOLE_INTERRUPT && sent->region == NULL &&
                     sent->handles == 0,
                 "the console sent something other than a bare one-way CONSOLE_INTERRUPT");
    bool armed = false;
    for (int i = 0; i < CONSOLE_VTS; i++)
        armed |= consoles[i].interrupt == sent->handle;
    stub_require(armed, "a CONSOLE_INTERRUPT on a handle no console was given");
    switch (stub_take(s, 1) & 7) {
    case 6:
        return -E_AGAIN;
    case 7:
        return -E_CLOSED;
    default:
        return 0;
    }
}

/* --- the server's state against the stubs and the screen --- */

static void check_console(const struct console *c, int n)
{
    const struct vt *vt = &c->vt;
    stub_require(c->number == n, "a console lost its number");
    stub_require(vt->row >= 0 && vt->row < VT_ROWS && vt->col >= 0 && vt->col <= VT_COLS,
                 "a cursor left the screen");
    stub_require(vt->top < VT_LINES && vt->history <= VT_HISTORY && vt->view <= vt->history,
                 "a console's history or view is out of bounds");
    stub_require((vt->dirty & ~VT_ALL_ROWS) == 0, "a dirty row below the screen");
    stub_require(c->key_head < KEY_QUEUE && c->key_count <= KEY_QUEUE,
                 "a console's key queue is out of bounds");
    stub_require(c->reading == READ_NONE || c->reading == READ_LINE || c->reading == READ_KEY,
                 "a console reads in no known way");
    if (c->reading == READ_LINE) {
        const struct edit *e = &c->edit;
        stub_require(e->max >= 1 && e->max <= CONSOLE_LINE_MAX && e->length <= e->max &&
                         e->pos <= e->length,
                     "a line being read is longer than asked for, or its cursor outside it");
    }
    if (c->reading != READ_NONE)
        stub_require(stub_handle_kind(c->reader) == STUB_REPLY,
                     "a console's reader is no saved reply right");
    if (c->interrupt != 0)
        stub_require(stub_handle_kind(c->interrupt) == STUB_RECEIVED,
                     "a console's interrupt endpoint is no handle the server holds");
}

/* The screen shows the shown console's view, and the cursor where its cursor is. */
static void check_screen(void)
{
    const struct vt *vt = &shown->vt;
    for (int row = 0; row < VT_ROWS; row++)
        stub_require(
            memcmp(&screen[row * VT_COLS], vt_view_row(vt, row), VT_COLS * sizeof(uint16_t)) == 0,
            "the screen does not show the shown console");
    if (!drawn)
        return;
    uint16_t cell = (uint16_t)(vt->row * VT_COLS + vt_cursor_col(vt));
    uint16_t hardware = (uint16_t)(crtc[0x0E] << 8 | crtc[0x0F]);
    stub_require(screen[MIRROR_CELL] == MIRROR_MAGIC, "the cursor mirror lost its magic");
    if (vt->view == 0) {
        stub_require(!(crtc[0x0A] & 0x20) && hardware == cell && screen[MIRROR_CELL + 1] == cell,
                     "the hardware cursor is not at the shown console's cursor");
    } else {
        stub_require((crtc[0x0A] & 0x20) && screen[MIRROR_CELL + 1] == 0xFFFF,
                     "the cursor shows while the console is scrolled back");
    }
}

static void check_state(void)
{
    stub_require(stub_held(STUB_MINTED) == 0, "the console holds a minted handle");
    stub_require(stub_held(STUB_REGION) == 0, "a region is still held between requests");
    size_t readers = 0, interrupts = 0;
    for (int i = 0; i < CONSOLE_VTS; i++) {
        const struct console *c = &consoles[i];
        check_console(c, i + 1);
        for (int j = 0; j < i; j++) {
            stub_require(c->reading == READ_NONE || consoles[j].reading == READ_NONE ||
                             c->reader != consoles[j].reader,
                         "two consoles share a reader");
            stub_require(c->interrupt == 0 || c->interrupt != consoles[j].interrupt,
                         "two consoles share an interrupt endpoint");
        }
        readers += c->reading != READ_NONE;
        interrupts += c->interrupt != 0;
    }
    stub_require(stub_held(STUB_REPLY) == readers,
                 "a saved reply right is no console's reader: neither answered nor closed");
    stub_require(stub_held(STUB_RECEIVED) == interrupts,
                 "a handle the console holds is no console's interrupt endpoint");
    stub_require(shown >= consoles && shown < consoles + CONSOLE_VTS, "no console is shown");
    check_screen();
}

/* --- the clients and the keyboard --- */

static uint32_t fuzz_badge(struct stub_script *s, unsigned choice)
{
    switch (choice % 7) {
    case 0:
        return 0;
    case 5:
        return CONSOLE_BADGE_KEYBOARD;
    case 6:
        return (uint32_t)stub_take(s, 4);
    default:
        return CONSOLE_BADGE_VT(choice % 7);
    }
}

static void fuzz_key(struct stub_script *s, uint8_t op, struct stub_message *m)
{
    uint8_t pick = (uint8_t)stub_take(s, 1);
    m->msg.tag = INPUT_KEY;
    m->msg.w[0] = fuzz_keys[pick % FUZZ_KEYS].key;
    m->msg.w[1] = stub_take(s, 1) & 0xF;
    m->msg.w[2] = !(op & 0x80);
    m->msg.w[3] = op & 0x40 ? stub_take(s, 1) : fuzz_keys[pick % FUZZ_KEYS].ch;
    m->sender = 5 | (uint64_t)CONSOLE_BADGE_KEYBOARD << 32;
    m->call = false; /* the keyboard driver sends its keys one-way */
}

static void fuzz_request(struct stub_script *s, uint8_t op, struct stub_message *m)
{
    uint8_t tag = (uint8_t)stub_take(s, 1) % (FUZZ_TAGS + 1);
    m->msg.tag = tag < FUZZ_TAGS ? fuzz_tags[tag] : stub_take(s, 8);
    uint8_t sender = (uint8_t)stub_take(s, 1);
    m->sender = (1u + (sender & 3)) | (uint64_t)fuzz_badge(s, sender >> 2) << 32;
    m->msg.w[0] = stub_take(s, op & 0x80 ? 4 : 2);
    if (op & 0x40) {
        const char *text = fuzz_texts[stub_take(s, 1) % FUZZ_TEXTS];
        size_t length = strlen(text);
        if (!(op & 0x80))
            m->msg.w[0] = length;
        if (length <= CONSOLE_INLINE) {
            memcpy(&m->msg.w[1], text, length);
        } else {
            m->region_length = STUB_PAGE;
            m->region_data = (const uint8_t *)text;
            m->region_data_length = length;
        }
    } else if (op & 0x08) {
        for (int i = 1; i < 4; i++)
            m->msg.w[i] = stub_take(s, 8);
    } else {
        m->msg.w[1] = stub_take(s, 2);
    }
    if ((op & 0x20) && m->region_length == 0) {
        m->region_length = (1 + stub_take(s, 2) % FUZZ_PAGES_MAX) * STUB_PAGE;
        size_t want = (size_t)stub_take(s, 1) % 64 + 1;
        size_t have = s->size - s->at;
        m->region_data = s->data + s->at;
        m->region_data_length = want < have ? want : have;
        s->at += m->region_data_length;
    }
    if (op & 0x10)
        m->handles = (uint32_t)(stub_take(s, 1) % (IPC_MAX_HANDLES + 1));
    /* The keyboard driver's INPUT_KEY is one-way whatever else it is; anyone else's is a call. */
    m->call = m->msg.tag < IPC_TAG_KERNEL &&
              !(m->msg.tag == INPUT_KEY && IPC_SENDER_BADGE(m->sender) == CONSOLE_BADGE_KEYBOARD);
}

/* The stubs' script: the input's records, one message each. */
static bool fuzz_next(void *arg, struct stub_message *m)
{
    struct stub_script *s = arg;
    check_state();
    *m = (struct stub_message){0};
    while (s->at < s->size) {
        uint8_t op = (uint8_t)stub_take(s, 1);
        unsigned kind = op & 15;
        if (kind == 13) {
            stub_kill_waiter((size_t)stub_take(s, 1));
            continue;
        }
        if (kind >= 14) {
            uint8_t which = (uint8_t)stub_take(s, 1) % (CONSOLE_VTS + 1);
            uint32_t badge = which == 0 ? CONSOLE_BADGE_KEYBOARD : CONSOLE_BADGE_VT(which);
            m->msg.tag = IPC_TAG_CLOSED;
            m->sender = (uint64_t)badge << 32;
        } else if (kind >= 10) {
            fuzz_key(s, op, m);
        } else {
            fuzz_request(s, op, m);
        }
        return true;
    }
    return false;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    stub_quiet();
    screen = aligned_alloc(STUB_PAGE, SCREEN_CELLS * sizeof(uint16_t));
    stub_require(screen != NULL, "host out of memory");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct stub_script script = {.data = data, .size = size};

    /* Each run starts from a fresh server and a blank screen, so an input means the same every
     * time. */
    memset(consoles, 0, sizeof(consoles));
    shown = &consoles[0];
    memset(screen, 0, SCREEN_CELLS * sizeof(uint16_t));
    memset(crtc, 0, sizeof(crtc));
    crtc_index = 0;
    drawn = false;

    stub_begin(fuzz_next, &script);
    stub_own(HANDLE_CRTC, 0);
    stub_peer(interrupt_answer, &script);
    stub_require(console_server_main() == 0, "the server stopped with an error");
    check_state();
    stub_end();
    return 0;
}
