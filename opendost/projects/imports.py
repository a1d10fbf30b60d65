"""Importing the historic task list (danh mục nhiệm vụ KH&CN) from Excel.

Every row goes through `services.task_record_historic`, so the rules, the audit trail and the
status transitions are those of the services: the task is recorded at the state it had reached
("recorded from the former register"). The natural key is the task code. The host organisation
must already be in the register (by tax code or exact name, ignoring diacritics); the principal
investigator is found by name among the department's people, or registered with the host as
organisation. Amounts are in đồng. A row whose code is already recorded is left unchanged.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opendost.classifications.models import ClassificationNode
from opendost.common.text import fold
from opendost.imports import parsers
from opendost.imports.enums import Outcome
from opendost.imports.kit import Column, ImportSpec, RowInvalid
from opendost.imports.registry import register
from opendost.projects import services
from opendost.projects.enums import AssignmentMode, FundingSource, TaskKind, TaskLevel, TaskStatus
from opendost.projects.models import Task
from opendost.subjects import services as subject_services
from opendost.subjects.models import Organization, Person

KIND_VI = {
    "Đề tài": TaskKind.RESEARCH,
    "Dự án SXTN": TaskKind.PILOT_PRODUCTION,
    "Dự án sản xuất thử nghiệm": TaskKind.PILOT_PRODUCTION,
    "Dự án": TaskKind.ST_PROJECT,
    "Dự án KH&CN": TaskKind.ST_PROJECT,
    "Đề án": TaskKind.SCHEME,
}
LEVEL_VI = {"Quốc gia": TaskLevel.NATIONAL, "Tỉnh": TaskLevel.PROVINCIAL, "Cơ sở": TaskLevel.GRASSROOTS}
STATUS_VI = {
    "Đã phê duyệt": TaskStatus.ORDERED,
    "Đang thực hiện": TaskStatus.IN_PROGRESS,
    "Đã nghiệm thu": TaskStatus.ACCEPTED,
    "Đã đăng ký kết quả": TaskStatus.RESULTS_REGISTERED,
    "Đã thanh lý": TaskStatus.LIQUIDATED,
    "Đã kết thúc": TaskStatus.CLOSED,
}
RECORDABLE = [(s, TaskStatus(s).label) for s in STATUS_VI.values()]


def _amount():
    return parsers.integer(min_value=0)


COLUMNS = [
    Column("code", "Mã số", aliases=("Mã nhiệm vụ", gettext_lazy("Code")), required=True, max_length=40),
    Column(
        "title",
        "Tên nhiệm vụ",
        aliases=("Tên đề tài, dự án", gettext_lazy("Title")),
        required=True,
        max_length=500,
        width=60,
    ),
    Column(
        "kind",
        "Loại",
        aliases=(gettext_lazy("Kind"),),
        required=True,
        parser=parsers.choice(TaskKind.choices, aliases=KIND_VI),
    ),
    Column(
        "level",
        "Cấp quản lý",
        aliases=("Cấp", gettext_lazy("Level")),
        required=True,
        parser=parsers.choice(TaskLevel.choices, aliases=LEVEL_VI),
    ),
    Column(
        "field",
        "Lĩnh vực",
        aliases=("Mã lĩnh vực", gettext_lazy("S&T field")),
        help=gettext_lazy("The code of the S&T field, e.g. 401."),
    ),
    Column(
        "host",
        "Tổ chức chủ trì",
        aliases=("Cơ quan chủ trì", gettext_lazy("Host organisation")),
        required=True,
        help=gettext_lazy("The tax code or the exact name of an organisation of the register."),
        width=40,
    ),
    Column(
        "pi",
        "Chủ nhiệm",
        aliases=("Chủ nhiệm nhiệm vụ", gettext_lazy("Principal investigator")),
        required=True,
        max_length=150,
    ),
    Column("start_on", "Ngày bắt đầu", aliases=(gettext_lazy("Start"),), required=True, parser=parsers.date()),
    Column("end_on", "Ngày kết thúc", aliases=(gettext_lazy("End"),), required=True, parser=parsers.date()),
    Column("central", "Kinh phí NSTW (đồng)", aliases=("Ngân sách trung ương",), parser=_amount()),
    Column("provincial", "Kinh phí NS tỉnh (đồng)", aliases=("Ngân sách tỉnh",), parser=_amount()),
    Column("counterpart", "Kinh phí đối ứng (đồng)", aliases=("Đối ứng",), parser=_amount()),
    Column(
        "status",
        "Tình trạng",
        aliases=(gettext_lazy("Status"),),
        required=True,
        parser=parsers.choice(RECORDABLE, aliases=STATUS_VI),
    ),
    Column("note", "Ghi chú", aliases=(gettext_lazy("Note"),), parser=parsers.text(multiline=True)),
]


def _host(text: str, context):
    cache = context.cache.setdefault("hosts", {})
    if not cache:
        held = Organization.objects.filter(department_id__in=context.department.jurisdiction_ids())
        for org in held:
            cache.setdefault(fold(org.name), org)
            if org.tax_code:
                cache.setdefault(org.tax_code.replace("-", ""), org)
    return cache.get(text.replace("-", "").replace(" ", "")) or cache.get(fold(text))


def _field(code: str, context):
    nodes = context.cache.setdefault("fields", {})
    if not nodes:
        for node in ClassificationNode.objects.order_by("scheme__effective_from", "scheme_id"):
            nodes[node.code] = node  # the newest scheme that has the code wins
    return nodes.get(code.strip())


def clean_row(values: dict, context) -> dict:
    errors = {}
    host = _host(values.get("host") or "", context)
    if host is None:
        errors["host"] = _("This organisation is not in the register: register it first, then import again.")
    values["host"] = host
    if values.get("field"):
        node = _field(values["field"], context)
        if node is None:
            errors["field"] = _("Unknown S&T field code.")
        values["field"] = node
    else:
        values["field"] = None
    if values.get("start_on") and values.get("end_on") and values["end_on"] < values["start_on"]:
        errors["end_on"] = _("The end cannot be before the start.")
    budget = sum(values.get(s) or 0 for s in FundingSource.values)
    if budget <= 0:
        errors["provincial"] = _("Give the budget of at least one source.")
    if values.get("level") == TaskLevel.NATIONAL and not values.get("central"):
        errors["central"] = _("A national task is funded by the central S&T budget.")
    if errors:
        raise RowInvalid(errors)
    return values


def _person(name: str, host, context):
    people = context.cache.setdefault("people", {})
    if not people:
        for person in Person.objects.filter(department_id__in=context.department.jurisdiction_ids()):
            people.setdefault(fold(person.full_name), person)
    person = people.get(fold(name))
    if person is None:
        person = subject_services.person_create(
            actor=context.actor, department=context.department, full_name=name, organization=host
        )
        people[fold(name)] = person
    return person


def task_row(row, context) -> str:
    values = row.values
    if Task.objects.filter(
        department_id__in=context.department.jurisdiction_ids(), code=values["code"].upper()
    ).exists():
        return Outcome.UNCHANGED
    services.task_record_historic(
        actor=context.actor,
        department=context.department,
        status=values["status"],
        code=values["code"],
        title=values["title"],
        kind=values["kind"],
        level=values["level"],
        assignment_mode=AssignmentMode.DIRECT,
        field=values.get("field"),
        host=values["host"],
        principal_investigator=_person(values["pi"], values["host"], context),
        start_on=values["start_on"],
        end_on=values["end_on"],
        budget={s: values.get(s) or 0 for s in FundingSource.values},
        note=values.get("note") or "",
    )
    return Outcome.CREATED


SPEC = ImportSpec(
    name="projects.tasks",
    title=gettext_lazy("S&T tasks (former register)"),
    columns=COLUMNS,
    natural_key=("code",),
    row_handler=task_row,
    clean_row=clean_row,
    permissions=("projects.add_task",),
    field_columns={"budget_provincial": "provincial", "budget_central": "central", "principal_investigator": "pi"},
    list_url="projects:task_list",
)


def register_spec() -> None:
    register(SPEC)
