"""Demo data of S&T tasks: the plan's 2016-2020 record, reproduced exactly, and 2021-2026 tasks in
every state of the procedure.

2016-2020 (seed/facts.yaml results_2016_2020), recorded from the former register (historic tasks):
- 74 provincial and national tasks started in 2016-2020 (61 provincial, 13 national) whose budget
  is 49.5 bn VND central, 100.2 bn provincial and 72.8 bn counterpart (222.5 bn);
- 186 task results received and stored in 2016-2020 (registration dossiers complete in the period),
  90 of which received the Department's registration certificate (results of state-funded
  provincial tasks, including tasks started in 2013-2015); the other 96 are results of national
  tasks (certified by the national agency) and of grassroots tasks funded by their hosts, which
  the Department receives and stores without a certificate. The paper certificates keep their
  numbers; no document is re-issued.
2021-2026: tasks taken through the real steps (proposals, rounds, the ordered-list decision, a
published call and an application, contracts, tranches, payments, reports, an extension,
acceptances, a failed task, a cancelled one, certificates issued with QR codes).
Organisations and people are fictitious (demo mark, demo tax codes), except public bodies.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from opendost.calendars.workdays import add_working_days
from opendost.demo.data import BAC_GIANG, BAC_NINH, DEMO_MARK, PRE_2025, demo_tax_code
from opendost.geography.models import AdminUnit
from opendost.projects import services
from opendost.projects.enums import (
    AcceptanceLevel,
    AmendmentKind,
    AssignmentMode,
    Classification,
    FundingSource,
    ResultType,
    TaskKind,
    TaskLevel,
    TaskStatus,
)
from opendost.subjects import services as subject_services
from opendost.subjects.enums import OrganizationKind

TAX_CODE_OFFSET = 400
MILLION = 1_000_000

# The plan's figures (seed/facts.yaml), in million VND.
CENTRAL_TOTAL, PROVINCIAL_TOTAL, COUNTERPART_TOTAL = 49_500, 100_200, 72_800
PROVINCIAL_BY_YEAR = {2016: 14, 2017: 13, 2018: 12, 2019: 11, 2020: 11}  # 61
NATIONAL_BY_YEAR = {2016: 3, 2017: 3, 2018: 3, 2019: 2, 2020: 2}  # 13
PRE_2016_TASKS = 20  # provincial tasks started 2013-2015, results certified in 2016-2017
GRASSROOTS_TASKS = 84  # grassroots tasks, results stored in 2016-2020

HOSTS = [
    ("so-nn", OrganizationKind.PUBLIC_AGENCY, "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bắc Giang", ""),
    ("so-yt", OrganizationKind.PUBLIC_AGENCY, "Sở Y tế tỉnh Bắc Giang", ""),
    ("so-gd", OrganizationKind.PUBLIC_AGENCY, "Sở Giáo dục và Đào tạo tỉnh Bắc Giang", ""),
    ("so-vh", OrganizationKind.PUBLIC_AGENCY, "Sở Văn hóa, Thể thao và Du lịch tỉnh Bắc Giang", ""),
    ("dh-nong-lam", OrganizationKind.SCHOOL, "Trường Đại học Nông - Lâm Bắc Giang", ""),
    ("vien-rau-qua", OrganizationKind.ST_ORGANIZATION, "Viện Nghiên cứu Rau quả Mẫu", "demo"),
    ("cty-giong", OrganizationKind.ENTERPRISE, "Công ty Cổ phần Giống cây trồng Mẫu Bắc Giang", "demo"),
    ("cty-phan-mem", OrganizationKind.ENTERPRISE, "Công ty TNHH Phần mềm Mẫu Kinh Bắc", "demo"),
]

PEOPLE = [
    "Nguyễn Thị Hòa",
    "Trần Văn Khánh",
    "Lê Thị Thu Hà",
    "Phạm Quốc Việt",
    "Hoàng Minh Tuấn",
    "Đỗ Thị Lan",
    "Vũ Văn Thịnh",
    "Ngô Thị Hạnh",
    "Bùi Đức Long",
    "Đặng Văn Hùng",
    "Dương Thị Mai",
    "Lương Văn Toàn",
]


@dataclass(frozen=True)
class Theme:
    field: str
    kind: str
    host: str
    titles: tuple[str, ...]


THEMES = [
    Theme(
        "401",
        TaskKind.PILOT_PRODUCTION,
        "htx-vai-thieu",
        (
            "Ứng dụng tiến bộ kỹ thuật sản xuất vải thiều theo tiêu chuẩn GlobalGAP tại huyện Lục Ngạn",
            "Xây dựng mô hình sản xuất cam đường canh an toàn tại huyện Lục Ngạn",
            "Phục tráng và phát triển giống bưởi Diễn tại huyện Hiệp Hòa",
            "Ứng dụng công nghệ tưới nhỏ giọt cho cây ăn quả vùng đồi huyện Lục Nam",
            "Sản xuất thử nghiệm giống lúa thuần chất lượng cao tại huyện Yên Dũng",
            "Xây dựng mô hình trồng rau an toàn trong nhà màng tại thành phố Bắc Giang",
        ),
    ),
    Theme(
        "402",
        TaskKind.ST_PROJECT,
        "htx-ga-doi",
        (
            "Ứng dụng chế phẩm sinh học trong chăn nuôi gà đồi Yên Thế",
            "Xây dựng mô hình chăn nuôi lợn an toàn sinh học tại huyện Tân Yên",
            "Nghiên cứu chọn tạo đàn gà giống Hiệp Hòa thuần chủng",
        ),
    ),
    Theme(
        "405",
        TaskKind.PILOT_PRODUCTION,
        "tt-ung-dung-bg",
        (
            "Sản xuất giống cá rô phi đơn tính bằng công nghệ chuyển giới tính",
            "Nhân giống nấm ăn, nấm dược liệu quy mô công nghiệp",
            "Ứng dụng công nghệ sinh học sản xuất phân bón hữu cơ từ phụ phẩm nông nghiệp",
        ),
    ),
    Theme(
        "302",
        TaskKind.RESEARCH,
        "bv-luc-ngan",
        (
            "Ứng dụng kỹ thuật phẫu thuật nội soi điều trị sỏi tiết niệu tại bệnh viện tuyến huyện",
            "Nghiên cứu thực trạng bệnh tăng huyết áp ở người cao tuổi và đề xuất giải pháp can thiệp",
            "Ứng dụng kỹ thuật lọc máu liên tục trong điều trị bệnh nhân nặng",
            "Đánh giá hiệu quả sàng lọc ung thư cổ tử cung tại cộng đồng",
        ),
    ),
    Theme(
        "503",
        TaskKind.RESEARCH,
        "so-gd",
        (
            "Nghiên cứu đổi mới phương pháp dạy học môn lịch sử, địa lý địa phương",
            "Giải pháp nâng cao chất lượng giáo dục tiểu học vùng đồng bào dân tộc thiểu số",
            "Nghiên cứu quy hoạch đội ngũ giáo viên trung học cơ sở của tỉnh",
        ),
    ),
    Theme(
        "601",
        TaskKind.RESEARCH,
        "so-vh",
        (
            "Điều tra, khảo sát các ngôi chùa cổ trên dãy núi Yên Tử phục vụ công nhận di tích và trùng tu",
            "Nghiên cứu bảo tồn âm nhạc dân gian của dân tộc Cao Lan phục vụ du lịch cộng đồng",
            "Điều tra, dịch và xuất bản Văn bia Hán - Nôm Bắc Giang",
            "Nghiên cứu văn hóa truyền thống dân tộc Nùng, dân tộc Dao tỉnh Bắc Giang",
            "Điều tra các môn thể thao dân tộc của tỉnh",
        ),
    ),
    Theme(
        "504",
        TaskKind.SCHEME,
        "so-nn",
        (
            "Nghiên cứu giải pháp chuyển đổi ruộng đất khắc phục tình trạng manh mún",
            "Giải pháp nâng cao chất lượng đội ngũ cán bộ cấp xã, phường",
            "Nghiên cứu giải pháp phòng ngừa tệ nạn ma túy trong thanh thiếu niên",
        ),
    ),
    Theme(
        "203",
        TaskKind.ST_PROJECT,
        "co-khi-viet-yen",
        (
            "Ứng dụng công nghệ gia công CNC chế tạo khuôn mẫu chính xác",
            "Đổi mới công nghệ sấy vải thiều bằng năng lượng bơm nhiệt",
            "Hoàn thiện công nghệ sản xuất gạch không nung từ phế thải công nghiệp",
        ),
    ),
    Theme(
        "102",
        TaskKind.RESEARCH,
        "cty-phan-mem",
        (
            "Xây dựng cơ sở dữ liệu quản lý nhiệm vụ khoa học và công nghệ của tỉnh",
            "Ứng dụng hệ thống thông tin địa lý quản lý vùng trồng cây ăn quả",
            "Xây dựng phần mềm truy xuất nguồn gốc nông sản chủ lực",
        ),
    ),
]


class _Ctx:
    def __init__(self, departments, users, organizations):
        self.departments = departments
        self.officer = users["canbo"]
        self.leader = users["lanhdao"]
        self.applicant = users.get("doanhnghiep")
        self.organizations = dict(organizations)
        self.people: list = []
        self.fields: dict = {}
        self.places: dict = {}
        self.title_uses: dict[str, int] = {}


def load(*, departments, users, organizations) -> str:
    ctx = _Ctx(departments, users, organizations)
    _hosts_and_people(ctx)
    counts = _history_2016_2020(ctx)
    current = _tasks_2021_2026(ctx)
    stats = services_stats(ctx)
    return (
        f"S&T tasks: {counts} historic tasks, {current} tasks 2021-2026; 2016-2020: {stats['tasks']} tasks "
        f"({stats['provincial']} provincial, {stats['national']} national), "
        f"{stats['budget_total'] / 1e9:.1f} bn VND, {stats['results_received']} results, "
        f"{stats['certificates']} certificates"
    )


def services_stats(ctx) -> dict:
    from opendost.projects.selectors import task_statistics

    return task_statistics(department_ids=ctx.departments[BAC_NINH].jurisdiction_ids(), start_year=2016, end_year=2020)


# SUBJECTS ---------------------------------------------------------------------------------------
def _hosts_and_people(ctx: _Ctx) -> None:
    from opendost.classifications.models import ClassificationNode

    department = ctx.departments[BAC_GIANG]
    province = AdminUnit.objects.filter(code_set=PRE_2025, level="province", code="24").first()
    for n, (key, kind, name, demo) in enumerate(HOSTS, start=1):
        ctx.organizations[key] = subject_services.organization_create(
            actor=ctx.officer,
            department=department,
            kind=kind,
            name=name + (DEMO_MARK if demo else ""),
            tax_code=demo_tax_code(TAX_CODE_OFFSET + n) if demo else "",
            province=province,
            note="Bản ghi mẫu, không có thật." if demo else "Cơ quan, đơn vị chủ trì nhiệm vụ KH&CN.",
        )
    hosts = [o for o in ctx.organizations.values() if o.department_id == department.pk]
    for n, name in enumerate(PEOPLE):
        ctx.people.append(
            subject_services.person_create(
                actor=ctx.officer,
                department=department,
                full_name=name,
                degree="doctor" if n % 3 == 0 else "master",
                organization=hosts[n % len(hosts)],
            )
        )
    nodes = ClassificationNode.objects.filter(scheme__code="QD12_2008")
    ctx.fields = {node.code: node for node in nodes}
    for code in ("219", "215", "216", "223", "218", "213"):  # Lục Ngạn, Yên Thế, Tân Yên, Hiệp Hòa, Lục Nam, TP
        unit = AdminUnit.objects.filter(code_set=PRE_2025, level="district", code=code).first()
        if unit is not None:
            ctx.places[code] = unit


def _spread(total: int, weights: list[int]) -> list[int]:
    """`total` (million VND) split by `weights` in whole millions; the sum is exact."""
    scale = sum(weights)
    parts = [total * w // scale for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _title(ctx: _Ctx, theme: Theme, n: int) -> str:
    base = theme.titles[n % len(theme.titles)]
    used = ctx.title_uses.get(base, 0)
    ctx.title_uses[base] = used + 1
    return base if not used else f"{base} (giai đoạn {used + 1})"


def _places(ctx: _Ctx, n: int) -> list:
    units = list(ctx.places.values())
    return [units[n % len(units)]] if units else []


# 2016-2020 --------------------------------------------------------------------------------------
def _history_2016_2020(ctx: _Ctx) -> int:
    department = ctx.departments[BAC_GIANG]
    plan = []  # (level, start year)
    for year in range(2016, 2021):
        plan += [(TaskLevel.NATIONAL, year)] * NATIONAL_BY_YEAR[year]
        plan += [(TaskLevel.PROVINCIAL, year)] * PROVINCIAL_BY_YEAR[year]
    national = [i for i, (level, _y) in enumerate(plan) if level == TaskLevel.NATIONAL]
    central = dict(zip(national, _spread(CENTRAL_TOTAL, [3 + (i * 7) % 5 for i in national]), strict=True))
    provincial = _spread(PROVINCIAL_TOTAL, [(3 if i in central else 10) + (i * 5) % 7 for i in range(len(plan))])
    with_counterpart = [i for i in range(len(plan)) if i in central or i % 2 == 0]
    counterpart = dict(
        zip(with_counterpart, _spread(COUNTERPART_TOTAL, [4 + (i * 3) % 6 for i in with_counterpart]), strict=True)
    )
    made = 0
    doubles = 19  # 39 provincial tasks registered in the period, 19 of them with two results: 58
    sequence: dict[int, int] = {}
    for i, (level, year) in enumerate(plan):
        theme = THEMES[i % len(THEMES)]
        sequence[year] = sequence.get(year, 0) + 1
        start = dt.date(year, 3 + (i % 6), 1)
        end = dt.date(year + 2, start.month, 28)
        registered_in_period = year <= 2017 or (year == 2018 and level == TaskLevel.PROVINCIAL)
        # provincial 2016-2018 (39 tasks) and national 2016-2017 (6 tasks) registered by 2020
        task = services.task_record_historic(
            actor=ctx.officer,
            department=department,
            status=TaskStatus.LIQUIDATED if end.year <= 2022 else TaskStatus.RESULTS_REGISTERED,
            code=f"{'QG' if level == TaskLevel.NATIONAL else 'ĐT'}.{year}.{sequence[year]:02d}",
            title=_title(ctx, theme, i),
            kind=theme.kind,
            level=level,
            assignment_mode=AssignmentMode.SELECTION if i % 3 else AssignmentMode.DIRECT,
            field=ctx.fields.get(theme.field),
            host=ctx.organizations.get(theme.host),
            principal_investigator=ctx.people[i % len(ctx.people)],
            start_on=start,
            end_on=end,
            places=_places(ctx, i),
            budget={
                FundingSource.CENTRAL: central.get(i, 0) * MILLION,
                FundingSource.PROVINCIAL: provincial[i] * MILLION,
                FundingSource.COUNTERPART: counterpart.get(i, 0) * MILLION,
            },
        )
        made += 1
        # Results received in the period: provincial tasks started 2016-2018 (19 with two results),
        # national ones started 2016-2017 (two results each); later ones register after 2020.
        if level == TaskLevel.NATIONAL:
            count = 2 if registered_in_period else 1
        elif registered_in_period and doubles:
            count, doubles = 2, doubles - 1
        else:
            count = 1
        received = dt.date(
            min(end.year, 2020) if registered_in_period else max(end.year, 2021), min(end.month, 11), 10
        )
        _historic_results(ctx, task, theme, count, received, certify=level != TaskLevel.NATIONAL)
    made += _pre_2016(ctx, department)
    made += _grassroots(ctx, department)
    return made


def _historic_results(ctx, task, theme, count: int, received: dt.date, *, certify: bool) -> None:
    kinds = [ResultType.PROCESS, ResultType.REPORT, ResultType.MODEL, ResultType.PRODUCT]
    for k in range(count):
        title = task.title if k == 0 else f"Quy trình kỹ thuật: {task.title[0].lower()}{task.title[1:]}"
        result = services.result_add(
            actor=ctx.officer,
            task=task,
            title=title,
            abstract=(
                f"Kết quả của nhiệm vụ {task.code}: {task.title}. Báo cáo tổng hợp, sản phẩm và hướng dẫn áp dụng "
                "đã được hội đồng nghiệm thu và lưu giữ tại Trung tâm Thông tin và Thống kê KH&CN."
            ),
            keywords="; ".join(w for w in (theme.titles[0].split()[:3]) if len(w) > 2),
            year=received.year,
            result_type=kinds[(task.pk + k) % len(kinds)],
        )
        registration = services.result_registration_submit(actor=ctx.officer, result=result, received_on=received)
        if certify:
            ctx.certificate_seq = getattr(ctx, "certificate_seq", {})
            n = ctx.certificate_seq[received.year] = ctx.certificate_seq.get(received.year, 0) + 1
            services.result_registration_record_legacy(
                actor=ctx.officer,
                registration=registration,
                certificate_number=f"{n:02d}/GCN-SKHCN",
                issued_on=add_working_days(received, 4),
            )
        else:
            services.result_store(actor=ctx.officer, registration=registration, storage_ref=f"LT-{received.year}")


def _pre_2016(ctx, department) -> int:
    """Provincial tasks started 2013-2015 whose results were certified in 2016-2017 (32 results)."""
    for i in range(PRE_2016_TASKS):
        theme = THEMES[(i + 3) % len(THEMES)]
        year = 2013 + i % 3
        start = dt.date(year, 4, 1)
        task = services.task_record_historic(
            actor=ctx.officer,
            department=department,
            status=TaskStatus.LIQUIDATED,
            code=f"ĐT.{year}.{50 + i:02d}",
            title=_title(ctx, theme, i + 1),
            kind=theme.kind,
            level=TaskLevel.PROVINCIAL,
            field=ctx.fields.get(theme.field),
            host=ctx.organizations.get(theme.host),
            principal_investigator=ctx.people[(i + 5) % len(ctx.people)],
            start_on=start,
            end_on=dt.date(year + 2, 12, 31),
            budget={FundingSource.PROVINCIAL: (600 + 40 * i) * MILLION},
        )
        received = dt.date(2016 + i % 2, 3 + i % 8, 15)
        _historic_results(ctx, task, theme, 2 if i < 12 else 1, received, certify=True)
    return PRE_2016_TASKS


def _grassroots(ctx, department) -> int:
    """Grassroots tasks funded by their hosts: results received and stored, no certificate."""
    hosts = ["bv-luc-ngan", "dh-nong-lam", "so-gd", "tt-ung-dung-bg", "pk-tan-yen", "so-yt"]
    for i in range(GRASSROOTS_TASKS):
        theme = THEMES[i % len(THEMES)]
        year = 2016 + i % 5
        host = ctx.organizations.get(hosts[i % len(hosts)])
        task = services.task_record_historic(
            actor=ctx.officer,
            department=department,
            status=TaskStatus.RESULTS_REGISTERED,
            code=f"CS.{year}.{i + 1:02d}",
            title=f"{_title(ctx, theme, i + 2)} (cấp cơ sở)",
            kind=TaskKind.RESEARCH,
            level=TaskLevel.GRASSROOTS,
            field=ctx.fields.get(theme.field),
            host=host,
            principal_investigator=ctx.people[i % len(ctx.people)],
            start_on=dt.date(year, 2, 1),
            end_on=dt.date(year, 11, 30),
            budget={FundingSource.COUNTERPART: (30 + 5 * (i % 10)) * MILLION},
        )
        _historic_results(ctx, task, theme, 1, dt.date(year, 12, 1 + i % 10), certify=False)
    return GRASSROOTS_TASKS


# 2021-2026: THE REAL STEPS ----------------------------------------------------------------------
def _tasks_2021_2026(ctx: _Ctx) -> int:
    bn = ctx.departments[BAC_NINH]
    officer, leader = ctx.officer, ctx.leader
    today = timezone.localdate()
    hosts = [
        ctx.organizations[k] for k in ("dien-tu-kinh-bac", "xuat-khau-vai", "tt-doi-moi") if k in ctx.organizations
    ]
    bn_people = [
        subject_services.person_create(actor=officer, department=bn, full_name=name, degree="doctor", organization=org)
        for name, org in zip(("Vũ Thị Ngọc Anh", "Phan Văn Lộc", "Trịnh Thu Trang"), hosts, strict=False)
    ]
    # A round of proposals for next year, still open, with an applicant's proposal.
    services.round_create(
        actor=officer, department=bn, year=today.year + 1, title=f"Đề xuất đặt hàng năm {today.year + 1}"
    )
    if ctx.applicant is not None:
        services.proposal_create(
            actor=ctx.applicant,
            title="Ứng dụng trí tuệ nhân tạo kiểm tra lỗi bo mạch điện tử",
            problem="Tỷ lệ lỗi hàn linh kiện phát hiện muộn làm tăng chi phí sản xuất.",
            objectives="Xây dựng hệ thống camera và mô hình AI phát hiện lỗi hàn trên dây chuyền.",
            expected_results="Hệ thống kiểm tra tự động; quy trình vận hành; báo cáo hiệu quả.",
            field=ctx.fields.get("202"),
            estimated_budget=2_500 * MILLION,
            submit=True,
        )
    # The current year's round: approved ordered list (decision issued), a call, an application.
    proposal_round = services.round_create(
        actor=officer, department=bn, year=today.year, title=f"Đề xuất đặt hàng năm {today.year}"
    )
    texts = [
        ("Nghiên cứu sản xuất chế phẩm vi sinh xử lý phụ phẩm vải thiều", "401", "Xã Lục Ngạn"),
        ("Ứng dụng chuyển đổi số trong quản lý vùng trồng cây ăn quả xuất khẩu", "102", "UBND xã Tân Yên"),
        ("Xây dựng và quản lý nhãn hiệu chứng nhận Măng tre Tân Yên", "504", "UBND xã Tân Yên"),
    ]
    proposals = [
        services.proposal_create(
            actor=officer,
            department=bn,
            proposer_name=proposer,
            title=title,
            problem="Nhu cầu thực tiễn của địa phương.",
            objectives="Giải quyết vấn đề nêu trong đề xuất.",
            expected_results="Quy trình, mô hình, báo cáo khoa học.",
            field=ctx.fields.get(field),
            estimated_budget=1_500 * MILLION,
            submit=True,
        )
        for title, field, proposer in texts
    ]
    services.proposal_group(actor=officer, proposal_round=proposal_round, proposals=proposals)
    services.proposal_shortlist(actor=officer, proposal=proposals[0])
    services.proposal_shortlist(actor=officer, proposal=proposals[1])
    services.proposal_shortlist(actor=officer, proposal=proposals[2])
    services.round_close(actor=officer, proposal_round=proposal_round)
    services.round_approve(actor=leader, proposal_round=proposal_round, modes={proposals[1].pk: AssignmentMode.DIRECT})
    ordered = list(proposal_round.tasks.order_by("code"))
    selection_task = next(t for t in ordered if t.assignment_mode == AssignmentMode.SELECTION)  # the 3rd stays ordered
    direct_task = next(t for t in ordered if t.assignment_mode == AssignmentMode.DIRECT)
    call = services.call_create(
        actor=officer,
        department=bn,
        title=f"Thông báo tuyển chọn tổ chức, cá nhân chủ trì nhiệm vụ KH&CN năm {today.year}",
        description="Hồ sơ nộp trực tuyến trên Cổng dịch vụ công của Sở.",
        deadline=timezone.now() + dt.timedelta(days=30),
        tasks=[selection_task],
    )
    services.call_publish(actor=officer, call=call)
    if ctx.applicant is not None:
        services.application_create(
            actor=ctx.applicant,
            call=call,
            task=selection_task,
            principal_investigator_name="Vũ Thị Ngọc Anh",
            proposal_text="Thuyết minh: mục tiêu, nội dung, phương pháp, tiến độ, sản phẩm.",
            team="05 thành viên chính, 02 tiến sĩ.",
            timeline="24 tháng.",
            budget_provincial=1_200 * MILLION,
            budget_counterpart=400 * MILLION,
            submit=True,
        )
    services.task_assign(
        actor=leader,
        task=direct_task,
        host=hosts[2] if len(hosts) > 2 else hosts[0],
        principal_investigator=bn_people[-1],
        start_on=today,
        end_on=today + dt.timedelta(days=730),
        budget={FundingSource.PROVINCIAL: 1_400 * MILLION, FundingSource.COUNTERPART: 200 * MILLION},
    )
    # Tasks started 2021-2025 (the former Bắc Giang department), one per remaining state.
    bg = ctx.departments[BAC_GIANG]
    made = len(ordered)
    specs = [
        ("contracted", 2025, hosts[0], "Ứng dụng IoT giám sát môi trường nhà xưởng điện tử"),
        ("in_progress", 2025, hosts[0], "Phát triển bo mạch điều khiển thiết bị tưới thông minh"),
        (
            "in_progress_report",
            2024,
            ctx.organizations["htx-vai-thieu"],
            "Sản xuất vải thiều hữu cơ đạt chứng nhận quốc tế",
        ),
        ("extended", 2023, ctx.organizations["htx-ga-doi"], "Chọn lọc nâng cao năng suất đàn gà đồi Yên Thế"),
        (
            "submitted",
            2023,
            ctx.organizations["bv-luc-ngan"],
            "Ứng dụng kỹ thuật can thiệp mạch vành tại bệnh viện tuyến huyện",
        ),
        ("accepted", 2022, ctx.organizations["sinh-hoc-hiep-hoa"], "Sản xuất chế phẩm Trichoderma cho cây ăn quả"),
        ("registered", 2022, ctx.organizations["cb-nong-san"], "Công nghệ bảo quản vải thiều tươi xuất khẩu"),
        ("liquidated", 2021, ctx.organizations["tt-ung-dung-bg"], "Nhân giống lan kim tuyến bằng nuôi cấy mô"),
        ("failed", 2021, ctx.organizations["co-khi-viet-yen"], "Chế tạo máy bóc vỏ lạc năng suất cao"),
        ("cancelled", 2022, ctx.organizations["htx-che"], "Chế biến chè xanh chất lượng cao Yên Thế"),
    ]
    for n, (state, year, host, title) in enumerate(specs, start=1):
        department = bn if year >= 2025 else bg
        people = ctx.people if department is bg else bn_people
        _walk(ctx, department, state, year, n, host, people[n % len(people)], title)
        made += 1
    return made


def _walk(ctx: _Ctx, department, state: str, year: int, n: int, host, pi, title: str) -> None:
    officer, leader = ctx.officer, ctx.leader
    today = timezone.localdate()
    start = dt.date(year, 8, 1) if year >= 2025 else dt.date(year, 6, 1)
    end = (
        min(dt.date(year + 2, 5, 31), today - dt.timedelta(days=40))
        if state != "contracted"
        else dt.date(year + 2, 5, 31)
    )
    if state in {"contracted", "in_progress", "in_progress_report", "extended"}:
        end = dt.date(year + 2, 12, 31)
    task = services.task_create(
        actor=officer,
        department=department,
        code=f"ĐT.{year}.{10 + n:02d}",
        title=title,
        kind=TaskKind.ST_PROJECT if n % 2 else TaskKind.RESEARCH,
        level=TaskLevel.PROVINCIAL,
        assignment_mode=AssignmentMode.DIRECT,
        field=ctx.fields.get(("202", "401", "402", "302", "405", "203")[n % 6]),
        objectives="Làm chủ quy trình công nghệ và chuyển giao cho địa phương.",
        expected_products="Quy trình công nghệ; mô hình trình diễn; báo cáo tổng hợp.",
        places=_places(ctx, n) if department.valid_to else [],
    )
    if state == "cancelled":
        services.task_cancel(
            actor=leader, task=task, reason="Tổ chức chủ trì đề nghị dừng do thay đổi kế hoạch sản xuất."
        )
        return
    provincial, counterpart = (900 + 50 * n) * MILLION, 300 * MILLION
    services.task_assign(
        actor=leader,
        task=task,
        host=host,
        principal_investigator=pi,
        start_on=start,
        end_on=end,
        budget={FundingSource.PROVINCIAL: provincial, FundingSource.COUNTERPART: counterpart},
    )
    services.contract_sign(
        actor=officer,
        task=task,
        number=f"{n:02d}/{year}/HĐ-KHCN",
        signed_on=start,
        total=provincial,
        starts_on=start,
        ends_on=end,
        tranches=[
            {
                "planned_amount": provincial * 6 // 10,
                "condition": "Sau khi ký hợp đồng",
                "due_on": start + dt.timedelta(days=30),
            },
            {
                "planned_amount": provincial - provincial * 6 // 10,
                "condition": "Sau kiểm tra giữa kỳ",
                "due_on": start + dt.timedelta(days=400),
            },
        ],
    )
    task.refresh_from_db()
    tranches = list(task.contract.tranches.all())
    services.disbursement_record(
        actor=officer,
        tranche=tranches[0],
        amount=tranches[0].planned_amount,
        paid_on=start + dt.timedelta(days=20),
        reference="UNC-01",
    )
    if state == "contracted":
        return
    services.task_start(actor=officer, task=task)
    services.deliverable_add(
        actor=officer, task=task, name="Báo cáo khảo sát, đánh giá thực trạng", due_on=start + dt.timedelta(days=180)
    )
    services.deliverable_add(actor=officer, task=task, name="Mô hình trình diễn", due_on=end)
    mid = min(start + dt.timedelta(days=420), today - dt.timedelta(days=10))
    services.progress_report_submit(
        actor=officer,
        task=task,
        period_end=min(start + dt.timedelta(days=365), today - dt.timedelta(days=15)),
        content="Đã hoàn thành khảo sát, xây dựng quy trình thử nghiệm; giải ngân đợt 1 đúng tiến độ.",
    )
    if state == "in_progress_report":
        return
    services.progress_check_record(
        actor=officer, task=task, checked_on=mid, findings="Thực hiện đúng nội dung, tiến độ.", conclusion="on_track"
    )
    if state == "in_progress":
        return
    if state == "extended":
        amendment = services.amendment_request(
            actor=officer,
            task=task,
            kind=AmendmentKind.EXTENSION,
            reason="Thời tiết bất thường ảnh hưởng mùa vụ thử nghiệm.",
            new_end_on=end + dt.timedelta(days=180),
        )
        services.amendment_approve(actor=leader, amendment=amendment)
        return
    services.disbursement_record(
        actor=officer, tranche=tranches[1], amount=tranches[1].planned_amount, paid_on=mid, reference="UNC-02"
    )
    task.refresh_from_db()
    services.task_submit_for_acceptance(actor=officer, task=task)
    if state == "submitted":
        return
    held = today - dt.timedelta(days=20)
    services.acceptance_record(
        actor=officer,
        task=task,
        level=AcceptanceLevel.GRASSROOTS,
        classification=Classification.PASS,
        held_on=held - dt.timedelta(days=10),
    )
    if state == "failed":
        services.acceptance_record(
            actor=officer,
            task=task,
            level=AcceptanceLevel.PROVINCIAL,
            classification=Classification.FAIL,
            held_on=held,
            council_ref="Hội đồng nghiệm thu cấp tỉnh",
            refund_amount=200 * MILLION,
            note="Sản phẩm chính không đạt yêu cầu.",
        )
        services.task_close(actor=leader, task=task)
        return
    services.acceptance_record(
        actor=officer,
        task=task,
        level=AcceptanceLevel.PROVINCIAL,
        classification=Classification.EXCELLENT if n % 2 else Classification.PASS,
        held_on=held,
        council_ref="Hội đồng nghiệm thu cấp tỉnh",
    )
    task.refresh_from_db()
    result = services.result_add(
        actor=officer,
        task=task,
        title=task.title,
        year=today.year,
        keywords="quy trình; mô hình; Bắc Giang",
        abstract=f"{task.title}: quy trình công nghệ đã được hoàn thiện, mô hình trình diễn đạt hiệu quả kinh tế.",
        result_type=ResultType.PROCESS,
    )
    if state == "accepted":
        return
    registration = services.result_registration_submit(
        actor=officer, result=result, received_on=today - dt.timedelta(days=3)
    )
    services.result_register(
        actor=officer,
        registration=registration,
        storage_ref=f"KQ-{today.year}-{n:02d}",
        signer_name=leader.get_full_name(),
    )
    services.result_application_record(
        actor=officer,
        result=result,
        place=_places(ctx, n)[0] if _places(ctx, n) else None,
        place_text="" if _places(ctx, n) else "Tỉnh Bắc Ninh",
        scale="Nhân rộng tại 3 hợp tác xã",
        economic_effect="Tăng giá trị sản xuất khoảng 15%.",
        year=today.year,
    )
    if state == "liquidated":
        task.refresh_from_db()
        services.task_liquidate(actor=leader, task=task)
