"""The .docx and the PDF of one document: NĐ 30/2020 layout, fonts, Vietnamese text."""

import io
import re
import shutil
import subprocess
import unicodedata
from datetime import date

import pytest
from docx import Document

from opendost.documents.rendering import _LocalOnlyFetcher, font_family, render_docx, render_pdf
from opendost.documents.samples import sample_decision
from opendost.documents.structure import MOTTO, NATIONAL_TITLE
from tests.documents.conftest import needs_poppler

URL = "https://dost.example.vn/verify/ABCDEFGH23/"
EXPECTED_LINES = [
    "UBND TỈNH BẮC NINH",
    "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    NATIONAL_TITLE,
    MOTTO,
    "Số: 05/QĐ-SKHCN",
    "Bắc Ninh, ngày 05 tháng 01 năm 2026",
    "QUYẾT ĐỊNH",
    "Về việc phê duyệt danh mục nhiệm vụ khoa học và công nghệ cấp tỉnh đặt hàng năm 2027",
    "Điều 1. Phê duyệt danh mục 12 nhiệm vụ khoa học và công nghệ cấp tỉnh",
    "KT. GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "Lê Minh Cường",
    "Nơi nhận:",
    "- Lưu: VT, QLKH.",
]


@pytest.fixture(scope="module")
def doc():
    data = sample_decision(issuing_body_parent="UBND TỈNH BẮC NINH", place="Bắc Ninh", issued_on=date(2026, 1, 5))
    return data.with_issue(number_symbol="05/QĐ-SKHCN", qr_url=URL, verification_code="ABCDEFGH23")


@pytest.fixture(scope="module")
def docx_bytes(doc):
    return render_docx(doc)


@pytest.fixture(scope="module")
def pdf_path(doc, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "decision.pdf"
    path.write_bytes(render_pdf(doc))
    return path


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=120).stdout  # noqa: S603


# DOCX ---------------------------------------------------------------------------------------------
def test_docx_is_a4_portrait_with_nd30_margins(docx_bytes):
    section = Document(io.BytesIO(docx_bytes)).sections[0]
    assert round(section.page_width.mm) == 210
    assert round(section.page_height.mm) == 297
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20


