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
    Role.APPLICANT: [],
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
