"""The "X-ray facilities and licences" section of an organisation's page (opendost.subjects)."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opendost.subjects.selectors import OverviewEntry, register_overview_section


def facility_entries(organization, user) -> list[OverviewEntry]:
    """One entry per facility the user may see: its current licence and its devices in use."""
    from opendost.radiation import selectors

    if user is None or not user.has_perm("radiation.view_facility"):
        return []
    entries = []
    for facility in selectors.facilities_of_organization(user=user, organization=organization):
        licence = facility.current_licence
        if licence is None:
            detail = _("no licence in force")
        else:
            detail = _("licence %(number)s, %(state)s, valid until %(date)s") % {
                "number": licence.number,
                "state": licence.get_state_display().lower(),
                "date": formats.date_format(licence.valid_until, "d/m/Y"),
            }
        devices = _("%(count)s devices in use") % {"count": facility.devices_in_use}
        entries.append(
            OverviewEntry(label=facility.name, url=facility.get_absolute_url(), detail=f"{detail}; {devices}")
        )
    return entries


def register_sections() -> None:
    register_overview_section(
        "radiation", title=gettext_lazy("X-ray facilities and radiation licences"), entries=facility_entries, order=40
    )
