"""search(), search_filter() and the index services, on whichever database the suite runs on."""

import itertools
import unicodedata

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opendost.departments.models import Department, Unit
from opendost.search.models import SearchDocument
from opendost.search.selectors import search, search_filter
from opendost.search.services import search_index, search_reindex, search_remove
from tests.factories import DepartmentFactory, UnitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indexed_kernel_models")]


def dept(name, governing_body="UBND TỈNH"):
    department = DepartmentFactory(name=name, governing_body=governing_body)
    search_index(department)
    return department


def titles(query, **kwargs):
    return [hit.title for hit in search(query, **kwargs)]


# MATCHING -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        "Bắc Giang",
        "bac giang",
        "BAC GIANG",
        "bắc",
        "giang",
        unicodedata.normalize("NFD", "Bắc Giang"),
        "bac gi",  # as you type: the last word is a prefix
        "b",
    ],
)
def test_search_ignores_diacritics_case_and_normal_form(query):
    dept("Sở KH&CN Bắc Giang")
    assert titles(query) == ["Sở KH&CN Bắc Giang"]


@pytest.mark.parametrize("query", ["duong", "Đường", "đường", "DUONG", "dak lak", "Đắk Lắk", "dong da"])
def test_search_folds_d_bar(query):
    dept("Đường Đắk Lắk Đống Đa")
    assert titles(query) == ["Đường Đắk Lắk Đống Đa"]


@pytest.mark.parametrize(("stored", "typed"), [("Hoà Bình", "hòa bình"), ("Hòa Bình", "hoà"), ("Thuỷ lợi", "thủy")])
def test_search_ignores_tone_placement(stored, typed):
    dept(stored)
    hits = search(typed)
    assert [h.title for h in hits] == [stored]
    assert hits[0].exact


def test_search_requires_every_word():
    dept("Sở Khoa học Bắc Giang")
    dept("Sở Khoa học Bắc Ninh")
    assert titles("bac ninh") == ["Sở Khoa học Bắc Ninh"]
    assert titles("ninh giang") == []


def test_search_matches_the_body_too():
    dept("Sở Khoa học số 1", governing_body="UBND TỈNH LẠNG SƠN")
    assert titles("lang son") == ["Sở Khoa học số 1"]


def test_only_the_last_word_is_a_prefix():
    dept("Bắc Giang")
    assert titles("ba giang") == []
    assert titles("bac gia") == ["Bắc Giang"]


# RANKING ------------------------------------------------------------------------------------------
def test_exact_diacritic_matches_rank_first():
    dept("Bác Giang")
    dept("Bắc Giang")
    dept("Bạc Giang")
    assert titles("Bắc Giang")[0] == "Bắc Giang"
    assert titles("bạc")[0] == "Bạc Giang"
    assert titles("Bác")[0] == "Bác Giang"
    hits = search("Bắc Giang")
    assert [h.exact for h in hits] == [True, False, False]


def test_exact_match_counts_whole_words_from_their_start():
    dept("Trạm Hòa")  # "hòa" inside, after a space: exact
    dept("Hoa Hòa")
    dept("Thòa")  # not a word start: not exact for "hòa", and not a folded match either
    assert [h.title for h in search("hòa") if h.exact] == ["Hoa Hòa", "Trạm Hòa"]


def test_relevance_then_title_orders_the_rest():
    dept("Viện Nông nghiệp")
    dept("Viện Nông nghiệp Nông thôn Nông lâm")
    dept("Trung tâm Nông")
    hits = search("nong")
    assert not any(h.exact for h in hits)
    assert hits[0].title == "Viện Nông nghiệp Nông thôn Nông lâm"
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))


# FILTERS AND PAGING -------------------------------------------------------------------------------
def test_models_and_departments_filter_hits():
    a, b = dept("Sở Thử nghiệm A"), dept("Sở Thử nghiệm B")
    unit = UnitFactory(department=a, name="Phòng Thử nghiệm")
    search_index(unit)
    assert set(titles("thu nghiem")) == {"Sở Thử nghiệm A", "Sở Thử nghiệm B", "Phòng Thử nghiệm"}
    assert titles("thu nghiem", models=[Unit]) == ["Phòng Thử nghiệm"]
    assert titles("thu nghiem", models=[]) == []
    assert set(titles("thu nghiem", department_ids=[a.pk])) == {"Sở Thử nghiệm A", "Phòng Thử nghiệm"}
    assert titles("thu nghiem", department_ids=[b.pk], models=[Department]) == ["Sở Thử nghiệm B"]
    assert titles("thu nghiem", department_ids=[]) == []


def test_documents_without_a_department_are_found_by_everyone():
    a = dept("Sở Chung")
    SearchDocument.objects.filter(object_id=a.pk).update(department=None)
    assert titles("chung", department_ids=[]) == ["Sở Chung"]


