"""Listing services: creation and update rules of every kind, owners and officers, files, codes."""

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from opendost.audit.models import AuditEvent
from opendost.common.locking import EditConflict
from opendost.marketplace import services
from opendost.marketplace.enums import (
    CaptureChannel,
    EquipmentMode,
    ListingKind,
    ListingSource,
    ListingStatus,
    ServiceType,
    TransferMode,
)
from opendost.marketplace.models import Listing, ListingFile
from tests.marketplace.factories import DEFAULTS, listing_factory
from tests.marketplace.listings_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def offer(**overrides):
    values = dict(DEFAULTS[ListingKind.OFFER])
    values.update(overrides)
    return values


def create(actor, kind=ListingKind.OFFER, department=None, **overrides):
    values = dict(DEFAULTS[ListingKind(kind)])
    values.update(overrides)
    return services.listing_create(actor=actor, department=department, kind=kind, **values)


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


# CREATE -----------------------------------------------------------------------------------------
def test_officer_creates_a_draft_offer_with_code_search_text_and_audit(officer, department, enterprise, nodes):
    listing = create(officer, department=department, owner_organization=enterprise, field=nodes.engineering)
    assert listing.status == ListingStatus.DRAFT
    assert listing.source == ListingSource.OWNER
    assert listing.code == "BAC-NINH-CN26-00001"
    assert listing.created_by == officer
    assert "che pham vi sinh" in listing.search_text
    assert "khoa hoc ky thuat va cong nghe" in listing.search_text  # the field's name, folded
    assert AuditEvent.objects.filter(object_id=str(listing.pk), action="create").exists()
    second = create(officer, department=department, owner_organization=enterprise)
    assert second.code == "BAC-NINH-CN26-00002"
    need = create(officer, ListingKind.NEED, department=department, owner_organization=enterprise)
    assert need.code == "BAC-NINH-NC26-00001"


def test_search_text_folds_title_summary_keywords_and_sector(officer, department, enterprise):
    listing = create(
        officer,
        department=department,
        owner_organization=enterprise,
        title="Máy sấy ĐIỆN TỪ",
        summary="Sấy nông sản",
        keywords="vải thiều",
        sector="Chế biến thực phẩm",
    )
    assert listing.search_text == "may say dien tu say nong san vai thieu che bien thuc pham"


def test_applicant_posts_for_its_own_organisation(applicant, enterprise, department):
    listing = create(applicant, ListingKind.NEED)
    assert listing.owner_organization == enterprise
    assert listing.department == department
    assert listing.source == ListingSource.OWNER


def test_applicant_cannot_choose_another_owner_or_department(applicant, institute, other_department, person):
    listing = create(applicant, owner_organization=institute)
    assert listing.owner_organization == applicant.organization  # the given owner is ignored
    with pytest.raises(PermissionDenied):
        create(applicant, owner_person=person)
    with pytest.raises(PermissionDenied):
        create(applicant, department=other_department)


def test_applicant_without_organisation_is_told_to_get_linked(db):
    from opendost.accounts.roles import Role
    from tests.factories import UserFactory

    lonely = UserFactory(role=Role.APPLICANT, department=None, organization=None)
    with pytest.raises(ValidationError, match="not linked to an organisation"):
        create(lonely)


def test_user_without_role_cannot_create(db, department, enterprise):
    from tests.factories import UserFactory

    nobody = UserFactory(department=department)
    with pytest.raises(PermissionDenied):
        create(nobody, department=department, owner_organization=enterprise)


def test_officer_of_another_department_cannot_create_here(outsider, department, enterprise):
    with pytest.raises(PermissionDenied):
        create(outsider, department=department, owner_organization=enterprise)


def test_leader_cannot_create(leader, department, enterprise):
    with pytest.raises(PermissionDenied):
        create(leader, department=department, owner_organization=enterprise)


def test_owner_must_be_in_the_register_of_the_department(officer, department, foreign_enterprise):
    with pytest.raises(ValidationError) as exc:
        create(officer, department=department, owner_organization=foreign_enterprise)
    assert "this department's register" in errors_of(exc)["owner_organization"][0]
    with pytest.raises(ValidationError) as exc:
        create(officer, department=department)
    assert "Choose the owner" in errors_of(exc)["owner_organization"][0]


