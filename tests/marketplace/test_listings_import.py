"""Importing the old exchange's listings from Excel: every row checked, all or nothing, published or
expired through the engine."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from opendost.imports import services as import_services
from opendost.imports.enums import ImportStatus
from opendost.imports.registry import get_spec
from opendost.marketplace.enums import ListingKind, ListingSource, ListingStatus
from opendost.marketplace.imports import SPEC
from opendost.marketplace.models import Listing, ListingTerm
from opendost.workflow.models import TransitionLog
from tests.imports.helpers import xlsx
from tests.marketplace.listings_fixtures import *  # noqa: F403
from tests.subjects.factories import field_nodes

pytestmark = pytest.mark.django_db

HEADER = [
    "Loại tin",
    "Tiêu đề",
    "Mô tả",
    "Từ khóa",
    "Lĩnh vực",
    "Chủ sở hữu",
    "Mức độ sẵn sàng (TRL)",
    "Phương thức chuyển giao",
    "Giá thỏa thuận",
    "Kết quả mong đợi",
    "Kinh phí từ (đồng)",
    "Kinh phí đến (đồng)",
    "Hình thức cung cấp thiết bị",
    "Ngày đăng",
    "Hiệu lực đến",
]


def offer_row(title="Chế phẩm vi sinh ủ phân", owner="0100233488", until=dt.date(2026, 12, 31), **kw):
    row = {
        "kind": "Chào bán công nghệ",
        "title": title,
        "summary": "Phân giải rơm rạ thành phân hữu cơ.",
        "keywords": "vi sinh; phân hữu cơ",
        "field": "T2",
        "owner": owner,
        "trl": 7,
        "modes": "Li-xăng; Tư vấn",
        "negotiable": "Có",
        "expected": None,
        "bmin": None,
        "bmax": None,
        "equipment": None,
        "from": dt.date(2025, 12, 1),
        "until": until,
    }
    row.update(kw)
    return list(row.values())


def need_row(title="Cần máy sao chè", owner="Công ty Cổ phần Thực phẩm Kinh Bắc", until=dt.date(2026, 1, 31), **kw):
    row = {
        "kind": "Nhu cầu công nghệ",
        "title": title,
        "summary": "Cơ giới hóa khâu sao chè.",
        "keywords": "",
        "field": None,
        "owner": owner,
        "trl": None,
        "modes": None,
        "negotiable": None,
        "expected": "Dây chuyền 200 kg/giờ.",
        "bmin": 100_000_000,
        "bmax": 500_000_000,
        "equipment": None,
        "from": dt.date(2025, 6, 1),
        "until": until,
    }
    row.update(kw)
    return list(row.values())


def run(user, path, **kwargs):
    return import_services.import_file(
        actor=user, spec=SPEC, file=path, file_name=path.name, department=user.department, **kwargs
    )


@pytest.fixture
def setup(department, enterprise):
    field_nodes()
    return department


def test_spec_is_registered():
    assert get_spec("marketplace.listings") is SPEC


def test_good_rows_are_published_or_expired_through_the_engine(officer, setup, enterprise, tmp_path):
    path = xlsx(tmp_path, [HEADER, offer_row(), need_row()])
    run_ = run(officer, path)
    assert (run_.status, run_.created) == (ImportStatus.SUCCEEDED, 2), run_.error_sample
    offer = Listing.objects.get(kind=ListingKind.OFFER)
    need = Listing.objects.get(kind=ListingKind.NEED)
    assert offer.source == need.source == ListingSource.IMPORT
    assert offer.status == ListingStatus.PUBLISHED  # valid until 31/12/2026
    assert need.status == ListingStatus.EXPIRED  # ended 31/01/2026, before today (10/03/2026)
    assert offer.owner_organization == need.owner_organization == enterprise
    assert offer.transfer_modes == ["licence", "consulting"] and offer.price_negotiable
    assert offer.readiness_level == 7 and offer.field.code == "T2"
    assert (offer.valid_from, offer.published_on) == (dt.date(2025, 12, 1), dt.date(2025, 12, 1))
    assert ListingTerm.objects.filter(listing=offer).exists()
    assert not ListingTerm.objects.filter(listing=need).exists()
    moves = list(TransitionLog.objects.for_object(need).values_list("name", flat=True))
    assert moves == ["submit", "publish", "expire"]


def test_the_same_file_twice_changes_nothing(officer, setup, tmp_path):
    path = xlsx(tmp_path, [HEADER, offer_row()])
    run(officer, path)
    again = run(officer, path, allow_repeat=True)
    assert (again.status, again.created, again.unchanged) == (ImportStatus.SUCCEEDED, 0, 1)
    assert Listing.objects.count() == 1


def test_bad_rows_are_all_reported_and_nothing_is_imported(officer, setup, tmp_path):
    path = xlsx(
        tmp_path,
        [
            HEADER,
            offer_row(),
            offer_row(title="Không rõ chủ", owner="Công ty Ma"),
            offer_row(title="TRL sai", trl=12),
            offer_row(title="Chuyển giao lạ", modes="Trao đổi hàng"),
            offer_row(title="Thiếu phương thức", modes=None),
            need_row(title="Ngân sách ngược", bmin=900_000_000, bmax=100_000_000),
            need_row(title="Thiếu kết quả", expected=None),
            need_row(title="Ngày sai", until="31/02/2026"),
            offer_row(kind="Trao đổi"),
        ],
    )
    result = run(officer, path)
    assert result.status == ImportStatus.INVALID
    assert not Listing.objects.exists()
    by_row = {}
    for issue in result.error_sample:
        by_row.setdefault(issue["row"], []).append(issue)
    messages = {row: " ".join(i["message"] for i in issues) for row, issues in by_row.items()}
    assert "not in the register" in messages[3]
    assert "9" in messages[4]
    assert "Unknown transfer mode: Trao đổi hàng" in messages[5]
    assert "at least one transfer mode" in messages[6]
    assert "upper bound" in messages[7]
    assert "expects" in messages[8]
    assert "dd/mm/yyyy" in messages[9]
    assert "Choose one of" in messages[10]
    assert 2 not in messages


def test_duplicate_rows_in_one_file_are_an_error(officer, setup, tmp_path):
    path = xlsx(tmp_path, [HEADER, offer_row(), offer_row(title="CHẾ PHẨM VI SINH Ủ PHÂN")])
    result = run(officer, path)
    assert result.status == ImportStatus.INVALID
    assert "already describes this record" in result.error_sample[0]["message"]


def test_importer_needs_to_create_and_moderate(leader, setup, tmp_path):
    path = xlsx(tmp_path, [HEADER, offer_row()])
    with pytest.raises(PermissionDenied):
        run(leader, path)  # leaders moderate but do not post
    assert not Listing.objects.exists()


def test_vietnamese_messages_are_ready(officer, setup, tmp_path, settings):
    from django.utils import translation

    path = xlsx(tmp_path, [HEADER, offer_row(owner="Công ty Ma")])
    with translation.override("vi"):
        result = run(officer, path)
    assert result.status == ImportStatus.INVALID
    assert result.error_sample[0]["column"] == "Chủ sở hữu"
