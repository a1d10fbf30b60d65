"""HTTP contract of the council pages: officers (scoped, 404 outside) and members (own seat, assigned items)."""

import pytest
from django.urls import reverse

from opendost.councils import services
from opendost.councils.enums import CouncilStatus, MemberRole
from opendost.councils.models import ConflictDeclaration, Council, ScoreSheet
from tests.councils.factories import build_council, expert, full_scores, member_user, to_scoring

pytestmark = pytest.mark.django_db
R = MemberRole


def detail_url(council):
    return reverse("councils:detail", args=[council.public_id])


def my_item_url(council, item, suffix=""):
    name = {"": "councils:my_item", "conflict": "councils:my_conflict", "sheet": "councils:my_sheet"}[suffix]
    return reverse(name, args=[council.public_id, item.public_id])


# OFFICERS -----------------------------------------------------------------------------------------
def test_anonymous_is_sent_to_login(client, officer):
    built = build_council(officer)
    for url in (reverse("councils:list"), reverse("councils:my_list"), detail_url(built.council)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_officer_forms_a_council_through_the_form(client, officer):
    client.force_login(officer)
    assert client.get(reverse("councils:create")).status_code == 200
    response = client.post(
        reverse("councils:create"),
        {
            "purpose": "acceptance_provincial",
            "name": "Hội đồng nghiệm thu đề tài vải thiều",
            "rules_version": "tt11_2014_acceptance",
            "meeting_on": "15/09/2025",
            "meeting_place": "Sở KH&CN",
            "note": "",
        },
    )
    council = Council.objects.get()
    assert response.status_code == 302 and response.url == detail_url(council)
    assert council.meeting_on.isoformat() == "2025-09-15" and council.criteria.count() == 3


def test_the_form_keeps_input_and_shows_service_errors(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("councils:create"),
        {"purpose": "selection", "name": "Hội đồng X", "rules_version": "tt11_2014_acceptance"},
    )
    assert response.status_code == 200
    assert "This rule set does not fit the council&#x27;s purpose." in response.content.decode()
    assert not Council.objects.exists()


def test_council_list_is_scoped_and_counts_in_one_query(client, officer, outsider, django_assert_max_num_queries):
    for i in range(3):
        build_council(officer, name=f"Hội đồng số {i}")
    build_council(outsider, name="Hội đồng tỉnh khác")
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("councils:list"))
    text = response.content.decode()
    assert "Hội đồng số 2" in text and "Hội đồng tỉnh khác" not in text


def test_list_needs_the_view_permission(client, department):
    client.force_login(member_user(department))
    assert client.get(reverse("councils:list")).status_code == 403


def test_another_departments_officer_gets_404_everywhere(client, officer, outsider):
    built = build_council(officer)
    member, item = built.members[0], built.items[0]
    client.force_login(outsider)
    council = built.council
    gets = [detail_url(council), reverse("councils:edit", args=[council.public_id])]
    gets.append(reverse("councils:member_assign", args=[council.public_id, member.public_id]))
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("councils:transition", args=[council.public_id]),
        reverse("councils:member_add", args=[council.public_id]),
        reverse("councils:member_remove", args=[council.public_id, member.public_id]),
        reverse("councils:item_add", args=[council.public_id]),
        reverse("councils:item_remove", args=[council.public_id, item.public_id]),
        reverse("councils:criterion_add", args=[council.public_id]),
        reverse("councils:minutes_issue", args=[council.public_id]),
    ]
    for url in posts:
        assert client.post(url, {"transition": "convene"}).status_code == 404, url
    assert Council.objects.get(pk=council.pk).status == CouncilStatus.FORMING


def test_council_page_shows_everything_in_bounded_queries(client, officer, django_assert_max_num_queries):
    built = build_council(officer, items=("Đề tài A", "Đề tài B", "Đề tài C"))
    council = to_scoring(built, officer)
    for member in built.members[:3]:
        services.score_submit(
            actor=member.user, member=member, item=built.items[0], scores=full_scores(council), vote="pass"
        )
    client.force_login(officer)
    with django_assert_max_num_queries(30):
        response = client.get(detail_url(council))
    text = response.content.decode()
    assert response.status_code == 200
    assert "7 of 7 members present; the quorum is 5." in text
    assert "7 of 7 present (quorum 5): Pass — 0 excellent, 3 pass, 0 fail" in text  # preview from 3 sheets
    assert "Close and fix outcome" in text
    # The number of queries does not grow with the members and items.
    more = build_council(
        officer,
        roles=[R.CHAIR, R.VICE_CHAIR, R.REVIEWER, R.REVIEWER, R.SECRETARY] + [R.MEMBER] * 6,
        items=[f"Đề tài {i}" for i in range(8)],
    )
    with django_assert_max_num_queries(30):
        assert client.get(detail_url(more.council)).status_code == 200


