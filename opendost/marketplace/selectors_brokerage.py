"""Reads of brokerage: connections for staff (scoped to their jurisdiction) and for the parties
(an applicant sees the connections of its organisation, as the interested party or as the owner of
the offer or the need, and nothing else: a 404), a connection's timeline, fairs and their results,
statistics (staff and public), and the record queries of the plan's indicators
(market_connections, market_deals; opendost.planning.indicators reads them).
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

import django_filters
from django import forms
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opendost.common.text import fold
from opendost.marketplace.enums import ConnectionEventKind, ConnectionStatus, FairStatus
from opendost.marketplace.models import Connection, ConnectionEvent, ConnectionFile, Fair, FairListing
from opendost.marketplace.permissions_brokerage import VIEW_PERM, applicant_organization_id
from opendost.marketplace.workflows_brokerage import CONNECTION_WORKFLOW, DEAL_STATES
from opendost.workflow.models import TransitionLog

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
_RELATED = ("department", "offer", "offer__owner_organization", "need", "seeker", "broker", "fair")


def _get(queryset: QuerySet, public_id) -> object:
    try:
        return queryset.get(public_id=UUID(str(public_id)))
    except (ValueError, queryset.model.DoesNotExist):
        raise Http404 from None


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# Dates outside these bounds filter nothing (and would overflow as aware datetimes).
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(9000, 12, 31)


def opened_between(queryset: QuerySet, date_from: dt.date | None, date_to: dt.date | None) -> QuerySet:
    """Connections opened from `date_from` to `date_to` (local days, both included; either may be None)."""
    if date_from is not None and date_from > EARLIEST:
        queryset = queryset.filter(created_at__gte=day_start(min(date_from, LATEST)))
    if date_to is not None and date_to < LATEST:
        queryset = queryset.filter(created_at__lt=day_start(max(date_to, EARLIEST) + dt.timedelta(days=1)))
    return queryset


# STAFF LIST ---------------------------------------------------------------------------------------
class ConnectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Code, listing or organisation"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=ConnectionStatus.choices, empty_label=gettext_lazy("All")
    )
    fair = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Fair"), queryset=Fair.objects.none(), empty_label=gettext_lazy("All")
    )
    date_from = django_filters.DateFilter(
        label=gettext_lazy("Created from"),
        method="created_from",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    date_to = django_filters.DateFilter(
        label=gettext_lazy("Created until"),
        method="created_until",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    mine = django_filters.BooleanFilter(
        label=gettext_lazy("Followed by me"),
        method="followed_by_me",
        widget=forms.Select(choices=[("", gettext_lazy("All")), ("true", gettext_lazy("Yes"))]),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["fair"].queryset = Fair.objects.visible_to(user).order_by("-starts_on", "pk") if user else None
        for form_field in self.form.fields.values():
            css = "form-select" if isinstance(form_field.widget, forms.Select) else "form-control"
            form_field.widget.attrs["class"] = css

    def search(self, qs, name, value):
        text = (value or "").strip()
        folded = fold(text)
        if not folded:
            return qs
        return qs.filter(
            Q(code__icontains=text)
            | Q(offer__search_text__contains=folded)
            | Q(need__search_text__contains=folded)
            | Q(seeker__name_folded__contains=folded)
        )

    def created_from(self, qs, name, value):
        return opened_between(qs, value, None)

    def created_until(self, qs, name, value):
        return opened_between(qs, None, value)

    def followed_by_me(self, qs, name, value):
        return qs.filter(broker=self.user) if value and self.user else qs


def connections_for_staff(user) -> QuerySet[Connection]:
    """The connections of the user's jurisdiction (none without the view permission)."""
    if not user.is_authenticated or not user.has_perm(VIEW_PERM):
        return Connection.objects.none()
    return Connection.objects.visible_to(user)


def connection_filterset_for(user, filters: Mapping | None) -> ConnectionFilter:
    queryset = connections_for_staff(user).select_related(*_RELATED).order_by("-created_at", "-pk")
    return ConnectionFilter(filters or None, queryset=queryset, user=user)


def connection_list_for(user, filters: Mapping | None = None) -> QuerySet[Connection]:
    """Newest first, with the offer, need, parties, broker and fair joined (one query per page)."""
    return connection_filterset_for(user, filters).qs


def connection_get_for(user, public_id) -> Connection:
    return _get(connections_for_staff(user).select_related(*_RELATED, "need__owner_organization"), public_id)


# THE PARTIES --------------------------------------------------------------------------------------
def _party_filter(organization_id: int) -> Q:
    return (
        Q(seeker_id=organization_id)
        | Q(offer__owner_organization_id=organization_id)
        | Q(offer__owner_organization__isnull=True, offer__owner_person__organization_id=organization_id)
        | Q(need__owner_organization_id=organization_id)
        | Q(need__owner_organization__isnull=True, need__owner_person__organization_id=organization_id)
    )


