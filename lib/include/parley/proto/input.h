/*
 * The input protocol: key events from the keyboard driver to the console
 * server. One one-way message (ipc_send) per key press or release.
 *
 *   INPUT_KEY  w0 = key (a character code, or KEY_* below for keys with none)
 *              w1 = modifiers held (MOD_*), including the lock states
 *              w2 = 1 pressed, 0 released
 *              w3 = the character the key types with those modifiers
 *                   (Shift and Caps Lock applied; Ctrl+letter gives 1-26), or 0
 */
#ifndef PARLEY_PROTO_INPUT_H
#define PARLEY_PROTO_INPUT_H

#include <parley/proto/base.h>

#define INPUT_KEY PARLEY_TAG(PROTO_INPUT, 1)

#define PROTO_INPUT_TAGS(X) X(INPUT_KEY, INPUT_KEY)

/* Keys with a character use it: 'a' (unshifted), '1', '\n' Enter, '\b' Backspace, '\t', 0x1B Esc.
 */
enum input_key {
    KEY_UP = 0x100,
    KEY_DOWN,
    KEY_LEFT,
    KEY_RIGHT,
    KEY_HOME,
    KEY_END,
    KEY_PAGE_UP,
    KEY_PAGE_DOWN,
    KEY_INSERT,
    KEY_DELETE,
    KEY_F1 = 0x110, /* KEY_F1 + n - 1 is Fn, up to F12 */
    KEY_F12 = 0x11B,
    KEY_SHIFT = 0x120,
    KEY_CTRL,
    KEY_ALT,
    KEY_CAPS_LOCK,
};

#define MOD_SHIFT (1u << 0)
#define MOD_CTRL (1u << 1)
#define MOD_ALT (1u << 2)
#define MOD_CAPS_LOCK (1u << 3)

#endif
