"""Shared template filters: `{% load opendost %}`.

- `{{ amount|vnd }}`: money in đồng with "." thousands and no decimals: 1234567 -> "1.234.567".
- `{{ value|dmy }}`: a date (or datetime, in local time) as dd/mm/yyyy, whatever the UI language.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def vnd(value) -> str:
    """Đồng amounts are whole numbers; half a đồng rounds up (away from zero)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(int(amount)):,}".replace(",", ".")


@register.filter
def dmy(value) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return ""
