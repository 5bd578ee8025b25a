"""Which engine reads a photo: Tesseract first, PP-OCR only when Tesseract's reading is poor, and
then the reading that recognises more ingredients. Fake engines: no OCR runs here, and every
budget is on a clock that never moves (the `budget` fixture), so no outcome depends on time."""

import pytest
from PIL import Image

from checker import get_checker
from sources.photo import engine, ocr
from sources.photo.engine import Box

LIST = "Aqua, Glycerin, Retinol, Niacinamide, Panthenol, Allantoin, Xanthan Gum, Phenoxyethanol"
PHOTO = Image.new("L", (400, 300), 230)


def words(text: str, confidence: float) -> list[list[tuple[str, float]]]:
    return [[(word, confidence) for word in text.split()]]


def box(text: str) -> Box:
    return Box(text, 0.95, ((0, 0), (300, 0), (300, 20), (0, 20)))


@pytest.fixture
def engines(monkeypatch):
    """engines(tesseract_text, ppocr_text) -> the list the engines append their names to when run."""

    def install(tesseract_text: str, ppocr_text: str, tesseract_confidence: float = 0.95):
        calls = []

        def tesseract(gray, seconds):
            calls.append("tesseract")
            return words(tesseract_text, tesseract_confidence)

        def ppocr(rgb, seconds):
            calls.append("ppocr")
            return [box(ppocr_text)]

        monkeypatch.setattr(ocr, "tesseract_available", lambda: True)
        monkeypatch.setattr(ocr, "ppocr_available", lambda: True)
        monkeypatch.setattr(ocr, "warm", lambda: None)
        monkeypatch.setattr(ocr, "tesseract", tesseract)
        monkeypatch.setattr(ocr, "ppocr", ppocr)
        return calls

    return install


def test_a_good_tesseract_reading_is_kept_without_pp_ocr(engines, budget):
    calls = engines(LIST, "Aqua")
    reading = ocr.read_image(PHOTO, budget=budget(), checker=get_checker())
    assert calls == ["tesseract"] and reading.engine == "tesseract" and not reading.poor


def test_poor_tesseract_asks_pp_ocr_and_better_wins(engines, budget):
    calls = engines("Aqva, Glyc3rn, Rtinl, Nacnmde", LIST, tesseract_confidence=0.5)
    reading = ocr.read_image(PHOTO, budget=budget(), checker=get_checker())
    assert calls == ["tesseract", "ppocr"] and reading.engine == "ppocr" and "Retinol" in reading.text


def test_a_poor_pp_ocr_reading_does_not_replace_a_fuller_one(engines, budget):
    """Both poor (low confidence), Tesseract recognised more: Tesseract's is kept, and said poor.
    Tesseract tried the photo turned too, with the runs left (a sideways photo PP-OCR misread)."""
    calls = engines(LIST, "Aqua, Glycerin", tesseract_confidence=0.5)
    reading = ocr.read_image(PHOTO, budget=budget(runs=4), checker=get_checker())
    assert calls == ["tesseract", "ppocr", "tesseract", "tesseract"]
    assert reading.engine == "tesseract" and reading.poor


def test_without_pp_ocr_tesseract_alone_reads(engines, budget, monkeypatch):
    calls = engines(LIST, "")
    monkeypatch.setattr(ocr, "ppocr_available", lambda: False)
    reading = ocr.read_image(PHOTO, budget=budget(), checker=get_checker())
    assert calls == ["tesseract"] and reading.engine == "tesseract"


def test_warming_in_the_background_loads_the_models_in_a_thread(monkeypatch):
    started = []
    monkeypatch.setattr(engine, "ppocr_available", lambda: True)
    monkeypatch.setattr(engine, "warm", lambda: started.append(True))
    engine.warm_in_background().join()
    assert started == [True]
