import datetime

from django.db import migrations

NOTICE_2026 = "Thông báo số 9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ"

# The swap of the 2026 National Day holiday for civil servants. The holidays library (0.109) knows
# both days too (Monday 31/08 as "Ngày nghỉ (thay cho ngày 22/08/2026)", Saturday 22/08 in its
# weekend_workdays); these rows record the official notice and keep the swap if a library release
# drops it. An override and a library entry on the same date are one date, so nothing counts twice.
# Make-up Saturdays of other years are derived from the library at run time, not typed here
# (docs/adr/0009-legal-calendar.md).
SEED = [
    (
        datetime.date(2026, 8, 22),
        "working_day",
        "Làm việc bù cho ngày nghỉ Thứ Hai 31/08/2026",
    ),
    (
        datetime.date(2026, 8, 31),
        "day_off",
        "Nghỉ hoán đổi dịp Quốc khánh (làm bù Thứ Bảy 22/08/2026)",
    ),
]


def seed(apps, schema_editor):
    CalendarOverride = apps.get_model("calendars", "CalendarOverride")
    for day, kind, name in SEED:
        CalendarOverride.objects.get_or_create(
            date=day, defaults={"kind": kind, "name": name, "legal_basis": NOTICE_2026}
        )


def unseed(apps, schema_editor):
    CalendarOverride = apps.get_model("calendars", "CalendarOverride")
    CalendarOverride.objects.filter(date__in=[day for day, _kind, _name in SEED], legal_basis=NOTICE_2026).delete()


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
