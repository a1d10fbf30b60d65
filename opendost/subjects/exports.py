"""Export columns of the register (headers are translated; citizen IDs leave masked, R-22)."""

from django.utils.translation import gettext_lazy as _

from opendost.common.excel import Column


def _unit_name(unit) -> str:
    return unit.name if unit is not None else ""


def _field_names(row) -> str:
    return "; ".join(f"{node.code} {node.name}" for node in row.fields.all())


ORGANIZATION_COLUMNS = [
    Column(_("Name"), lambda o: o.name, 40),
    Column(_("Short name"), lambda o: o.short_name, 16),
    Column(_("English name"), lambda o: o.english_name, 30),
    Column(_("Kind"), lambda o: o.get_kind_display(), 20),
    Column(_("Tax / enterprise code"), lambda o: o.tax_code, 16),
    Column(_("Street address"), lambda o: o.address_line, 30),
    Column(_("Commune / ward"), lambda o: _unit_name(o.commune), 20),
    Column(_("District"), lambda o: _unit_name(o.district), 20),
    Column(_("Province / city"), lambda o: _unit_name(o.province), 20),
    Column(_("Phone"), lambda o: o.phone, 16),
    Column(_("Email"), lambda o: o.email, 24),
    Column(_("Website"), lambda o: o.website, 24),
    Column(_("Established on"), lambda o: o.established_on, 14),
    Column(_("S&T fields"), _field_names, 30),
    Column(_("Note"), lambda o: o.note, 30),
]

PERSON_COLUMNS = [
    Column(_("Full name"), lambda p: p.full_name, 30),
    Column(_("Gender"), lambda p: p.get_gender_display(), 10),
    Column(_("Year of birth"), lambda p: p.birth_year, 10),
    Column(_("Citizen ID number"), lambda p: p.citizen_id_masked, 16),
    Column(_("Academic title"), lambda p: p.get_academic_title_display() if p.academic_title else "", 16),
    Column(_("Degree"), lambda p: p.get_degree_display() if p.degree else "", 16),
    Column(_("Position"), lambda p: p.position, 20),
    Column(_("Organisation"), lambda p: p.organization.name if p.organization else "", 40),
    Column(_("In the expert register"), lambda p: p.is_expert, 12),
    Column(_("S&T fields"), _field_names, 30),
    Column(_("Email"), lambda p: p.email, 24),
    Column(_("Phone"), lambda p: p.phone, 16),
]