def test_limit_and_offset_page_through_hits():
    for i in range(5):
        dept(f"Sở Phân trang {i}")
    first, second = titles("phan trang", limit=3), titles("phan trang", limit=3, offset=3)
    assert len(first) == 3 and len(second) == 2
    assert not set(first) & set(second)
    assert titles("phan trang", limit=0) == []


def test_hits_carry_the_type_and_id():
    department = dept("Sở Định danh")
    (hit,) = search("dinh danh")
    assert hit.content_type.model_class() is Department
    assert hit.object_id == department.pk


# THE INDEX ----------------------------------------------------------------------------------------
def test_search_index_refreshes_a_renamed_record():
    department = dept("Sở Tên Cũ")
    department.name = "Sở Tên Mới"
    department.save()
    search_index(department)
    assert titles("ten cu") == []
    assert titles("ten moi") == ["Sở Tên Mới"]
    assert SearchDocument.objects.count() == 1


def test_search_remove_drops_the_document():
    department = dept("Sở Xoá Bỏ")
    search_remove(department)
    search_remove(department)  # again: a no-op
    assert titles("xoa bo") == []


def test_search_index_rejects_an_unregistered_model(django_user_model):
    user = django_user_model.objects.create(username="u")
    with pytest.raises(LookupError):
        search_index(user)


def test_search_index_rolls_back_with_the_transaction():
    from django.db import transaction

    department = DepartmentFactory(name="Sở Rollback")
    with pytest.raises(RuntimeError), transaction.atomic():
        search_index(department)
        raise RuntimeError
    assert titles("rollback") == []


def test_reindex_rebuilds_documents_and_drops_stale_ones():
    a = DepartmentFactory(name="Sở Chưa Chỉ mục")
    UnitFactory(department=a, name="Phòng Chưa Chỉ mục")
    ghost = dept("Sở Đã Xoá")
    SearchDocument.objects.filter(object_id=ghost.pk).update(object_id=10**9)
    counts = search_reindex(batch_size=1)
    assert counts["departments.Department"] == 2 and counts["departments.Unit"] == 1
    assert set(titles("chua chi muc")) == {"Sở Chưa Chỉ mục", "Phòng Chưa Chỉ mục"}
    assert titles("da xoa") == ["Sở Đã Xoá"]
    assert SearchDocument.objects.count() == 3


def test_reindex_command_takes_one_model(capsys):
    DepartmentFactory(name="Sở Lệnh")
    UnitFactory(name="Phòng Lệnh")
    call_command("search_reindex", "--model", "departments.Unit", "--batch-size", "10")
    assert titles("lenh") == ["Phòng Lệnh"]
    assert "departments.Unit" in capsys.readouterr().out


def test_reindex_command_rejects_an_unknown_model():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("search_reindex", "--model", "accounts.User")
    with pytest.raises(CommandError):
        call_command("search_reindex", "--model", "nope.Nothing")


# search_filter ------------------------------------------------------------------------------------
def test_search_filter_narrows_a_queryset_and_puts_exact_matches_first():
    for name in ["Sở Bác Ái", "Sở Bắc Ái", "Sở Khác"]:
        dept(name)
    qs = search_filter(Department.objects.order_by("name"), "Bắc ái")
    assert [d.name for d in qs] == ["Sở Bắc Ái", "Sở Bác Ái"]
    assert list(search_filter(Department.objects.filter(name="Sở Khác"), "bac")) == []
    assert search_filter(Department.objects.all(), "  ").count() == 3  # blank: unchanged
    assert search_filter(Department.objects.all(), " ?! ").count() == 0  # no searchable word


def test_search_filter_works_inside_a_subquery():
    dept("Sở Lồng Nhau")
    inner = search_filter(Department.objects.all(), "long nhau").values("pk")
    assert Department.objects.filter(pk__in=inner).count() == 1


# FUZZ (S-21) --------------------------------------------------------------------------------------
NASTY = st.one_of(
    st.text(),
    st.lists(st.sampled_from([*"\"*:&|!()^-+ \x00'\\%_", "NEAR", "AND", "OR", "NOT", "bac", "đ", "\u0303"])).map(
        "".join
    ),
    st.sampled_from(['"', "bac*", "NEAR(a b)", "a OR b", "NOT", "AND", ":*", "&&", "!!", "''", "\x00", "' OR 1=1 --"]),
    st.text(min_size=500, max_size=3000),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=NASTY)
def test_search_never_raises_on_any_input(query):
    search(query)
    search(query, department_ids=[1, 2], models=[Department], limit=5, offset=2)
    list(search_filter(Department.objects.all(), query))


def test_fuzz_corpus_is_searchable():
    dept('Sở "Trích dẫn" (NEAR) AND * : & | !')
    assert titles('"trích dẫn" near and') == ['Sở "Trích dẫn" (NEAR) AND * : & | !']
