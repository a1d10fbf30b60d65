"""The three forms of text the index stores and the parsed form of a query.

Everything that reaches a full-text engine is a space-separated list of `[a-z0-9]+` words made
here, so no user input is ever parsed as FTS syntax: quotes, `*`, `:`, `&`, `|`, `!`, parentheses,
NEAR/AND/OR/NOT and NUL are either dropped as separators or become plain lower-case words that
are quoted (FTS5) or joined with `&` (PostgreSQL) by the backends (S-21).
"""

import re
from dataclasses import dataclass

from opendost.common.text import fold, normalize, tone_normalize

MAX_QUERY_CHARS = 200  # longer input is cut before any work is done on it
MAX_QUERY_TOKENS = 10
MAX_TOKEN_CHARS = 60  # both indexed and query words are cut to this length, so they still meet
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"\w+")


def words(text: str | None) -> list[str]:
    """Folded ASCII words: "Đường 3/2, Bắc Giang" -> ["duong", "3", "2", "bac", "giang"]."""
    return [w[:MAX_TOKEN_CHARS] for w in _ASCII_WORD.findall(fold(text))]


def folded_text(text: str | None) -> str:
    return " ".join(words(text))


def exact_text(text: str | None) -> str:
    """Diacritics kept, case, NFC/NFD, tone placement and punctuation ignored: "Hòa-Bình" -> "hoà bình"."""
    return " ".join(_WORD.findall(tone_normalize(normalize(text)).lower()))


@dataclass(frozen=True)
class ParsedQuery:
    tokens: tuple[str, ...]  # all required; the last one matches as a prefix
    exact: str

    def __bool__(self) -> bool:
        return bool(self.tokens)

    def fts5(self) -> str:
        """SQLite FTS5 MATCH expression: every word quoted, the last one a prefix."""
        quoted = [f'"{t}"' for t in self.tokens]
        quoted[-1] += "*"
        return " ".join(quoted)

    def tsquery(self) -> str:
        """PostgreSQL to_tsquery('simple', ...) expression."""
        return " & ".join([*self.tokens[:-1], f"{self.tokens[-1]}:*"])


def parse_query(query: str | None) -> ParsedQuery:
    query = (query or "")[:MAX_QUERY_CHARS]
    return ParsedQuery(tokens=tuple(words(query)[:MAX_QUERY_TOKENS]), exact=exact_text(query))