def test_owner_person_is_accepted(officer, department, person):
    listing = create(officer, department=department, owner_person=person)
    assert listing.owner == person


@pytest.mark.parametrize("level", [0, 10, -1])
def test_readiness_level_is_1_to_9(officer, department, enterprise, level):
    with pytest.raises(ValidationError) as exc:
        create(officer, department=department, owner_organization=enterprise, readiness_level=level)
    assert "from 1 to 9" in errors_of(exc)["readiness_level"][0]


def test_offer_rules_all_reported_at_once(officer, department, enterprise):
    with pytest.raises(ValidationError) as exc:
        create(
            officer,
            department=department,
            owner_organization=enterprise,
            readiness_level=None,
            transfer_modes=[],
            price_negotiable=False,
            price_vnd=None,
            title="",
            summary="",
        )
    errors = errors_of(exc)
    assert "readiness level of the offer" in errors["readiness_level"][0]
    assert "at least one transfer mode" in errors["transfer_modes"][0]
    assert "indicative price" in errors["price_vnd"][0]
    assert errors["title"] == ["Give the listing a title."]
    assert errors["summary"] == ["Give a summary of the listing."]


def test_offer_with_price_and_no_negotiation_is_valid(officer, department, enterprise):
    listing = create(
        officer, department=department, owner_organization=enterprise, price_vnd=450_000_000, price_negotiable=False
    )
    assert listing.price_vnd == 450_000_000


def test_unknown_or_repeated_transfer_modes(officer, department, enterprise):
    with pytest.raises(ValidationError) as exc:
        create(officer, department=department, owner_organization=enterprise, transfer_modes=["barter"])
    assert errors_of(exc)["transfer_modes"] == ["Unknown transfer mode."]
    listing = create(
        officer,
        department=department,
        owner_organization=enterprise,
        transfer_modes=[TransferMode.LICENCE, TransferMode.LICENCE, TransferMode.TURNKEY],
    )
    assert listing.transfer_modes == ["licence", "turnkey"]


def test_negative_amounts_are_refused(officer, department, enterprise):
    with pytest.raises(ValidationError) as exc:
        create(officer, department=department, owner_organization=enterprise, price_vnd=-1)
    assert errors_of(exc)["price_vnd"] == ["The price cannot be negative."]
    with pytest.raises(ValidationError) as exc:
        create(officer, ListingKind.NEED, department=department, owner_organization=enterprise, budget_min_vnd=-5)
    assert errors_of(exc)["budget_min_vnd"] == ["The budget cannot be negative."]


def test_need_requires_expected_result_and_a_consistent_budget(officer, department, enterprise):
    with pytest.raises(ValidationError) as exc:
        create(
            officer,
            ListingKind.NEED,
            department=department,
            owner_organization=enterprise,
            expected_result="",
            summary="",
            budget_min_vnd=900_000_000,
            budget_max_vnd=100_000_000,
        )
    errors = errors_of(exc)
    assert errors["expected_result"] == ["Describe the result the enterprise expects."]
    assert errors["summary"] == ["Describe the problem to solve."]
    assert "upper bound" in errors["budget_max_vnd"][0]


def test_need_deadline_in_the_past_is_refused(officer, department, enterprise):
    with pytest.raises(ValidationError) as exc:
        create(
            officer,
            ListingKind.NEED,
            department=department,
            owner_organization=enterprise,
            needed_by=dt.date(2026, 3, 9),
        )
    assert "already passed" in errors_of(exc)["needed_by"][0]


def test_needs_have_no_offer_requirements(officer, department, enterprise):
    need = create(officer, ListingKind.NEED, department=department, owner_organization=enterprise)
    assert need.readiness_level is None and need.transfer_modes == []


