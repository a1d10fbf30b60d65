"""What each role's home page shows: a list of cards, built here and rendered by one template.

A card either links to a working page (with real figures when they are cheap to count) or says which
future module will bring it. No figure is ever made up.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from opendost.accounts.models import User
from opendost.accounts.roles import Role
from opendost.departments.models import Department
from opendost.subjects.models import Organization, Person


class Module:
    """Names of the modules still to come, as shown on placeholder cards (DESIGN "Functions")."""

    DOSSIERS = _("Dossiers (one-stop shop)")
    PROJECTS = _("S&T projects")
    INSPECTIONS = _("Inspections")
    PLANNING = _("Planning and reports")
    MARKETPLACE = _("Technology marketplace")


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str


@dataclass(frozen=True)
class Figure:
    label: str | Promise
    value: int


@dataclass(frozen=True)
class Card:
    key: str
    title: str | Promise
    text: str | Promise = ""
    links: list[Link] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    coming_with: str | Promise | None = None


def cards_for(user: User, role: str) -> list[Card]:
    builders = {
        Role.OFFICER: _officer_cards,
        Role.DESK_OFFICER: _desk_officer_cards,
        Role.LEADER: _leader_cards,
        Role.INSPECTOR: _inspector_cards,
        Role.COUNCIL_MEMBER: _council_member_cards,
        Role.APPLICANT: _applicant_cards,
        Role.ADMINISTRATOR: _administrator_cards,
    }
    cards = [card for card in builders[role](user) if card is not None]
    return [*cards, _account_card()]


def _officer_cards(user: User) -> list[Card | None]:
    return [
        _register_card(user),
        Card(
            "unit-dossiers",
            _("Dossiers of my unit"),
            _("Dossiers assigned to your unit, with their statutory deadlines."),
            coming_with=Module.DOSSIERS,
        ),
        Card(
            "unit-projects",
            _("S&T tasks followed by my unit"),
            _("Progress reports, contracts and acceptance of the tasks your unit manages."),
            coming_with=Module.PROJECTS,
        ),
    ]


def _desk_officer_cards(user: User) -> list[Card | None]:
    return [
        Card(
            "receive-dossier",
            _("Receive a dossier"),
            _("Record a dossier handed in at the desk or online and issue the receipt with its due date."),
            coming_with=Module.DOSSIERS,
        ),
        Card(
            "results-to-return",
            _("Results to return"),
            _("Decisions and certificates ready to hand back to applicants."),
            coming_with=Module.DOSSIERS,
        ),
        _register_card(user),
    ]


def _leader_cards(user: User) -> list[Card | None]:
    return [
        Card(
            "awaiting-approval",
            _("Awaiting my approval"),
            _("Decisions and documents waiting for your signature."),
            coming_with=Module.DOSSIERS,
        ),
        Card(
            "plan-progress",
            _("Progress of the plan"),
            _("The five-year plan's targets, computed from the records."),
            coming_with=Module.PLANNING,
        ),
        _register_card(user),
    ]


def _inspector_cards(user: User) -> list[Card | None]:
    return [
        Card(
            "inspection-plans",
            _("Inspection plans"),
            _("This year's inspection plan and the visits assigned to you."),
            coming_with=Module.INSPECTIONS,
        ),
        Card(
            "findings",
            _("Findings and sanctions"),
            _("Findings recorded, corrective actions due and sanctions decided."),
            coming_with=Module.INSPECTIONS,
        ),
        _register_card(user),
    ]


def _council_member_cards(user: User) -> list[Card | None]:
    return [
        Card(
            "review-assignments",
            _("My review assignments"),
            _("Proposals and acceptance dossiers assigned to you for scoring."),
            coming_with=Module.PROJECTS,
        ),
    ]


def _applicant_cards(user: User) -> list[Card | None]:
    organization = user.organization
    if organization is None:
        org_card = Card(
            "my-organization",
            _("My organisation"),
            _("Your account is not linked to an organisation yet. Contact the Department to link it."),
        )
    else:
        org_card = Card("my-organization", _("My organisation"), organization.name)
    return [
        org_card,
        Card(
            "my-dossiers",
            _("My dossiers"),
            _("Submit dossiers online, follow them and download the results."),
            coming_with=Module.DOSSIERS,
        ),
        Card(
            "calls",
            _("Calls for proposals"),
            _("Open calls for S&T tasks and your proposals."),
            coming_with=Module.PROJECTS,
        ),
    ]


def _administrator_cards(user: User) -> list[Card | None]:
    return [
        Card(
            "departments",
            _("Departments"),
            _("Departments on this installation and their units."),
            links=[Link(_("See departments"), reverse("web:departments"))],
            figures=[Figure(_("departments"), Department.objects.count())],
        ),
        Card(
            "users",
            _("Users"),
            _("Accounts, their roles and their units."),
            links=[Link(_("See users"), reverse("web:users")), Link(_("Manage accounts"), reverse("admin:index"))],
            figures=[Figure(_("active accounts"), User.objects.visible_to(user).filter(is_active=True).count())],
        ),
        _register_card(user),
    ]


def _register_card(user: User) -> Card | None:
    """The subject register, with real counts of what the user may see; None without permission."""
    links, figures = [], []
    if user.has_perm("subjects.view_organization"):
        links.append(Link(_("Organisations"), reverse("subjects:organization_list")))
        figures.append(Figure(_("organisations"), Organization.objects.visible_to(user).count()))
    if user.has_perm("subjects.view_person"):
        links.append(Link(_("People"), reverse("subjects:person_list")))
        figures.append(Figure(_("people"), Person.objects.visible_to(user).count()))
    if not links:
        return None
    return Card(
        "subject-register",
        _("Subject register"),
        _("The one register of organisations and people the Department works with."),
        links=links,
        figures=figures,
    )


def _account_card() -> Card:
    return Card(
        "my-account",
        _("My account"),
        _("Your details, password and two-factor login."),
        links=[Link(_("Open my account"), reverse("accounts:account"))],
    )