def test_docx_has_the_header_table_and_every_component(docx_bytes):
    document = Document(io.BytesIO(docx_bytes))
    header = document.tables[0]
    issuing, motto = header.rows[0].cells
    assert [p.text for p in issuing.paragraphs][:2] == ["UBND TỈNH BẮC NINH", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert [p.text for p in motto.paragraphs] == [NATIONAL_TITLE, MOTTO]
    assert header.rows[1].cells[0].text == "Số: 05/QĐ-SKHCN"
    assert header.rows[1].cells[1].text == "Bắc Ninh, ngày 05 tháng 01 năm 2026"
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    all_text = "\n".join(texts)
    for line in EXPECTED_LINES:
        assert line in all_text


def _runs_with(document, text):
    paragraphs = list(document.paragraphs)
    paragraphs += [p for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return [r for p in paragraphs for r in p.runs if r.text.strip() == text]


def test_docx_typography_follows_nd30(docx_bytes):
    document = Document(io.BytesIO(docx_bytes))

    def style(text):
        (run,) = _runs_with(document, text)
        return run.font.size.pt, bool(run.font.bold), bool(run.font.italic)

    assert style(NATIONAL_TITLE)[1:] == (True, False) and 12 <= style(NATIONAL_TITLE)[0] <= 13
    assert style(MOTTO) == (14, True, False)
    assert style("UBND TỈNH BẮC NINH")[1] is False
    assert style("SỞ KHOA HỌC VÀ CÔNG NGHỆ")[1] is True
    assert style("Bắc Ninh, ngày 05 tháng 01 năm 2026") == (14, False, True)
    assert style("QUYẾT ĐỊNH") == (14, True, False)
    assert style("KT. GIÁM ĐỐC") == (14, True, False)
    assert style("Lê Minh Cường") == (14, True, False)
    assert style("Nơi nhận:") == (12, True, True)
    assert style("- Lưu: VT, QLKH.") == (11, False, False)


def test_docx_body_is_justified_with_a_first_line_indent(docx_bytes):
    document = Document(io.BytesIO(docx_bytes))
    article = next(p for p in document.paragraphs if p.text.startswith("Điều 1."))
    assert article.alignment == 3  # WD_ALIGN_PARAGRAPH.JUSTIFY
    assert 1.0 <= article.paragraph_format.first_line_indent.cm <= 1.27
    assert article.runs[0].font.bold is True  # the "Điều 1." lead


def test_docx_names_times_new_roman_in_every_run(docx_bytes):
    document = Document(io.BytesIO(docx_bytes))
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs
    for run in runs:
        fonts = run._element.rPr.rFonts
        assert run.font.name == "Times New Roman"
        assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hAnsi") == "Times New Roman"


def test_docx_numbers_pages_from_two_and_carries_the_qr(docx_bytes):
    section = Document(io.BytesIO(docx_bytes)).sections[0]
    assert section.different_first_page_header_footer is True
    assert 'w:instr="PAGE"' in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    for footer in (section.footer, section.first_page_footer):
        assert footer._element.xpath(".//pic:pic")
        assert URL in footer.paragraphs[0].text


# PDF ----------------------------------------------------------------------------------------------
@needs_poppler
def test_pdf_embeds_its_fonts(pdf_path):
    lines = _run("pdffonts", str(pdf_path)).splitlines()[2:]
    assert lines
    family = font_family()[0].replace(" ", "")
    for line in lines:
        columns = line.split()
        emb = columns[-5]
        assert emb == "yes", line
        assert family in columns[0].replace("-", ""), line


@needs_poppler
def test_pdf_is_one_a4_page(pdf_path):
    info = _run("pdfinfo", str(pdf_path))
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    assert re.search(r"Pages:\s+1\n", info)


@needs_poppler
def test_pdf_text_is_the_vietnamese_text_exactly(pdf_path):
    text = _run("pdftotext", "-enc", "UTF-8", str(pdf_path), "-")
    assert unicodedata.is_normalized("NFC", text)
    squashed = _squash(text)
    for line in EXPECTED_LINES:
        assert line in squashed, line
    assert URL in squashed


def test_pdf_renderer_never_fetches_remote_urls():
    fetcher = _LocalOnlyFetcher(allowed_protocols={"data", "file"})
    for url in ("http://169.254.169.254/latest/meta-data/", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(url)


@needs_poppler
def test_markup_in_the_content_is_printed_as_text(doc, tmp_path):
    hostile = doc.with_issue(title='Về việc <img src="http://example.com/x.png"> thử')
    path = tmp_path / "hostile.pdf"
    path.write_bytes(render_pdf(hostile))
    assert 'Về việc <img src="http://example.com/x.png"> thử' in _squash(_run("pdftotext", str(path), "-"))


# LIBREOFFICE --------------------------------------------------------------------------------------
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed (libreoffice-writer-nogui)")
@needs_poppler
def test_libreoffice_opens_the_docx(docx_bytes, tmp_path):
    source = tmp_path / "decision.docx"
    source.write_bytes(docx_bytes)
    profile = (tmp_path / "profile").as_uri()  # a private profile: parallel conversions collide otherwise
    _run(
        "soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",
        "--convert-to", "pdf", "--outdir", str(tmp_path), str(source),
    )  # fmt: skip
    text = _squash(_run("pdftotext", str(tmp_path / "decision.pdf"), "-"))
    for line in EXPECTED_LINES:
        assert line in text, line
    assert re.search(r"Pages:\s+1\n", _run("pdfinfo", str(tmp_path / "decision.pdf")))


@needs_poppler
def test_pdf_numbers_pages_from_the_second_in_the_top_margin(doc, tmp_path):
    long = doc.with_issue(body=doc.body * 6)
    path = tmp_path / "long.pdf"
    path.write_bytes(render_pdf(long))
    first = _run("pdftotext", "-layout", "-f", "1", "-l", "1", str(path), "-").strip().splitlines()
    second = _run("pdftotext", "-layout", "-f", "2", "-l", "2", str(path), "-").strip().splitlines()
    assert first[0].split()[0] == "UBND"  # no number on page 1
    assert second[0].strip() == "2"
    assert URL in "".join(second)  # the QR footer is on every page
