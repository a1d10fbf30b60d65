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


# TONE-MARK PLACEMENT -------------------------------------------------------------------------------
# Vietnamese writes the tone of an open syllable ending in "oa", "oe" or "uy" in two ways: the old
# style puts it on the first vowel ("hòa", "khỏe", "thủy"), the new style on the main (second) vowel
# ("hoà", "khoẻ", "thuỷ"). We normalise to the new style, the one of the 2018 textbook spelling rules
# (Quyết định 1989/QĐ-BGDĐT: the tone mark sits on the main vowel). Every other syllable is written
# the same in both styles ("hoàng", "quý", "thuở", "ngoài"), so it is left alone.
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # grave, acute, tilde, hook above, dot below
_WORD = re.compile(r"\w+")
_OPEN_GLIDE_SYLLABLE = re.compile(r"[bcdfghklmnpqrstvxđ]*(?:oa|oe|uy)")


def _new_style_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    letters: list[list[str]] = []  # each: [base letter, its combining marks...]
    for char in decomposed:
        if unicodedata.combining(char) and letters:
            letters[-1].append(char)
        else:
            letters.append([char])
    if len(letters) < 2 or any(unicodedata.combining(c) and c not in _TONE_MARKS for c in decomposed):
        return word  # "ươ", "uê", "ô"...: a vowel with its own diacritic takes the tone in both styles
    if not _OPEN_GLIDE_SYLLABLE.fullmatch("".join(letter[0] for letter in letters).lower()):
        return word
    glide, main = letters[-2], letters[-1]
    tones = [c for c in glide[1:] if c in _TONE_MARKS]
    if not tones or len(main) > 1:
        return word
    glide[1:] = [c for c in glide[1:] if c not in _TONE_MARKS]
    main.extend(tones)
    return unicodedata.normalize("NFC", "".join("".join(letter) for letter in letters))


def tone_normalize(text: str | None) -> str:
    """NFC text with the new-style tone placement in open "oa/oe/uy" syllables: "hòa" -> "hoà".

    Only the placement changes; letters, case and every other character are kept. Together with
    NFC this makes two spellings of one word compare equal with their diacritics intact, which is
    what "exact-diacritic" search ranking compares (DESIGN rule 8, R-19).
    """
    if not text:
        return ""
    return _WORD.sub(lambda m: _new_style_word(m.group(0)), unicodedata.normalize("NFC", text))
