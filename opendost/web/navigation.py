from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


MENU = [
    MenuItem(_("Home"), "web:home"),
    MenuItem(_("Organisations"), "subjects:organization_list", "subjects.view_organization"),
    MenuItem(_("People"), "subjects:person_list", "subjects.view_person"),
    MenuItem(_("Documents"), "documents:list", "documents.view_issueddocument"),
    MenuItem(_("Users"), "web:users", "accounts.view_user"),
    MenuItem(_("Departments"), "web:departments", "accounts.view_all_departments"),
    MenuItem(_("Legal calendar"), "calendars:year_current", "calendars.view_calendaroverride"),
]


def menu_for(user) -> list[MenuItem]:
    return [item for item in MENU if item.permission is None or user.has_perm(item.permission)]
