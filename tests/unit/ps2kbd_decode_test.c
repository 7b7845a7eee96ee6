/*
 * The keyboard driver's scancode-set-1 decoder (drivers/ps2kbd/scancode.c)
 * on the host: every key of the US map pressed and released, alone and
 * with each Shift; Caps Lock on letters only and against Shift; Ctrl
 * (both) giving 1-26; Alt; the E0 keys and the fake shifts around them;
 * the keypad with and without Num Lock; F1-F12; the LED byte; and the
 * bytes that are not keys (acknowledgements, the Pause sequence), which
 * must leave no trace in the state.
 */
#include <stdint.h>
#include <string.h>

#include <parley/proto/input.h>

#include "../../drivers/ps2kbd/scancode.h"
#include "check.h"

#define RELEASE 0x80
#define LSHIFT 0x2A
#define RSHIFT 0x36
#define CTRL 0x1D
#define ALT 0x38
#define CAPS 0x3A
#define NUMLOCK 0x45

static struct scancode_decoder dec;
static struct key_event last;

/* Feeds bytes; returns how many events they made, the last one in `last`. */
static int feed(const uint8_t *bytes, size_t n)
{
    int events = 0;
    for (size_t i = 0; i < n; i++) {
        struct key_event e;
        if (scancode_feed(&dec, bytes[i], &e)) {
            last = e;
            events++;
        }
    }
    return events;
}

#define FEED(...) feed((const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

static int event_is(uint32_t key, uint32_t mods, uint32_t pressed, uint32_t character)
{
    return last.key == key && last.modifiers == mods && last.pressed == pressed &&
           last.character == character;
}

#define NOTE "code 0x%02x: got key 0x%x mods 0x%x pressed %u char 0x%x"
#define GOT last.key, last.modifiers, last.pressed, last.character

/* Every character key of the US layout: make code, unshifted, shifted. */
static const struct {
    uint8_t code;
    char plain, shifted;
} us_keys[] = {
    {0x02, '1', '!'},   {0x03, '2', '@'},   {0x04, '3', '#'},   {0x05, '4', '$'},
    {0x06, '5', '%'},   {0x07, '6', '^'},   {0x08, '7', '&'},   {0x09, '8', '*'},
    {0x0A, '9', '('},   {0x0B, '0', ')'},   {0x0C, '-', '_'},   {0x0D, '=', '+'},
    {0x10, 'q', 'Q'},   {0x11, 'w', 'W'},   {0x12, 'e', 'E'},   {0x13, 'r', 'R'},
    {0x14, 't', 'T'},   {0x15, 'y', 'Y'},   {0x16, 'u', 'U'},   {0x17, 'i', 'I'},
    {0x18, 'o', 'O'},   {0x19, 'p', 'P'},   {0x1A, '[', '{'},   {0x1B, ']', '}'},
    {0x1E, 'a', 'A'},   {0x1F, 's', 'S'},   {0x20, 'd', 'D'},   {0x21, 'f', 'F'},
    {0x22, 'g', 'G'},   {0x23, 'h', 'H'},   {0x24, 'j', 'J'},   {0x25, 'k', 'K'},
    {0x26, 'l', 'L'},   {0x27, ';', ':'},   {0x28, '\'', '"'},  {0x29, '`', '~'},
    {0x2B, '\\', '|'},  {0x2C, 'z', 'Z'},   {0x2D, 'x', 'X'},   {0x2E, 'c', 'C'},
    {0x2F, 'v', 'V'},   {0x30, 'b', 'B'},   {0x31, 'n', 'N'},   {0x32, 'm', 'M'},
    {0x33, ',', '<'},   {0x34, '.', '>'},   {0x35, '/', '?'},   {0x39, ' ', ' '},
    {0x1C, '\n', '\n'}, {0x0E, '\b', '\b'}, {0x0F, '\t', '\t'}, {0x01, 0x1B, 0x1B},
};
#define US_KEYS (sizeof(us_keys) / sizeof(us_keys[0]))

static int is_letter(char c)
{
    return c >= 'a' && c <= 'z';
}

