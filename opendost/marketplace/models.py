"""The technology exchange: listings (offers, needs, equipment, services), brokerage connections
from interest to deal and follow-up, and fairs with their registered listings.

Statuses change only through the transition engine (workflows.py). A listing's `search_text` is
its folded title, summary, keywords and field name (opendost.common.text.fold), kept by the
services on every save; matching and the public search read it. Money is in VND (integers).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opendost.common.locking import VersionedModel
from opendost.common.models import PublicIdModel, TimeStampedModel
from opendost.departments.scoping import DepartmentScopedQuerySet
from opendost.marketplace.enums import (
    CaptureChannel,
    ConnectionEventKind,
    ConnectionStatus,
    EquipmentMode,
    FairKind,
    FairStatus,
    IpStatus,
    ListingKind,
    ListingSource,
    ListingStatus,
    ServiceType,
    TransferMode,
)

_FIELD = "classifications.ClassificationNode"
_UNIT = "geography.AdminUnit"


def _department_fk(related_name: str):
    return models.ForeignKey(
        "departments.Department", models.PROTECT, related_name=related_name, verbose_name=_("department")
    )


def _user_fk(verbose_name, *, null=True):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=null,
        blank=null,
        related_name="+",
        verbose_name=verbose_name,
    )


class Listing(PublicIdModel, TimeStampedModel, VersionedModel):
    department = _department_fk("market_listings")
    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ListingKind)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), help_text=_("For a need: the problem to solve."))
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    field = models.ForeignKey(
        _FIELD, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("S&T field")
    )
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    # Offers (and equipment/services where it applies).
    readiness_level = models.PositiveSmallIntegerField(
        _("technology readiness level"), null=True, blank=True, help_text=_("1 to 9.")
    )
    ip_status = models.CharField(_("IP status"), max_length=12, choices=IpStatus, blank=True)
    transfer_modes = models.JSONField(_("transfer modes"), default=list, blank=True)
    price_vnd = models.BigIntegerField(_("indicative price (VND)"), null=True, blank=True)
    price_negotiable = models.BooleanField(_("price negotiable"), default=False)
    equipment_mode = models.CharField(_("equipment offered"), max_length=12, choices=EquipmentMode, blank=True)
    service_type = models.CharField(_("service"), max_length=12, choices=ServiceType, blank=True)
    # Needs.
    expected_result = models.TextField(_("expected result"), blank=True)
    budget_min_vnd = models.BigIntegerField(_("budget from (VND)"), null=True, blank=True)
    budget_max_vnd = models.BigIntegerField(_("budget up to (VND)"), null=True, blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    # Owner: an organisation or a person of the subject register.
    owner_organization = models.ForeignKey(
        "subjects.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="market_listings",
        verbose_name=_("owner (organisation)"),
    )
    owner_person = models.ForeignKey(
        "subjects.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="market_listings",
        verbose_name=_("owner (person)"),
    )
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    province = models.ForeignKey(
        _UNIT, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        _UNIT, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    location_text = models.CharField(_("location (as written)"), max_length=255, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ListingStatus, default=ListingStatus.DRAFT)
    return_reason = models.TextField(_("reason for return"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    expiry_reminded_on = models.DateField(_("expiry reminder sent on"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=ListingSource, default=ListingSource.OWNER)
    capture_channel = models.CharField(_("captured at"), max_length=12, choices=CaptureChannel, blank=True)
    source_result = models.ForeignKey(
        "projects.TaskResult",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="market_listings",
        verbose_name=_("task result"),
    )
    created_by = _user_fk(_("created by"))
    search_text = models.TextField(editable=False, blank=True)
    search_length = models.PositiveIntegerField(editable=False, default=0)  # terms indexed (matching)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-published_on", "-pk"]
        permissions = [
            ("moderate_listing", _("Can approve or return listings")),
            ("export_listing", _("Can export listings")),
        ]
        indexes = [
            models.Index(fields=["status", "kind", "-published_on", "-id"], name="market_listing_public_idx"),
            models.Index(fields=["department", "status", "-id"], name="market_listing_dept_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(readiness_level__isnull=True)
                | models.Q(readiness_level__gte=1, readiness_level__lte=9),
                name="market_listing_trl_1_9",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_min_vnd__isnull=True)
                | models.Q(budget_max_vnd__isnull=True)
                | models.Q(budget_max_vnd__gte=models.F("budget_min_vnd")),
                name="market_listing_budget_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("marketplace:listing_detail", args=[self.public_id])

    @property
    def owner(self):
        return self.owner_organization or self.owner_person

    @property
    def transfer_mode_labels(self) -> list[str]:
        labels = dict(TransferMode.choices)
        return [str(labels.get(m, m)) for m in self.transfer_modes]


class ListingTerm(models.Model):
    """The matching index: one row per distinct term of a listing with its count (matching.py keeps it
    for published listings; candidates are found by shared terms in SQL, then scored)."""

    # Indexed by (listing, term, count) below: the terms of a few candidates are read from the index alone.
    listing = models.ForeignKey(Listing, models.CASCADE, related_name="terms", db_index=False)
    term = models.CharField(max_length=80)
    count = models.PositiveSmallIntegerField(default=1)
    # The listing's kind, copied so that finding candidates reads this index alone (no join).
    kind = models.CharField(max_length=12, choices=ListingKind, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["term", "kind", "listing"], name="market_term_kind_idx"),
            models.Index(fields=["listing", "term", "count"], name="market_term_listing_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["listing", "term"], name="market_term_once")]

    def __str__(self) -> str:
        return self.term


class ListingTermStat(models.Model):
    """Document frequencies of the matching index: how many indexed listings hold each term, and the
    corpus totals under the reserved keys "#listings" and "#length" (no analysed term starts with
    "#"). matching.py keeps them with the index, so ranking reads a few primary keys instead of
    counting posting lists; `market_reindex` rebuilds them exactly."""

    term = models.CharField(max_length=80, primary_key=True)
    df = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term}: {self.df}"


class ListingFile(PublicIdModel, TimeStampedModel):
    """An image or attachment of a listing (type and size checked by the service, SHA-256 kept)."""

    listing = models.ForeignKey(Listing, models.CASCADE, related_name="files", verbose_name=_("listing"))
    is_image = models.BooleanField(_("image"), default=False)
    file = models.FileField(_("file"), upload_to="marketplace/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = _user_fk(_("uploaded by"))

    class Meta:
        verbose_name = _("listing file")
        verbose_name_plural = _("listing files")
        ordering = ["listing", "-is_image", "pk"]

    def __str__(self) -> str:
        return self.name


class SavedSearch(PublicIdModel, TimeStampedModel):
    """A user's saved search; a newly published listing that matches it notifies the user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="market_searches")
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=ListingKind, blank=True)
    query = models.CharField(_("words"), max_length=300, blank=True)
    field = models.ForeignKey(
        _FIELD, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("S&T field")
    )
    province = models.ForeignKey(
        _UNIT, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    min_readiness_level = models.PositiveSmallIntegerField(_("readiness level at least"), null=True, blank=True)
    alerts = models.BooleanField(_("alert me of new listings"), default=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["user", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Fair(PublicIdModel, TimeStampedModel):
    """A technology fair, demonstration event or brokerage session."""

    department = _department_fk("market_fairs")
    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=14, choices=FairKind, default=FairKind.FAIR)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    venue = models.CharField(_("venue"), max_length=255)
    province = models.ForeignKey(
        _UNIT, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=FairStatus, default=FairStatus.PLANNED)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("fair")
        verbose_name_plural = _("fairs")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="market_fair_dates")
        ]

    def __str__(self) -> str:
        return self.title


