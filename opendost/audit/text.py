import unicodedata

MAX_LABEL = 150


def escape_for_log(value: str, limit: int = MAX_LABEL) -> str:
    """Make attacker-chosen text (a typed username) safe to show and to log (S-25).

    Control characters — CR, LF, ESC of ANSI sequences, NUL and the rest of Unicode category C —
    become visible \\xNN / \\uNNNN escapes, so one log line stays one line and cannot repaint a terminal.
    """
    out = []
    for char in str(value)[:limit]:
        if char == "\\":
            out.append("\\\\")
        elif unicodedata.category(char).startswith("C"):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)
