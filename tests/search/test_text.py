"""Folding and tone placement (DESIGN rule 8, R-19): no database needed."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opendost.common.text import fold, tone_normalize
from opendost.search.text import MAX_QUERY_TOKENS, exact_text, folded_text, parse_query

SAME_WORDS = [
    ("hoà", "hòa"),
    ("thuỷ", "thủy"),
    ("khoẻ", "khỏe"),
    ("Hoà Bình", "Hòa Bình"),
    ("HOÀ", "HÒA"),
    ("Uỷ ban", "Ủy ban"),
    ("tuỳ", "tùy"),
    ("Toà án", "Tòa án"),
    ("quý", "qúy"),
    ("hoạ sĩ", "họa sĩ"),
]


@pytest.mark.parametrize(("new", "old"), SAME_WORDS)
def test_fold_and_tone_normalize_equate_old_and_new_tone_placement(new, old):
    assert fold(new) == fold(old)
    assert tone_normalize(old) == tone_normalize(new) == unicodedata.normalize("NFC", new)


@pytest.mark.parametrize(
    "word", ["hoàng", "ngoài", "thuở", "Nguyễn", "thuyền", "khuya", "quả", "giá", "mùa", "café", "Đắk Lắk", "x"]
)
def test_tone_normalize_leaves_syllables_written_one_way_alone(word):
    assert tone_normalize(word) == word


def test_tone_normalize_accepts_nfd_and_returns_nfc():
    assert tone_normalize(unicodedata.normalize("NFD", "Thủy lợi Hòa Bình")) == "Thuỷ lợi Hoà Bình"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Đường Trường Sơn", "duong truong son"),
        ("ĐẮK LẮK", "dak lak"),
        ("Đống Đa", "Dong Da"),
        (unicodedata.normalize("NFD", "Bắc Giang"), "bac giang"),
        ("Hòa Bình", "hoa binh"),
    ],
)
def test_fold_equates_diacritics_d_bar_case_and_nfd(a, b):
    assert fold(a) == fold(b)


def test_exact_text_keeps_diacritics_but_not_case_tone_placement_or_punctuation():
    assert (
        exact_text("  HÒA-Bình,  Thủy ")
        == exact_text(unicodedata.normalize("NFD", "hoà bình thuỷ"))
        == "hoà bình thuỷ"
    )
    assert exact_text("Hoa Bình") != exact_text("Hoà Bình")


def test_folded_text_is_ascii_words():
    assert folded_text("Công ty TNHH Đức Long (Bắc Giang) - MST: 0101234567") == (
        "cong ty tnhh duc long bac giang mst 0101234567"
    )


@pytest.mark.parametrize(
    "query",
    ['"', "*", "bac*", "a:b", "a & b | !c", "(x)", "NEAR(a b)", "a AND b OR NOT c", "\x00", "^a", "-a", "+a", "a'b"],
)
def test_parse_query_reduces_fts_syntax_to_plain_words(query):
    parsed = parse_query(query)
    assert all(t.isascii() and t.isalnum() and t.islower() for t in parsed.tokens)
    assert '"' not in "".join(parsed.tokens)


def test_parse_query_caps_long_input():
    parsed = parse_query("bắc giang " * 10_000)
    assert len(parsed.tokens) == MAX_QUERY_TOKENS
    assert len(parsed.exact) <= 200


def test_parse_query_builds_backend_expressions_with_prefix_on_last_word():
    parsed = parse_query("Bắc gi")
    assert parsed.fts5() == '"bac" "gi"*'
    assert parsed.tsquery() == "bac & gi:*"


@given(st.text())
def test_tone_normalize_never_changes_the_folded_or_case_free_letters(text):
    assert fold(tone_normalize(text)) == fold(text)
    assert len(tone_normalize(text)) == len(unicodedata.normalize("NFC", text))


@given(st.text(alphabet=st.sampled_from("hoaeuyHOAEUYtqđ \u0300\u0301\u0303\u0309\u0323\u0302\u031b")))
def test_tone_normalize_is_idempotent(text):
    once = tone_normalize(text)
    assert tone_normalize(once) == once
