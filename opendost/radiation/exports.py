"""Export columns of the facility list (the same rows as the list page)."""

from django.utils.translation import gettext_lazy as _

from opendost.common.excel import Column


def _unit(unit) -> str:
    return unit.name if unit is not None else ""


FACILITY_COLUMNS = [
    Column(_("Facility"), lambda f: f.name, 40),
    Column(_("Kind"), lambda f: f.get_kind_display(), 20),
    Column(_("Organisation"), lambda f: f.organization.name, 40),
    Column(_("Tax / enterprise code"), lambda f: f.organization.tax_code, 16),
    Column(_("Street address"), lambda f: f.address_line, 30),
    Column(_("Commune / ward"), lambda f: _unit(f.commune), 20),
    Column(_("District"), lambda f: _unit(f.district), 20),
    Column(_("Province / city"), lambda f: _unit(f.province), 20),
    Column(_("Phone"), lambda f: f.phone, 16),
    Column(_("Radiation safety officer"), lambda f: f.rso_name, 24),
    Column(_("Devices in use"), lambda f: f.devices_in_use, 10),
    Column(_("Licence in force"), lambda f: f.licence_number or "", 18),
    Column(_("Valid until"), lambda f: f.licence_valid_until, 14),
]