def my_connections(user) -> QuerySet[Connection]:
    """The connections of the applicant's organisation (interested party, or owner of the offer or need)."""
    organization_id = applicant_organization_id(user)
    if organization_id is None:
        return Connection.objects.none()
    return (
        Connection.objects.filter(_party_filter(organization_id))
        .select_related("offer", "offer__owner_organization", "need", "seeker")
        .order_by("-created_at", "-pk")
    )


def my_connection_get(user, public_id) -> Connection:
    return _get(my_connections(user).select_related("fair"), public_id)


def my_role(user, connection: Connection) -> str:
    """How the applicant's organisation takes part: "seeker" (it is interested) or "owner"."""
    return "seeker" if connection.seeker_id == applicant_organization_id(user) else "owner"


# TIMELINE -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TimelineEntry:
    day: dt.date
    at: dt.datetime
    kind: str  # "event", "status" or "file"
    title: str
    note: str = ""
    actor: str = ""
    url: str = ""
    event_kind: str = ""
    rank: int = 0  # order of entries written at the same moment: opening, events, files, status changes


def _name(user) -> str:
    if user is None:
        return ""
    return getattr(user, "full_name", "") or user.get_username()


def timeline(connection: Connection, *, public: bool = False) -> list[TimelineEntry]:
    """Events, status changes (the transition log) and documents in date order, oldest first.

    `public` is the parties' view: events and status changes with their dates, without names, notes of
    status changes (a reason dropped may be the officer's assessment) or documents. Three queries.
    """
    entries: list[TimelineEntry] = []
    events = connection.events.select_related("recorded_by").order_by("happened_on", "created_at", "pk")
    for event in events:
        entries.append(
            TimelineEntry(
                day=event.happened_on,
                at=event.created_at,
                kind="event",
                title=event.get_kind_display(),
                note=event.note,
                actor="" if public else _name(event.recorded_by),
                event_kind=event.kind,
                rank=1,
            )
        )
    entries.append(
        TimelineEntry(
            day=timezone.localdate(connection.created_at),
            at=connection.created_at,
            kind="status",
            title=_("Connection opened: %(status)s")
            % {"status": CONNECTION_WORKFLOW.label_of(ConnectionStatus.REQUESTED)},
            note="" if public else connection.message,
            actor="" if public else _name(connection.requested_by),
        )
    )
    for log in TransitionLog.objects.for_object(connection).select_related("actor").order_by("at", "pk"):
        entries.append(
            TimelineEntry(
                day=timezone.localdate(log.at),
                at=log.at,
                kind="status",
                title=CONNECTION_WORKFLOW.label_of(log.to_state),
                note="" if public else log.note,
                actor="" if public else _name(log.actor),
                rank=3,
            )
        )
    if not public:
        for item in connection.files.select_related("uploaded_by").order_by("created_at", "pk"):
            entries.append(
                TimelineEntry(
                    day=timezone.localdate(item.created_at),
                    at=item.created_at,
                    kind="file",
                    title=item.title,
                    note=f"{item.name} · SHA-256 {item.sha256[:12]}…",
                    actor=_name(item.uploaded_by),
                    url=reverse("marketplace:connection_file", args=[connection.public_id, item.public_id]),
                    rank=2,
                )
            )
    return sorted(entries, key=lambda e: (e.day, e.at, e.rank))


def connection_files(connection: Connection) -> list[ConnectionFile]:
    return list(connection.files.select_related("uploaded_by").order_by("created_at", "pk"))


def connection_events(connection: Connection) -> list[ConnectionEvent]:
    return list(connection.events.select_related("recorded_by").order_by("happened_on", "pk"))


def meetings_count(connection: Connection) -> int:
    return connection.events.filter(kind=ConnectionEventKind.MEETING).count()


# FAIRS --------------------------------------------------------------------------------------------
def _count_of(queryset, **filters) -> Subquery:
    rows = queryset.filter(fair=OuterRef("pk"), **filters).order_by().values("fair").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")[:1], output_field=IntegerField()), 0)


def fairs_for_staff(user) -> QuerySet[Fair]:
    if not user.is_authenticated or not user.has_perm("marketplace.view_fair"):
        return Fair.objects.none()
    return Fair.objects.visible_to(user)


