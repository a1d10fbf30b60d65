"""Reads of the subject register, always scoped to what the user may see.

`subject_overview()` builds the "everything the Department holds about this subject" page: the
register's own sections (people, representatives and contacts) and whatever other apps register
with `register_overview_section()` from their AppConfig.ready(), e.g.

    register_overview_section(
        "projects", title=_("S&T tasks"), order=20,
        entries=lambda organization, user: [
            OverviewEntry(label=p.title, url=p.get_absolute_url(), detail=p.get_status_display())
            for p in project_selectors.project_list_for(user, {"organization": organization})[:20]
        ],
    )
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from opendost.subjects.filters import OrganizationFilter, PersonFilter
from opendost.subjects.models import Organization, OrganizationContact, Person


# ORGANISATIONS ------------------------------------------------------------------------------------
def organization_filterset_for(user, filters: Mapping | None) -> OrganizationFilter:
    """The list's filter form and its rows; the view renders the form, the export reuses the rows."""
    queryset = (
        Organization.objects.visible_to(user)
        .select_related("province", "district", "commune")
        .order_by("name_folded", "pk")
    )
    return OrganizationFilter(filters or None, queryset=queryset)


def organization_list_for(user, filters: Mapping | None = None) -> QuerySet[Organization]:
    """Organisations the user may see, filtered and sorted as on the list page."""
    return organization_filterset_for(user, filters).qs


def organization_get_for(user, public_id: UUID | str) -> Organization:
    """One organisation the user may see, or Http404 (an outsider learns nothing)."""
    try:
        return (
            Organization.objects.visible_to(user)
            .select_related("department", "province", "district", "commune")
            .prefetch_related("fields")
            .get(public_id=public_id)
        )
    except (Organization.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def contact_get_for(user, organization: Organization, public_id: UUID | str) -> OrganizationContact:
    """A contact of an organisation already fetched through organization_get_for(user, ...)."""
    try:
        return organization.contacts.get(public_id=public_id)
    except (OrganizationContact.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


# PEOPLE -------------------------------------------------------------------------------------------
def person_filterset_for(user, filters: Mapping | None) -> PersonFilter:
    queryset = Person.objects.visible_to(user).select_related("organization").order_by("name_folded", "pk")
    return PersonFilter(filters or None, queryset=queryset)


def person_list_for(user, filters: Mapping | None = None) -> QuerySet[Person]:
    """People the user may see, filtered and sorted as on the list page."""
    return person_filterset_for(user, filters).qs


def person_get_for(user, public_id: UUID | str) -> Person:
    try:
        return (
            Person.objects.visible_to(user)
            .select_related("department", "organization")
            .prefetch_related("fields")
            .get(public_id=public_id)
        )
    except (Person.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def organization_choices_for(user) -> QuerySet[Organization]:
    """Organisations a person may be linked to (forms)."""
    return Organization.objects.visible_to(user).order_by("name_folded", "pk")


def person_choices_for(user) -> QuerySet[Person]:
    return Person.objects.visible_to(user).order_by("name_folded", "pk")


# THE SUBJECT'S PAGE -------------------------------------------------------------------------------
@dataclass(frozen=True)
class OverviewEntry:
    label: str
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class OverviewSection:
    key: str
    title: Any
    entries: list = field(default_factory=list)
    order: int = 100

    @property
    def is_builtin(self) -> bool:
        return self.key in BUILTIN_SECTIONS


@dataclass(frozen=True)
class _Registration:
    key: str
    title: Any
    entries: Callable[[Organization, Any], Iterable]
    order: int


_REGISTRY: dict[str, _Registration] = {}
BUILTIN_SECTIONS = ("people", "contacts")
MAX_OVERVIEW_ROWS = 50


def register_overview_section(
    key: str, *, title: Any, entries: Callable[[Organization, Any], Iterable], order: int = 100
) -> None:
    """Let another app add a section to every organisation's page.

    `entries(organization, user)` returns OverviewEntry items (or model rows with a template that
    knows them); it must scope its rows to `user` itself. Registering a key again replaces it, so
    reloading an app in development does not duplicate sections.
    """
    _REGISTRY[key] = _Registration(key=key, title=title, entries=entries, order=order)


def unregister_overview_section(key: str) -> None:
    _REGISTRY.pop(key, None)


def subject_overview(organization: Organization, *, user=None) -> list[OverviewSection]:
    """The sections of an organisation's page, in display order: people, contacts, then the
    sections other apps registered (an empty list each when they hold nothing)."""
    contacts = list(organization.contacts.select_related("person"))
    people = Person.objects.visible_to(user) if user is not None else Person.objects.all()
    people = list(people.filter(organization=organization).order_by("name_folded", "pk")[:MAX_OVERVIEW_ROWS])
    sections = [
        OverviewSection("people", _("People"), people, order=0),
        OverviewSection("contacts", _("Representatives and contacts"), contacts, order=1),
    ]
    for registration in sorted(_REGISTRY.values(), key=lambda r: (r.order, r.key)):
        entries = list(registration.entries(organization, user))
        sections.append(OverviewSection(registration.key, registration.title, entries, registration.order))
    return sections
