"""The main menu: the kernel's entries and each domain app's (`menu_items` on its AppConfig), filtered
by permission and grouped by area into dropdowns so the bar stays short as modules are added."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

REGISTERS = _("Registers")
ADMINISTRATION = _("Administration")
ST_TASKS = _("S&T tasks")
RADIATION = _("Radiation safety")
TECH_EXCHANGE = _("Technology exchange")


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str | None = None
    group: str = ""  # the dropdown it sits in; "" for a top-level entry

    def shown_to(self, user) -> bool:
        return self.permission is None or user.has_perm(self.permission)

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass
class MenuEntry:
    """A top-level entry: a link (one item) or a dropdown (a group with several items)."""

    label: str
    items: list[MenuItem] = field(default_factory=list)
    active: bool = False  # the current page is one of its items

    @property
    def is_group(self) -> bool:
        return len(self.items) > 1

    @property
    def url(self) -> str:
        return self.items[0].url


MENU = [
    MenuItem(_("Home"), "web:home"),
    MenuItem(_("Organisations"), "subjects:organization_list", "subjects.view_organization", REGISTERS),
    MenuItem(_("People"), "subjects:person_list", "subjects.view_person", REGISTERS),
    MenuItem(_("Documents"), "documents:list", "documents.view_issueddocument", REGISTERS),
    MenuItem(_("Users"), "web:users", "accounts.view_user", ADMINISTRATION),
    MenuItem(_("Departments"), "web:departments", "accounts.view_all_departments", ADMINISTRATION),
    MenuItem(_("Legal calendar"), "calendars:year_current", "calendars.view_calendaroverride", ADMINISTRATION),
]


def all_items() -> list[MenuItem]:
    """The kernel's Home, each domain app's `menu_items` in INSTALLED_APPS order, then the kernel's registers
    and administration."""
    from django.apps import apps

    items = list(MENU[:1])
    for config in apps.get_app_configs():
        items.extend(getattr(config, "menu_items", ()))
    return items + MENU[1:]


def menu_for(user) -> list[MenuItem]:
    return [item for item in all_items() if item.shown_to(user)]


def menu_tree(user, path: str = "") -> list[MenuEntry]:
    """The user's entries with the items of one group gathered where the group first appears; a group
    the user sees only one item of becomes a plain link with that item's label."""
    entries: list[MenuEntry] = []
    groups: dict[str, MenuEntry] = {}
    for item in menu_for(user):
        if not item.group:
            entries.append(MenuEntry(label=item.label, items=[item]))
            continue
        key = str(item.group)
        if key not in groups:
            groups[key] = MenuEntry(label=item.group)
            entries.append(groups[key])
        groups[key].items.append(item)
    # The entry of the item whose address is the longest prefix of the page's is active, so a
    # facility's page marks "Radiation safety" and /app/users/ marks "Users", not "Home".
    matches = [(len(item.url), entry) for entry in entries for item in entry.items if path.startswith(item.url)]
    active = max(matches, key=lambda match: match[0])[1] if matches else None
    for entry in entries:
        if len(entry.items) == 1:
            entry.label = entry.items[0].label
        entry.active = entry is active
    return entries
