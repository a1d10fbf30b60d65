"""Listings in any state, made through the services and moved through the workflow engine.

    listing_factory()                                   # a draft offer of a new department
    listing_factory(kind=ListingKind.NEED, status=ListingStatus.PUBLISHED, department=dept)
    listing_factory(actor=applicant)                   # posted by an applicant for its organisation
    listing_factory(status=ListingStatus.EXPIRED, title="...", keywords="...")

Extra keyword arguments are listing fields (services.LISTING_FIELDS) and override the defaults of
the kind. `officer_of(department)` gives (or makes) an officer who moderates the department's
listings.
"""

import datetime as dt

from django.utils import timezone

from opendost.accounts.models import User
from opendost.accounts.roles import Role
from opendost.marketplace import services
from opendost.marketplace.enums import EquipmentMode, ListingKind, ListingStatus, ServiceType, TransferMode
from opendost.marketplace.workflows import SYSTEM
from opendost.workflow.services import transition_apply
from tests.factories import DepartmentFactory, UserFactory
from tests.subjects.factories import OrganizationFactory

DEFAULTS = {
    ListingKind.OFFER: {
        "title": "Quy trình sản xuất chế phẩm vi sinh xử lý phụ phẩm nông nghiệp",
        "summary": "Chế phẩm vi sinh phân giải rơm rạ thành phân hữu cơ trong 30 ngày.",
        "keywords": "chế phẩm vi sinh; phân hữu cơ; rơm rạ",
        "readiness_level": 7,
        "transfer_modes": [TransferMode.LICENCE, TransferMode.CONSULTING],
        "price_negotiable": True,
    },
    ListingKind.NEED: {
        "title": "Cần công nghệ xử lý nước thải chăn nuôi",
        "summary": "Trang trại 2.000 con lợn cần xử lý nước thải đạt QCVN 62-MT:2016/BTNMT.",
        "keywords": "nước thải chăn nuôi; biogas",
        "expected_result": "Hệ thống xử lý 50 m3/ngày, nước sau xử lý đạt cột B.",
        "budget_min_vnd": 300_000_000,
        "budget_max_vnd": 800_000_000,
    },
    ListingKind.EQUIPMENT: {
        "title": "Cho thuê máy sắc ký lỏng hiệu năng cao (HPLC)",
        "summary": "Máy HPLC Agilent 1260, đầu dò DAD, dùng chung theo giờ.",
        "equipment_mode": EquipmentMode.SHARED_USE,
    },
    ListingKind.SERVICE: {
        "title": "Dịch vụ định giá công nghệ",
        "summary": "Định giá công nghệ, tài sản trí tuệ phục vụ góp vốn và chuyển giao.",
        "service_type": ServiceType.VALUATION,
    },
}


def officer_of(department) -> User:
    """An officer of `department` (the first one, or a new one)."""
    existing = (
        User.objects.filter(department=department, groups__name=Role.OFFICER, is_active=True).order_by("pk").first()
    )
    return existing or UserFactory(role=Role.OFFICER, department=department)


def applicant_of(organization, **kwargs) -> User:
    return UserFactory(role=Role.APPLICANT, department=None, organization=organization, **kwargs)


def listing_factory(
    *,
    kind: str = ListingKind.OFFER,
    status: str = ListingStatus.DRAFT,
    department=None,
    owner=None,
    actor=None,
    moderator=None,
    **fields,
):
    """A listing in `status`, through the services and the engine (never by assigning `.status`).

    `actor` posts it (an officer of the department by default; an applicant posts for its own
    organisation); `owner` is the owner organisation when an officer posts; `moderator` publishes or
    returns it (an officer of the department by default).
    """
    if actor is not None and getattr(actor, "organization", None) is not None and not actor.is_department_staff:
        department = actor.organization.department
    department = department or (owner.department if owner is not None else DepartmentFactory())
    officer = officer_of(department)
    actor = actor or officer
    moderator = moderator or officer
    values = dict(DEFAULTS[ListingKind(kind)])
    values.update(fields)
    if not actor.is_department_staff:
        values.pop("owner_organization", None)
    elif "owner_organization" not in values and "owner_person" not in values:
        values["owner_organization"] = owner or OrganizationFactory(department=department)
    listing = services.listing_create(actor=actor, department=department, kind=kind, **values)
    return listing_move(listing, status, actor=actor, moderator=moderator)


def listing_move(listing, status: str, *, actor=None, moderator=None):
    """Move a draft to `status` the way users do."""
    officer = officer_of(listing.department)
    actor = actor or officer
    moderator = moderator or officer
    if status == ListingStatus.DRAFT:
        return listing
    services.listing_submit(actor=actor, listing=listing)
    if status == ListingStatus.SUBMITTED:
        return listing
    if status == ListingStatus.RETURNED:
        return services.listing_return(actor=moderator, listing=listing, reason="Bổ sung mức độ sẵn sàng.")
    services.listing_publish(actor=moderator, listing=listing)
    if status == ListingStatus.PUBLISHED:
        return listing
    if status == ListingStatus.EXPIRED:
        return listing_expire(listing)
    if status == ListingStatus.WITHDRAWN:
        return services.listing_withdraw(actor=actor, listing=listing)
    raise ValueError(f"Unknown listing status {status!r}")


def listing_expire(listing):
    """Expire a published listing now, as the daily job does when its validity has run out."""
    transition_apply(listing, "expire", actor=SYSTEM, note=f"{timezone.localdate():%d/%m/%Y}")
    return listing


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)
