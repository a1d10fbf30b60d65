"""Export columns of the staff list of listings (the same rows as the list page)."""

from django.utils.translation import gettext_lazy as _

from opendost.common.excel import Column


def _name(obj) -> str:
    return str(obj) if obj is not None else ""


LISTING_COLUMNS = [
    Column(_("Code"), lambda r: r.code, 22),
    Column(_("Kind"), lambda r: r.get_kind_display(), 16),
    Column(_("Title"), lambda r: r.title, 50),
    Column(_("Status"), lambda r: r.get_status_display(), 18),
    Column(_("Owner"), lambda r: r.owner_organization.name if r.owner_organization_id else _name(r.owner_person), 40),
    Column(_("S&T field"), lambda r: r.field.name if r.field_id else "", 30),
    Column(_("Sector"), lambda r: r.sector, 20),
    Column(_("Keywords"), lambda r: r.keywords, 30),
    Column(_("Readiness level"), lambda r: r.readiness_level, 10),
    Column(_("Transfer modes"), lambda r: ", ".join(r.transfer_mode_labels), 30),
    Column(_("Indicative price (VND)"), lambda r: r.price_vnd, 18),
    Column(_("Budget from (VND)"), lambda r: r.budget_min_vnd, 18),
    Column(_("Budget up to (VND)"), lambda r: r.budget_max_vnd, 18),
    Column(_("Province"), lambda r: r.province.name if r.province_id else "", 20),
    Column(_("Source"), lambda r: r.get_source_display(), 22),
    Column(_("Published on"), lambda r: r.published_on, 14),
    Column(_("Valid until"), lambda r: r.valid_until, 14),
]
