"""Shared by the photo tests: the fixture photos (the `tesseract` fixture is in tests/conftest.py).

The photos in tests/fixtures/photos/ are made by `scripts/make_ocr_testset.py --fixtures --small
--count 4 --out tests/fixtures/photos` from the lists written in that script; manifest.json holds
each photo's text and barcode.
"""

import io
import json
from functools import cache
from pathlib import Path

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


def serve_nothing(connection, *args):
    """A fake OCR engine for engine.Worker: starts, then never answers (a run that hangs)."""
    import time

    connection.send(("ready", None))
    connection.recv()
    while True:
        time.sleep(60)
