"""Demo of brokerage, on the listings demo_listings published (it runs after it).

Two fairs: a Techmart held in October 2025 with listings at their booths and connections made there,
and a fair planned for September 2027. Thirteen connections in every state, four of them deals
signed in 2023, 2024, 2025 and 2026 with their contracts (the exchange's older brokerage entered from
the previous platform's records), the enterprise demo account's interest in an offer, and two
dropped with their reasons. Everything goes through the services (statuses through transitions);
only `created_at` of the entered history is set back to the day each connection began, so the
plan's indicator market_connections counts them in their year.
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from opendost.marketplace import services_brokerage as services
from opendost.marketplace.enums import ConnectionEventKind, FairKind, ListingKind, ListingStatus, TransferMode
from opendost.marketplace.models import Connection, Fair, Listing
from opendost.marketplace.permissions_brokerage import owner_organization_id
from opendost.subjects.enums import OrganizationKind
from opendost.subjects.models import Organization

DEPARTMENT = "bac-ninh"
OFFICER = "canbo"
ENTERPRISE_USER = "doanhnghiep"
SEEKER_KEYS = (
    "xuat-khau-vai",
    "cb-nong-san",
    "co-khi-viet-yen",
    "sinh-hoc-hiep-hoa",
    "gom-bac-ninh",
    "htx-vai-thieu",
    "htx-che",
    "htx-ga-doi",
    "dien-tu-kinh-bac",
)

# (state, opened on, events..., deal (signed on, value VND, mode, contract), drop reason, follow-up)
D = dt.date
STORIES = [
    {"state": "followed_up", "opened": D(2023, 2, 14), "signed": (D(2023, 6, 20), 850_000_000, TransferMode.LICENCE),
     "follow_up": (D(2024, 6, 25), "Doanh nghiệp đã làm chủ quy trình, sản lượng tăng 30% sau một năm.")},
    {"state": "followed_up", "opened": D(2024, 1, 8), "signed": (D(2024, 9, 12), 1_200_000_000, TransferMode.TURNKEY),
     "follow_up": (D(2025, 3, 18), "Dây chuyền vận hành ổn định; đơn vị chuyển giao tiếp tục bảo hành.")},
    {"state": "deal", "opened": D(2025, 10, 17), "signed": (D(2025, 12, 5), 620_000_000, TransferMode.CONSULTING),
     "fair": "held"},
    {"state": "deal", "opened": D(2025, 11, 3), "signed": (D(2026, 1, 22), 380_000_000, TransferMode.SALE)},
    {"state": "negotiating", "opened": D(2025, 10, 16), "fair": "held"},
    {"state": "negotiating", "opened": D(2025, 12, 1)},
    {"state": "meeting", "opened": D(2025, 10, 18), "fair": "held"},
    {"state": "introduced", "opened": D(2026, 1, 12)},
    {"state": "introduced", "opened": D(2026, 1, 20)},
    {"state": "dropped", "opened": D(2024, 5, 6),
     "reason": "Doanh nghiệp chưa bố trí được vốn đối ứng cho dự án đổi mới công nghệ."},
    {"state": "dropped", "opened": D(2025, 10, 17), "fair": "held", "after": "meeting",
     "reason": "Công nghệ chưa phù hợp quy mô sản xuất của hợp tác xã."},
    {"state": "requested", "opened": D(2026, 2, 2)},
]  # fmt: skip
ORDER = ["requested", "introduced", "meeting", "negotiating", "deal", "followed_up"]


def _before(day: dt.date, days: int) -> dt.date:
    return min(day + dt.timedelta(days=days), timezone.localdate())


def _listings(department, kinds):
    today = timezone.localdate()
    return list(
        Listing.objects.filter(
            department_id__in=department.jurisdiction_ids(), kind__in=kinds, status=ListingStatus.PUBLISHED
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("owner_person")
        .order_by("pk")
    )


def _seekers(organizations, department) -> list[Organization]:
    rows = [organizations[key] for key in SEEKER_KEYS if key in organizations]
    if not rows:
        rows = list(
            Organization.objects.filter(
                department_id__in=department.jurisdiction_ids(), kind=OrganizationKind.ENTERPRISE
            ).order_by("pk")[:9]
        )
    return rows


def load(*, departments, users, organizations) -> str:
    department = departments.get(DEPARTMENT)
    officer = users.get(OFFICER)
    if department is None or officer is None:
        return "marketplace brokerage: no demo department"
    if Connection.objects.filter(department=department).exists():
        return "marketplace brokerage: already loaded"
    offers = _listings(department, services.SUPPLY_KINDS)
    needs = _listings(department, [ListingKind.NEED])
    seekers = _seekers(organizations, department)
    if not offers or not seekers:
        return "marketplace brokerage: no published offer to broker"
    fairs = _fairs(department, officer, offers + needs)
    made = [
        _story(story, i, officer=officer, offers=offers, needs=needs, seekers=seekers, fairs=fairs)
        for i, story in enumerate(STORIES)
    ]
    interest = _interest(users.get(ENTERPRISE_USER), offers)
    count = len([c for c in made if c]) + (1 if interest else 0)
    deals = sum(1 for s in STORIES if "signed" in s)
    return f"marketplace brokerage: {len(fairs)} fairs, {count} connections ({deals} deals)"


def _fairs(department, officer, listings) -> dict[str, Fair]:
    held = services.fair_create(
        actor=officer,
        department=department,
        title="Chợ công nghệ và thiết bị (Techmart) tỉnh Bắc Ninh năm 2025",
        kind=FairKind.FAIR,
        starts_on=D(2025, 10, 16),
        ends_on=D(2025, 10, 18),
        venue="Trung tâm Hội nghị tỉnh, phường Kinh Bắc, tỉnh Bắc Ninh",
        description="Trưng bày, giới thiệu công nghệ, thiết bị và kết nối cung - cầu công nghệ (dữ liệu mẫu).",
    )
    for n, listing in enumerate(listings[:8], start=1):
        services.fair_register(actor=officer, fair=held, listing=listing, booth=f"A{n:02d}")
    services.fair_hold(actor=officer, fair=held)
    planned = services.fair_create(
        actor=officer,
        department=department,
        title="Ngày hội kết nối cung - cầu công nghệ Bắc Ninh 2027",
        kind=FairKind.BROKERAGE,
        starts_on=D(2027, 9, 15),
        ends_on=D(2027, 9, 16),
        venue="Trung tâm Ứng dụng tiến bộ KH&CN, tỉnh Bắc Ninh",
        description="Phiên kết nối giữa doanh nghiệp và tổ chức KH&CN (dữ liệu mẫu).",
    )
    for n, listing in enumerate(listings[:3], start=1):
        services.fair_register(actor=officer, fair=planned, listing=listing, booth=f"B{n:02d}")
    return {"held": held, "planned": planned}


def _story(story, i, *, officer, offers, needs, seekers, fairs) -> Connection | None:
    offer = offers[i % len(offers)]
    owner_id = owner_organization_id(offer)
    candidates = [s for s in seekers if s.pk != owner_id]
    if not candidates:
        return None
    seeker = candidates[i % len(candidates)]
    need = None
    if needs and i % 3 == 0:
        need = needs[(i // 3) % len(needs)]
        need_owner = owner_organization_id(need)
        if need_owner == owner_id:
            need = None
        elif need_owner is not None:
            seeker = Organization.objects.get(pk=need_owner)
    if services.open_between(offer=offer, seeker_id=seeker.pk, need=need).exists():
        return None
    connection = services.connection_create_by_officer(
        actor=officer,
        offer=offer,
        need=need,
        seeker=seeker,
        fair=fairs["held"] if story.get("fair") == "held" else None,
        broker=officer,
        message="Kết nối ghi nhận từ hồ sơ môi giới của Sở (dữ liệu mẫu).",
    )
    opened = min(story["opened"], timezone.localdate())
    Connection.objects.filter(pk=connection.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(opened, dt.time(9, 0)))
    )
    connection.refresh_from_db()
    target = story.get("after", story["state"])
    if target == "dropped":
        target = "requested"
    reach = ORDER.index(target)
    if reach >= 1:
        services.connection_introduce(
            actor=officer, connection=connection, on=_before(opened, 7), note="Sở gửi thông tin hai bên, hẹn gặp."
        )
    if reach >= 2:
        services.connection_meet(
            actor=officer, connection=connection, on=_before(opened, 21), note="Gặp tại Sở, khảo sát nhu cầu."
        )
        services.event_add(
            actor=officer,
            connection=connection,
            kind=ConnectionEventKind.MEETING,
            happened_on=_before(opened, 35),
            note="Khảo sát thực địa tại cơ sở sản xuất.",
        )
    if reach >= 3:
        services.connection_negotiate(actor=officer, connection=connection, note="Hai bên trao đổi dự thảo hợp đồng.")
    if reach >= 4:
        signed_on, value, mode = story["signed"]
        signed_on = min(signed_on, timezone.localdate())
        services.connection_sign_deal(
            actor=officer,
            connection=connection,
            signed_on=signed_on,
            value_vnd=value,
            mode=mode,
            contract_ref=f"{i + 1:02d}/{signed_on.year}/HĐCGCN",
        )
    if reach >= 5:
        on, note = story["follow_up"]
        on = min(on, timezone.localdate())
        services.connection_follow_up(actor=officer, connection=connection, on=on, note=note)
    if story["state"] == "dropped":
        services.connection_drop(actor=officer, connection=connection, reason=story["reason"])
    return connection


def _interest(user, offers) -> Connection | None:
    """The enterprise demo account's own interest in an offer (waiting for the officer)."""
    if user is None or user.organization_id is None:
        return None
    for offer in reversed(offers):
        if owner_organization_id(offer) == user.organization_id:
            continue
        if services.open_between(offer=offer, seeker_id=user.organization_id).exists():
            continue
        return services.interest_express(
            actor=user,
            offer=offer,
            message="Công ty quan tâm nhận chuyển giao công nghệ này cho dây chuyền sản xuất (dữ liệu mẫu).",
        )
    return None
