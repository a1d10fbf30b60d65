"""Writers for the demo province (opendost.demo.data).

Demo accounts share one published password, so they must never exist in production: loading is
refused unless settings.OPENDOST_DEMO_ALLOWED (true only when OPENDOST_DEBUG is on), and every demo
user is marked `is_demo`. Subjects are written through the subject services like any other record.
Departments, units and users have no services yet, so they are written here directly.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from opendost.accounts.models import User
from opendost.classifications.models import ClassificationNode
from opendost.demo import data
from opendost.departments.models import Department, Unit
from opendost.documents.samples import sample_decision
from opendost.documents.services import document_issue
from opendost.geography.models import AdminUnit
from opendost.subjects import services as subject_services
from opendost.subjects.models import Organization


class DemoNotAllowed(ImproperlyConfigured):
    pass


@dataclass
class DemoLoadReport:
    loaded: bool
    reason: str = ""
    departments: int = 0
    users: int = 0
    organizations: int = 0
    people: int = 0
    missing_units: tuple[data.UnitRef, ...] = ()
    missing_fields: tuple[str, ...] = ()
    seconds: float = 0.0
    extra: tuple[str, ...] = ()


def demo_is_loaded() -> bool:
    return Department.objects.filter(code=data.BAC_NINH).exists()


def demo_load(*, if_empty: bool = False) -> DemoLoadReport:
    """Load the demo province once.

    1. Refuse unless OPENDOST_DEMO_ALLOWED.
    2. Do nothing when the demo is already there, or (with `if_empty`) when the database holds any
       department at all: a real install is never mixed with demo rows.
    3. Otherwise write departments, units, staff users, subjects, then the applicant (who needs an
       organisation), all in one transaction.
    """
    if not settings.OPENDOST_DEMO_ALLOWED:
        raise DemoNotAllowed(
            "Demo data is only allowed on a development install (set OPENDOST_DEBUG=1 or OPENDOST_DEMO_ALLOWED=1)."
        )
    if demo_is_loaded():
        return DemoLoadReport(loaded=False, reason="the demo province is already loaded")
    if if_empty and Department.objects.exists():
        return DemoLoadReport(loaded=False, reason="the database already holds departments")
    started = time.perf_counter()
    report = _write()
    report.seconds = time.perf_counter() - started
    return report


@transaction.atomic
def _write() -> DemoLoadReport:
    lookup = _Lookup()
    departments = _write_departments(lookup)
    units = {
        (dept_code, code): Unit.objects.create(department=departments[dept_code], code=code, name=name)
        for dept_code, rows in data.UNITS.items()
        for code, name in rows
    }
    password = make_password(data.DEMO_PASSWORD)  # hashed once: scrypt is slow on purpose
    groups = {g.name: g for g in Group.objects.all()}
    staff = [u for u in data.USERS if u.organization is None]
    users = {u.username: _write_user(u, departments, units, groups, password) for u in staff}

    organizations = {}
    for org in data.ORGANIZATIONS:
        organizations[org.key] = _write_organization(org, departments, users, lookup)
    people = [_write_person(p, departments, users, organizations, lookup) for p in data.PEOPLE]

    for u in data.USERS:
        if u.organization is not None:
            users[u.username] = _write_user(u, departments, units, groups, password, organizations[u.organization])

    _write_sample_document(departments[data.BAC_NINH], users)
    extra = _write_domain_demos(departments=departments, users=users, organizations=organizations)

    return DemoLoadReport(
        loaded=True,
        departments=len(departments),
        users=len(users),
        organizations=len(organizations),
        people=len(people),
        missing_units=tuple(sorted(lookup.missing_units)),
        missing_fields=tuple(sorted(lookup.missing_fields)),
        extra=tuple(extra),
    )


def _write_domain_demos(**context) -> list[str]:
    """Each domain app may name a loader on its AppConfig (`demo_loader = "opendost.x.demo.load"`); it is
    called with the kernel's departments, users and organisations (dicts by key) and returns one line
    for the report. The kernel imports no domain app."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    lines = []
    for config in apps.get_app_configs():
        dotted = getattr(config, "demo_loader", None)
        if dotted:
            lines.append(str(import_string(dotted)(**context) or config.label))
    return lines


def _write_sample_document(department: Department, users: dict[str, User]) -> None:
    """One decision in the official layout, so the demo shows a document that opens in LibreOffice
    and a QR code that leads to the public verification page."""
    leader = next(u for u in users.values() if u.department_id == department.pk and u.has_role("leader"))
    document = sample_decision(
        issuing_body_parent=department.governing_body, place="Bắc Ninh", issued_on=timezone.localdate()
    )
    document_issue(actor=leader, department=department, doc_type="QĐ", data=document)