def fair_list_for(user, *, status: str = "", year: int | None = None) -> QuerySet[Fair]:
    """Fairs newest first, each with its registered listings, connections and deals counted."""
    qs = fairs_for_staff(user).select_related("province")
    if status in FairStatus.values:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(starts_on__year=year)
    return qs.annotate(
        registered=_count_of(FairListing.objects),
        connections_made=_count_of(Connection.objects),
        deals_made=_count_of(Connection.objects, status__in=DEAL_STATES),
    ).order_by("-starts_on", "-pk")


def fair_get_for(user, public_id) -> Fair:
    return _get(fairs_for_staff(user).select_related("department", "province"), public_id)


def fair_registrations(fair: Fair) -> list[FairListing]:
    return list(
        fair.registrations.select_related("listing", "listing__owner_organization", "listing__owner_person").order_by(
            "booth", "pk"
        )
    )


def fair_connections(fair: Fair) -> list[Connection]:
    return list(fair.connections.select_related("offer", "need", "seeker", "broker").order_by("-created_at", "-pk"))


@dataclass(frozen=True)
class FairResults:
    registered: int
    connections: int
    deals: int
    deal_value_vnd: int


def fair_results(fair: Fair) -> FairResults:
    """What the event produced: listings registered, connections made at it, deals among them and
    their total value (VND). Two queries."""
    totals = Connection.objects.filter(fair=fair).aggregate(
        connections=Count("pk"),
        deals=Count("pk", filter=Q(status__in=DEAL_STATES)),
        value=Sum("deal_value_vnd", filter=Q(status__in=DEAL_STATES)),
    )
    return FairResults(
        registered=FairListing.objects.filter(fair=fair).count(),
        connections=totals["connections"],
        deals=totals["deals"],
        deal_value_vnd=totals["value"] or 0,
    )


# STATISTICS ---------------------------------------------------------------------------------------
@dataclass
class PeriodRow:
    year: int
    quarter: int | None
    connections: int = 0
    deals: int = 0
    deal_value_vnd: int = 0


@dataclass
class FieldRow:
    code: str
    name: str
    connections: int = 0
    deals: int = 0
    deal_value_vnd: int = 0


@dataclass
class Statistics:
    by_period: list[PeriodRow] = field(default_factory=list)
    by_field: list[FieldRow] = field(default_factory=list)

    @property
    def connections(self) -> int:
        return sum(row.connections for row in self.by_period)

    @property
    def deals(self) -> int:
        return sum(row.deals for row in self.by_period)

    @property
    def deal_value_vnd(self) -> int:
        return sum(row.deal_value_vnd for row in self.by_period)


def _scoped(*, user=None, department_ids=None) -> QuerySet[Connection]:
    qs = connections_for_staff(user) if user is not None else Connection.objects.all()
    if department_ids is not None:
        qs = qs.filter(department_id__in=list(department_ids))
    return qs.order_by()


def connection_statistics(
    *, user=None, department_ids=None, year_from: int | None = None, year_to: int | None = None, quarters: bool = True
) -> Statistics:
    """Connections by the year (and quarter) they were opened, deals by the date signed, with the
    deals' value; the same by the offer's S&T field. Scoped to `user` (staff) and/or departments.
    Four queries, whatever the number of connections."""
    base = _scoped(user=user, department_ids=department_ids)
    opened = base
    deals = base.filter(status__in=DEAL_STATES, deal_signed_on__isnull=False)
    if year_from is not None:
        opened = opened.filter(created_at__gte=day_start(dt.date(year_from, 1, 1)))
        deals = deals.filter(deal_signed_on__gte=dt.date(year_from, 1, 1))
    if year_to is not None:
        opened = opened.filter(created_at__lt=day_start(dt.date(year_to + 1, 1, 1)))
        deals = deals.filter(deal_signed_on__lte=dt.date(year_to, 12, 31))
    periods: dict[tuple[int, int | None], PeriodRow] = {}

    def period(year, quarter) -> PeriodRow:
        key = (year, quarter if quarters else None)
        return periods.setdefault(key, PeriodRow(*key))

    tz = timezone.get_current_timezone()
    opened_rows = (
        opened.annotate(y=ExtractYear("created_at", tzinfo=tz), q=ExtractQuarter("created_at", tzinfo=tz))
        .values("y", "q")
        .annotate(n=Count("pk"))
    )
    for row in opened_rows:
        period(row["y"], row["q"]).connections += row["n"]
    deal_rows = (
        deals.annotate(y=ExtractYear("deal_signed_on"), q=ExtractQuarter("deal_signed_on"))
        .values("y", "q")
        .annotate(n=Count("pk"), value=Sum("deal_value_vnd"))
    )
    for row in deal_rows:
        target = period(row["y"], row["q"])
        target.deals += row["n"]
        target.deal_value_vnd += row["value"] or 0
    fields: dict[str, FieldRow] = {}

    def by_field(code, name) -> FieldRow:
        return fields.setdefault(code or "", FieldRow(code or "", name or ""))

    for row in opened.values("offer__field__code", "offer__field__name").annotate(n=Count("pk")):
        by_field(row["offer__field__code"], row["offer__field__name"]).connections += row["n"]
    for row in deals.values("offer__field__code", "offer__field__name").annotate(
        n=Count("pk"), value=Sum("deal_value_vnd")
    ):
        target = by_field(row["offer__field__code"], row["offer__field__name"])
        target.deals += row["n"]
        target.deal_value_vnd += row["value"] or 0
    return Statistics(
        by_period=sorted(periods.values(), key=lambda r: (r.year, r.quarter or 0)),
        by_field=sorted(fields.values(), key=lambda r: (not r.code, -r.connections, r.code)),
    )


