"""The listing workflow: every transition, who may take it, the dates and reasons that go with it,
and the daily expiry job with its reminders."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opendost.marketplace import services
from opendost.marketplace.enums import ListingKind, ListingStatus
from opendost.marketplace.models import ListingTerm
from opendost.marketplace.permissions import listing_is_public
from opendost.marketplace.workflows import LISTING_WORKFLOW, SYSTEM
from opendost.notifications.models import Message
from opendost.workflow.engine import workflow_for
from opendost.workflow.exceptions import TransitionNotAllowed
from opendost.workflow.models import TransitionLog
from opendost.workflow.services import transition_apply
from tests.marketplace.factories import listing_factory, listing_move
from tests.marketplace.listings_fixtures import *  # noqa: F403
from tests.marketplace.listings_fixtures import TODAY, at

pytestmark = pytest.mark.django_db
S = ListingStatus


def test_workflow_is_registered_with_its_edges():
    from opendost.marketplace.models import Listing

    assert workflow_for(Listing) is LISTING_WORKFLOW
    assert LISTING_WORKFLOW.edges() == {
        (S.DRAFT, S.SUBMITTED),
        (S.RETURNED, S.SUBMITTED),
        (S.SUBMITTED, S.PUBLISHED),
        (S.SUBMITTED, S.RETURNED),
        (S.PUBLISHED, S.EXPIRED),
        (S.PUBLISHED, S.WITHDRAWN),
        (S.EXPIRED, S.WITHDRAWN),
        (S.EXPIRED, S.SUBMITTED),
    }


# SUBMIT -----------------------------------------------------------------------------------------
def test_owner_submits_and_the_move_is_logged(applicant):
    listing = listing_factory(actor=applicant)
    services.listing_submit(actor=applicant, listing=listing)
    assert listing.status == S.SUBMITTED
    log = TransitionLog.objects.for_object(listing).get()
    assert (log.name, log.from_state, log.to_state, log.actor) == ("submit", "draft", "submitted", applicant)


def test_officer_submits_for_an_owner(officer, department):
    listing = listing_factory(department=department)
    services.listing_submit(actor=officer, listing=listing)
    assert listing.status == S.SUBMITTED


@pytest.mark.parametrize("who", ["other_applicant", "foreign_applicant", "outsider", "leader", "inspector"])
def test_others_cannot_submit(request, applicant, who):
    listing = listing_factory(actor=applicant)
    with pytest.raises(PermissionDenied):
        services.listing_submit(actor=request.getfixturevalue(who), listing=listing)


def test_submit_checks_every_rule_again(officer, department, enterprise, monkeypatch):
    listing = listing_factory(department=department, owner=enterprise)
    listing.transfer_modes = []  # as if the rules had changed since it was saved
    with pytest.raises(ValidationError, match="transfer mode"):
        services.listing_submit(actor=officer, listing=listing)


def test_submit_refuses_an_ended_validity(officer, department, frozen):
    listing = listing_factory(department=department, valid_until=dt.date(2026, 4, 1))
    frozen.move_to(dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC))
    with pytest.raises(ValidationError, match="already ended"):
        services.listing_submit(actor=officer, listing=listing)


def test_submit_twice_is_not_possible(applicant):
    listing = listing_factory(actor=applicant, status=S.SUBMITTED)
    with pytest.raises(TransitionNotAllowed):
        services.listing_submit(actor=applicant, listing=listing)


# PUBLISH ----------------------------------------------------------------------------------------
def test_publish_sets_dates_indexes_and_makes_it_public(officer, applicant):
    listing = listing_factory(actor=applicant, status=S.SUBMITTED)
    services.listing_publish(actor=officer, listing=listing)
    listing.refresh_from_db()
    assert listing.status == S.PUBLISHED
    assert listing.published_on == TODAY
    assert listing.valid_from == TODAY
    assert listing.valid_until == dt.date(2027, 3, 10)  # 12 months by default
    assert ListingTerm.objects.filter(listing=listing).exists()
    assert listing_is_public(listing, TODAY)


def test_publish_keeps_given_validity(officer, department):
    listing = listing_factory(
        department=department, status=S.SUBMITTED, valid_from=dt.date(2026, 4, 1), valid_until=dt.date(2026, 9, 30)
    )
    services.listing_publish(actor=officer, listing=listing)
    listing.refresh_from_db()
    assert (listing.valid_from, listing.valid_until) == (dt.date(2026, 4, 1), dt.date(2026, 9, 30))
    assert not listing_is_public(listing, TODAY)  # not yet valid
    assert listing_is_public(listing, dt.date(2026, 4, 1))


def test_leader_may_moderate(leader, department):
    listing = listing_factory(department=department, status=S.SUBMITTED)
    services.listing_publish(actor=leader, listing=listing)
    assert listing.status == S.PUBLISHED


@pytest.mark.parametrize("who", ["applicant", "outsider", "inspector"])
def test_others_cannot_publish(request, applicant, who):
    listing = listing_factory(actor=applicant, status=S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.listing_publish(actor=request.getfixturevalue(who), listing=listing)
    listing.refresh_from_db()
    assert listing.status == S.SUBMITTED


def test_publish_only_from_submitted(officer, department):
    listing = listing_factory(department=department)
    with pytest.raises(TransitionNotAllowed):
        services.listing_publish(actor=officer, listing=listing)


def test_publish_notifies_matching_saved_searches(officer, department, applicant):
    from opendost.marketplace.models import SavedSearch

    SavedSearch.objects.create(user=applicant, name="Vi sinh", query="vi sinh", kind=ListingKind.OFFER)
    listing = listing_factory(department=department, status=S.PUBLISHED)
    assert Message.objects.filter(event_key__startswith=f"marketplace.listing.{listing.pk}.alert").exists()


# RETURN -----------------------------------------------------------------------------------------
def test_return_needs_reasons_and_notifies_the_owner(officer, applicant, colleague):
    listing = listing_factory(actor=applicant, status=S.SUBMITTED)
    with pytest.raises(ValidationError) as exc:
        services.listing_return(actor=officer, listing=listing, reason="   ")
    assert exc.value.message_dict == {"reason": ["Give the reasons for returning the listing."]}
    services.listing_return(actor=officer, listing=listing, reason="Bổ sung giá tham khảo.")
    listing.refresh_from_db()
    assert listing.status == S.RETURNED
    assert listing.return_reason == "Bổ sung giá tham khảo."
    assert TransitionLog.objects.for_object(listing).filter(name="return", note="Bổ sung giá tham khảo.").exists()
    recipients = set(
        Message.objects.filter(event_key__contains=f".{listing.pk}.returned").values_list("recipient_user", flat=True)
    )
    assert recipients == {applicant.pk, colleague.pk}


def test_owner_resubmits_a_returned_listing_and_the_reason_is_cleared(officer, applicant):
    listing = listing_factory(actor=applicant, status=S.RETURNED)
    services.listing_update(actor=applicant, listing=listing, price_vnd=200_000_000)
    listing.refresh_from_db()
    services.listing_submit(actor=applicant, listing=listing)
    listing.refresh_from_db()
    assert listing.status == S.SUBMITTED
    assert listing.return_reason == ""


def test_owner_cannot_return(applicant):
    listing = listing_factory(actor=applicant, status=S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.listing_return(actor=applicant, listing=listing, reason="x")


# WITHDRAW ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("state", [S.PUBLISHED, S.EXPIRED])
def test_owner_withdraws_a_published_or_expired_listing(applicant, state):
    listing = listing_factory(actor=applicant, status=state)
    services.listing_withdraw(actor=applicant, listing=listing, reason="Đã chuyển giao xong")
    assert listing.status == S.WITHDRAWN
    assert not ListingTerm.objects.filter(listing=listing).exists()


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.RETURNED, S.WITHDRAWN])
def test_withdraw_from_other_states_is_not_possible(applicant, state):
    listing = listing_factory(actor=applicant, status=state)
    with pytest.raises(TransitionNotAllowed):
        services.listing_withdraw(actor=applicant, listing=listing)


def test_others_cannot_withdraw(applicant, other_applicant, outsider, second_officer):
    listing = listing_factory(actor=applicant, status=S.PUBLISHED)
    for intruder in (other_applicant, outsider):
        with pytest.raises(PermissionDenied):
            services.listing_withdraw(actor=intruder, listing=listing)
    services.listing_withdraw(actor=second_officer, listing=listing)  # any officer of the department


# EXPIRE AND RENEW -------------------------------------------------------------------------------
def test_expire_is_for_the_system_only(officer, department):
    listing = listing_factory(department=department, status=S.PUBLISHED)
    with pytest.raises(PermissionDenied):
        transition_apply(listing, "expire", actor=officer)
    transition_apply(listing, "expire", actor=SYSTEM)
    log = TransitionLog.objects.for_object(listing).get(name="expire")
    assert log.actor is None


def test_renew_an_expired_listing_with_a_new_end(applicant, officer):
    listing = listing_factory(actor=applicant, status=S.EXPIRED)
    with pytest.raises(ValidationError, match="after today"):
        services.listing_renew(actor=applicant, listing=listing, valid_until=TODAY)
    with pytest.raises(ValidationError, match="at most 3 years"):
        services.listing_renew(actor=applicant, listing=listing, valid_until=dt.date(2030, 1, 1))
    services.listing_renew(actor=applicant, listing=listing, valid_until=dt.date(2027, 6, 30))
    listing.refresh_from_db()
    assert listing.status == S.SUBMITTED
    assert (listing.valid_from, listing.valid_until) == (TODAY, dt.date(2027, 6, 30))
    services.listing_publish(actor=officer, listing=listing)
    listing.refresh_from_db()
    assert listing.valid_until == dt.date(2027, 6, 30)


def test_renew_only_when_expired_and_by_its_owner(applicant, other_applicant):
    listing = listing_factory(actor=applicant, status=S.PUBLISHED)
    with pytest.raises(TransitionNotAllowed):
        services.listing_renew(actor=applicant, listing=listing, valid_until=dt.date(2027, 1, 1))
    listing = listing_factory(actor=applicant, status=S.EXPIRED)
    with pytest.raises(PermissionDenied):
        services.listing_renew(actor=other_applicant, listing=listing, valid_until=dt.date(2027, 1, 1))


def test_listing_is_public_rules(department):
    listing = listing_factory(department=department, status=S.PUBLISHED, valid_until=dt.date(2026, 6, 30))
    listing.refresh_from_db()
    assert listing_is_public(listing, dt.date(2026, 6, 30))
    assert not listing_is_public(listing, dt.date(2026, 7, 1))  # past its end, even before the job runs
    draft = listing_factory(department=department)
    assert not listing_is_public(draft, TODAY)


# DAILY JOB --------------------------------------------------------------------------------------
def _expiry_messages(listing):
    return Message.objects.filter(event_key__startswith=f"marketplace.listing.{listing.pk}.expiry")


def test_daily_job_reminds_30_and_7_days_before_and_expires_after(applicant, colleague, frozen):
    listing = listing_factory(actor=applicant, status=S.PUBLISHED, valid_until=dt.date(2026, 5, 15))
    other = listing_factory(actor=applicant, status=S.PUBLISHED, valid_until=dt.date(2026, 12, 31))
    assert services.expire_and_remind(today=dt.date(2026, 4, 14)) == 0  # 31 days left
    assert not _expiry_messages(listing).exists()

    assert services.expire_and_remind(today=dt.date(2026, 4, 15)) == 1  # 30 days left
    keys = set(_expiry_messages(listing).values_list("event_key", flat=True))
    assert keys == {f"marketplace.listing.{listing.pk}.expiry.20260515.30"}
    assert set(_expiry_messages(listing).values_list("recipient_user", flat=True)) == {applicant.pk, colleague.pk}
    message = _expiry_messages(listing).first()
    assert "15/05/2026" in message.subject and listing.code in message.subject
    listing.refresh_from_db()
    assert listing.expiry_reminded_on == dt.date(2026, 4, 15)

    assert services.expire_and_remind(today=dt.date(2026, 4, 15)) == 0  # idempotent on the same day
    assert services.expire_and_remind(today=dt.date(2026, 4, 20)) == 0  # nothing new in the 30-day window
    assert services.expire_and_remind(today=dt.date(2026, 5, 8)) == 1  # 7 days left
    assert _expiry_messages(listing).filter(event_key__endswith=".7").exists()
    assert services.expire_and_remind(today=dt.date(2026, 5, 15)) == 0  # last valid day: nothing more
    listing.refresh_from_db()
    assert listing.status == S.PUBLISHED

    assert services.expire_and_remind(today=dt.date(2026, 5, 16)) == 1
    listing.refresh_from_db()
    other.refresh_from_db()
    assert listing.status == S.EXPIRED
    assert other.status == S.PUBLISHED
    assert not ListingTerm.objects.filter(listing=listing).exists()
    assert TransitionLog.objects.for_object(listing).filter(name="expire", actor__isnull=True).exists()
    assert services.expire_and_remind(today=dt.date(2026, 5, 17)) == 0


def test_a_missed_day_sends_the_nearest_reminder_only(applicant):
    listing = listing_factory(actor=applicant, status=S.PUBLISHED, valid_until=dt.date(2026, 3, 15))
    assert services.expire_and_remind(today=TODAY) == 1  # 5 days left: the 7-day reminder, not the 30-day one
    assert list(_expiry_messages(listing).values_list("event_key", flat=True).distinct()) == [
        f"marketplace.listing.{listing.pk}.expiry.20260315.7"
    ]


def test_a_renewed_listing_is_reminded_again(applicant, officer, frozen):
    listing = listing_factory(actor=applicant, status=S.PUBLISHED, valid_until=dt.date(2026, 3, 20))
    services.expire_and_remind(today=TODAY)
    services.expire_and_remind(today=dt.date(2026, 3, 21))
    listing.refresh_from_db()
    assert listing.status == S.EXPIRED
    with at(dt.date(2026, 3, 22)):
        services.listing_renew(actor=applicant, listing=listing, valid_until=dt.date(2026, 4, 10))
        services.listing_publish(actor=officer, listing=listing)
    assert services.expire_and_remind(today=dt.date(2026, 4, 5)) == 1
    assert _expiry_messages(listing).filter(event_key__contains=".20260410.").exists()


def test_reminders_go_to_the_creator_when_no_applicant_represents_the_owner(officer, department):
    listing = listing_factory(department=department, status=S.PUBLISHED, valid_until=dt.date(2026, 3, 20))
    services.expire_and_remind(today=TODAY)
    assert set(_expiry_messages(listing).values_list("recipient_user", flat=True)) == {officer.pk}


def test_daily_job_is_declared():
    from opendost.common.periodic import daily_jobs

    assert "opendost.marketplace.services.expire_and_remind" in dict(daily_jobs())


def test_daily_runner_expires_listings(department):
    from opendost.common.periodic import daily_jobs_run

    listing = listing_factory(department=department, status=S.PUBLISHED, valid_until=dt.date(2026, 3, 12))
    report = daily_jobs_run(today=dt.date(2026, 3, 13))
    assert report["opendost.marketplace.services.expire_and_remind"] == 1
    listing.refresh_from_db()
    assert listing.status == S.EXPIRED


def test_factories_reach_every_state(department):
    for state in S.values:
        assert listing_factory(department=department, status=state).status == state
    listing = listing_factory(department=department)
    assert listing_move(listing, S.RETURNED).status == S.RETURNED
