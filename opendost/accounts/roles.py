"""Roles are Django groups created by a migration; each carries a fixed set of permissions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer of a unit")
    DESK_OFFICER = "desk_officer", _("One-stop desk officer")
    LEADER = "leader", _("Leader")
    INSPECTOR = "inspector", _("Inspector")
    COUNCIL_MEMBER = "council_member", _("Council member / expert")
    APPLICANT = "applicant", _("Applicant")
    ADMINISTRATOR = "administrator", _("Administrator")


STAFF_ROLES = {Role.OFFICER, Role.DESK_OFFICER, Role.LEADER, Role.INSPECTOR, Role.ADMINISTRATOR}

# app_label.codename for each role. Kept here so the migration and the tests read one table.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: [
        "documents.view_issueddocument",
        "calendars.view_calendaroverride",
        "subjects.view_organization",
        "subjects.add_organization",
        "subjects.change_organization",
        "subjects.export_organization",
        "subjects.view_person",
        "subjects.add_person",
        "subjects.change_person",
        "subjects.export_person",
    ],
    Role.DESK_OFFICER: [
        "documents.view_issueddocument",
        "calendars.view_calendaroverride",
        "subjects.view_organization",
        "subjects.add_organization",
        "subjects.view_person",
        "subjects.add_person",
    ],
    Role.LEADER: [
        "documents.view_issueddocument",
        "calendars.view_calendaroverride",
        "subjects.view_organization",
        "subjects.export_organization",
        "subjects.view_person",
        "subjects.export_person",
    ],
    Role.INSPECTOR: [
        "documents.view_issueddocument",
        "calendars.view_calendaroverride",
        "subjects.view_organization",
        "subjects.view_person",
    ],
    Role.COUNCIL_MEMBER: [],
    Role.APPLICANT: ["accounts.use_applicant_services"],
    Role.ADMINISTRATOR: [
        "documents.view_issueddocument",
        "subjects.view_organization",
        "subjects.add_organization",
        "subjects.change_organization",
        "subjects.export_organization",
        "subjects.view_person",
        "subjects.add_person",
        "subjects.change_person",
        "subjects.export_person",
        "accounts.view_all_departments",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "calendars.view_calendaroverride",
        "calendars.change_calendaroverride",
        "notifications.view_message",
        "notifications.change_message",
    ],
}


def role_permissions() -> dict[str, list[str]]:
    """ROLE_PERMISSIONS plus what each domain app declares on its AppConfig.

    A domain app lists its own grants as `role_permissions = {"officer": ["radiation.view_facility", ...]}`
    on its AppConfig, so the kernel never imports a domain app and the table stays next to the models.
    """
    from django.apps import apps

    merged = {role: list(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            merged.setdefault(str(role), []).extend(p for p in perms if p not in merged[str(role)])
    return merged
