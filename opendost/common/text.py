"""Vietnamese text helpers: normalisation and accent folding.

`fold()` is the one definition of "the same text ignoring diacritics" in OpenDOST. It equates
NFC/NFD input, old/new tone-mark placement ("hoà"/"hòa", "thuỷ"/"thủy"), đ/Đ and d/D, and case.
Unidecode is used instead of a stdlib NFD recipe because NFD leaves đ untouched (see
docs/adr/0005-vietnamese-text.md).
"""

import re
import unicodedata

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def normalize(text: str | None) -> str:
    """NFC-normalise and collapse whitespace: what is stored for any typed name."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str | None) -> str:
    """Lower-case ASCII form of Vietnamese text, for matching and natural keys."""
    if not text:
        return ""
    return _SPACES.sub(" ", unidecode(unicodedata.normalize("NFC", text)).casefold()).strip()
