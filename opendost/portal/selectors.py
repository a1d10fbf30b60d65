"""Reads for the public portal. Nothing here may return personal data: the portal is public."""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from opendost.departments.models import Department


@dataclass(frozen=True)
class PortalFunction:
    """One of the Department's functions (DESIGN.md, "Functions") and the app that will serve it."""

    app: str
    title: Promise
    description: Promise
    links: tuple[tuple[Promise, str], ...] = ()  # (label, URL name) of the public pages the module serves


FUNCTIONS = [
    PortalFunction(
        "projects",
        _("Science and technology tasks"),
        _(
            "Ordering and selection of S&T tasks, evaluation councils, contracts and funding, progress, "
            "acceptance, registration of results and the public database of results."
        ),
        links=((_("Search the results database"), "projects_public:search"),),
    ),
    PortalFunction(
        "marketplace",
        _("Technology supply and demand"),
        _("A connection point for technology offers and needs, equipment, matching, brokerage and technology events."),
        links=(
            (_("Browse technology offers and needs"), "exchange:browse"),
            (_("Technology exchange statistics"), "exchange:statistics"),
        ),
    ),
    PortalFunction(
        "initiatives",
        _("Initiatives"),
        _("Submission of initiatives, grassroots and provincial councils, recognition of provincial-level impact."),
    ),
    PortalFunction(
        "ip",
        _("Industrial property"),
        _(
            "Geographical indications, collective and certification marks, their holders and authorised users, "
            "and protection abroad."
        ),
    ),
    PortalFunction(
        "radiation",
        _("Radiation safety"),
        _("X-ray facilities and devices, licences and renewals, worker certificates and response plans."),
        links=((_("Register of licensed X-ray facilities"), "radiation_public:register"),),
    ),
    PortalFunction(
        "metrology",
        _("Metrology and testing"),
        _(
            "Verification of measuring instruments such as electricity meters, laboratory tests and "
            "measurement standards."
        ),
    ),
    PortalFunction(
        "quality",
        _("Standards and quality"),
        _(
            "The standards databank, conformity declarations, quality checks of imported goods, dangerous-goods "
            "permits, ISO 9001 in public agencies and support to enterprises."
        ),
    ),
    PortalFunction(
        "technology",
        _("Technology management"),
        _(
            "Appraisal of the technology of investment projects, registration of technology transfer, "
            "S&T enterprises and technology surveys."
        ),
    ),
    PortalFunction(
        "inspections",
        _("Inspections"),
        _("Inspection plans, findings and sanctions in the fields the Department manages."),
    ),
    PortalFunction(
        "planning",
        _("Plans and statistics"),
        _("The five-year plan and its targets computed from the records, the budget, reports and S&T statistics."),
    ),
    PortalFunction(
        "dossiers",
        _("Online public services"),
        _(
            "Every administrative procedure above as a dossier with its statutory time limit, submitted and "
            "followed online."
        ),
        links=(
            (_("Look up a dossier"), "dossiers_public:lookup"),
            (_("Procedures and what to submit"), "dossiers_public:catalogue"),
        ),
    ),
]


@dataclass(frozen=True)
class FunctionCard:
    function: PortalFunction
    available: bool
    links: tuple[tuple[Promise, str], ...] = ()  # (label, URL)


def _urls(links) -> tuple[tuple[Promise, str], ...]:
    resolved = []
    for label, name in links:
        try:
            resolved.append((label, reverse(name)))
        except NoReverseMatch:  # a page its module does not serve (yet)
            continue
    return tuple(resolved)


def function_cards(is_installed: Callable[[str], bool] | None = None) -> list[FunctionCard]:
    """The functions with whether their module is in this installation yet ("coming soon" if not) and
    the public pages it serves."""
    is_installed = is_installed or apps.is_installed
    cards = []
    for f in FUNCTIONS:
        available = is_installed(f"opendost.{f.app}")
        cards.append(FunctionCard(f, available, _urls(f.links) if available else ()))
    return cards


def departments_in_office() -> QuerySet[Department]:
    """Departments operating today (not ceased, already in force): the portal's contact block."""
    today = timezone.localdate()
    return (
        Department.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .select_related("province")
        .only("name", "governing_body", "province__name")
    )
