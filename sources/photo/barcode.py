"""Photo of a product -> its retail barcode (EAN-13 or UPC-A), via zxing-cpp.

In:  a PIL image (sources.photo.ocr.load_image gives one, already upright) or image bytes.
Out: `read_barcode(image) -> Barcode | None`: .digits (13 for EAN-13, 12 for UPC-A, including
     an EAN-13 that starts with 0; check digit verified) and .format ('EAN-13' | 'UPC-A'). None when no retail barcode is found or zxing-cpp
     is not installed (a photo of the ingredients alone is the usual case, not an error).
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

MAX_SIDE = 2000  # zxing-cpp finds retail barcodes at this size; larger only costs time


@dataclass(frozen=True)
class Barcode:
    digits: str
    format: str  # 'EAN-13' or 'UPC-A'


def valid_check_digit(digits: str) -> bool:
    """GS1 check digit (EAN-8, UPC-A, EAN-13, GTIN-14): weights 3,1,3,... from the right, before the last."""
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14):
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def read_barcode(image: Image.Image | bytes) -> Barcode | None:
    """The first EAN-13 / UPC-A barcode in the image with a valid check digit, else None."""
    try:
        import zxingcpp
    except ImportError:  # pragma: no cover - zxing-cpp is in requirements.txt
        return None
    if isinstance(image, (bytes, bytearray)):
        from .ocr import load_image

        image = load_image(bytes(image))
    image = image.convert("L")
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    formats = [zxingcpp.BarcodeFormat.EAN13, zxingcpp.BarcodeFormat.UPCA]
    for found in zxingcpp.read_barcodes(image, formats=formats):
        digits = found.text.strip()
        if not valid_check_digit(digits) or len(digits) not in (12, 13):
            continue
        # zxing-cpp reads a UPC-A as the EAN-13 '0' + its 12 digits: the same code, named as printed.
        if len(digits) == 13 and digits.startswith("0"):
            digits = digits[1:]
        return Barcode(digits, "UPC-A" if len(digits) == 12 else "EAN-13")
    return None
