/*
 * Scancode set 1 to key events, US layout (see scancode.h).
 *
 * A byte's low seven bits name the key (the make code) and bit 7 says it
 * was released. Two tables give, for each make code, the key it stands
 * for and the character Shift makes of it: one for plain codes and one
 * for codes after 0xE0. Modifier and lock keys are not in the tables;
 * they change the decoder's state and are handled first. The keypad's
 * digit keys depend on Num Lock: digits when it is on, the editing keys
 * printed under them when it is off.
 */
#include "scancode.h"

#include <parley/proto/input.h>

#define PREFIX_E0 0xE0
#define PREFIX_E1 0xE1
#define RELEASED 0x80

/* Bytes the controller or keyboard send that are not keys. */
#define REPLY_ACK 0xFA
#define REPLY_RESEND 0xFE
#define REPLY_ECHO 0xEE
#define REPLY_ERROR 0xFF
#define REPLY_ERROR_ZERO 0x00

/* After 0xE1 the rest of Pause is 1D 45 E1 9D C5. */
#define PAUSE_REST 5

/* Make codes of the modifier and lock keys. */
#define CODE_LEFT_SHIFT 0x2A
#define CODE_RIGHT_SHIFT 0x36
#define CODE_CTRL 0x1D /* right Ctrl after 0xE0 */
#define CODE_ALT 0x38  /* right Alt after 0xE0 */
#define CODE_CAPS_LOCK 0x3A
#define CODE_NUM_LOCK 0x45
#define CODE_KEYPAD_FIRST 0x47
#define CODE_KEYPAD_LAST 0x53

/* decoder.held: which modifier keys are down, each side on its own. */
#define HELD_LEFT_SHIFT (1u << 0)
#define HELD_RIGHT_SHIFT (1u << 1)
#define HELD_LEFT_CTRL (1u << 2)
#define HELD_RIGHT_CTRL (1u << 3)
#define HELD_LEFT_ALT (1u << 4)
#define HELD_RIGHT_ALT (1u << 5)
#define HELD_CAPS_LOCK (1u << 6) /* so auto-repeat does not toggle it again */
#define HELD_NUM_LOCK (1u << 7)

struct key_entry {
    uint16_t key;    /* character code or KEY_*; 0 = not reported */
    uint8_t shifted; /* the character with Shift, for character keys */
};

/* Plain make codes, 0x01-0x58. */
static const struct key_entry plain_keys[0x59] = {
    [0x01] = {0x1B, 0x1B},    [0x02] = {'1', '!'},      [0x03] = {'2', '@'},
    [0x04] = {'3', '#'},      [0x05] = {'4', '$'},      [0x06] = {'5', '%'},
    [0x07] = {'6', '^'},      [0x08] = {'7', '&'},      [0x09] = {'8', '*'},
    [0x0A] = {'9', '('},      [0x0B] = {'0', ')'},      [0x0C] = {'-', '_'},
    [0x0D] = {'=', '+'},      [0x0E] = {'\b', '\b'},    [0x0F] = {'\t', '\t'},
    [0x10] = {'q', 'Q'},      [0x11] = {'w', 'W'},      [0x12] = {'e', 'E'},
    [0x13] = {'r', 'R'},      [0x14] = {'t', 'T'},      [0x15] = {'y', 'Y'},
    [0x16] = {'u', 'U'},      [0x17] = {'i', 'I'},      [0x18] = {'o', 'O'},
    [0x19] = {'p', 'P'},      [0x1A] = {'[', '{'},      [0x1B] = {']', '}'},
    [0x1C] = {'\n', '\n'},    [0x1E] = {'a', 'A'},      [0x1F] = {'s', 'S'},
    [0x20] = {'d', 'D'},      [0x21] = {'f', 'F'},      [0x22] = {'g', 'G'},
    [0x23] = {'h', 'H'},      [0x24] = {'j', 'J'},      [0x25] = {'k', 'K'},
    [0x26] = {'l', 'L'},      [0x27] = {';', ':'},      [0x28] = {'\'', '"'},
    [0x29] = {'`', '~'},      [0x2B] = {'\\', '|'},     [0x2C] = {'z', 'Z'},
    [0x2D] = {'x', 'X'},      [0x2E] = {'c', 'C'},      [0x2F] = {'v', 'V'},
    [0x30] = {'b', 'B'},      [0x31] = {'n', 'N'},      [0x32] = {'m', 'M'},
    [0x33] = {',', '<'},      [0x34] = {'.', '>'},      [0x35] = {'/', '?'},
    [0x37] = {'*', '*'},      [0x39] = {' ', ' '},      [0x3B] = {KEY_F1, 0},
    [0x3C] = {KEY_F1 + 1, 0}, [0x3D] = {KEY_F1 + 2, 0}, [0x3E] = {KEY_F1 + 3, 0},
    [0x3F] = {KEY_F1 + 4, 0}, [0x40] = {KEY_F1 + 5, 0}, [0x41] = {KEY_F1 + 6, 0},
    [0x42] = {KEY_F1 + 7, 0}, [0x43] = {KEY_F1 + 8, 0}, [0x44] = {KEY_F1 + 9, 0},
    [0x4A] = {'-', '-'},      [0x4E] = {'+', '+'},      [0x57] = {KEY_F1 + 10, 0},
    [0x58] = {KEY_F12, 0},
};

