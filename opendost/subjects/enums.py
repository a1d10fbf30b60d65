from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    ST_ORGANIZATION = "st_organization", _("S&T organisation")
    PUBLIC_AGENCY = "public_agency", _("Public agency")
    HOSPITAL = "hospital", _("Hospital / clinic")
    COOPERATIVE = "cooperative", _("Cooperative")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class ContactRole(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    CONTACT = "contact", _("Contact person")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class AcademicTitle(models.TextChoices):
    NONE = "", _("None")
    ASSOCIATE_PROFESSOR = "assoc_prof", _("Associate Professor")
    PROFESSOR = "prof", _("Professor")


class Degree(models.TextChoices):
    NONE = "", _("None")
    BACHELOR = "bachelor", _("Bachelor / Engineer")
    MASTER = "master", _("Master")
    DOCTOR = "doctor", _("Doctor")
    DOCTOR_OF_SCIENCE = "dsc", _("Doctor of Science")