def test_officer_runs_the_council_from_its_page(client, officer):
    built = build_council(officer, roles=[R.CHAIR, R.VICE_CHAIR, R.REVIEWER, R.REVIEWER])
    council = built.council
    client.force_login(officer)
    person = expert(officer.department)
    response = client.post(
        reverse("councils:member_add", args=[council.public_id]),
        {"member-person": person.pk, "member-role": "secretary", "member-user": ""},
    )
    assert response.status_code == 302 and council.members.count() == 5
    response = client.post(
        reverse("councils:member_add", args=[council.public_id]),
        {"member-person": expert(officer.department).pk, "member-role": "chair", "member-user": ""},
    )
    assert response.status_code == 422 and "already has a chair" in response.content.decode()
    client.post(reverse("councils:item_add", args=[council.public_id]), {"item-title": "Dự án B", "item-group": ""})
    assert council.items.count() == 2
    client.post(reverse("councils:transition", args=[council.public_id]), {"transition": "convene"})
    council.refresh_from_db()
    assert council.status == CouncilStatus.CONVENED
    secretary = council.members.get(role="secretary")
    client.post(
        reverse("councils:member_attendance", args=[council.public_id, secretary.public_id]), {"is_present": "no"}
    )
    secretary.refresh_from_db()
    assert secretary.is_present is False


def test_convene_errors_are_shown(client, officer):
    built = build_council(officer, roles=[R.REVIEWER])
    client.force_login(officer)
    response = client.post(
        reverse("councils:transition", args=[built.council.public_id]), {"transition": "convene"}, follow=True
    )
    assert "The council needs exactly one chair." in response.content.decode()


def test_leader_sees_but_cannot_manage(client, officer, leader):
    built = build_council(officer)
    client.force_login(leader)
    assert client.get(detail_url(built.council)).status_code == 200
    response = client.post(reverse("councils:item_add", args=[built.council.public_id]), {"item-title": "X"})
    assert response.status_code == 403


# MEMBERS ------------------------------------------------------------------------------------------
def test_a_member_sees_only_their_councils(client, officer):
    mine = build_council(officer, name="Hội đồng của tôi")
    build_council(officer, name="Hội đồng khác")
    member = mine.members[0]
    client.force_login(member.user)
    text = client.get(reverse("councils:my_list")).content.decode()
    assert "Hội đồng của tôi" in text and "Hội đồng khác" not in text
    assert client.get(reverse("councils:my_council", args=[mine.council.public_id])).status_code == 200


def test_a_member_gets_404_for_a_council_they_do_not_sit_on(client, officer):
    mine, other = build_council(officer), build_council(officer)
    client.force_login(mine.members[0].user)
    assert client.get(reverse("councils:my_council", args=[other.council.public_id])).status_code == 404
    assert client.get(my_item_url(other.council, other.items[0])).status_code == 404
    assert client.get(detail_url(mine.council)).status_code == 404  # no officer page for members


def test_a_member_sees_only_assigned_items(client, officer, django_assert_max_num_queries):
    built = build_council(officer, items=("Đề tài được giao", "Đề tài không giao"))
    member = built.members[2]
    services.assign(actor=officer, member=member, items=[built.items[0]])
    client.force_login(member.user)
    with django_assert_max_num_queries(14):
        text = client.get(reverse("councils:my_council", args=[built.council.public_id])).content.decode()
    assert "Đề tài được giao" in text and "Đề tài không giao" not in text
    assert client.get(my_item_url(built.council, built.items[0])).status_code == 200
    assert client.get(my_item_url(built.council, built.items[1])).status_code == 404
    response = client.post(my_item_url(built.council, built.items[1], "conflict"), {"conflict-has_conflict": "no"})
    assert response.status_code == 404


def test_a_member_declares_a_conflict_and_then_cannot_score(client, officer):
    built = build_council(officer)
    council = to_scoring(built, officer)
    member, item = built.members[4], built.items[0]
    client.force_login(member.user)
    response = client.post(
        my_item_url(council, item, "conflict"), {"conflict-has_conflict": "yes", "conflict-note": ""}
    )
    assert response.status_code == 422 and "Say briefly what the conflict" in response.content.decode()
    response = client.post(
        my_item_url(council, item, "conflict"), {"conflict-has_conflict": "yes", "conflict-note": "Đồng tác giả"}
    )
    assert response.status_code == 302
    assert ConflictDeclaration.objects.get(member=member, item=item).has_conflict
    page = client.get(my_item_url(council, item)).content.decode()
    assert "you do not score this item" in page and "Submit my sheet" not in page
    data = {f"sheet-score_{c}": v for c, v in full_scores(council).items()} | {"sheet-vote": "pass"}
    response = client.post(my_item_url(council, item, "sheet"), data)
    assert response.status_code == 422
    assert "declared a conflict of interest" in response.content.decode()
    assert not ScoreSheet.objects.filter(member=member).exists()


def test_a_member_fills_the_score_sheet_with_one_field_per_criterion(client, officer):
    built = build_council(officer)
    council = to_scoring(built, officer)
    member, item = built.members[1], built.items[0]
    client.force_login(member.user)
    page = client.get(my_item_url(council, item)).content.decode()
    for code in ("SP1", "SP2", "BC"):
        assert f'name="sheet-score_{code}"' in page
    response = client.post(my_item_url(council, item, "sheet"), {"sheet-score_SP1": "45", "sheet-vote": "excellent"})
    assert response.status_code == 422
    assert "Ensure this value is less than or equal to 30." in response.content.decode()
    data = {"sheet-score_SP1": "28", "sheet-score_SP2": "35.5", "sheet-score_BC": "27", "sheet-vote": "excellent"}
    response = client.post(my_item_url(council, item, "sheet"), data)
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(member=member, item=item)
    assert sheet.vote == "excellent" and sheet.entered_by == member.user
    page = client.get(my_item_url(council, item)).content.decode()
    assert "35.50 / 40" in page and "Submit again" in page
