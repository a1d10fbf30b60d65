import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from opendost.imports import reader
from opendost.imports.reader import Limits, UnsafeFile
from tests.imports.fixtures import minimal_xlsx, ods, ods_row, zip_bomb_xlsx
from tests.imports.helpers import xlsx

LIMITS = Limits(max_bytes=1024 * 1024, max_rows=1000, max_uncompressed=10 * 1024 * 1024, max_ratio=100, max_members=50)
ROOT = Path(__file__).resolve().parents[2]


def refused(path: Path, name: str | None = None, limits: Limits = LIMITS) -> str:
    with pytest.raises(UnsafeFile) as caught:
        file_format = reader.inspect_file(path, name or path.name, limits=limits)
        list(reader.read_rows(path, file_format, limits=limits))
    return caught.value.message


def test_a_normal_workbook_passes(tmp_path):
    path = xlsx(tmp_path, [["Mã"], ["A1"]])
    assert reader.inspect_file(path, "x.xlsx", limits=LIMITS) == reader.XLSX
    assert list(reader.read_rows(path, reader.XLSX, limits=LIMITS)) == [(1, ["Mã"]), (2, ["A1"])]


def test_too_large_a_file_is_refused_before_anything_else(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"x" * (LIMITS.max_bytes + 1))
    assert "files up to 1 MB" in refused(path)


def test_empty_and_unknown_files_are_refused(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert refused(tmp_path / "empty.xlsx")
    (tmp_path / "image.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert refused(tmp_path / "image.xlsx")
    (tmp_path / "damaged.xlsx").write_bytes(b"PK\x03\x04garbage")
    assert "damaged" in refused(tmp_path / "damaged.xlsx")


def test_a_zip_that_is_not_a_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert refused(path)


def test_zip_bomb_is_refused_from_the_directory(tmp_path):
    path = zip_bomb_xlsx(tmp_path / "bomb.xlsx", megabytes=20)
    assert path.stat().st_size < LIMITS.max_bytes
    assert "zip bomb" in refused(path)


def test_total_uncompressed_size_is_limited(tmp_path):
    limits = Limits(max_bytes=10**8, max_rows=1000, max_uncompressed=2 * 1024 * 1024, max_ratio=10**6, max_members=50)
    path = zip_bomb_xlsx(tmp_path / "bomb.xlsx", megabytes=3)
    assert "unpacks to" in refused(path, limits=limits)


def test_too_many_members_is_refused(tmp_path):
    path = minimal_xlsx(tmp_path / "many.xlsx", extra={f"xl/media/{i}.xml": "x" for i in range(60)})
    assert refused(path)


def test_external_links_are_refused(tmp_path):
    path = minimal_xlsx(tmp_path / "links.xlsx", extra={"xl/externalLinks/externalLink1.xml": "<externalLink/>"})
    assert "external links" in refused(path)


def test_a_sheet_declaring_a_million_rows_is_refused_before_unpacking(tmp_path):
    path = minimal_xlsx(tmp_path / "million.xlsx", dimension="A1:J1000000")
    assert "1.000.000 rows" in refused(path)


def test_rows_beyond_the_limit_are_refused_while_reading(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("Mã\n" + "x\n" * 1100, encoding="utf-8")
    assert "rows" in refused(path)


def test_ods_with_a_repeated_non_empty_row_is_refused(tmp_path):
    path = ods(tmp_path / "rep.ods", ods_row("Mã") + ods_row("x", repeat=1_000_000))
    assert "rows" in refused(path)


def test_ods_with_trailing_empty_rows_is_fine(tmp_path):
    path = ods(tmp_path / "ok.ods", ods_row("Mã") + ods_row("A1") + ods_row(repeat=1_048_574))
    assert reader.inspect_file(path, "ok.ods", limits=LIMITS) == reader.ODS
    assert list(reader.read_rows(path, reader.ODS, limits=LIMITS)) == [(1, ["Mã"]), (2, ["A1"])]


MEASURE = """
import json, resource, sys, time
from pathlib import Path
import django
django.setup()
from opendost.imports import reader
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
try:
    reader.inspect_file(Path(sys.argv[1]), sys.argv[1])
    outcome = "accepted"
except reader.UnsafeFile as exc:
    outcome = exc.message
print(json.dumps({"outcome": outcome, "seconds": time.perf_counter() - start,
                  "baseline_mb": baseline,
                  "growth_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - baseline}))
"""


@pytest.mark.parametrize("kind", ["bomb", "million"])
def test_refusal_in_a_subprocess_stays_within_the_memory_budget(tmp_path, kind):
    """R-05: measured in a fresh process with the real limits; the time is printed, not asserted.

    The budget is the memory the refusal adds to the process once Django is set up (the baseline
    depends on the libraries installed, not on the file), so a bomb must be refused before unpacking.
    """
    if kind == "bomb":
        path = zip_bomb_xlsx(tmp_path / "bomb.xlsx", megabytes=500)  # ~500 KB on disk, 500 MB inflated
    else:
        path = minimal_xlsx(tmp_path / "million.xlsx", dimension="A1:Z1048576")
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"R-05 {kind}: {path.stat().st_size / 1024:.0f} KB file, {measured}")  # noqa: T201 - shown with -s
    assert measured["outcome"] != "accepted"
    assert measured["growth_mb"] < 50
