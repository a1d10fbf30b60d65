"""R-18 (idempotent imports) and R-19 (Unicode normalisation of keys), property-based."""

import random
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opendost.accounts.roles import Role
from opendost.common.text import fold
from opendost.imports import reader, services
from opendost.imports.kit import Counts, ImportContext, apply_rows, parse_rows
from opendost.imports.organizations import SPEC as ORGANIZATIONS
from opendost.subjects.models import Organization
from tests.factories import DepartmentFactory, UserFactory
from tests.imports.helpers import NAMED, THINGS, xlsx

# Syllables whose tone mark moved between the old and the new placement rule, and plain ones.
OLD_TO_NEW = {"Hoà": "Hòa", "Thuỷ": "Thủy", "Khoẻ": "Khỏe", "Loà": "Lòa", "Tuý": "Túy", "Quỳ": "Quỳ"}
PLAIN = ["Đức", "Nguyễn", "Bình", "Ánh", "Dương", "Việt", "Hưng", "Sơn", "Lâm", "Phú", "Đắk", "Lắk", "An"]
SYLLABLES = [*OLD_TO_NEW, *OLD_TO_NEW.values(), *PLAIN]
NAMES = st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=4).map(" ".join)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def spelled_otherwise(name: str, rng: random.Random) -> str:
    """The same name as someone else might type it: NFD or NFC, old or new tone placement, case."""
    words = []
    for word in name.split(" "):
        if word in OLD_TO_NEW and rng.random() < 0.5:
            word = OLD_TO_NEW[word]
        elif word in OLD_TO_NEW.values() and rng.random() < 0.5:
            word = next(old for old, new in OLD_TO_NEW.items() if new == word)
        words.append(word.upper() if rng.random() < 0.2 else word)
    return unicodedata.normalize(rng.choice(["NFC", "NFD"]), " ".join(words))


@settings(deadline=None)
@given(NAMES, st.randoms(use_true_random=False))
def test_fold_equates_every_spelling_of_a_name(name, rng):
    """R-19 oracle: NFC/NFD, tone placement and case never make another key."""
    assert fold(spelled_otherwise(name, rng)) == fold(name)
    assert fold(unicodedata.normalize("NFD", name)) == fold(unicodedata.normalize("NFC", name))


def _import(spec, path, store) -> Counts:
    context = ImportContext(actor=None, options={"store": store})
    parsed = parse_rows(spec, reader.read_rows(path, reader.inspect_file(path, path.name)), context)
    assert parsed.issues == []
    counts, issues = apply_rows(spec, parsed, context)
    assert issues == []
    return counts


DATASETS = st.dictionaries(
    st.text(alphabet="ABCDEFGH0123456789", min_size=1, max_size=6), NAMES, min_size=1, max_size=25
)


@FAST
@given(data=DATASETS, edits=st.data(), rng=st.randoms(use_true_random=False))
def test_importing_twice_changes_nothing_and_k_edits_make_k_updates(tmp_path_factory, data, edits, rng):
    data = {code: name for code, name in data.items() if code.casefold() == code.casefold()}
    data = {fold(code): (code, name) for code, name in data.items()}  # codes differing only by case: one key
    rows = [[code, name] for code, name in data.values()]
    directory = tmp_path_factory.mktemp("r18")
    store: dict = {}
    first = _import(THINGS, xlsx(directory, [["Mã", "Tên gọi"], *rows], name="a.xlsx"), store)
    assert (first.created, first.updated, first.unchanged) == (len(rows), 0, 0)
    rng.shuffle(rows)  # row order is irrelevant
    second = _import(THINGS, xlsx(directory, [["Mã", "Tên gọi"], *rows], name="b.xlsx"), store)
    assert (second.created, second.updated, second.unchanged) == (0, 0, len(rows))
    k = edits.draw(st.integers(min_value=0, max_value=len(rows)))
    for row in rows[:k]:
        row[1] = row[1] + " mới"
    rng.shuffle(rows)
    third = _import(THINGS, xlsx(directory, [["Mã", "Tên gọi"], *rows], name="c.xlsx"), store)
    assert (third.created, third.updated, third.unchanged) == (0, k, len(rows) - k)


@FAST
@given(names=st.lists(NAMES, min_size=1, max_size=20, unique_by=fold), rng=st.randoms(use_true_random=False))
def test_a_name_key_spelled_otherwise_finds_the_same_record(tmp_path_factory, names, rng):
    directory = tmp_path_factory.mktemp("r19")
    store: dict = {}
    _import(NAMED, xlsx(directory, [["Tên"], *[[n] for n in names]], name="a.xlsx"), store)
    respelled = [[spelled_otherwise(n, rng)] for n in names]
    rng.shuffle(respelled)
    counts = _import(NAMED, xlsx(directory, [["Tên"], *respelled], name="b.xlsx"), store)
    assert counts.created == 0 and len(store) == len(names)


@pytest.mark.django_db
@SLOW
@given(
    names=st.lists(NAMES, min_size=1, max_size=8, unique_by=fold),
    data=st.data(),
    rng=st.randoms(use_true_random=False),
)
def test_organisations_import_is_idempotent_through_the_services(tmp_path_factory, names, data, rng):
    """R-18 on the real register: name keys (no tax code), respelled and reordered."""
    officer = UserFactory(role=Role.OFFICER, department=DepartmentFactory())
    directory = tmp_path_factory.mktemp("r18db")
    header = ["Loại hình", "Tên tổ chức", "Điện thoại"]
    rows = [["Doanh nghiệp", name, "0200000000"] for name in names]

    def run(rows, name):
        path = xlsx(directory, [header, *rows], name=name)
        return services.import_file(
            actor=officer,
            spec=ORGANIZATIONS,
            file=path,
            file_name=name,
            department=officer.department,
            allow_repeat=True,
        )

    first = run(rows, "a.xlsx")
    assert (first.created, first.errors) == (len(names), 0), first.error_sample
    respelled = [["Doanh nghiệp", spelled_otherwise(n, rng), "0200000000"] for n in names]
    rng.shuffle(respelled)
    second = run(respelled, "b.xlsx")
    assert second.created == 0 and second.updated + second.unchanged == len(names)
    third = run(respelled, "c.xlsx")
    assert (third.created, third.updated, third.unchanged) == (0, 0, len(names))
    k = data.draw(st.integers(min_value=0, max_value=len(names)))
    for row in respelled[:k]:
        row[2] = "0299999999"
    fourth = run(respelled, "d.xlsx")
    assert (fourth.created, fourth.updated, fourth.unchanged) == (0, k, len(names) - k)
    assert Organization.objects.filter(department=officer.department).count() == len(names)
