"""Issue 16 F4: every OCR run has a hard time limit that ends the engine's process, and a photo's
total work is bounded. Deterministic: fake engines and a fake clock, no wall-clock assertion."""

import os

import pytest
from photo_helpers import serve_nothing
from PIL import Image

from checker import get_checker
from sources.photo import engine, ocr
from sources.photo.engine import OCRTimeout, Worker


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_run_past_its_limit_kills_the_engine_process():
    worker = Worker(serve_nothing)
    with pytest.raises(OCRTimeout):
        worker.call("a picture", 0.2)
    assert worker.process is None  # stopped and waited for
    started = Worker(serve_nothing)
    with pytest.raises(OCRTimeout):
        started.call("a picture", 0.2)


def test_the_killed_child_is_gone(monkeypatch):
    pids = []
    real_stop = Worker.stop

    def stop(self):
        if self.process is not None:
            pids.append(self.process.pid)
        real_stop(self)

    monkeypatch.setattr(Worker, "stop", stop)
    with pytest.raises(OCRTimeout):
        Worker(serve_nothing).call("a picture", 0.2)
    assert pids and not alive(pids[0])


def test_the_budget_counts_runs_and_time(budget):
    """A clock that moves 4 s a reading: the deadline is 10 s after the first reading, so the first
    run may take its 4 s, the second only the 2 s left, and there is no time for a third."""
    photo = budget(runs=3, step=4.0, seconds=10, run_seconds=4)
    assert photo.take() == 4
    assert photo.take() == 2
    assert photo.take() is None and photo.runs == 2


def test_a_photo_that_reads_badly_takes_at_most_the_budgeted_runs(monkeypatch, budget):
    """A blank photo reads badly every time; turning it again stops when the runs are spent."""
    runs = []

    def tesseract(gray, seconds):
        runs.append(seconds)
        return []

    monkeypatch.setattr(ocr, "ppocr_available", lambda: False)
    monkeypatch.setattr(ocr, "tesseract_available", lambda: True)
    monkeypatch.setattr(ocr, "tesseract", tesseract)
    reading = ocr.read_image(Image.new("L", (400, 300), 230), budget=budget(runs=2), checker=get_checker())
    assert len(runs) == 2 and reading.text == "" and reading.poor


def test_an_engine_that_times_out_falls_back_within_the_same_budget(monkeypatch, budget):
    """Tesseract reads too little, PP-OCR passes its limit: Tesseract tries the photo turned, once
    (the third and last run of the budget)."""
    calls = []

    def ppocr(rgb, seconds):
        calls.append("ppocr")
        raise OCRTimeout("too slow")

    def tesseract(gray, seconds):
        calls.append("tesseract")
        return [[("Aqua,", 0.9), ("Glycerin", 0.9)]]

    monkeypatch.setattr(ocr, "ppocr_available", lambda: True)
    monkeypatch.setattr(ocr, "warm", lambda: None)
    monkeypatch.setattr(ocr, "ppocr", ppocr)
    monkeypatch.setattr(ocr, "tesseract_available", lambda: True)
    monkeypatch.setattr(ocr, "tesseract", tesseract)
    reading = ocr.read_image(Image.new("L", (400, 300), 230), budget=budget(runs=3), checker=get_checker())
    assert calls == ["tesseract", "ppocr", "tesseract"] and reading.poor


@pytest.mark.ocr
def test_tesseract_past_its_limit_leaves_no_process(tesseract):
    """pytesseract kills tesseract at the limit: no tesseract child of ours is left."""
    with pytest.raises(OCRTimeout):
        engine.tesseract(Image.new("L", (3000, 3000), 255), 0.001)
    children = open(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read().split()
    names = [open(f"/proc/{pid}/comm").read().strip() for pid in children if os.path.exists(f"/proc/{pid}/comm")]
    assert "tesseract" not in names


def test_pixels_are_capped_after_decoding_too(monkeypatch):
    """A decoder that gives more pixels than the header said is refused all the same."""
    from photo_helpers import png

    from sources.photo import image as image_module

    calls = []
    real = image_module._check_pixels

    def check(size, max_pixels):
        calls.append(size)
        real(size, max_pixels)

    monkeypatch.setattr(image_module, "_check_pixels", check)
    image_module.load_image(png(Image.new("L", (50, 40), 255)))
    assert len(calls) == 2  # declared, then decoded
