/*
 * The console protocol: terminals on the VGA virtual consoles.
 *
 * The console server receives on one endpoint. init gives each client a
 * handle minted with a badge naming its virtual console (1-4, see
 * CONSOLE_BADGE_VT) and the keyboard driver one with CONSOLE_BADGE_KEYBOARD;
 * the server trusts the badge, never a number in the message. Every
 * request is a call; every reply's tag is its status (0 or a negative
 * error code from parley/errors.h).
 *
 *   CONSOLE_WRITE      w0 = length; the bytes are in w1..w3 when length
 *                      <= CONSOLE_INLINE, otherwise in a memory region
 *                      moved with the call (ipc_extra.send_mem).
 *                      Text may hold the ANSI subset in docs/protocols.md.
 *                      reply: w0 = bytes written
 *   CONSOLE_READ_LINE  w0 = CONSOLE_NO_ECHO or 0, w1 = longest line wanted
 *                      (<= CONSOLE_LINE_MAX). Edited on the console (echo,
 *                      Backspace, Left/Right, Home/End, Ctrl-U); the reply
 *                      comes when Enter is pressed:
 *                      reply: w0 = length (no newline); the line in w1..w3
 *                      when length <= CONSOLE_INLINE, else in a region moved
 *                      with the reply (the caller must pass an ipc_extra);
 *                      status -E_INTR for Ctrl-C; w0 = 0 and
 *                      w3 = CONSOLE_EOF for Ctrl-D on an empty line.
 *                      One read (line or key) waits per console: another
 *                      gets -E_BUSY, unless the waiting one's caller has
 *                      stopped waiting (exited, killed); that read is
 *                      then dropped and the new one served.
 *   CONSOLE_READ_KEY   reply: one key event, as INPUT_KEY's w0..w3 (presses only)
 *   CONSOLE_INFO       reply: w0 = columns, w1 = rows, w2 = this console's number
 *   CONSOLE_SET_INTERRUPT  one handle moved with the call: a send right on an
 *                      endpoint. From then on Ctrl-C on this console, while
 *                      nobody is reading it, is not queued as a key but sent
 *                      there as a one-way CONSOLE_INTERRUPT message (never
 *                      blocking: if nobody waits for it, the key is queued
 *                      as usual). The shell uses it to stop the program in
 *                      the foreground, arming it only while one runs. A new
 *                      handle replaces the old one; a call with no handle
 *                      removes it.
 *   INPUT_KEY          (from the keyboard driver only, see input.h)
 */
#ifndef PARLEY_PROTO_CONSOLE_H
#define PARLEY_PROTO_CONSOLE_H

#include <parley/proto/base.h>

#define CONSOLE_WRITE PARLEY_TAG(PROTO_CONSOLE, 1)
#define CONSOLE_READ_LINE PARLEY_TAG(PROTO_CONSOLE, 2)
#define CONSOLE_READ_KEY PARLEY_TAG(PROTO_CONSOLE, 3)
#define CONSOLE_INFO PARLEY_TAG(PROTO_CONSOLE, 4)
#define CONSOLE_SET_INTERRUPT PARLEY_TAG(PROTO_CONSOLE, 5)
#define CONSOLE_INTERRUPT PARLEY_TAG(PROTO_CONSOLE, 6)

#define PROTO_CONSOLE_TAGS(X)                                                                      \
    X(CONSOLE_WRITE, CONSOLE_WRITE)                                                                \
    X(CONSOLE_READ_LINE, CONSOLE_READ_LINE)                                                        \
    X(CONSOLE_READ_KEY, CONSOLE_READ_KEY)                                                          \
    X(CONSOLE_INFO, CONSOLE_INFO)                                                                  \
    X(CONSOLE_SET_INTERRUPT, CONSOLE_SET_INTERRUPT)                                                \
    X(CONSOLE_INTERRUPT, CONSOLE_INTERRUPT)

#define CONSOLE_VTS 4
#define CONSOLE_BADGE_VT(n) (n) /* virtual console n, 1-based */
#define CONSOLE_BADGE_KEYBOARD 0x100
#define CONSOLE_INLINE 24 /* bytes that fit in w1..w3 */
#define CONSOLE_LINE_MAX 4096
#define CONSOLE_NO_ECHO 1u
#define CONSOLE_EOF 1u

#endif
