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
def budget(stepping_clock):
    """budget(runs=4, step=0.0): a photo's Budget on a clock that moves `step` seconds a reading,
    so how many runs it allows never depends on how fast this machine is."""
    from sources.photo.engine import Budget

    return lambda runs=4, step=0.0, **limits: Budget(runs=runs, clock=stepping_clock(step), **limits)


@pytest.fixture
def read(budget, checker):
    """read(image): the photo reader with every run it would make on an idle machine; each engine
    run may take two minutes, so a busy machine makes a test slower, never different."""
    from sources.photo.ocr import read_image

    return lambda image: read_image(image, budget=budget(run_seconds=120), checker=checker)


@pytest.fixture
def ppocr():
    """PP-OCR must be installed for this test (it is in requirements.txt)."""
    from sources.photo.engine import ppocr_available

    if not ppocr_available():
        pytest.fail("rapidocr and onnxruntime are in requirements.txt: pip install -r requirements.txt")
