"""Users, their department and unit, and API tokens for integrations."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from opendost.accounts.roles import STAFF_ROLES, Role
from opendost.common.models import PublicIdModel, TimeStampedModel


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, user) -> "UserQuerySet":
        """Accounts a user may list: every account for an administrator, else those of the same department."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_all_departments:
            return self
        if not user.is_department_staff or user.department_id is None:
            return self.none()
        return self.filter(department_id=user.department_id)


class OpenDostUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(PublicIdModel, AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    department = models.ForeignKey(
        "departments.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("department"),
    )
    unit = models.ForeignKey(
        "departments.Unit", models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("unit")
    )
    organization = models.ForeignKey(
        "subjects.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("organisation represented"),
        help_text=_("For applicant accounts: the organisation on whose behalf the user applies."),
    )
    is_demo = models.BooleanField(_("demo account"), default=False, editable=False)

    objects = OpenDostUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("view_all_departments", _("Can see the records of every department")),
            # Applicants hold no model permission (they reach their own records by organisation); this
            # one opens the applicant's pages and menu entries.
            ("use_applicant_services", _("Can submit and follow dossiers and applications online")),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    @property
    def role_names(self) -> set[str]:
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return self._role_names

    @property
    def role_labels(self) -> list[str]:
        """Role names for display, from `groups.all()` so a prefetched list costs no query."""
        names = {group.name for group in self.groups.all()}
        return [str(role.label) for role in Role if role in names]

    def has_role(self, role: str) -> bool:
        return role in self.role_names

    @property
    def primary_role(self) -> str | None:
        """The role whose home page the user sees (most powerful first)."""
        order = [
            Role.ADMINISTRATOR,
            Role.LEADER,
            Role.INSPECTOR,
            Role.OFFICER,
            Role.DESK_OFFICER,
            Role.COUNCIL_MEMBER,
            Role.APPLICANT,
        ]
        if self.is_superuser:
            return Role.ADMINISTRATOR
        return next((r for r in order if r in self.role_names), None)

    @property
    def is_department_staff(self) -> bool:
        return self.is_superuser or bool(self.role_names & {str(r) for r in STAFF_ROLES})

    @property
    def sees_all_departments(self) -> bool:
        return self.is_superuser or self.has_perm("accounts.view_all_departments")


class ApiToken(TimeStampedModel):
    """A bearer token for an integration. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "od_" + secrets.token_urlsafe(32)