/* The keypad, 0x47-0x53: {with Num Lock on, with it off}. 0x4A and 0x4E are above. */
static const uint16_t keypad_keys[][2] = {
    {'7', KEY_HOME},   {'8', KEY_UP},   {'9', KEY_PAGE_UP},   {0, 0},
    {'4', KEY_LEFT},   {'5', 0},        {'6', KEY_RIGHT},     {0, 0},
    {'1', KEY_END},    {'2', KEY_DOWN}, {'3', KEY_PAGE_DOWN}, {'0', KEY_INSERT},
    {'.', KEY_DELETE},
};

/* Make codes after 0xE0 (right Ctrl and Alt are handled with the modifiers). */
static const struct key_entry e0_keys[0x54] = {
    [0x1C] = {'\n', '\n'},       [0x35] = {'/', '/'},       [0x47] = {KEY_HOME, 0},
    [0x48] = {KEY_UP, 0},        [0x49] = {KEY_PAGE_UP, 0}, [0x4B] = {KEY_LEFT, 0},
    [0x4D] = {KEY_RIGHT, 0},     [0x4F] = {KEY_END, 0},     [0x50] = {KEY_DOWN, 0},
    [0x51] = {KEY_PAGE_DOWN, 0}, [0x52] = {KEY_INSERT, 0},  [0x53] = {KEY_DELETE, 0},
};

void scancode_init(struct scancode_decoder *d)
{
    *d = (struct scancode_decoder){.num_lock = true};
}

uint8_t scancode_leds(const struct scancode_decoder *d)
{
    return (uint8_t)((d->caps_lock ? SCANCODE_LED_CAPS : 0) | (d->num_lock ? SCANCODE_LED_NUM : 0));
}

static uint32_t decoder_modifiers(const struct scancode_decoder *d)
{
    uint32_t mods = 0;
    if (d->held & (HELD_LEFT_SHIFT | HELD_RIGHT_SHIFT))
        mods |= MOD_SHIFT;
    if (d->held & (HELD_LEFT_CTRL | HELD_RIGHT_CTRL))
        mods |= MOD_CTRL;
    if (d->held & (HELD_LEFT_ALT | HELD_RIGHT_ALT))
        mods |= MOD_ALT;
    if (d->caps_lock)
        mods |= MOD_CAPS_LOCK;
    return mods;
}

/*
 * The modifier bit a make code stands for (HELD_*), or 0. Shift has no
 * E0 form of its own: E0 2A and E0 36 are the "fake shifts" some keys
 * send around themselves, which are not key presses at all.
 */
static uint8_t modifier_bit(uint8_t code, bool e0)
{
    switch (code) {
    case CODE_LEFT_SHIFT:
        return e0 ? 0 : HELD_LEFT_SHIFT;
    case CODE_RIGHT_SHIFT:
        return e0 ? 0 : HELD_RIGHT_SHIFT;
    case CODE_CTRL:
        return e0 ? HELD_RIGHT_CTRL : HELD_LEFT_CTRL;
    case CODE_ALT:
        return e0 ? HELD_RIGHT_ALT : HELD_LEFT_ALT;
    }
    return 0;
}

