"""Checks on an address's administrative units, shared by every form that takes an address."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from opendost.geography.enums import AdminLevel, CodeSet
from opendost.geography.models import AdminUnit


def validate_address_units(
    province: AdminUnit | None, district: AdminUnit | None = None, commune: AdminUnit | None = None
) -> None:
    """Raise a ValidationError keyed by field ("province", "district", "commune") when the units do not fit.

    An address is given either in the pre-2025 units (province, district, commune) or in the current
    ones (province, commune; there are no districts since 1 July 2025), never a mix.
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name, unit, level in (
        ("province", province, AdminLevel.PROVINCE),
        ("district", district, AdminLevel.DISTRICT),
        ("commune", commune, AdminLevel.COMMUNE),
    ):
        if unit is not None and unit.level != level:
            add(name, _("“%(unit)s” is not a unit of this level.") % {"unit": unit.name})
    if errors:
        raise ValidationError(errors)

    given = [u for u in (province, district, commune) if u is not None]
    if len({u.code_set for u in given}) > 1:
        raise ValidationError(
            _("The units mix the pre-2025 and the current administrative map. Choose all of them from the same map.")
        )
    if district is not None and district.code_set != CodeSet.PRE_2025:
        add("district", _("A district can only be given for an address under the pre-2025 units."))
    if province is None:
        if commune is not None:
            add("province", _("Choose the province of the commune."))
        if district is not None:
            add("province", _("Choose the province of the district."))
    else:
        if district is not None and district.province_id != province.pk:
            add(
                "district",
                _("“%(unit)s” is not in %(province)s.") % {"unit": district.name, "province": province.name},
            )
        if commune is not None and commune.province_id != province.pk:
            add("commune", _("“%(unit)s” is not in %(province)s.") % {"unit": commune.name, "province": province.name})
    if district is not None and commune is not None and commune.parent_id != district.pk and "commune" not in errors:
        add("commune", _("“%(unit)s” is not in %(district)s.") % {"unit": commune.name, "district": district.name})
    if errors:
        raise ValidationError(errors)
