"""sources.photo.barcode: EAN-13 / UPC-A from a photo, check digit verified (no Tesseract needed)."""

import numpy as np
import pytest
import zxingcpp
from photo_helpers import manifest, photo
from PIL import Image

from sources.photo.barcode import Barcode, read_barcode, valid_check_digit
from sources.photo.ocr import load_image


def drawn(digits: str, fmt=zxingcpp.BarcodeFormat.EAN13, turn: int = 0) -> Image.Image:
    code = zxingcpp.create_barcode(digits, fmt)
    bars = Image.fromarray(np.array(zxingcpp.write_barcode_to_image(code, scale=3))).convert("L")
    page = Image.new("L", (bars.width + 200, bars.height + 200), 255)
    page.paste(bars, (100, 100))
    return page.rotate(turn, expand=True, fillcolor=255)


class TestCheckDigit:
    @pytest.mark.parametrize(
        "digits, valid",
        [
            ("4006381333931", True),
            ("5012345678900", True),
            ("036000291452", True),  # UPC-A
            ("4006381333932", False),
            ("40063813339", False),
            ("400638133393x", False),
            ("", False),
        ],
    )
    def test_gs1_rule(self, digits, valid):
        assert valid_check_digit(digits) is valid


class TestReadBarcode:
    @pytest.mark.parametrize("name", ["label_000.jpg", "label_001.jpg"])
    def test_the_barcode_on_a_photo(self, name):
        """Drawn on the label, then photographed (blur, tilt, JPEG): read exactly."""
        assert read_barcode(load_image(photo(name))) == Barcode(manifest()[name]["barcode"], "EAN-13")

    def test_a_photo_without_a_barcode(self):
        assert read_barcode(load_image(photo("label_002.jpg"))) is None

    def test_upc_a(self):
        assert read_barcode(drawn("036000291452", zxingcpp.BarcodeFormat.UPCA)) == Barcode("036000291452", "UPC-A")

    def test_a_barcode_on_its_side(self):
        assert read_barcode(drawn("4006381333931", turn=90)).digits == "4006381333931"

    def test_bytes_are_accepted(self):
        assert read_barcode(photo("label_000.jpg")).digits == "5012345678900"

    def test_other_symbologies_are_not_retail_barcodes(self):
        """A QR code (a clinic's link) is not a product code."""
        qr = zxingcpp.create_barcode("https://example.org", zxingcpp.BarcodeFormat.QRCode)
        image = Image.fromarray(np.array(zxingcpp.write_barcode_to_image(qr, scale=4)))
        assert read_barcode(image) is None
