"""Browser keys to the QEMU key codes (qcodes) that QMP send-key presses.

The page sends a key as the browser names it (KeyboardEvent.code, which
names the physical key whatever the layout: "KeyA", "Digit1", "Enter")
with its modifiers. Only codes in CODES reach the guest; anything else
is refused, so a page cannot send QEMU an arbitrary qcode.
"""

CODES = {
    "Enter": "ret", "NumpadEnter": "kp_enter", "Backspace": "backspace", "Tab": "tab",
    "Escape": "esc", "Space": "spc", "Minus": "minus", "Equal": "equal",
    "BracketLeft": "bracket_left", "BracketRight": "bracket_right", "Backslash": "backslash",
    "Semicolon": "semicolon", "Quote": "apostrophe", "Backquote": "grave_accent",
    "Comma": "comma", "Period": "dot", "Slash": "slash",
    "ArrowUp": "up", "ArrowDown": "down", "ArrowLeft": "left", "ArrowRight": "right",
    "PageUp": "pgup", "PageDown": "pgdn", "Home": "home", "End": "end",
    "Insert": "insert", "Delete": "delete",
}
CODES.update({f"Key{c}": c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
CODES.update({f"Digit{d}": str(d) for d in range(10)})
CODES.update({f"F{n}": f"f{n}" for n in range(1, 13)})

MODIFIERS = (("ctrl", "ctrl"), ("alt", "alt"), ("shift", "shift"))


def qcodes(message):
    """The qcodes to press together for a key message, or None if refused.

    `message` is the page's {"code": ..., "ctrl": bool, "alt": bool,
    "shift": bool}.
    """
    code = message.get("code")
    if not isinstance(code, str) or code not in CODES:
        return None
    pressed = [qcode for name, qcode in MODIFIERS if message.get(name) is True]
    return pressed + [CODES[code]]