def test_equipment_and_service_need_their_kind(officer, department, enterprise):
    with pytest.raises(ValidationError) as exc:
        create(officer, ListingKind.EQUIPMENT, department=department, owner_organization=enterprise, equipment_mode="")
    assert "for sale, for lease or shared use" in errors_of(exc)["equipment_mode"][0]
    with pytest.raises(ValidationError) as exc:
        create(officer, ListingKind.SERVICE, department=department, owner_organization=enterprise, service_type="")
    assert errors_of(exc)["service_type"] == ["Choose the kind of S&T service."]
    with pytest.raises(ValidationError) as exc:
        create(officer, ListingKind.SERVICE, department=department, owner_organization=enterprise, service_type="x")
    assert errors_of(exc)["service_type"] == ["Unknown kind of service."]
    equipment = create(
        officer,
        ListingKind.EQUIPMENT,
        department=department,
        owner_organization=enterprise,
        equipment_mode=EquipmentMode.LEASE,
    )
    assert equipment.code.startswith("BAC-NINH-TB26-")
    service = create(
        officer,
        ListingKind.SERVICE,
        department=department,
        owner_organization=enterprise,
        service_type=ServiceType.TESTING,
    )
    assert service.code.startswith("BAC-NINH-DV26-")


def test_unknown_kind_is_refused(officer, department, enterprise):
    with pytest.raises((ValidationError, ValueError)):
        services.listing_create(
            actor=officer, department=department, kind="barter", owner_organization=enterprise, title="x", summary="y"
        )


def test_valid_until_must_be_after_valid_from(officer, department, enterprise):
    with pytest.raises(ValidationError) as exc:
        create(
            officer,
            department=department,
            owner_organization=enterprise,
            valid_from=dt.date(2026, 5, 1),
            valid_until=dt.date(2026, 5, 1),
        )
    assert "must be after its start" in errors_of(exc)["valid_until"][0]


def test_commune_must_be_in_the_province(officer, department, enterprise, units):
    with pytest.raises(ValidationError) as exc:
        create(
            officer,
            department=department,
            owner_organization=enterprise,
            province=units.ha_noi,
            commune=units.phuong_bac_giang,
        )
    assert "is not in" in errors_of(exc)["commune"][0]
    listing = create(
        officer,
        department=department,
        owner_organization=enterprise,
        province=units.bac_ninh,
        commune=units.phuong_bac_giang,
    )
    assert listing.commune == units.phuong_bac_giang


def test_contact_email_is_checked(officer, department, enterprise):
    with pytest.raises(ValidationError) as exc:
        create(officer, department=department, owner_organization=enterprise, contact_email="not-an-email")
    assert "contact_email" in errors_of(exc)


def test_unknown_field_names_are_a_programming_error(officer, department, enterprise):
    with pytest.raises(TypeError):
        create(officer, department=department, owner_organization=enterprise, status="published")


# CAPTURE ----------------------------------------------------------------------------------------
def test_officer_captures_a_need_for_an_enterprise(officer, department, enterprise):
    values = dict(DEFAULTS[ListingKind.NEED])
    need = services.need_capture(
        actor=officer, department=department, organization=enterprise, capture_channel=CaptureChannel.FAIR, **values
    )
    assert need.kind == ListingKind.NEED
    assert need.source == ListingSource.OFFICER
    assert need.capture_channel == CaptureChannel.FAIR
    assert need.owner_organization == enterprise
    assert need.created_by == officer


def test_capture_needs_a_channel_and_an_officer(officer, department, enterprise, applicant):
    values = dict(DEFAULTS[ListingKind.NEED])
    with pytest.raises(ValidationError) as exc:
        services.need_capture(
            actor=officer, department=department, organization=enterprise, capture_channel="", **values
        )
    assert "survey, inspection or fair" in errors_of(exc)["capture_channel"][0]
    with pytest.raises(PermissionDenied):
        services.need_capture(
            actor=applicant, department=department, organization=enterprise, capture_channel="survey", **values
        )


def test_only_captured_listings_have_a_channel(officer, department, enterprise):
    with pytest.raises(ValidationError) as exc:
        create(officer, department=department, owner_organization=enterprise, capture_channel=CaptureChannel.SURVEY)
    assert "Only a listing captured by an officer" in errors_of(exc)["capture_channel"][0]