static void test_us_map(void)
{
    scancode_init(&dec);
    for (size_t i = 0; i < US_KEYS; i++) {
        uint8_t code = us_keys[i].code;
        uint32_t plain = (uint8_t)us_keys[i].plain, shifted = (uint8_t)us_keys[i].shifted;
        CHECKF(FEED(code) == 1 && event_is(plain, 0, 1, plain), NOTE, code, GOT);
        CHECKF(FEED(code | RELEASE) == 1 && event_is(plain, 0, 0, 0), NOTE, code, GOT);
        /* Each Shift on its own gives the shifted character; the key stays the same. */
        uint8_t shifts[] = {LSHIFT, RSHIFT};
        for (int s = 0; s < 2; s++) {
            FEED(shifts[s]);
            CHECKF(FEED(code) == 1 && event_is(plain, MOD_SHIFT, 1, shifted), NOTE, code, GOT);
            CHECKF(FEED(code | RELEASE) == 1 && event_is(plain, MOD_SHIFT, 0, 0), NOTE, code, GOT);
            FEED(shifts[s] | RELEASE);
        }
    }
}

static void test_shift_keys(void)
{
    scancode_init(&dec);
    CHECK(FEED(LSHIFT) == 1 && event_is(KEY_SHIFT, MOD_SHIFT, 1, 0));
    CHECK(FEED(RSHIFT) == 1 && event_is(KEY_SHIFT, MOD_SHIFT, 1, 0));
    /* Releasing one Shift while the other is down keeps Shift held. */
    CHECK(FEED(LSHIFT | RELEASE) == 1 && event_is(KEY_SHIFT, MOD_SHIFT, 0, 0));
    CHECK(FEED(0x1E) == 1 && event_is('a', MOD_SHIFT, 1, 'A'));
    CHECK(FEED(RSHIFT | RELEASE) == 1 && event_is(KEY_SHIFT, 0, 0, 0));
    CHECK(FEED(0x1E) == 1 && event_is('a', 0, 1, 'a'));
    /* Auto-repeat of Shift (make codes without a break) stays one Shift. */
    FEED(LSHIFT, LSHIFT, LSHIFT);
    CHECK(FEED(LSHIFT | RELEASE) == 1 && event_is(KEY_SHIFT, 0, 0, 0));
}

static void test_caps_lock(void)
{
    scancode_init(&dec);
    CHECK(scancode_leds(&dec) == SCANCODE_LED_NUM);
    CHECK(FEED(CAPS) == 1 && event_is(KEY_CAPS_LOCK, MOD_CAPS_LOCK, 1, 0));
    CHECK(scancode_leds(&dec) == (SCANCODE_LED_CAPS | SCANCODE_LED_NUM));
    /* Auto-repeat while the key is held does not toggle it back. */
    FEED(CAPS, CAPS);
    CHECK(FEED(CAPS | RELEASE) == 1 && event_is(KEY_CAPS_LOCK, MOD_CAPS_LOCK, 0, 0));
    for (size_t i = 0; i < US_KEYS; i++) {
        uint8_t code = us_keys[i].code;
        uint32_t plain = (uint8_t)us_keys[i].plain, shifted = (uint8_t)us_keys[i].shifted;
        /* Caps Lock shifts letters only; with Shift, letters go back to lower case. */
        uint32_t with_caps = is_letter(us_keys[i].plain) ? shifted : plain;
        uint32_t with_both = is_letter(us_keys[i].plain) ? plain : shifted;
        CHECKF(FEED(code) == 1 && event_is(plain, MOD_CAPS_LOCK, 1, with_caps), NOTE, code, GOT);
        FEED(code | RELEASE);
        FEED(LSHIFT);
        CHECKF(FEED(code) == 1 && event_is(plain, MOD_CAPS_LOCK | MOD_SHIFT, 1, with_both), NOTE,
               code, GOT);
        FEED(code | RELEASE, LSHIFT | RELEASE);
    }
    CHECK(FEED(CAPS, CAPS | RELEASE) == 2 && event_is(KEY_CAPS_LOCK, 0, 0, 0));
    CHECK(scancode_leds(&dec) == SCANCODE_LED_NUM);
    CHECK(FEED(0x1E) == 1 && event_is('a', 0, 1, 'a'));
}

