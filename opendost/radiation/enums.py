from django.db import models
from django.utils.translation import gettext_lazy as _


class FacilityKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    MEDICAL_CENTRE = "medical_centre", _("Medical centre")
    POLYCLINIC = "polyclinic", _("General clinic")
    SPECIALIST_CLINIC = "specialist_clinic", _("Specialist clinic")
    DENTAL_CLINIC = "dental_clinic", _("Dental clinic")
    IMAGING_CENTRE = "imaging_centre", _("Diagnostic imaging centre")
    OTHER = "other", _("Other")


class DeviceType(models.TextChoices):
    """Device types of the licence record (domain-procedures §9.4)."""

    GENERAL = "general", _("General radiography X-ray")
    FLUOROSCOPY = "fluoroscopy", _("Fluoroscopy X-ray")
    DENTAL = "dental", _("Dental X-ray")
    DENTAL_PANORAMIC = "dental_panoramic", _("Panoramic / cone-beam dental X-ray")
    MAMMOGRAPHY = "mammography", _("Mammography X-ray")
    MOBILE = "mobile", _("Mobile X-ray")
    C_ARM = "c_arm", _("C-arm X-ray")
    CT = "ct", _("CT scanner")
    BONE_DENSITOMETRY = "bone_densitometry", _("Bone densitometry")
    DSA = "dsa", _("Digital subtraction angiography (DSA)")


class DeviceStatus(models.TextChoices):
    INSTALLED = "installed", _("Installed, not yet in use")
    IN_USE = "in_use", _("In use")
    UNDER_REPAIR = "under_repair", _("Under repair")
    DECOMMISSIONED = "decommissioned", _("Decommissioned")


class LicenceKind(models.TextChoices):
    NEW = "new", _("New licence")
    RENEWAL = "renewal", _("Renewal")
    AMENDMENT = "amendment", _("Amendment")
    REISSUE = "reissue", _("Re-issue")


class LicenceStatus(models.TextChoices):
    """Stored status. "Expired" is not a state: it is computed from valid_until (no job moves licences)."""

    VALID = "valid", _("Valid")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")


class LicenceState(models.TextChoices):
    """What a licence is on a given day: the stored status, with "valid" split by its expiry date."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded")
    REVOKED = "revoked", _("Revoked")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for revision")