def test_officer_cannot_create_task_result_or_import_sources_directly(officer, department, enterprise):
    with pytest.raises(ValidationError):
        create(officer, department=department, owner_organization=enterprise, source=ListingSource.IMPORT)


# UPDATE -----------------------------------------------------------------------------------------
def test_owner_updates_its_draft_and_search_text_follows(applicant):
    listing = create(applicant)
    updated = services.listing_update(actor=applicant, listing=listing, title="Công nghệ sấy thăng hoa")
    assert updated.title == "Công nghệ sấy thăng hoa"
    assert updated.version == listing.version + 1
    assert updated.search_text.startswith("cong nghe say thang hoa")
    assert AuditEvent.objects.filter(object_id=str(listing.pk), action="update").exists()


def test_another_applicant_of_the_same_organisation_is_an_owner_too(applicant, colleague):
    listing = create(applicant)
    updated = services.listing_update(actor=colleague, listing=listing, keywords="sấy")
    assert updated.keywords == "sấy"


def test_other_applicant_cannot_update(applicant, other_applicant, foreign_applicant):
    listing = create(applicant)
    for intruder in (other_applicant, foreign_applicant):
        with pytest.raises(PermissionDenied):
            services.listing_update(actor=intruder, listing=listing, title="x")


def test_owner_cannot_set_officer_fields(applicant, institute):
    listing = create(applicant)
    with pytest.raises(PermissionDenied):
        services.listing_update(actor=applicant, listing=listing, owner_organization=institute)


def test_owner_edits_only_drafts_and_returned(applicant, officer):
    listing = create(applicant)
    services.listing_submit(actor=applicant, listing=listing)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.listing_update(actor=applicant, listing=listing, title="x")
    services.listing_return(actor=officer, listing=listing, reason="Thiếu giá")
    services.listing_update(actor=applicant, listing=listing, title="Đã sửa")
    services.listing_submit(actor=applicant, listing=listing)
    services.listing_publish(actor=officer, listing=listing)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.listing_update(actor=applicant, listing=listing, title="y")


def test_officer_edits_any_listing_of_the_department_but_not_withdrawn(officer, department):
    listing = listing_factory(status=ListingStatus.PUBLISHED, department=department)
    updated = services.listing_update(actor=officer, listing=listing, keywords="ủ phân; compost")
    assert updated.keywords == "ủ phân; compost"
    services.listing_withdraw(actor=officer, listing=listing)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.listing_update(actor=officer, listing=listing, keywords="x")


def test_officer_of_another_department_cannot_update(outsider, department):
    listing = listing_factory(department=department)
    with pytest.raises(PermissionDenied):
        services.listing_update(actor=outsider, listing=listing, title="x")


def test_update_checks_the_rules(applicant):
    listing = create(applicant)
    with pytest.raises(ValidationError) as exc:
        services.listing_update(actor=applicant, listing=listing, readiness_level=12, transfer_modes=[])
    assert set(errors_of(exc)) == {"readiness_level", "transfer_modes"}
    listing.refresh_from_db()
    assert listing.readiness_level == 7  # nothing written


def test_update_after_someone_else_saved_is_a_conflict(applicant, colleague):
    listing = create(applicant)
    stale_version = listing.version
    services.listing_update(actor=colleague, listing=listing, title="Bản của đồng nghiệp")
    with pytest.raises(EditConflict):
        services.listing_update(actor=applicant, listing=listing, expected_version=stale_version, title="Bản của tôi")
    listing.refresh_from_db()
    assert listing.title == "Bản của đồng nghiệp"


def test_published_listing_edit_reindexes_it(officer, department):
    from opendost.marketplace.models import ListingTerm

    listing = listing_factory(status=ListingStatus.PUBLISHED, department=department)
    services.listing_update(actor=officer, listing=listing, keywords="thủy canh")
    terms = set(ListingTerm.objects.filter(listing=listing).values_list("term", flat=True))
    assert any("thuy" in term for term in terms)


