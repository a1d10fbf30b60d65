"""The Vietnamese catalogue is complete, well-formed and compiled, and the pages speak Vietnamese by default."""

import re
import unicodedata
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# printf-style (%(name)s, %s, %d, %.2f …) and brace-style ({name}, {0}) placeholders; "%%" is a literal percent.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa]|\{[^{}]*\}")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _entries(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in catalogue if not entry.obsolete]


def _label(entry: polib.POEntry) -> str:
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"{context}{entry.msgid!r}"


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _placeholders(text: str) -> tuple[frozenset[str], list[str]]:
    """Named placeholders as a set (a translation may reorder them); positional ones in order."""
    found = PLACEHOLDER.findall(text.replace("%%", ""))
    named = frozenset(
        token for token in found if token.startswith(("%(", "{")) and not re.fullmatch(r"\{\d*\}", token)
    )
    positional = [token for token in found if token not in named]
    return named, positional


def test_the_header_declares_vietnamese_with_one_plural_form(catalogue):
    assert catalogue.metadata.get("Language") == "vi"
    assert catalogue.metadata.get("Plural-Forms") == "nplurals=1; plural=0;"
    assert "charset=UTF-8" in catalogue.metadata.get("Content-Type", "")
    assert not catalogue.metadata_is_fuzzy, "a fuzzy header is skipped by msgfmt, and with it the Plural-Forms"


def test_every_entry_is_translated(catalogue):
    empty = [_label(entry) for entry in _entries(catalogue) if not all(_translations(entry))]

    assert not empty, f"{len(empty)} untranslated entries, e.g. {empty[:10]}"


def test_no_entry_is_fuzzy(catalogue):
    fuzzy = [_label(entry) for entry in _entries(catalogue) if entry.fuzzy]

    assert not fuzzy, f"{len(fuzzy)} fuzzy entries (check them, then remove the flag): {fuzzy[:10]}"


def test_plural_entries_have_exactly_one_form(catalogue):
    wrong = [_label(entry) for entry in _entries(catalogue) if entry.msgid_plural and len(entry.msgstr_plural) != 1]

    assert not wrong, wrong


def test_translations_keep_the_placeholders_of_the_source(catalogue):
    mismatches = []
    for entry in _entries(catalogue):
        # With one plural form, msgstr[0] stands for every count, so it follows the plural source text.
        source = entry.msgid_plural or entry.msgid
        expected = _placeholders(source)
        for text in _translations(entry):
            if text and _placeholders(text) != expected:
                mismatches.append(f"{_label(entry)} -> {text!r}")

    assert not mismatches, "\n".join(mismatches)


def test_translations_are_nfc_normalised(catalogue):
    not_nfc = [
        _label(entry)
        for entry in _entries(catalogue)
        for text in _translations(entry)
        if unicodedata.normalize("NFC", text) != text
    ]

    assert not not_nfc, not_nfc


def test_the_compiled_catalogue_matches_the_po_file(catalogue, tmp_path):
    """Compiling the .po now gives the same entries as the committed .mo: `compilemessages` was run after the
    last change. Entries are compared, not bytes, since msgfmt and polib lay out the file differently."""
    assert MO_PATH.exists(), "run: manage.py compilemessages -l vi -i .venv -i var"
    fresh_path = tmp_path / "django.mo"
    catalogue.save_as_mofile(str(fresh_path))

    def entries(path: Path) -> set[tuple]:
        return {
            (entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
            for entry in polib.mofile(str(path))
        }

    fresh, committed = entries(fresh_path), entries(MO_PATH)
    stale = sorted(repr(item[:2]) for item in fresh ^ committed)
    assert not stale, f"django.mo is older than django.po ({len(stale)} entries differ), e.g. {stale[:5]}"
    assert polib.mofile(str(MO_PATH)).metadata.get("Plural-Forms") == "nplurals=1; plural=0;"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "expected"),
    [
        ("portal:home", ["Đăng nhập", "Sở Khoa học và Công nghệ", "Chức năng, nhiệm vụ của Sở"]),
        ("accounts:login", ["Đăng nhập OpenDOST", "Quên mật khẩu"]),
    ],
)
@pytest.mark.vietnamese
def test_public_pages_are_in_vietnamese_by_default(client, url_name, expected):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="vi"' in html
    for text in expected:
        assert text in html
    assert ">Log in<" not in html