class _Lookup:
    """Administrative units and S&T fields by code, cached; what is missing is reported, not fatal."""

    def __init__(self) -> None:
        self.units: dict[data.UnitRef, AdminUnit | None] = {}
        self.missing_units: set[data.UnitRef] = set()
        self.nodes: dict[str, ClassificationNode] | None = None
        self.missing_fields: set[str] = set()

    def unit(self, ref: data.UnitRef) -> AdminUnit | None:
        if ref not in self.units:
            code_set, level, code = ref
            self.units[ref] = AdminUnit.objects.filter(code_set=code_set, level=level, code=code).first()
            if self.units[ref] is None:
                self.missing_units.add(ref)
        return self.units[ref]

    def address(self, refs: tuple[data.UnitRef, ...]) -> dict[str, AdminUnit | None]:
        return {level: self.unit(ref) for ref in refs for level in [ref[1]]}

    def fields(self, codes: tuple[str, ...]) -> list[ClassificationNode]:
        if self.nodes is None:
            # A code is taken from the newest scheme that has it (TT 24/2025 ships only level 1 so
            # far; level-2 codes such as 401 come from QĐ 12/2008).
            nodes = ClassificationNode.objects.order_by("scheme__effective_from", "scheme_id")
            self.nodes = {n.code: n for n in nodes}
        found = [self.nodes[c] for c in codes if c in self.nodes]
        self.missing_fields.update(c for c in codes if c not in self.nodes)
        return found


def _write_departments(lookup: _Lookup) -> dict[str, Department]:
    departments: dict[str, Department] = {}
    # Successors first, so each predecessor can point at its successor.
    for d in sorted(data.DEPARTMENTS, key=lambda d: d.successor is not None):
        departments[d.code] = Department.objects.create(
            code=d.code,
            name=d.name,
            governing_body=d.governing_body,
            province=lookup.unit(d.province),
            valid_from=d.valid_from,
            valid_to=d.valid_to,
            successor=departments[d.successor] if d.successor else None,
        )
    return departments


def _write_user(u: data.DemoUser, departments, units, groups, password: str, organization=None) -> User:
    user = User.objects.create(
        username=u.username,
        full_name=u.full_name,
        email=f"{u.username}@demo.opendost.example",
        password=password,
        department=departments[u.department] if u.department else None,
        unit=units[(u.department, u.unit)] if u.unit else None,
        organization=organization,
        is_staff=u.is_staff,
        is_demo=True,
    )
    user.groups.add(groups[str(u.role)])
    return user


def _write_organization(org: data.DemoOrganization, departments, users, lookup: _Lookup) -> Organization:
    actor = users[data.RECORDED_BY[org.department]]
    department = departments[org.department]
    organization = subject_services.organization_create(
        actor=actor,
        department=department,
        kind=org.kind,
        name=org.name,
        short_name=org.short_name,
        tax_code=org.tax_code,
        address_line=org.address_line,
        phone=org.phone,
        email=org.email,
        established_on=org.established_on,
        note=org.note,
        fields=lookup.fields(org.fields),
        **lookup.address(org.units),
    )
    for contact in org.contacts:
        subject_services.contact_add(
            actor=actor,
            organization=organization,
            role=contact.role,
            full_name=contact.full_name,
            position=contact.position,
            phone=contact.phone,
        )
    return organization


def _write_person(p: data.DemoPerson, departments, users, organizations, lookup: _Lookup):
    return subject_services.person_create(
        actor=users[data.RECORDED_BY[p.department]],
        department=departments[p.department],
        full_name=p.full_name,
        gender=p.gender,
        birth_year=p.birth_year,
        citizen_id=p.citizen_id,
        organization=organizations[p.organization] if p.organization else None,
        academic_title=p.academic_title,
        degree=p.degree,
        position=p.position,
        is_expert=p.is_expert,
        fields=lookup.fields(p.fields),
    )


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role label, department name) of every demo account, in the order of the data."""
    users = {u.username: u for u in User.objects.filter(is_demo=True).select_related("department", "organization")}
    rows = []
    for spec in data.USERS:
        user = users.pop(spec.username, None)
        if user is None:
            continue
        where = user.department.name if user.department else (user.organization.name if user.organization else "")
        rows.append((user.username, str(spec.role.label), where))
    for user in sorted(users.values(), key=lambda u: u.username):  # accounts the domain demos added
        where = user.department.name if user.department else (user.organization.name if user.organization else "")
        rows.append((user.username, ", ".join(user.role_labels), where))
    return rows
