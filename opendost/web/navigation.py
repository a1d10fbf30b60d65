from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str | None = None

    def shown_to(self, user) -> bool:
        return self.permission is None or user.has_perm(self.permission)

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


def all_items() -> list[MenuItem]:
    """The kernel's entries, then each domain app's `menu_items` (on its AppConfig), in INSTALLED_APPS order."""
    from django.apps import apps

    items = list(MENU[:1])
    for config in apps.get_app_configs():
        items.extend(getattr(config, "menu_items", ()))
    return items + MENU[1:]


def menu_for(user) -> list[MenuItem]:
    return [item for item in all_items() if item.shown_to(user)]
