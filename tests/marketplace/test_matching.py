"""Matching of the technology exchange: analysis, index, ranking with reasons, saved-search alerts,
and the quality of the ranking on the labelled set against a plain full-text baseline."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opendost.accounts.roles import Role
from opendost.classifications.models import ClassificationNode
from opendost.geography.models import AdminUnit
from opendost.marketplace import matching, services
from opendost.marketplace.enums import ListingKind, ListingStatus
from opendost.marketplace.matching import analyse, search_words, terms
from opendost.marketplace.models import Listing, ListingTerm, ListingTermStat, SavedSearch
from opendost.notifications.models import Message
from opendost.subjects.enums import OrganizationKind
from opendost.workflow.services import transition_apply
from tests.factories import DepartmentFactory, UserFactory
from tests.marketplace import labelled_set as ls
from tests.marketplace.factories import listing_expire, listing_factory, officer_of
from tests.subjects.factories import OrganizationFactory

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 10)
OFFER, NEED, EQUIPMENT, SERVICE = ListingKind.OFFER, ListingKind.NEED, ListingKind.EQUIPMENT, ListingKind.SERVICE
PUBLISHED = ListingStatus.PUBLISHED

WASTEWATER_NEED = {
    "title": "Cần công nghệ xử lý nước thải chăn nuôi lợn sau biogas",
    "summary": "Trang trại 3.000 con lợn, nước thải sau hầm biogas còn COD và amoni cao, mùi hôi.",
    "keywords": "nước thải chăn nuôi; biogas",
    "expected_result": "Nước thải đạt QCVN 62-MT:2016/BTNMT.",
}
WASTEWATER_OFFER = {
    "title": "Xử lý nước thải chăn nuôi sau biogas bằng đất ngập nước kiến tạo",
    "summary": "Bãi lọc trồng sậy xử lý tiếp nước thải sau hầm biogas của trang trại lợn; giảm COD, amoni.",
    "keywords": "nước thải chăn nuôi; đất ngập nước",
}


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def node(code: str) -> ClassificationNode:
    return ClassificationNode.objects.get(scheme__code=ls.FIELD_SCHEME, code=code)


def unit(code: str, level: str = "province") -> AdminUnit:
    return AdminUnit.objects.get(code_set="2025", level=level, code=code)


@pytest.fixture
def department(db):
    return DepartmentFactory(code="bn-market", name="Sở Khoa học và Công nghệ thành phố Bắc Ninh")


@pytest.fixture
def orgs(department):
    """One owner organisation per kind on each side (an organisation is never matched with itself)."""
    made = {}
    for side in ("need", "supply"):
        for kind in OrganizationKind.values:
            made[side, kind] = OrganizationFactory(department=department, kind=kind, name=f"Tổ chức {side} {kind}")
    return made


@pytest.fixture
def make(department, orgs):
    """make(kind, status=PUBLISHED, owner_kind=..., **listing fields) through the services."""

    def _make(kind=OFFER, status=PUBLISHED, owner_kind=OrganizationKind.ENTERPRISE, **fields):
        side = "need" if kind == NEED else "supply"
        owner = fields.pop("owner", None) or orgs[side, owner_kind]
        return listing_factory(kind=kind, status=status, department=department, owner=owner, **fields)

    return _make


def ranked(listing, **kwargs) -> list[int]:
    return [m.listing.pk for m in matching.matches_for(listing, **kwargs)]


def reason_codes(match) -> list[str]:
    return [r.code for r in match.reasons]


# ANALYSIS ---------------------------------------------------------------------------------------


def test_folding_ignores_case_diacritics_tone_placement_and_i_y_spelling():
    accented = terms("Thủy sản, hòa tan, xử lý, kỹ thuật, mỳ Chũ, Đồng Kỵ")
    assert accented == terms("THUỶ SẢN, hoà tan, xử lí, kĩ thuật, mì chũ, đồng kị")
    assert accented == terms("thuy san, hoa tan, xu li, ki thuat, mi chu, dong ki")
    assert "thuy san" in accented and "xu li" in accented and "dong ki" in accented


def test_stopwords_are_matched_with_their_diacritics():
    assert terms("nuôi cá trong ao") == ["nuoi", "ca", "ao", "nuoi ca"]  # "trong" (in) is dropped ...
    assert "trong lua" in terms("kỹ thuật trồng lúa")  # ... "trồng" (grow) is kept
    assert terms("có cơ khí") == ["co", "khi", "co khi"]  # "có" (have) goes, "cơ khí" stays
    assert "len men" in terms("quy trình lên men giấm")  # "lên men" (ferment) is a word here
    assert terms("cho các doanh nghiệp") == ["doanh", "nghiep", "doanh nghiep"]


def test_text_without_diacritics_keeps_the_ambiguous_function_words():
    found = terms("ky thuat trong lua va ngo, cho cac ho dan")
    assert "trong lua" in found  # "trong" may be "trồng": kept, the IDF weighs it
    assert "va" not in found and "cac" not in found  # unambiguous function words go
    assert "lua ngo" not in found  # a dropped word breaks the pair
    assert "cho" in found  # "cho" may be "chợ"


def test_pairs_stay_within_a_segment_and_numbers_are_dropped():
    found = terms("Cà phê, hồ tiêu (năm 2025): 3.000 tấn")
    assert {"ca phe", "ho tieu", "nam", "tan"} <= set(found)
    assert "phe ho" not in found and "tieu nam" not in found
    assert not any(t.isdigit() for t in found)


def test_synonyms_add_the_canonical_term_once():
    assert "iot" in terms("Ứng dụng Internet vạn vật trong nông nghiệp")
    assert "drone" in terms("phun thuốc bằng máy bay không người lái")
    assert "biogas" in terms("xu ly phan lon, tan dung khi sinh hoc")
    assert analyse("Hệ thống IoT").counts["iot"] == 1
    assert analyse("IoT, IoT").counts["iot"] == 2


def test_weights_and_display_keep_the_written_form():
    analysed = analyse("Xử lý nước thải", weight=2)
    analyse("nuoc thai sinh hoat", into=analysed)
    assert analysed.counts["nuoc thai"] == 3
    assert analysed.display["nuoc thai"] == "nước thải"  # the accented form wins
    assert analysed.display["sinh hoat"] == "sinh hoat"
    assert analyse("Internet vạn vật").display["iot"] == "Internet vạn vật".lower()


def test_search_words_are_folded_syllables_without_stopwords():
    assert search_words("Cảm biến và IoT cho ao nuôi") == ["cam", "bien", "iot", "ao", "nuoi"]
    assert search_words("") == []


# INDEX ------------------------------------------------------------------------------------------


def stat(term: str) -> int:
    row = ListingTermStat.objects.filter(term=term).first()
    return row.df if row else 0


def test_publishing_indexes_the_terms_with_the_title_counted_twice(make):
    offer = make(OFFER, **WASTEWATER_OFFER)

    rows = dict(ListingTerm.objects.filter(listing=offer).values_list("term", "count"))
    assert set(ListingTerm.objects.filter(listing=offer).values_list("kind", flat=True)) == {OFFER}
    # title once (x2) + summary once + keywords once
    assert rows["nuoc thai"] == 2 + 1 + 1
    assert rows["dat ngap"] == 2 + 1
    offer.refresh_from_db()
    assert offer.search_length == sum(rows.values()) > 0
    assert stat("nuoc thai") == 1
    assert stat(matching.LISTINGS_KEY) == 1
    assert stat(matching.LENGTH_KEY) == offer.search_length


def test_unpublished_listings_are_not_indexed(make):
    draft = make(OFFER, status=ListingStatus.DRAFT, **WASTEWATER_OFFER)
    submitted = make(OFFER, status=ListingStatus.SUBMITTED, **WASTEWATER_OFFER)

    assert matching.listing_index(draft) == 0
    assert matching.listing_index(submitted) == 0
    assert not ListingTerm.objects.exists()
    assert stat(matching.LISTINGS_KEY) == 0


def test_unindex_and_reindex_keep_the_statistics_in_step(make):
    first = make(OFFER, **WASTEWATER_OFFER)
    second = make(OFFER, title="Hầm biogas composite", summary="Xử lý nước thải và phân lợn.")
    assert stat("nuoc thai") == 2
    assert stat("biogas") == 2
    total = stat(matching.LENGTH_KEY)

    matching.listing_unindex(first)
    assert not first.terms.exists()
    assert first.search_length == 0
    assert stat("nuoc thai") == 1
    assert stat("dat ngap") == 0
    assert stat(matching.LISTINGS_KEY) == 1
    second.refresh_from_db()
    assert stat(matching.LENGTH_KEY) == second.search_length < total

    second.title = "Máy phát điện chạy khí sinh học"  # edited while published
    matching.listing_index(second)
    assert not second.terms.filter(term="ham").exists()
    assert second.terms.filter(term="may phat").exists()
    assert stat("ham") == 0
    assert stat("may phat") == 1
    assert stat(matching.LISTINGS_KEY) == 1
    assert stat(matching.LENGTH_KEY) == Listing.objects.get(pk=second.pk).search_length
    matching.listing_unindex(first)  # twice: nothing more to remove
    assert stat(matching.LISTINGS_KEY) == 1


def test_market_reindex_rebuilds_the_index_and_drops_stale_terms(make):
    published = [make(OFFER, **WASTEWATER_OFFER), make(NEED, **WASTEWATER_NEED)]
    withdrawn = make(OFFER, status=ListingStatus.WITHDRAWN, title="Lò sấy gỗ chân không", summary="Sấy gỗ xẻ.")
    expected = {p.pk: dict(p.terms.values_list("term", "count")) for p in published}
    ListingTerm.objects.filter(listing=published[0]).delete()  # lost
    ListingTerm.objects.create(listing=withdrawn, term="say go", count=1)  # stale
    ListingTermStat.objects.all().delete()

    out = io.StringIO()
    call_command("market_reindex", "--batch", "1", stdout=out)

    assert out.getvalue().startswith("2 published listings indexed")

    for listing in published:
        assert dict(listing.terms.values_list("term", "count")) == expected[listing.pk]
    assert not withdrawn.terms.exists()
    assert stat(matching.LISTINGS_KEY) == 2
    assert stat("nuoc thai") == 2
    assert stat("say go") == 0
    lengths = sum(Listing.objects.filter(pk__in=[p.pk for p in published]).values_list("search_length", flat=True))
    assert stat(matching.LENGTH_KEY) == lengths


def test_the_daily_prune_unindexes_listings_that_left_the_exchange_without_it(make):
    staying = make(OFFER, **WASTEWATER_OFFER)
    leaving = make(OFFER, title="Lò sấy gỗ chân không", summary="Sấy gỗ xẻ, chống nứt.")
    gone = make(OFFER, **WASTEWATER_OFFER)
    assert stat(matching.LISTINGS_KEY) == 3
    # moved by the engine alone, as a job or a fix might: their terms stay behind
    transition_apply(leaving, "withdraw", actor=officer_of(leaving.department))
    listing_expire(gone)
    assert leaving.terms.exists() and gone.terms.exists()
    assert staying.pk in ranked(make(NEED, **WASTEWATER_NEED))  # (stale terms are never candidates)

    assert matching.index_prune(today=TODAY) == 2

    assert not leaving.terms.exists() and not gone.terms.exists()
    assert staying.terms.exists()
    assert stat(matching.LISTINGS_KEY) == 2  # the offer that stays and the need
    assert stat("say go") == 0
    assert matching.index_prune(today=TODAY) == 0


def test_withdrawing_through_the_services_unindexes_at_once(make):
    offer = make(OFFER, **WASTEWATER_OFFER)
    services.listing_withdraw(actor=officer_of(offer.department), listing=offer)
    assert not offer.terms.exists()
    assert stat(matching.LISTINGS_KEY) == 0


# RANKING ----------------------------------------------------------------------------------------


def test_a_need_gets_ranked_offers_with_reasons(make):
    need = make(
        NEED, owner_kind=OrganizationKind.ENTERPRISE, field=node("207"), province=unit("24"), **WASTEWATER_NEED
    )
    relevant = make(OFFER, field=node("207"), province=unit("24"), readiness_level=8, **WASTEWATER_OFFER)
    distractor = make(OFFER, title="Lò sấy gỗ chân không", summary="Sấy gỗ xẻ, chống nứt, cong vênh; nước ngưng.")
    unrelated = make(OFFER, title="Vắc xin gia cầm", summary="Phòng bệnh Newcastle cho gà.")

    matches = matching.matches_for(need)

    assert [m.listing.pk for m in matches] == [relevant.pk, distractor.pk]  # shares "nước" only
    assert unrelated.pk not in ranked(need)
    top = matches[0]
    assert top.score > matches[1].score > 0
    assert 0 < matches[1].strength < top.strength <= 1
    assert reason_codes(top) == ["terms", "field", "readiness_high", "province"]
    assert top.shared_terms[0] == "xử lý nước thải chăn nuôi"  # a phrase of the need, with its diacritics
    assert all(term == term.lower() for term in top.shared_terms)
    texts = [str(r) for r in top.reasons]
    assert texts[0].startswith("Shared terms: ") and "biogas" in texts[0]
    assert texts[1] == "Same S&T field: Kỹ thuật môi trường"
    assert texts[2] == "Readiness level 8: ready to be applied in production"
    assert texts[3] == "Same province: Thành phố Bắc Ninh"
    assert top.reasons[1].msgid == "Same S&T field: %(field)s"
    assert top.reasons[1].params == {"field": "Kỹ thuật môi trường"}


def test_only_published_valid_listings_of_the_other_side_are_candidates(make):
    need = make(NEED, **WASTEWATER_NEED)
    offer = make(OFFER, **WASTEWATER_OFFER)
    equipment = make(EQUIPMENT, **WASTEWATER_OFFER)
    service = make(SERVICE, **WASTEWATER_OFFER)
    hidden = [
        make(OFFER, status=status, **WASTEWATER_OFFER)
        for status in (
            ListingStatus.DRAFT,
            ListingStatus.SUBMITTED,
            ListingStatus.RETURNED,
            ListingStatus.EXPIRED,
            ListingStatus.WITHDRAWN,
        )
    ]
    hidden.append(make(OFFER, valid_from=TODAY + dt.timedelta(days=10), **WASTEWATER_OFFER))  # not yet valid
    ending = make(OFFER, valid_until=TODAY + dt.timedelta(days=5), **WASTEWATER_OFFER)
    other_need = make(NEED, **WASTEWATER_NEED)
    for listing in hidden:  # even if something left their terms in the index
        ListingTerm.objects.get_or_create(listing=listing, term="nuoc thai", defaults={"count": 9})

    found = ranked(need)
    assert set(found) == {offer.pk, equipment.pk, service.pk, ending.pk}
    assert other_need.pk not in found and need.pk not in found
    later = ranked(need, today=TODAY + dt.timedelta(days=6))
    assert ending.pk not in later and offer.pk in later
    assert set(ranked(offer)) == {need.pk, other_need.pk}  # an offer is matched with needs only
    assert set(ranked(equipment, limit=1)) <= {need.pk, other_need.pk}


def test_an_organisation_is_not_matched_with_its_own_listings(make, orgs):
    own = orgs["need", OrganizationKind.ENTERPRISE]
    need = make(NEED, owner=own, **WASTEWATER_NEED)
    mine = make(OFFER, owner=own, **WASTEWATER_OFFER)
    theirs = make(OFFER, **WASTEWATER_OFFER)

    assert ranked(need) == [theirs.pk]
    assert mine.pk not in ranked(need)


def test_same_field_ranks_above_a_related_field_above_another_field(make):
    need = make(NEED, field=node("207"), **WASTEWATER_NEED)  # Kỹ thuật môi trường (under 2)
    other = make(OFFER, field=node("401"), **WASTEWATER_OFFER)  # Trồng trọt (under 4)
    related = make(OFFER, field=node("208"), **WASTEWATER_OFFER)  # CNSH môi trường (under 2)
    same = make(OFFER, field=node("207"), **WASTEWATER_OFFER)
    parent = make(OFFER, field=node("2"), **WASTEWATER_OFFER)  # the parent field itself

    matches = matching.matches_for(need)

    assert [m.listing.pk for m in matches] == [same.pk, related.pk, parent.pk, other.pk]
    assert "field" in reason_codes(matches[0])
    assert "field_related" in reason_codes(matches[1]) and "field_related" in reason_codes(matches[2])
    assert not {"field", "field_related"} & set(reason_codes(matches[3]))
    assert str(matches[1].reasons[1]) == "Related S&T fields: Kỹ thuật môi trường and Công nghệ sinh học môi trường"


def test_readiness_favours_ready_technology_for_enterprises_and_meets_an_expected_level(make):
    enterprise_need = make(NEED, owner_kind=OrganizationKind.ENTERPRISE, **WASTEWATER_NEED)
    early = make(OFFER, readiness_level=3, **WASTEWATER_OFFER)
    ready = make(OFFER, readiness_level=9, **WASTEWATER_OFFER)

    matches = matching.matches_for(enterprise_need)
    assert [m.listing.pk for m in matches] == [ready.pk, early.pk]
    assert "readiness_high" in reason_codes(matches[0])
    assert "readiness_high" not in reason_codes(matches[1])

    agency_need = make(NEED, owner_kind=OrganizationKind.PUBLIC_AGENCY, **WASTEWATER_NEED)
    scores = {m.listing.pk: m.score for m in matching.matches_for(agency_need)}
    assert scores[ready.pk] == pytest.approx(scores[early.pk])  # no preference without a producer

    expecting = make(NEED, owner_kind=OrganizationKind.PUBLIC_AGENCY, readiness_level=7, **WASTEWATER_NEED)
    matches = matching.matches_for(expecting)
    assert [m.listing.pk for m in matches] == [ready.pk, early.pk]
    assert str(matches[0].reasons[-1]) == "Readiness level 9 meets the expected level 7"
    assert matches[1].score < matches[1].text_score  # below the expectation costs a little


def test_same_commune_ranks_above_same_province_above_elsewhere(make):
    lang_giang = unit("07375", "commune")
    need = make(NEED, province=unit("24"), commune=lang_giang, **WASTEWATER_NEED)
    elsewhere = make(OFFER, province=unit("01"), **WASTEWATER_OFFER)
    province = make(OFFER, province=unit("24"), commune=unit("07582", "commune"), **WASTEWATER_OFFER)
    commune = make(OFFER, province=unit("24"), commune=lang_giang, **WASTEWATER_OFFER)

    matches = matching.matches_for(need)

    assert [m.listing.pk for m in matches] == [commune.pk, province.pk, elsewhere.pk]
    assert str(matches[0].reasons[-1]) == "Same commune: Xã Lạng Giang, Thành phố Bắc Ninh"
    assert reason_codes(matches[1])[-1] == "province"
    assert not {"commune", "province"} & set(reason_codes(matches[2]))


def test_a_price_within_the_budget_is_a_reason_and_far_above_it_a_penalty(make):
    need = make(NEED, budget_min_vnd=100_000_000, budget_max_vnd=400_000_000, **WASTEWATER_NEED)
    dear = make(OFFER, price_vnd=900_000_000, price_negotiable=False, **WASTEWATER_OFFER)
    unknown = make(OFFER, price_vnd=None, price_negotiable=True, **WASTEWATER_OFFER)
    within = make(OFFER, price_vnd=350_000_000, price_negotiable=False, **WASTEWATER_OFFER)

    matches = matching.matches_for(need)

    assert [m.listing.pk for m in matches] == [within.pk, unknown.pk, dear.pk]
    assert str(matches[0].reasons[-1]) == (
        "Indicative price 350.000.000 VND within the budget of up to 400.000.000 VND"
    )
    assert "budget" not in reason_codes(matches[1]) + reason_codes(matches[2])


def test_a_need_written_without_diacritics_finds_accented_offers_and_shows_their_words(make):
    need = make(
        NEED,
        title="Can cong nghe xu ly nuoc thai chan nuoi lon",
        summary="Nuoc thai sau ham biogas con COD cao.",
        keywords="",
        expected_result="Dat quy chuan.",
    )
    offer = make(OFFER, **WASTEWATER_OFFER)

    (match,) = matching.matches_for(need)

    assert match.listing == offer
    assert "xử lý nước thải chăn nuôi" in match.shared_terms


def test_synonyms_match_offers_that_share_no_syllable(make):
    need = make(NEED, title="Ứng dụng Internet vạn vật tưới vườn", summary="Tưới cây ăn quả từ xa.")
    offer = make(OFFER, title="Bộ điều khiển IoT", summary="Điều khiển van qua điện thoại.", keywords="")

    (match,) = matching.matches_for(need)

    assert match.listing == offer
    assert "internet vạn vật / iot" in match.shared_terms


def test_the_number_of_queries_does_not_grow_with_the_candidates(make):
    need = make(NEED, field=node("207"), province=unit("24"), **WASTEWATER_NEED)
    make(OFFER, field=node("207"), province=unit("24"), **WASTEWATER_OFFER)
    need = Listing.objects.get(pk=need.pk)
    with CaptureQueriesContext(connection) as few:
        assert len(matching.matches_for(need)) == 1
    for _ in range(8):
        make(OFFER, field=node("208"), province=unit("01"), **WASTEWATER_OFFER)
    need = Listing.objects.get(pk=need.pk)
    with CaptureQueriesContext(connection) as many:
        assert len(matching.matches_for(need)) == 9
    assert len(many) == len(few) <= 10


def test_a_listing_without_terms_has_no_matches(make):
    need = make(NEED, title="Cần", summary="và các", keywords="", expected_result="của")
    make(OFFER, **WASTEWATER_OFFER)
    assert matching.matches_for(need) == []


# SAVED SEARCHES AND ALERTS ---------------------------------------------------------------------


def test_saved_search_matching_rules(make, department):
    offer = make(
        OFFER,
        field=node("207"),
        province=unit("24"),
        readiness_level=7,
        **WASTEWATER_OFFER,
    )

    def matches(**search) -> bool:
        return matching.saved_search_matches(SavedSearch(name="s", **search), offer)

    assert matches()
    assert matches(query="nuoc thai chan nuoi")  # accents ignored
    assert matches(query="Nước thải và BIOGAS")  # stopwords ignored, case ignored
    assert not matches(query="nước thải dệt nhuộm")  # every word must be there
    assert not matches(query="nuoc thai ca")  # whole syllables, not substrings ("cao"...)
    assert matches(kind=OFFER) and not matches(kind=NEED)
    assert matches(field=node("207")) and matches(field=node("2"))  # a field includes its sub-fields
    assert not matches(field=node("208"))
    assert matches(province=unit("24")) and not matches(province=unit("01"))
    assert matches(min_readiness_level=7) and not matches(min_readiness_level=8)
    draft = make(OFFER, status=ListingStatus.DRAFT, **WASTEWATER_OFFER)
    assert not matching.saved_search_matches(SavedSearch(name="s"), draft)
    assert not matching.saved_search_matches(SavedSearch(name="s"), offer, today=offer.valid_until + dt.timedelta(1))


def test_publishing_alerts_matching_saved_searches_once(make, department):
    def user(**search):
        account = UserFactory(role=Role.APPLICANT, department=None)
        SavedSearch.objects.create(user=account, name="Nước thải", **search)
        return account

    wanted = user(query="nước thải chăn nuôi", kind=OFFER, alerts=True)
    also_wanted = user(query="biogas", alerts=True)
    muted = user(query="nước thải", alerts=False)
    other_words = user(query="dệt nhuộm", alerts=True)
    other_kind = user(query="nước thải", kind=NEED, alerts=True)
    inactive = user(query="nước thải", alerts=True)
    inactive.is_active = False
    inactive.save()

    offer = make(OFFER, **WASTEWATER_OFFER)  # published: the listing services call alerts_send

    alerts = Message.objects.filter(event_key__startswith=f"marketplace.listing.{offer.pk}.alert.")
    notified = set(alerts.values_list("recipient_user_id", flat=True))
    assert {wanted.pk, also_wanted.pk} <= notified
    assert not notified & {muted.pk, other_words.pk, other_kind.pk, inactive.pk}
    assert set(alerts.values_list("channel", flat=True)) == {"in_app", "email"}
    message = alerts.get(recipient_user=wanted, channel="in_app")
    assert message.subject == "New listing for your saved search “Nước thải”"
    assert offer.code in message.body
    assert message.context["url"] == f"/exchange/{offer.public_id}/"
    count = alerts.count()

    assert matching.alerts_send(offer) == len(notified)  # again: the same messages, none new
    assert alerts.count() == count
    draft = make(OFFER, status=ListingStatus.DRAFT, **WASTEWATER_OFFER)
    assert matching.alerts_send(draft) == 0


def test_need_owners_hear_of_a_new_offer_that_tops_their_matches(make, orgs):
    owner = orgs["need", OrganizationKind.ENTERPRISE]
    applicant = UserFactory(role=Role.APPLICANT, department=None, organization=owner)
    need = make(NEED, owner=owner, **WASTEWATER_NEED)
    unrelated = make(OFFER, title="Vắc xin gia cầm", summary="Phòng bệnh Newcastle cho gà.")
    offer = make(OFFER, **WASTEWATER_OFFER)

    messages = Message.objects.filter(recipient_user=applicant, event_key__startswith=f"marketplace.need.{need.pk}.")
    assert set(messages.values_list("event_key", flat=True)) == {f"marketplace.need.{need.pk}.match.{offer.pk}"}
    assert not messages.filter(event_key__endswith=f".{unrelated.pk}").exists()
    assert messages.get(channel="in_app").subject == f"A new listing matches your need {need.code}"
    count = messages.count()
    matching.alerts_send(offer)
    assert messages.count() == count


# QUALITY ON THE LABELLED SET -------------------------------------------------------------------


def test_the_labelled_set_is_consistent_and_large_enough():
    ls.check()
    assert len(ls.NEEDS) >= 25
    assert len(ls.OFFERS) >= 60
    plain = [x for x in [*ls.NEEDS, *ls.OFFERS] if x["title"].lower() == ls.fold(x["title"])]
    assert len(plain) >= 4  # some are written without diacritics
    assert ls.precision_at(["a", "x", "b"], {"a": 2, "b": 1}, 5) == pytest.approx(0.4)
    assert ls.ndcg_at(["a", "b"], {"a": 2, "b": 1}) == pytest.approx(1.0)
    assert ls.ndcg_at(["b", "a"], {"a": 2, "b": 1}) < 1.0


def labelled_fields(item: dict) -> dict:
    fields = {
        "title": item["title"],
        "summary": item["summary"],
        "keywords": item.get("keywords", ""),
        "sector": item.get("sector", ""),
        "field": node(item["field"]),
        "province": unit(item["province"]),
        "commune": unit(item["commune"], "commune") if item.get("commune") else None,
        "readiness_level": item.get("trl"),
    }
    if "budget" in item:
        fields.update(
            budget_min_vnd=item["budget"][0],
            budget_max_vnd=item["budget"][1],
            expected_result=item["expected_result"],
        )
    if item.get("price"):
        fields.update(price_vnd=item["price"], price_negotiable=False)
    for name in ("equipment_mode", "service_type"):
        if item.get(name):
            fields[name] = item[name]
    return fields


def test_matching_beats_the_plain_full_text_baseline_on_the_labelled_set(make):
    keys = {}
    for item in ls.OFFERS:
        keys[item["key"]] = make(item["kind"], owner_kind=item["owner"], **labelled_fields(item))
    for item in ls.NEEDS:
        keys[item["key"]] = make(NEED, owner_kind=item["owner"], **labelled_fields(item))
    by_pk = {listing.pk: key for key, listing in keys.items()}
    documents = {
        by_pk[pk]: text
        for pk, text in Listing.objects.filter(kind__in=matching.SUPPLY_KINDS).values_list("pk", "search_text")
    }

    ours, baseline = {"p": [], "ndcg": []}, {"p": [], "ndcg": []}
    for need in ls.NEEDS:
        mine = [by_pk[m.listing.pk] for m in matching.matches_for(keys[need["key"]], limit=10)]
        plain = ls.baseline_rank(ls.need_text(need), documents)
        for result, ranking in ((ours, mine), (baseline, plain)):
            result["p"].append(ls.precision_at(ranking, need["relevant"], 5))
            result["ndcg"].append(ls.ndcg_at(ranking, need["relevant"], 10))

    assert ls.mean(ours["p"]) > ls.mean(baseline["p"])
    assert ls.mean(ours["ndcg"]) > ls.mean(baseline["ndcg"])
    # every need finds its best answer first
    assert sum(1 for need in ls.NEEDS if ranked_first(keys, by_pk, need)) >= len(ls.NEEDS) - 2


def ranked_first(keys, by_pk, need) -> bool:
    first = matching.matches_for(keys[need["key"]], limit=1)
    return bool(first) and need["relevant"].get(by_pk[first[0].listing.pk]) == 2
