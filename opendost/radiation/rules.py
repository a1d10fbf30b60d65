"""Legal values of the radiation register, in one place (domain-procedures §9.3).

The lead's dossier catalogue will make these rules of the procedure version; until then the
services and the expiry control read them from here.
"""

import datetime as dt

# NĐ 142/2020/NĐ-CP Art. 37: a licence for "other radiation work" (which includes using medical
# diagnostic X-ray) is valid for 3 years.
LICENCE_TERM_YEARS = 3

# Reminders before expiry (scheduler of §9.3): 90, 60 and 45 days before the expiry date.
REMINDER_DAYS = (90, 60, 45)

# The expiry-control worklist looks this far ahead.
EXPIRY_WINDOW_DAYS = 90


RENEWAL_HANDLER = "radiation.licence_renewal"
DEFAULT_RENEWAL_LEAD_DAYS = 45


def renewal_lead_days(*, on: dt.date) -> int:
    """Days before expiry by which a renewal must be filed, under the rules in force `on`: the
    `renewal_lead_days` rule of the renewal procedure's version in force that day (ADR 0016).

    NĐ 142/2020 Art. 30.1 (in force from 01/02/2021): at least 45 days before expiry; a later
    application is for a new licence. (The old law said 60 days; the value under Luật 94/2025 and
    NĐ 332/2025 from 01/01/2026 was not verified, so the 2026 version carries 45: §9.3.) Without a
    catalogue entry, the NĐ 142/2020 value.
    """
    from django.db.models import Q

    from opendost.dossiers.enums import VersionStatus
    from opendost.dossiers.models import ProcedureVersion

    version = (
        ProcedureVersion.objects.filter(
            procedure__handler_key=RENEWAL_HANDLER, status=VersionStatus.PUBLISHED, effective_from__lte=on
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
        .values_list("rules", flat=True)
        .first()
    )
    return int((version or {}).get("renewal_lead_days", DEFAULT_RENEWAL_LEAD_DAYS))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def default_valid_until(issued_on: dt.date, term_years: int = LICENCE_TERM_YEARS) -> dt.date:
    """Valid for `term_years` from the issue date, the issue day counting as the first day:
    issued on 15/03/2024 -> valid until 14/03/2027 (the usual wording "có giá trị 03 năm kể từ ngày ký")."""
    return add_years(issued_on, term_years) - dt.timedelta(days=1)


def renewal_filing_deadline(valid_until: dt.date, *, today: dt.date) -> dt.date:
    """The last day a renewal may be filed for a licence expiring on `valid_until`, under the rules
    in force `today`."""
    return valid_until - dt.timedelta(days=renewal_lead_days(on=today))