class FairListing(TimeStampedModel):
    """A listing registered at a fair, with its booth."""

    fair = models.ForeignKey(Fair, models.CASCADE, related_name="registrations", verbose_name=_("fair"))
    listing = models.ForeignKey(Listing, models.PROTECT, related_name="fair_registrations", verbose_name=_("listing"))
    booth = models.CharField(_("booth"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("fair registration")
        verbose_name_plural = _("fair registrations")
        ordering = ["fair", "booth", "pk"]
        constraints = [models.UniqueConstraint(fields=["fair", "listing"], name="market_fair_listing_once")]

    def __str__(self) -> str:
        return f"{self.fair} / {self.listing}"


class Connection(PublicIdModel, TimeStampedModel, VersionedModel):
    """A brokered connection between a supply listing and a demand side, followed by an officer
    from interest to a deal (or dropped), then followed up after transfer."""

    department = _department_fk("market_connections")
    code = models.CharField(_("code"), max_length=30, unique=True)
    offer = models.ForeignKey(
        Listing, models.PROTECT, related_name="offer_connections", verbose_name=_("offer or supply listing")
    )
    need = models.ForeignKey(
        Listing, models.PROTECT, null=True, blank=True, related_name="need_connections", verbose_name=_("need")
    )
    seeker = models.ForeignKey(
        "subjects.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="market_connections",
        verbose_name=_("interested party"),
    )
    message = models.TextField(_("message"), blank=True)
    requested_by = _user_fk(_("requested by"))
    broker = _user_fk(_("officer following"))
    fair = models.ForeignKey(
        Fair, models.SET_NULL, null=True, blank=True, related_name="connections", verbose_name=_("made at fair")
    )
    status = models.CharField(_("status"), max_length=12, choices=ConnectionStatus, default=ConnectionStatus.REQUESTED)
    # Outcome.
    deal_signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    deal_value_vnd = models.BigIntegerField(_("contract value (VND)"), null=True, blank=True)
    deal_mode = models.CharField(_("transfer mode"), max_length=14, choices=TransferMode, blank=True)
    deal_contract_ref = models.CharField(_("contract number"), max_length=100, blank=True)
    drop_reason = models.TextField(_("reason dropped"), blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    follow_up_note = models.TextField(_("follow-up"), blank=True)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        ordering = ["-created_at", "-pk"]
        permissions = [("broker_connection", _("Can follow connections as broker"))]
        indexes = [models.Index(fields=["department", "status", "-id"], name="market_conn_dept_idx")]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("marketplace:connection_detail", args=[self.public_id])


class ConnectionEvent(TimeStampedModel):
    """A line of a connection's timeline: an introduction, a meeting, a note, a follow-up."""

    connection = models.ForeignKey(Connection, models.CASCADE, related_name="events", verbose_name=_("connection"))
    kind = models.CharField(_("kind"), max_length=14, choices=ConnectionEventKind)
    happened_on = models.DateField(_("date"))
    note = models.TextField(_("note"))
    recorded_by = _user_fk(_("recorded by"))

    class Meta:
        verbose_name = _("connection event")
        verbose_name_plural = _("connection events")
        ordering = ["connection", "happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.connection} {self.kind} {self.happened_on}"


class ConnectionFile(PublicIdModel, TimeStampedModel):
    """A document of a connection (NDA, minutes, the signed contract...)."""

    connection = models.ForeignKey(Connection, models.CASCADE, related_name="files", verbose_name=_("connection"))
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="marketplace/connections/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = _user_fk(_("uploaded by"))

    class Meta:
        verbose_name = _("connection document")
        verbose_name_plural = _("connection documents")
        ordering = ["connection", "pk"]

    def __str__(self) -> str:
        return self.title
