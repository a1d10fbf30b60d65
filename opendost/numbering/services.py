"""The only writer of number series.

`number_next` must run inside the caller's transaction (it is atomic itself, so it joins an outer
`transaction.atomic`): when the caller fails after taking a number, the increment rolls back with it
and the register stays gap-free.

Concurrency, without `select_for_update` (which SQLite ignores):
1. The series row is fetched or created. Two first issuers of a year race on the unique constraint
   (department, doc_type, year); `get_or_create` inserts in a savepoint and, on IntegrityError,
   reads the row the winner committed.
2. `UPDATE ... SET last_number = last_number + 1` is one statement. On PostgreSQL it takes the row
   lock until commit, so a second issuer waits and then increments the committed value. On SQLite
   the transaction began with BEGIN IMMEDIATE (settings: transaction_mode), so writers queue on
   busy_timeout before they read anything.
3. The new value is read back in the same transaction: nobody else can change the row before we
   commit, so it is ours.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opendost.departments.models import Department
from opendost.numbering.models import NumberSeries

# A công văn (official letter) has no type abbreviation: its symbol is agency-unit ("SKHCN-QLKH").
OFFICIAL_LETTER = "CV"


def format_symbol(*, number: int, doc_type: str, suffix: str) -> str:
    """ "05/QĐ-SKHCN"; numbers below 10 get a leading zero (NĐ 30/2020 Appendix I, cell 3)."""
    if doc_type == OFFICIAL_LETTER:
        return f"{number:02d}/{suffix}"
    return f"{number:02d}/{doc_type}-{suffix}"


def series_is_open(department: Department, on: dt.date) -> bool:
    """A body numbers documents only while it exists (§19.2: old bodies' series close on 30/06/2025)."""
    if department.valid_to is not None and on > department.valid_to:
        return False
    return department.valid_from is None or on >= department.valid_from


@transaction.atomic
def number_next(
    *, department: Department, doc_type: str, year: int, suffix: str, on: dt.date | None = None
) -> tuple[int, str]:
    """Give the next number of the (department, doc_type, year) series and its symbol.

    `on` is the issue date (today by default); it must fall within the body's lifetime and in `year`.
    """
    on = on or timezone.localdate()
    doc_type = doc_type.strip()
    suffix = suffix.strip()
    if not doc_type or not suffix:
        raise ValidationError(_("A document type and a symbol suffix are required to number a document."))
    if on.year != year:
        raise ValidationError(
            _("The number series of %(year)s cannot number a document dated %(date)s.")
            % {
                "year": year,
                "date": on.strftime("%d/%m/%Y"),
            }
        )
    if not series_is_open(department, on):
        raise ValidationError(
            _("%(department)s did not exist on %(date)s: its number series are closed.")
            % {"department": department.name, "date": on.strftime("%d/%m/%Y")},
            code="series_closed",
        )
    series, _created = NumberSeries.objects.get_or_create(
        department=department, doc_type=doc_type, year=year, defaults={"symbol_suffix": suffix}
    )
    NumberSeries.objects.filter(pk=series.pk).update(last_number=F("last_number") + 1, updated_at=timezone.now())
    number = NumberSeries.objects.filter(pk=series.pk).values_list("last_number", flat=True).get()
    return number, format_symbol(number=number, doc_type=doc_type, suffix=suffix)
