"""Charts of the plan's reports, drawn as PNG images for the .docx and the PDF.

Library choice: Pillow, not matplotlib. The report needs one kind of chart (horizontal bars of the
share of each target reached, coloured by status, with the share of the period elapsed as a dashed
line); Pillow is already installed (python-docx, WeasyPrint and the documents kernel use it), it
draws the Vietnamese labels with the same Liberation fonts the PDF embeds, and the drawing is about
a hundred lines that a test can read back pixel by pixel. matplotlib would add numpy and a 40 MB
wheel to the runtime requirements for that one picture, and its default fonts (DejaVu Sans) would
not match the document. If the reports later need line charts with axes and ticks (trends over
the years), matplotlib becomes the better tool: add it to requirements.in then.

The image is drawn at about 290 dpi for a 160 mm wide figure, so it stays sharp when printed.
"""

import io
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from opendost.documents.rendering import font_files

WIDTH = 1800  # px, for a 160 mm figure (≈ 286 dpi)
DPI = 286
LABEL_WIDTH = 760
RIGHT_MARGIN = 150
BAR_HEIGHT = 44
ROW_HEIGHT = 92
TOP = 120
LEGEND_HEIGHT = 110
FONT_SIZE = 30
TITLE_SIZE = 38
AXIS_CAP = 300  # percent: a bar beyond it is drawn to the edge with its figure printed

COLOURS = {
    "on_track": (25, 135, 84),
    "at_risk": (255, 193, 7),
    "off_track": (220, 53, 69),
}
OTHER_COLOUR = (108, 117, 125)
TRACK_COLOUR = (233, 236, 239)
TEXT_COLOUR = (33, 37, 41)
REFERENCE_COLOUR = (13, 110, 253)


@dataclass(frozen=True)
class Bar:
    label: str
    percent: Decimal
    status: str = ""


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_files().get((700 if bold else 400, "normal"))
    if path is None:  # no TrueType font here: Pillow's own (Latin only) still draws something
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size)


def colour_of(status: str) -> tuple[int, int, int]:
    return COLOURS.get(status, OTHER_COLOUR)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, lines: int = 2) -> list[str]:
    """`text` in at most `lines` lines of `width` px; the last line ends with "…" when cut."""
    words, out, current = text.split(), [], ""
    for index, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) <= width:
            current = trial
            continue
        out.append(current or word)
        current = "" if not current else word
        if len(out) == lines:
            rest = " ".join(words[index:]) if current else " ".join(words[index + 1 :])
            if rest:
                last = out[-1]
                while last and draw.textlength(last + "…", font=font) > width:
                    last = last[:-1]
                out[-1] = last.rstrip() + "…"
            return out
    if current:
        out.append(current)
    return out[:lines]


def _axis_max(bars: list[Bar], reference: Decimal | None) -> int:
    highest = max([float(b.percent) for b in bars] + [float(reference or 0), 100.0])
    return min(math.ceil(highest / 25.0) * 25, AXIS_CAP)


def _percent_text(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.1')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def bar_chart_png(
    bars: list[Bar],
    *,
    title: str,
    reference: Decimal | None = None,
    reference_label: str = "",
    legend: list[tuple[str, str]] = (),
) -> bytes:
    """One horizontal bar per item: its length is `percent` on an axis from 0 to at least 100;
    `reference` (e.g. the share of the period elapsed) is a dashed vertical line."""
    rows = max(len(bars), 1)
    height = TOP + rows * ROW_HEIGHT + 60 + (LEGEND_HEIGHT if legend else 0)
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    font, bold, title_font = _font(FONT_SIZE), _font(FONT_SIZE, bold=True), _font(TITLE_SIZE, bold=True)
    draw.text((WIDTH // 2, 24), title, fill=TEXT_COLOUR, font=title_font, anchor="ma")

    left, right = LABEL_WIDTH + 20, WIDTH - RIGHT_MARGIN
    span = right - left
    top_axis = _axis_max(bars, reference)

    def x_of(percent: float) -> int:
        return left + int(span * min(percent, top_axis) / top_axis)

    for tick in range(0, top_axis + 1, 25 if top_axis <= 150 else 50):
        x = x_of(tick)
        draw.line([(x, TOP - 10), (x, TOP + rows * ROW_HEIGHT)], fill=(222, 226, 230), width=2)
        draw.text((x, TOP + rows * ROW_HEIGHT + 8), f"{tick}%", fill=TEXT_COLOUR, font=font, anchor="ma")

    for index, bar in enumerate(bars):
        y = TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        lines = _wrap(draw, bar.label, font, LABEL_WIDTH - 10)
        line_height = FONT_SIZE + 6
        text_top = y + BAR_HEIGHT // 2 - line_height * len(lines) // 2
        for number, line in enumerate(lines):
            draw.text((LABEL_WIDTH, text_top + number * line_height), line, fill=TEXT_COLOUR, font=font, anchor="ra")
        draw.rectangle([(left, y), (right, y + BAR_HEIGHT)], fill=TRACK_COLOUR)
        end = x_of(float(bar.percent))
        if end > left:
            draw.rectangle([(left, y), (end, y + BAR_HEIGHT)], fill=colour_of(bar.status))
        draw.text(
            (min(end, right) + 10, y + BAR_HEIGHT // 2), _percent_text(bar.percent), fill=TEXT_COLOUR, font=bold,
            anchor="lm",
        )  # fmt: skip

    if reference is not None:
        x = x_of(float(reference))
        for start in range(TOP - 14, TOP + rows * ROW_HEIGHT, 24):
            draw.line([(x, start), (x, min(start + 14, TOP + rows * ROW_HEIGHT))], fill=REFERENCE_COLOUR, width=4)
        if reference_label:
            half = draw.textlength(reference_label, font=font) / 2
            x = min(max(x, int(half) + 10), WIDTH - int(half) - 10)  # the label stays inside the image
            draw.text((x, TOP - 18), reference_label, fill=REFERENCE_COLOUR, font=font, anchor="md")

    if legend:
        y = TOP + rows * ROW_HEIGHT + 70
        x = left
        for status, label in legend:
            draw.rectangle([(x, y), (x + 36, y + 36)], fill=colour_of(status))
            draw.text((x + 48, y + 18), label, fill=TEXT_COLOUR, font=font, anchor="lm")
            x += 48 + int(draw.textlength(label, font=font)) + 50

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI), optimize=True)
    return buffer.getvalue()
