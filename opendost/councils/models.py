"""Councils (hội đồng): members, the items they judge, conflicts of interest, score sheets, outcomes.

A council is generic: its items point at whatever is judged (a task proposal, an application, a task
at acceptance, an initiative) through a generic foreign key, and its `rules_version` names the rule
set (opendost.councils.rules) that decides quorum and outcome. The rule set is fixed when the council
convenes, so a council is never re-judged under later rules (DESIGN rule 2).

Writes go through opendost.councils.services only; `status` changes only through the transition
engine (opendost.councils.workflows).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opendost.common.models import PublicIdModel, TimeStampedModel
from opendost.councils.enums import CouncilPurpose, CouncilStatus, MemberRole, OutcomeResult, Vote
from opendost.departments.scoping import DepartmentScopedQuerySet


class CouncilQuerySet(DepartmentScopedQuerySet):
    def of_member_user(self, user) -> "CouncilQuerySet":
        """Councils on which `user` sits (through a member row linked to the account), any department."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(members__user=user)


class Council(PublicIdModel, TimeStampedModel):
    department = models.ForeignKey(
        "departments.Department", models.PROTECT, related_name="councils", verbose_name=_("department")
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=CouncilPurpose)
    name = models.CharField(_("name"), max_length=255)
    rules_version = models.CharField(
        _("rule set"), max_length=50, help_text=_("The quorum and voting rules the council works under.")
    )
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    meeting_place = models.CharField(_("meeting place"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CouncilStatus, default=CouncilStatus.FORMING)
    decision_document = models.ForeignKey(
        "documents.IssuedDocument",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision establishing the council"),
    )
    minutes_document = models.ForeignKey(
        "documents.IssuedDocument",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minutes"),
    )
    note = models.TextField(_("note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("sit_on_council", _("Can sit on councils (sees the councils they are a member of)")),
            ("record_scores", _("Can record score sheets and attendance on behalf of members")),
            ("close_council", _("Can close a council and fix its outcome")),
            ("issue_minutes", _("Can issue council minutes")),
        ]
        indexes = [models.Index(fields=["department", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("councils:detail", args=[self.public_id])

    @property
    def rule_set(self):
        from opendost.councils.rules import rule_set_get

        return rule_set_get(self.rules_version)


class CouncilMember(PublicIdModel, TimeStampedModel):
    council = models.ForeignKey(Council, models.CASCADE, related_name="members", verbose_name=_("council"))
    person = models.ForeignKey(
        "subjects.Person", models.PROTECT, related_name="council_seats", verbose_name=_("person")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_seats",
        verbose_name=_("user account"),
        help_text=_("The account the member logs in with to declare conflicts and score."),
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole)
    is_present = models.BooleanField(_("present at the meeting"), default=True)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "person"], name="councilmember_unique_person"),
            models.UniqueConstraint(
                fields=["council", "user"], condition=models.Q(user__isnull=False), name="councilmember_unique_user"
            ),
            models.UniqueConstraint(
                fields=["council"], condition=models.Q(role="chair"), name="councilmember_one_chair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class CouncilItem(PublicIdModel, TimeStampedModel):
    """One thing the council judges: a proposal, an application, a task, an initiative, or free text."""

    council = models.ForeignKey(Council, models.CASCADE, related_name="items", verbose_name=_("council"))
    content_type = models.ForeignKey(ContentType, models.PROTECT, null=True, blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=500, help_text=_("As it was when added to the council."))
    group = models.CharField(
        _("group"),
        max_length=100,
        blank=True,
        help_text=_("Items of one group compete with each other (e.g. the applications for one task)."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("council item")
        verbose_name_plural = _("council items")
        ordering = ["council", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "content_type", "object_id"],
                condition=models.Q(content_type__isnull=False),
                name="councilitem_unique_subject",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """Which items a member sees and scores."""

    member = models.ForeignKey(CouncilMember, models.CASCADE, related_name="assignments")
    item = models.ForeignKey(CouncilItem, models.CASCADE, related_name="assignments")

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["member", "item"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.item_id}"


class ConflictDeclaration(TimeStampedModel):
    """A member's declaration on an item: a member with a conflict of interest cannot score it."""

    member = models.ForeignKey(CouncilMember, models.CASCADE, related_name="conflicts")
    item = models.ForeignKey(CouncilItem, models.CASCADE, related_name="conflicts")
    declared_at = models.DateTimeField(_("declared at"))
    has_conflict = models.BooleanField(_("has a conflict of interest"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")
        constraints = [models.UniqueConstraint(fields=["member", "item"], name="conflict_unique")]

    def __str__(self) -> str:
        return f"{self.member_id} / {self.item_id}: {self.has_conflict}"


class Criterion(models.Model):
    council = models.ForeignKey(Council, models.CASCADE, related_name="criteria", verbose_name=_("council"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=255)
    max_score = models.PositiveSmallIntegerField(_("maximum score"))
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["council", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="criterion_unique_code"),
            models.CheckConstraint(condition=models.Q(max_score__gt=0), name="criterion_max_score_positive"),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class ScoreSheet(TimeStampedModel):
    """A member's sheet (phiếu) for one item: per-criterion scores and an overall vote."""

    member = models.ForeignKey(CouncilMember, models.CASCADE, related_name="sheets")
    item = models.ForeignKey(CouncilItem, models.CASCADE, related_name="sheets")
    submitted_at = models.DateTimeField(_("submitted at"))
    vote = models.CharField(_("overall vote"), max_length=20, choices=Vote, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("entered by")
    )

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [models.UniqueConstraint(fields=["member", "item"], name="scoresheet_unique")]

    def __str__(self) -> str:
        return f"{self.member_id} / {self.item_id}"


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, models.CASCADE, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class Outcome(TimeStampedModel):
    """The council's conclusion on one item, computed and stored when the council closes.

    `details` keeps the counts the rule set computed it from, so the explanation is shown in the
    reader's language and the figures are never re-computed under other rules.
    """

    council = models.ForeignKey(Council, models.CASCADE, related_name="outcomes")
    item = models.OneToOneField(CouncilItem, models.CASCADE, related_name="outcome")
    rules_version = models.CharField(_("rule set"), max_length=50)
    result = models.CharField(_("result"), max_length=20, choices=OutcomeResult)
    mean_score = models.DecimalField(_("mean score"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["council", "item__position", "item__pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_result_display()}"

    @property
    def explanation(self) -> str:
        from opendost.councils.rules import explain

        return explain(self.details)