static void test_ctrl_and_alt(void)
{
    scancode_init(&dec);
    /* Left Ctrl, then right Ctrl (E0 1D): every letter gives 1-26. */
    const uint8_t ctrls[][2] = {{0, CTRL}, {0xE0, CTRL}};
    for (int c = 0; c < 2; c++) {
        if (ctrls[c][0] != 0)
            FEED(ctrls[c][0]);
        CHECK(FEED(ctrls[c][1]) == 1 && event_is(KEY_CTRL, MOD_CTRL, 1, 0));
        for (size_t i = 0; i < US_KEYS; i++) {
            if (!is_letter(us_keys[i].plain))
                continue;
            uint32_t plain = (uint8_t)us_keys[i].plain;
            CHECKF(FEED(us_keys[i].code) == 1 && event_is(plain, MOD_CTRL, 1, plain - 'a' + 1),
                   NOTE, us_keys[i].code, GOT);
            FEED(us_keys[i].code | RELEASE);
        }
        /* Ctrl with Shift is still a control character. */
        FEED(LSHIFT);
        CHECK(FEED(0x2E) == 1 && event_is('c', MOD_CTRL | MOD_SHIFT, 1, 3));
        FEED(0x2E | RELEASE, LSHIFT | RELEASE);
        if (ctrls[c][0] != 0)
            FEED(ctrls[c][0]);
        CHECK(FEED(ctrls[c][1] | RELEASE) == 1 && event_is(KEY_CTRL, 0, 0, 0));
    }
    /* Both Ctrls down, one released: Ctrl still held. */
    FEED(CTRL, 0xE0, CTRL, CTRL | RELEASE);
    CHECK(FEED(0x20) == 1 && event_is('d', MOD_CTRL, 1, 4));
    FEED(0x20 | RELEASE, 0xE0, CTRL | RELEASE);

    CHECK(FEED(ALT) == 1 && event_is(KEY_ALT, MOD_ALT, 1, 0));
    CHECK(FEED(0x1E) == 1 && event_is('a', MOD_ALT, 1, 'a'));
    CHECK(FEED(ALT | RELEASE) == 1 && event_is(KEY_ALT, 0, 0, 0));
    CHECK(FEED(0xE0, ALT) == 1 && event_is(KEY_ALT, MOD_ALT, 1, 0));
    CHECK(FEED(0x02) == 1 && event_is('1', MOD_ALT, 1, '1'));
    CHECK(FEED(0xE0, ALT | RELEASE) == 1 && event_is(KEY_ALT, 0, 0, 0));
}

static void test_e0_keys(void)
{
    static const struct {
        uint8_t code;
        uint32_t key, character;
    } e0[] = {
        {0x48, KEY_UP, 0},      {0x50, KEY_DOWN, 0},      {0x4B, KEY_LEFT, 0},
        {0x4D, KEY_RIGHT, 0},   {0x47, KEY_HOME, 0},      {0x4F, KEY_END, 0},
        {0x49, KEY_PAGE_UP, 0}, {0x51, KEY_PAGE_DOWN, 0}, {0x52, KEY_INSERT, 0},
        {0x53, KEY_DELETE, 0},  {0x1C, '\n', '\n'},       {0x35, '/', '/'},
    };
    scancode_init(&dec);
    for (size_t i = 0; i < sizeof(e0) / sizeof(e0[0]); i++) {
        uint8_t code = e0[i].code;
        CHECKF(FEED(0xE0, code) == 1 && event_is(e0[i].key, 0, 1, e0[i].character), NOTE, code,
               GOT);
        CHECKF(FEED(0xE0, code | RELEASE) == 1 && event_is(e0[i].key, 0, 0, 0), NOTE, code, GOT);
    }
    /* The fake shifts QEMU and real keyboards put around some E0 keys are not Shift. */
    CHECK(FEED(0xE0, LSHIFT, 0xE0, 0x48) == 1 && event_is(KEY_UP, 0, 1, 0));
    CHECK(FEED(0xE0, 0x48 | RELEASE, 0xE0, LSHIFT | RELEASE) == 1 && event_is(KEY_UP, 0, 0, 0));
    CHECK(FEED(0xE0, RSHIFT, 0xE0, RSHIFT | RELEASE) == 0);
    CHECK(FEED(0x1E) == 1 && event_is('a', 0, 1, 'a'));
    /* Print Screen and the Windows keys have no KEY_* code: no event. */
    CHECK(FEED(0xE0, 0x37, 0xE0, 0x37 | RELEASE, 0xE0, 0x5B, 0xE0, 0x5B | RELEASE) == 0);
    /* An acknowledgement between E0 and its key does not lose the prefix. */
    CHECK(FEED(0xE0, 0xFA, 0x4B) == 1 && event_is(KEY_LEFT, 0, 1, 0));
    FEED(0xE0, 0x4B | RELEASE);
}

