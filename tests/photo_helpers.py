"""Shared by the photo tests: the fixture photos and the Tesseract requirement.

The photos in tests/fixtures/photos/ are made by `scripts/make_ocr_testset.py --fixtures --small
--count 4 --out tests/fixtures/photos` from the lists written in that script; manifest.json holds
each photo's text and barcode.
"""

import io
import json
import os
from functools import cache
from pathlib import Path

import pytest
from PIL import Image

PHOTOS = Path(__file__).resolve().parent / "fixtures" / "photos"


@cache
def manifest() -> dict[str, dict]:
    return {entry["file"]: entry for entry in json.loads((PHOTOS / "manifest.json").read_text())}


def photo(name: str) -> bytes:
    return (PHOTOS / name).read_bytes()


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def require_tesseract():
    """Skip when Tesseract cannot run here; on CI (AFTERCHECK_REQUIRE_BROWSER=1) fail instead."""
    from sources.photo.ocr import tesseract_available

    if tesseract_available():
        return
    reason = "Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng; pip install pytesseract)"
    if os.environ.get("AFTERCHECK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}; AFTERCHECK_REQUIRE_BROWSER=1, so OCR tests must run")
    pytest.skip(reason)


def serve_nothing(connection, *args):
    """A fake OCR engine for engine.Worker: starts, then never answers (a run that hangs)."""
    import time

    connection.send(("ready", None))
    connection.recv()
    while True:
        time.sleep(60)