static uint32_t modifier_key(uint8_t bit)
{
    if (bit & (HELD_LEFT_SHIFT | HELD_RIGHT_SHIFT))
        return KEY_SHIFT;
    if (bit & (HELD_LEFT_CTRL | HELD_RIGHT_CTRL))
        return KEY_CTRL;
    return KEY_ALT;
}

/* The key entry for a make code, or {0} for a key not reported. */
static struct key_entry lookup(const struct scancode_decoder *d, uint8_t code, bool e0)
{
    if (e0)
        return code < sizeof(e0_keys) / sizeof(e0_keys[0]) ? e0_keys[code] : (struct key_entry){0};
    if (code >= CODE_KEYPAD_FIRST && code <= CODE_KEYPAD_LAST &&
        keypad_keys[code - CODE_KEYPAD_FIRST][0] != 0) {
        uint16_t key = keypad_keys[code - CODE_KEYPAD_FIRST][d->num_lock ? 0 : 1];
        return (struct key_entry){key, key < 0x100 ? (uint8_t)key : 0};
    }
    return code < sizeof(plain_keys) / sizeof(plain_keys[0]) ? plain_keys[code]
                                                             : (struct key_entry){0};
}

/*
 * What a press of `entry` types: Shift's character, or for letters Shift
 * and Caps Lock cancelling each other; Ctrl with a letter gives 1-26.
 */
static uint32_t typed_character(const struct scancode_decoder *d, struct key_entry entry)
{
    if (entry.key >= 0x100)
        return 0;
    uint32_t mods = decoder_modifiers(d);
    bool shift = (mods & MOD_SHIFT) != 0;
    if (entry.key >= 'a' && entry.key <= 'z') {
        if (mods & MOD_CTRL)
            return entry.key - 'a' + 1;
        return shift != d->caps_lock ? entry.shifted : entry.key;
    }
    return shift ? entry.shifted : entry.key;
}

/* Lock keys: each first press toggles the lock; repeats while held do not. */
static bool lock_key(struct scancode_decoder *d, uint8_t code, bool released,
                     struct key_event *event)
{
    uint8_t bit = code == CODE_CAPS_LOCK ? HELD_CAPS_LOCK : HELD_NUM_LOCK;
    bool repeat = (d->held & bit) != 0;
    if (released) {
        d->held &= (uint8_t)~bit;
    } else {
        d->held |= bit;
        if (!repeat && code == CODE_CAPS_LOCK)
            d->caps_lock = !d->caps_lock;
        if (!repeat && code == CODE_NUM_LOCK)
            d->num_lock = !d->num_lock;
    }
    if (code == CODE_NUM_LOCK)
        return false; /* input.h has no key for it: only the keypad notices */
    *event = (struct key_event){KEY_CAPS_LOCK, decoder_modifiers(d), !released, 0};
    return true;
}

bool scancode_feed(struct scancode_decoder *d, uint8_t byte, struct key_event *event)
{
    if (d->skip > 0) {
        d->skip--;
        return false;
    }
    switch (byte) {
    case REPLY_ACK:
    case REPLY_RESEND:
    case REPLY_ECHO:
    case REPLY_ERROR:
    case REPLY_ERROR_ZERO:
        return false; /* not keys; a pending E0 still applies to the next byte */
    case PREFIX_E0:
        d->prefix = PREFIX_E0;
        return false;
    case PREFIX_E1:
        d->prefix = 0;
        d->skip = PAUSE_REST;
        return false;
    }

    bool e0 = d->prefix == PREFIX_E0;
    d->prefix = 0;
    bool released = (byte & RELEASED) != 0;
    uint8_t code = byte & (uint8_t)~RELEASED;

    uint8_t bit = modifier_bit(code, e0);
    if (bit != 0) {
        if (released)
            d->held &= (uint8_t)~bit;
        else
            d->held |= bit;
        *event = (struct key_event){modifier_key(bit), decoder_modifiers(d), !released, 0};
        return true;
    }
    if (!e0 && (code == CODE_CAPS_LOCK || code == CODE_NUM_LOCK))
        return lock_key(d, code, released, event);

    struct key_entry entry = lookup(d, code, e0);
    if (entry.key == 0)
        return false;
    *event = (struct key_event){entry.key, decoder_modifiers(d), !released,
                                released ? 0 : typed_character(d, entry)};
    return true;
}
