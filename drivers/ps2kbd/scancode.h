/*
 * The scancode-set-1 decoder: the keyboard driver's pure half.
 *
 * The i8042 controller, with translation on (the PC default, and what
 * QEMU does), delivers scancode set 1: one byte per key press, the same
 * byte with bit 7 set on release, 0xE0 before the keys added with the
 * 101-key keyboard (right Ctrl and Alt, the arrow and editing blocks)
 * and a six-byte 0xE1 sequence for Pause. scancode_feed() takes those
 * bytes one at a time and turns each complete key into a key event in
 * the terms of parley/proto/input.h (US layout), keeping the state that
 * spans keys: modifiers held, Caps Lock and Num Lock, a pending prefix.
 *
 * It touches no hardware, so the host unit tests run it directly
 * (tests/unit/ps2kbd_decode_test.c).
 */
#ifndef PS2KBD_SCANCODE_H
#define PS2KBD_SCANCODE_H

#include <stdbool.h>
#include <stdint.h>

/* One key event, as INPUT_KEY carries it (w0..w3). */
struct key_event {
    uint32_t key;       /* a character code or KEY_* */
    uint32_t modifiers; /* MOD_* after this event */
    uint32_t pressed;   /* 1 pressed, 0 released */
    uint32_t character; /* what the press types, or 0 (always 0 on release) */
};

/* Keyboard LED bits, as command 0xED takes them. */
#define SCANCODE_LED_SCROLL (1u << 0)
#define SCANCODE_LED_NUM (1u << 1)
#define SCANCODE_LED_CAPS (1u << 2)

struct scancode_decoder {
    uint8_t prefix; /* 0, 0xE0, or 0xE1 while skipping Pause */
    uint8_t skip;   /* bytes of the Pause sequence still to drop */
    uint8_t held;   /* HELD_* bits: which modifier keys are down */
    bool caps_lock; /* toggled by each press of Caps Lock */
    bool num_lock;  /* toggled by each press of Num Lock; starts on */
};

/* Starts a decoder: nothing held, Caps Lock off, Num Lock on. */
void scancode_init(struct scancode_decoder *d);

/*
 * Feeds one byte from the keyboard. Returns true and fills *event when
 * the byte completes a key the driver reports; returns false for
 * prefixes, controller replies (0xFA acknowledge, 0xFE resend, 0x00 and
 * 0xFF errors), the Pause sequence, and keys with no KEY_* code.
 */
bool scancode_feed(struct scancode_decoder *d, uint8_t byte, struct key_event *event);

/* The LED byte (SCANCODE_LED_*) for the current lock states. */
uint8_t scancode_leds(const struct scancode_decoder *d);

#endif
