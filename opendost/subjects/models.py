"""The one register of organisations and people (DESIGN rule 1).

Every later register (tasks, offers, licences, verifications, inspections...) links to these rows,
so a subject's page can list everything the Department holds about it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from opendost.common.locking import VersionedModel
from opendost.common.models import PublicIdModel, TimeStampedModel
from opendost.departments.scoping import DepartmentScopedQuerySet
from opendost.subjects.enums import AcademicTitle, ContactRole, Degree, Gender, OrganizationKind
from opendost.subjects.masking import mask_citizen_id


class AddressMixin(models.Model):
    """An address keeps the units it was given under (pre-2025 or current set)."""

    address_line = models.CharField(_("street address"), max_length=255, blank=True)
    province = models.ForeignKey(
        "geography.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    district = models.ForeignKey(
        "geography.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        help_text=_("Only for addresses given before 1 July 2025."),
    )
    commune = models.ForeignKey(
        "geography.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )

    class Meta:
        abstract = True

    @property
    def full_address(self) -> str:
        parts = [self.address_line]
        parts += [u.name for u in (self.commune, self.district, self.province) if u is not None]
        return ", ".join(p for p in parts if p)


class Organization(PublicIdModel, TimeStampedModel, VersionedModel, AddressMixin):
    department = models.ForeignKey(
        "departments.Department", models.PROTECT, related_name="organizations", verbose_name=_("department")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    english_name = models.CharField(_("English name"), max_length=255, blank=True)
    tax_code = models.CharField(
        _("tax / enterprise code"),
        max_length=14,
        blank=True,
        help_text=_("10 digits, or 10 digits, a dash and 3 digits for a branch."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    fields = models.ManyToManyField(
        "classifications.ClassificationNode", blank=True, related_name="organizations", verbose_name=_("S&T fields")
    )
    note = models.TextField(_("note"), blank=True)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)

    objects = DepartmentScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        permissions = [("export_organization", _("Can export organisations"))]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "tax_code"],
                condition=~models.Q(tax_code=""),
                name="organization_unique_tax_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Person(PublicIdModel, TimeStampedModel, VersionedModel):
    department = models.ForeignKey(
        "departments.Department", models.PROTECT, related_name="people", verbose_name=_("department")
    )
    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    citizen_id = models.CharField(
        _("citizen ID number"),
        max_length=12,
        blank=True,
        help_text=_("12 digits. Stored for identification only and always shown masked."),
    )
    academic_title = models.CharField(_("academic title"), max_length=20, choices=AcademicTitle, blank=True)
    degree = models.CharField(_("degree"), max_length=20, choices=Degree, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    organization = models.ForeignKey(
        Organization, models.SET_NULL, null=True, blank=True, related_name="people", verbose_name=_("organisation")
    )
    is_expert = models.BooleanField(_("in the expert register"), default=False)
    fields = models.ManyToManyField(
        "classifications.ClassificationNode", blank=True, related_name="people", verbose_name=_("S&T fields")
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    name_folded = models.CharField(max_length=150, editable=False, db_index=True)

    objects = DepartmentScopedQuerySet.as_manager()

    # The audit trail keeps only the last 3 digits of a citizen ID (S-24, R-22).
    audit_mask = {"citizen_id": mask_citizen_id}

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        permissions = [("export_person", _("Can export people"))]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "citizen_id"],
                condition=~models.Q(citizen_id=""),
                name="person_unique_citizen_id",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def citizen_id_masked(self) -> str:
        return mask_citizen_id(self.citizen_id)


class OrganizationContact(PublicIdModel, TimeStampedModel):
    """A representative or contact person of an organisation."""

    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="contacts", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=30, choices=ContactRole)
    person = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="contact_roles", verbose_name=_("person")
    )
    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("representative or contact")
        verbose_name_plural = _("representatives and contacts")
        ordering = ["role", "full_name"]

    def __str__(self) -> str:
        return self.full_name