@dataclass(frozen=True)
class PublicYear:
    year: int
    connections: int
    deals: int


@dataclass(frozen=True)
class PublicField:
    field: str  # "code name" of the S&T field, "" when the offer has none
    connections: int
    deals: int


@dataclass(frozen=True)
class PublicStatistics:
    connections: int
    deals: int
    by_year: list[PublicYear]
    by_field: list[PublicField]


def public_statistics(*, department_ids=None) -> PublicStatistics:
    """Counts only, for the public portal: connections (by the year opened) and deals (by the year
    signed), by year and by S&T field. No party, listing or officer name, no contract value."""
    stats = connection_statistics(department_ids=department_ids, quarters=False)
    return PublicStatistics(
        connections=stats.connections,
        deals=stats.deals,
        by_year=[PublicYear(r.year, r.connections, r.deals) for r in stats.by_period],
        by_field=[
            PublicField(f"{r.code} {r.name}".strip(), r.connections, r.deals)
            for r in stats.by_field
            if r.connections or r.deals
        ],
    )


# PLAN INDICATORS ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Record:
    """One row of an indicator's drill-down (the shape opendost.planning.sources.Record has)."""

    code: str
    title: str
    date: dt.date | None
    url: str = ""


def connections_created(*, department_ids, date_from: dt.date, date_to: dt.date) -> QuerySet[Connection]:
    """market_connections: connections opened in the period (any status, dropped ones included)."""
    return Connection.objects.filter(
        department_id__in=list(department_ids),
        created_at__gte=day_start(date_from),
        created_at__lt=day_start(date_to + dt.timedelta(days=1)),
    )


def deals_signed(*, department_ids, date_from: dt.date, date_to: dt.date) -> QuerySet[Connection]:
    """market_deals: transfer contracts signed in the period (deal, or followed up since)."""
    return Connection.objects.filter(
        department_id__in=list(department_ids),
        status__in=DEAL_STATES,
        deal_signed_on__gte=date_from,
        deal_signed_on__lte=date_to,
    )


def connection_ids_created(*, department_ids, date_from: dt.date, date_to: dt.date) -> list[int]:
    rows = connections_created(department_ids=department_ids, date_from=date_from, date_to=date_to)
    return list(rows.order_by("pk").values_list("pk", flat=True))


def deal_ids_signed(*, department_ids, date_from: dt.date, date_to: dt.date) -> list[int]:
    rows = deals_signed(department_ids=department_ids, date_from=date_from, date_to=date_to)
    return list(rows.order_by("pk").values_list("pk", flat=True))


def deal_value_vnd(queryset: QuerySet[Connection]) -> int:
    return queryset.aggregate(total=Sum("deal_value_vnd"))["total"] or 0


def _ids(ids):
    """A list of ids, or a queryset of ids (kept as a subquery)."""
    return ids if isinstance(ids, QuerySet) else list(ids)


def _record_title(connection: Connection) -> str:
    other = connection.seeker.name if connection.seeker_id else (connection.need.title if connection.need_id else "")
    return f"{connection.offer.title} – {other}" if other else connection.offer.title


def connection_records(ids) -> list[Record]:
    """Drill-down of market_connections: each connection with the day it was opened."""
    rows = Connection.objects.filter(pk__in=_ids(ids)).select_related("offer", "need", "seeker")
    return [
        Record(c.code, _record_title(c), timezone.localdate(c.created_at), c.get_absolute_url())
        for c in rows.order_by("created_at", "pk")
    ]


def deal_records(ids) -> list[Record]:
    """Drill-down of market_deals: each deal with the day its contract was signed."""
    rows = Connection.objects.filter(pk__in=_ids(ids)).select_related("offer", "need", "seeker")
    return [
        Record(c.code, _record_title(c), c.deal_signed_on, c.get_absolute_url())
        for c in rows.order_by("deal_signed_on", "pk")
    ]
