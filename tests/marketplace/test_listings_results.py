"""An accepted S&T task result becomes a draft offer in one step, once."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opendost.marketplace import services
from opendost.marketplace.enums import ListingKind, ListingSource, ListingStatus, TransferMode
from tests.marketplace.listings_fixtures import *  # noqa: F403
from tests.projects.helpers import Flow
from tests.subjects.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow(department, officer, leader, institute):
    pi = PersonFactory(department=department, full_name="Trần Văn Đức", organization=institute)
    return Flow(department=department, officer=officer, leader=leader, host=institute, pi=pi)


def test_result_of_an_accepted_task_becomes_a_prefilled_draft_offer(flow, officer, institute):
    result = flow.result()
    assert services.result_is_accepted(result)
    assert services.can_offer_result(officer, result)
    offer = services.offer_from_result(actor=officer, result=result)
    assert offer.kind == ListingKind.OFFER
    assert offer.status == ListingStatus.DRAFT
    assert offer.source == ListingSource.TASK_RESULT
    assert offer.source_result == result
    assert offer.title == result.title
    assert offer.summary == result.abstract
    assert offer.keywords == result.keywords
    assert offer.field_id == (result.field_id or result.task.field_id)
    assert offer.owner_organization == institute
    assert offer.contact_name == "Trần Văn Đức"
    assert offer.department == result.department
    assert "vai thieu" in offer.search_text
    assert services.offer_of_result(result) == offer


def test_the_same_result_is_refused_twice_with_a_link_to_the_offer(flow, officer):
    result = flow.result()
    first = services.offer_from_result(actor=officer, result=result)
    with pytest.raises(ValidationError) as exc:
        services.offer_from_result(actor=officer, result=result)
    assert exc.value.code == "already_offered"
    assert first.code in exc.value.messages[0]
    assert exc.value.params["url"] == first.get_absolute_url()


def test_the_draft_must_be_completed_before_submission(flow, officer):
    offer = services.offer_from_result(actor=officer, result=flow.result())
    with pytest.raises(ValidationError) as exc:
        services.listing_submit(actor=officer, listing=offer)
    assert {"readiness_level", "transfer_modes", "price_vnd"} <= set(exc.value.message_dict)
    services.listing_update(
        actor=officer, listing=offer, summary="Quy trình thâm canh vải thiều đạt chuẩn VietGAP, năng suất tăng 20%."
    )  # a partial save of the draft is allowed
    offer.refresh_from_db()
    offer = services.listing_update(
        actor=officer,
        listing=offer,
        readiness_level=8,
        transfer_modes=[TransferMode.LICENCE],
        price_negotiable=True,
    )
    services.listing_submit(actor=officer, listing=offer)
    assert offer.status == ListingStatus.SUBMITTED


def test_a_result_of_a_task_not_accepted_cannot_be_offered(flow, officer):
    from opendost.projects.models import TaskResult

    task = flow.in_progress()
    # The projects services record results only after acceptance; a row made directly stands for
    # a result of the former register whose task never passed.
    result = TaskResult.objects.create(
        department=task.department, task=task, title="Báo cáo giữa kỳ", abstract="Chưa nghiệm thu.", year=2026
    )
    assert not services.result_is_accepted(result)
    assert not services.can_offer_result(officer, result)
    with pytest.raises(ValidationError, match="passed its acceptance"):
        services.offer_from_result(actor=officer, result=result)


def test_a_certified_result_counts_as_accepted(flow, officer):
    task = flow.registered()
    result = task.results.get()
    assert result.registration.status in ("certified", "stored")
    assert services.result_is_accepted(result)
    assert services.offer_from_result(actor=officer, result=result).source_result == result


@pytest.mark.parametrize("who", ["applicant", "outsider", "leader"])
def test_only_officers_of_the_department_make_offers_from_results(request, flow, who):
    result = flow.result()
    with pytest.raises(PermissionDenied):
        services.offer_from_result(actor=request.getfixturevalue(who), result=result)
