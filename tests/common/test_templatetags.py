import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template

from opendost.common.templatetags.opendost import dmy, vnd


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1234567, "1.234.567"),
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (-2500000, "-2.500.000"),
        (Decimal("1234567.5"), "1.234.568"),
        (1234567.4, "1.234.567"),
        ("7500000000", "7.500.000.000"),
        (None, ""),
        ("", ""),
        ("abc", ""),
    ],
)
def test_vnd_groups_thousands_with_dots(value, shown):
    assert vnd(value) == shown


def test_dmy_formats_dates_and_local_datetimes():
    assert dmy(dt.date(2026, 9, 2)) == "02/09/2026"
    assert dmy(dt.datetime(2026, 9, 1, 20, 0, tzinfo=dt.UTC)) == "02/09/2026"
    assert dmy(None) == "" and dmy("x") == ""


def test_filters_load_in_templates():
    template = Template("{% load opendost %}{{ amount|vnd }} đ · {{ day|dmy }}")
    assert template.render(Context({"amount": 1500000, "day": dt.date(2025, 7, 1)})) == "1.500.000 đ · 01/07/2025"
