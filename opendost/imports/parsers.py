"""Cell parsers for import columns.

A parser takes one non-empty, normalised cell (str, int, float, date, datetime or bool, see
`reader.normalize_cell`) and returns the Python value, or raises `CellError` with a message for the
user. `parser.empty` is the value an empty cell gets (an empty string for text, None otherwise).
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from opendost.common.text import fold, normalize

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")
_INT_TEXT = re.compile(r"[+-]?\d{1,3}(?:[. ]\d{3})+|[+-]?\d+")


class CellError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


Parser = Callable[[Any], Any]


def _with_empty(parser: Parser, empty: Any, **attrs) -> Parser:
    parser.empty = empty
    for name, value in attrs.items():
        setattr(parser, name, value)
    return parser


def _as_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def text(*, multiline: bool = False) -> Parser:
    """Text, NFC-normalised; one line (spaces collapsed) unless `multiline`."""

    def parse(value: Any) -> str:
        if multiline:
            return unicodedata.normalize("NFC", _as_text(value)).strip()
        return normalize(_as_text(value))

    return _with_empty(parse, "")


def integer(*, min_value: int | None = None, max_value: int | None = None) -> Parser:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise CellError(_("Enter a whole number."))
        if isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
            number = int(re.sub(r"[. ]", "", value.strip()))
        else:
            raise CellError(_("Enter a whole number."))
        if min_value is not None and number < min_value:
            raise CellError(_("Enter a number of at least %(min)s.") % {"min": min_value})
        if max_value is not None and number > max_value:
            raise CellError(_("Enter a number of at most %(max)s.") % {"max": max_value})
        return number

    return _with_empty(parse, None)


def decimal(*, max_digits: int | None = None, decimal_places: int | None = None) -> Parser:
    """Numbers; text is read the Vietnamese way: 1.234.567,5 (a dot groups thousands, a comma is the
    decimal mark). A single dot not followed by exactly three digits ("2.5") is read as a decimal mark."""

    def parse(value: Any) -> Decimal:
        if isinstance(value, bool):
            raise CellError(_("Enter a number."))
        if isinstance(value, int | float):
            number = Decimal(str(value))
        elif isinstance(value, str):
            number = _decimal_text(value.strip().replace(" ", ""))
        else:
            raise CellError(_("Enter a number."))
        if decimal_places is not None:
            number = round(number, decimal_places)
            if number.as_tuple().exponent < -decimal_places:  # pragma: no cover - round() handles it
                raise CellError(_("Enter at most %(places)s decimal places.") % {"places": decimal_places})
        if max_digits is not None and len(number.as_tuple().digits) > max_digits:
            raise CellError(_("The number is too large."))
        return number

    return _with_empty(parse, None)


def _decimal_text(value: str) -> Decimal:
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif value.count(".") > 1 or re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", value):
        value = value.replace(".", "")
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise CellError(_("Enter a number.")) from exc
    if not number.is_finite():
        raise CellError(_("Enter a number."))
    return number


def date() -> Parser:
    """A date cell, dd/mm/yyyy text (also d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd), or an Excel
    serial number (a date whose cell format was lost)."""

    def parse(value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        if isinstance(value, str):
            match = _DATE_DMY.fullmatch(value.strip())
            parts = (match.group(3), match.group(2), match.group(1)) if match else None
            if parts is None and (match := _DATE_ISO.fullmatch(value.strip())):
                parts = match.groups()
            if parts:
                try:
                    return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
                except ValueError:
                    pass
        raise CellError(_("Enter a date as dd/mm/yyyy."))

    return _with_empty(parse, None)


def boolean() -> Parser:
    yes = {"co", "x", "yes", "y", "true", "1", "dung"}
    no = {"khong", "no", "n", "false", "0", "sai"}

    def parse(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        key = fold(_as_text(value))
        if key in yes:
            return True
        if key in no:
            return False
        raise CellError(_("Enter Có (yes) or Không (no)."))

    return _with_empty(parse, False)


def choice(choices: Iterable[tuple[str, Any]], *, aliases: dict[str, str] | None = None) -> Parser:
    """One of `choices` ((value, label) pairs, e.g. a TextChoices' `.choices`), matched accent- and
    case-insensitively by Vietnamese label (`aliases`, label -> value), by the label in every
    language of the site, or by the stored code."""
    choices = [(value, label) for value, label in choices if value != ""]
    aliases = aliases or {}

    def table() -> dict[str, str]:
        found = {fold(value): value for value, _label in choices}
        for language in ("en", "vi"):
            with translation.override(language):
                found.update({fold(str(label)): value for value, label in choices})
        found.update({fold(label): value for label, value in aliases.items()})
        return found

    def labels() -> list[str]:
        """The values a template offers in its drop-down list: the Vietnamese labels."""
        by_value: dict[str, str] = {}
        for label, value in aliases.items():
            by_value.setdefault(value, label)
        return [by_value.get(value, str(label)) for value, label in choices]

    def parse(value: Any) -> str:
        if not hasattr(parse, "_table"):
            parse._table = table()
        found = parse._table.get(fold(_as_text(value)))
        if found is None:
            raise CellError(_("Choose one of: %(choices)s.") % {"choices": "; ".join(labels())})
        return found

    return _with_empty(parse, "", labels=labels)


def lookup(resolve: Callable[[str], Any], *, empty: Any = None) -> Parser:
    """A foreign key found by `resolve(text)`, which returns the object or None (not found)."""

    def parse(value: Any) -> Any:
        found = resolve(normalize(_as_text(value)))
        if found is None:
            raise CellError(_("“%(value)s” was not found.") % {"value": _as_text(value)})
        return found

    return _with_empty(parse, empty)