# FILES ------------------------------------------------------------------------------------------
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "is_image"),
    [
        ("anh.png", PNG, True),
        ("anh.JPG", JPG, True),
        ("anh.webp", WEBP, True),
        ("ho-so.pdf", PDF, False),
        ("mo-ta.docx", office("word/document.xml"), False),
        ("bang-gia.xlsx", office("xl/workbook.xml"), False),
    ],
)
def test_files_of_accepted_types_are_kept_with_their_hash(applicant, name, content, is_image):
    listing = create(applicant)
    item = services.listing_file_add(actor=applicant, listing=listing, upload=SimpleUploadedFile(name, content))
    assert item.is_image is is_image
    assert item.size == len(content)
    assert item.sha256 == hashlib.sha256(content).hexdigest()
    with item.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "not accepted"),
        ("ghi-chu.txt", b"hello", "not accepted"),
        ("rong.pdf", b"", "empty"),
        ("gia.pdf", b"MZ\x90\x00 not a pdf", "does not match"),
        ("gia.docx", office("xl/workbook.xml"), "does not match"),
        ("anh.png", JPG, "does not match"),
    ],
)
def test_files_are_checked(applicant, name, content, message):
    listing = create(applicant)
    with pytest.raises(ValidationError, match=message):
        services.listing_file_add(actor=applicant, listing=listing, upload=SimpleUploadedFile(name, content))
    assert not ListingFile.objects.exists()


def test_image_size_limit(applicant, monkeypatch):
    monkeypatch.setattr(services, "MAX_IMAGE_BYTES", 100)
    listing = create(applicant)
    with pytest.raises(ValidationError, match="larger than"):
        services.listing_file_add(
            actor=applicant, listing=listing, upload=SimpleUploadedFile("a.png", PNG + b"1" * 100)
        )


def test_files_count_limit(applicant, monkeypatch):
    monkeypatch.setattr(services, "MAX_FILES", 1)
    listing = create(applicant)
    services.listing_file_add(actor=applicant, listing=listing, upload=SimpleUploadedFile("a.png", PNG))
    with pytest.raises(ValidationError, match="at most 1 files"):
        services.listing_file_add(actor=applicant, listing=listing, upload=SimpleUploadedFile("b.png", PNG))


def test_only_editors_add_and_remove_files(applicant, other_applicant, officer):
    listing = create(applicant)
    with pytest.raises(PermissionDenied):
        services.listing_file_add(actor=other_applicant, listing=listing, upload=SimpleUploadedFile("a.png", PNG))
    item = services.listing_file_add(actor=applicant, listing=listing, upload=SimpleUploadedFile("a.png", PNG))
    with pytest.raises(PermissionDenied):
        services.listing_file_remove(actor=other_applicant, item=item)
    item_pk = item.pk
    services.listing_file_remove(actor=officer, item=item)
    assert not ListingFile.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(item_pk)).exists()


def test_listing_is_scoped_by_department(officer, outsider, department):
    listing = listing_factory(department=department)
    assert Listing.objects.visible_to(officer).filter(pk=listing.pk).exists()
    assert not Listing.objects.visible_to(outsider).filter(pk=listing.pk).exists()


def test_a_deadline_passed_since_entry_does_not_block_other_edits(officer, department, frozen):
    need = listing_factory(
        kind=ListingKind.NEED, department=department, status=ListingStatus.PUBLISHED, needed_by=dt.date(2026, 4, 1)
    )
    frozen.move_to(dt.datetime(2026, 4, 10, 2, 0, tzinfo=dt.UTC))
    updated = services.listing_update(actor=officer, listing=need, keywords="nước thải; biogas; trại lợn")
    assert updated.keywords == "nước thải; biogas; trại lợn"
    with pytest.raises(ValidationError, match="already passed"):
        services.listing_update(actor=officer, listing=updated, needed_by=dt.date(2026, 4, 5))
    same = services.listing_update(actor=officer, listing=updated, needed_by=dt.date(2026, 4, 1), sector="Chăn nuôi")
    assert same.sector == "Chăn nuôi"  # the form sends the unchanged date back: accepted
