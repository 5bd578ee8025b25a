"""Fixtures for the photo tests: label images drawn here with DejaVu fonts (never real photos)."""

import pytest
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def draw_label(lines: list[str], ink: int = 0, paper: int = 255, size: int = 22) -> Image.Image:
    """The lines in DejaVu Sans, `ink` on `paper` (grey levels), with a margin."""
    font = ImageFont.truetype(FONT, size)
    width = max(int(font.getlength(line)) for line in lines) + 80
    image = Image.new("L", (width, 60 + len(lines) * int(size * 1.5)), paper)
    pen = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        pen.text((40, 30 + row * int(size * 1.5)), line, font=font, fill=ink)
    return image.convert("RGB")


@pytest.fixture
def label():
    return draw_label


@pytest.fixture
def ppocr():
    """PP-OCR must be installed for this test (it is in requirements.txt)."""
    from sources.photo.engine import ppocr_available

    if not ppocr_available():
        pytest.fail("rapidocr and onnxruntime are in requirements.txt: pip install -r requirements.txt")