static void test_function_keys(void)
{
    static const uint8_t codes[12] = {0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x40,
                                      0x41, 0x42, 0x43, 0x44, 0x57, 0x58};
    scancode_init(&dec);
    for (int n = 0; n < 12; n++) {
        CHECKF(FEED(codes[n]) == 1 && event_is(KEY_F1 + n, 0, 1, 0), NOTE, codes[n], GOT);
        CHECKF(FEED(codes[n] | RELEASE) == 1 && event_is(KEY_F1 + n, 0, 0, 0), NOTE, codes[n], GOT);
    }
    CHECK(KEY_F1 + 11 == KEY_F12);
}

static void test_keypad(void)
{
    static const struct {
        uint8_t code;
        uint32_t num, nav;
    } pad[] = {
        {0x47, '7', KEY_HOME},   {0x48, '8', KEY_UP},     {0x49, '9', KEY_PAGE_UP},
        {0x4B, '4', KEY_LEFT},   {0x4C, '5', 0},          {0x4D, '6', KEY_RIGHT},
        {0x4F, '1', KEY_END},    {0x50, '2', KEY_DOWN},   {0x51, '3', KEY_PAGE_DOWN},
        {0x52, '0', KEY_INSERT}, {0x53, '.', KEY_DELETE},
    };
    scancode_init(&dec);
    for (size_t i = 0; i < sizeof(pad) / sizeof(pad[0]); i++)
        CHECKF(FEED(pad[i].code, pad[i].code | RELEASE) == 2 && event_is(pad[i].num, 0, 0, 0), NOTE,
               pad[i].code, GOT);
    CHECK(FEED(0x4F) == 1 && event_is('1', 0, 1, '1'));
    FEED(0x4F | RELEASE);
    CHECK(FEED(0x37) == 1 && event_is('*', 0, 1, '*'));
    CHECK(FEED(0x4A) == 1 && event_is('-', 0, 1, '-'));
    CHECK(FEED(0x4E) == 1 && event_is('+', 0, 1, '+'));
    /* Num Lock toggles on its first press only, reports nothing, and shows on the LEDs. */
    CHECK(FEED(NUMLOCK, NUMLOCK, NUMLOCK | RELEASE) == 0);
    CHECK(scancode_leds(&dec) == 0);
    for (size_t i = 0; i < sizeof(pad) / sizeof(pad[0]); i++) {
        int want = pad[i].nav != 0;
        CHECKF(FEED(pad[i].code) == want && (!want || event_is(pad[i].nav, 0, 1, 0)), NOTE,
               pad[i].code, GOT);
        FEED(pad[i].code | RELEASE);
    }
    FEED(NUMLOCK, NUMLOCK | RELEASE);
    CHECK(scancode_leds(&dec) == SCANCODE_LED_NUM);
    CHECK(FEED(0x4F) == 1 && event_is('1', 0, 1, '1'));
}

static void test_not_keys(void)
{
    scancode_init(&dec);
    /* Pause: E1 1D 45 E1 9D C5, with no break code; nothing comes of it, not even Ctrl. */
    CHECK(FEED(0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5) == 0);
    CHECK(FEED(0x1E) == 1 && event_is('a', 0, 1, 'a'));
    CHECK(scancode_leds(&dec) == SCANCODE_LED_NUM);
    /* Two Pauses in a row, then keys decode normally. */
    CHECK(FEED(0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5, 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5) == 0);
    CHECK(FEED(0x30) == 1 && event_is('b', 0, 1, 'b'));
    /* The LED command's acknowledgements and the controller's other replies. */
    CHECK(FEED(0xFA, 0xFA, 0xFE, 0xEE, 0x00, 0xFF) == 0);
    CHECK(FEED(0x2E) == 1 && event_is('c', 0, 1, 'c'));
    /* Make codes no key uses, and their breaks. */
    CHECK(FEED(0x54, 0x54 | RELEASE, 0x59, 0x59 | RELEASE, 0x7F) == 0);
    /* Releases of keys never pressed are still reported: the console ignores them. */
    CHECK(FEED(0x10 | RELEASE) == 1 && event_is('q', 0, 0, 0));
    CHECK(dec.held == 0 && !dec.caps_lock && dec.prefix == 0 && dec.skip == 0);
}

int main(void)
{
    test_us_map();
    test_shift_keys();
    test_caps_lock();
    test_ctrl_and_alt();
    test_e0_keys();
    test_function_keys();
    test_keypad();
    test_not_keys();
    return check_finish("ps2kbd_decode_test");
}
