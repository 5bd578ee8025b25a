"""sources.photo.ocr: loading photos safely, the preparation steps, and reading the fixture photos.

Reading tests need Tesseract (`tesseract` fixture: skip where it cannot be installed, fail on CI).
The heavy measurements (64 photos) live in benchmarks/bench_ocr.py, not here.
"""

import io
import struct
import zlib

import pytest
from photo_helpers import manifest, photo, png
from PIL import Image, ImageDraw, ImageFont

from checker import check
from sources.photo.ocr import (
    ImageError,
    Reading,
    Word,
    clean_ocr_text,
    load_image,
    skew_angle,
    stack_columns,
    to_gray,
    turns_to_try,
)

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def text_image(lines: list[str], size=(700, 420), columns: int = 1) -> Image.Image:
    """Black text on white, `columns` copies of the lines side by side."""
    image = Image.new("L", size, 255)
    pen = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 18)
    for column in range(columns):
        for row, line in enumerate(lines):
            pen.text((30 + column * (size[0] // columns), 30 + row * 26), line, font=font, fill=0)
    return image


def columns_image(
    columns: list[list[str]],
    heading: str | None = None,
    heading_gap: int = 2,
    gutter: int = 36,
    width: int = 300,
    table: int = 0,
) -> Image.Image:
    """A label in columns `width` px wide, `gutter` px apart, under an optional heading
    (`heading_gap` lines above the columns); with `table`, lying on a dark table that wide."""
    font = ImageFont.truetype(FONT, 18)
    rows = max(map(len, columns)) + (heading_gap if heading else 0)
    card = Image.new("L", (80 + len(columns) * (width + gutter) - gutter, 80 + 24 * rows), 255)
    pen = ImageDraw.Draw(card)
    if heading:
        pen.text((40, 40), heading, font=font, fill=0)
    top = 40 + (24 * heading_gap if heading else 0)
    for number, column in enumerate(columns):
        for row, line in enumerate(column):
            pen.text((40 + number * (width + gutter), top + 24 * row), line, font=font, fill=0)
    if not table:
        return card
    photo = Image.new("L", (card.width + 2 * table, card.height + 2 * table), 90)
    photo.paste(card, (table, table))
    return photo


# A label's marketing text in three columns, the last one short (two lines): read across, the
# bullets of the first two columns ran into 'Retinyl Acetate' of the third.
SHORT_LAST = [
    [
        "-Encapsulated Salicylic Acid:",
        "Penetrates pores to target acne",
        "blemishes. -Retinol (Retinyl",
        "Acetate, Vitamin A): Promotes",
        "clear-looking skin.",
    ],
    [
        "-Aloe Vera Leaf Extract: Gently",
        "soothes while minimizing the",
        "appearance of redness. Salicylic",
        "Acid 0.5%, Aloe Barbadensis",
        "(Aloe Vera) Leaf Extract,",
    ],
    ["Retinyl Acetate (Vitamin A),", "Hydrocolloid Polymer."],
]

LINES = [
    "WATER, GLYCERIN, BUTYLENE GLYCOL,",
    "NIACINAMIDE, PANTHENOL, ALLANTOIN,",
    "CARBOMER, SODIUM",
    "HYDROXIDE, PHENOXYETHANOL, XANTHAN",
    "GUM, SODIUM HYALURONATE, CITRIC",
    "ACID, TOCOPHEROL.",
] * 2


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims width x height pixels but holds almost no data (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))  # noqa: E731
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b"")
    )


class TestLoadImage:
    @pytest.mark.parametrize(
        "data, kind",
        [
            (b"", "not_image"),
            (b"Aqua, Glycerin, Retinol", "not_image"),
            (b"%PDF-1.7\n...", "not_image"),
            (b"GIF89a" + b"\0" * 40, "not_image"),
        ],
        ids=["empty", "text", "pdf", "broken-gif"],
    )
    def test_what_is_not_a_photo_is_refused(self, data, kind):
        """Empty files, text, PDFs and formats a phone does not send are 'not_image'."""
        with pytest.raises(ImageError) as caught:
            load_image(data)
        assert caught.value.kind == kind

    def test_a_huge_claimed_size_is_refused_before_decoding(self):
        """A small file that claims 100,000 x 100,000 pixels never gets its pixels decoded."""
        with pytest.raises(ImageError) as caught:
            load_image(png_header(100_000, 100_000))
        assert caught.value.kind == "too_large"

    def test_the_pixel_cap_is_a_parameter(self):
        with pytest.raises(ImageError, match="limit is 1,000 pixels"):
            load_image(png(Image.new("L", (50, 50), 255)), max_pixels=1000)

    def test_a_truncated_jpeg_is_damaged_not_a_crash(self):
        data = photo("label_002.jpg")
        with pytest.raises(ImageError) as caught:
            load_image(data[: len(data) // 3])
        assert caught.value.kind == "not_image" and "damaged" in str(caught.value)

    def test_exif_orientation_is_applied(self):
        """A phone that stores 'rotate 90°' in EXIF gives an image the right way up."""
        image = Image.new("RGB", (300, 100), "white")
        exif = image.getexif()
        exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", exif=exif)
        assert load_image(buffer.getvalue()).size == (100, 300)


class TestSteps:
    def test_transparent_areas_become_white(self):
        image = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
        assert to_gray(image).getpixel((5, 5)) == 255

    @pytest.mark.parametrize("angle", [-3.0, 2.0])
    def test_skew_angle_undoes_a_tilt(self, angle):
        """The angle found is the one that turns the tilted lines back to level."""
        tilted = text_image(LINES).rotate(angle, expand=True, fillcolor=255)
        assert skew_angle(tilted) == pytest.approx(-angle, abs=0.6)

    def test_columns_are_stacked_one_under_the_other(self):
        """Two columns of six lines side by side become one column of twelve, so no line reads across."""
        two = text_image(LINES[:6], size=(900, 240), columns=2)
        stacked = stack_columns(two)
        assert stacked.height > 12 * 26 and stacked.width < 0.7 * two.width  # 26 px a line

    def test_a_short_column_on_a_dark_table_is_a_column_too(self):
        """A last column of two lines, the card on a dark table: each piece is one column wide.

        The table's edges and the short column's little ink hid the gutters (issue 7)."""
        label = columns_image(SHORT_LAST, heading="Ingredients (INCI):", table=60)
        stacked = stack_columns(label)
        assert stacked is not label and stacked.width < 0.4 * label.width

    def test_a_heading_across_gutters_joins_no_columns(self):
        """A heading wider than a column, set close above the columns, is cut off first."""
        label = columns_image(SHORT_LAST, heading="INGREDIENTS / INGRÉDIENTS / INGREDIENTES:", heading_gap=1)
        assert stack_columns(label).width < 0.6 * label.width  # the heading's width, not two columns'

    def test_one_column_is_left_alone(self):
        one = text_image(LINES, size=(600, 400))
        assert stack_columns(one) is one

    def test_sideways_text_is_turned_a_quarter_first(self):
        sideways = text_image(LINES).rotate(90, expand=True, fillcolor=255)
        assert turns_to_try(sideways)[0] in (90, 270)
        assert turns_to_try(text_image(LINES))[0] == 180


class TestCleanOcrText:
    @pytest.mark.parametrize(
        "raw, clean",
        [
            ("Tocophery!, Dipropy!ene Glycol", "Tocopheryl, Dipropylene Glycol"),
            ("Aqua | Glycerin", "Aqua   Glycerin"),
            ("Aqua,\n\nGlycerin", "Aqua,\nGlycerin"),
            ('Retinol\n4 974650" 752915\nEND', "Retinol\nEND"),
            ("Glycerin\u201e Aqua", "Glycerin, Aqua"),
            ("CI 77491, 5%", "CI 77491, 5%"),
        ],
        ids=["l-as-bang", "bar", "blank-lines", "barcode-digits", "low-comma", "percent"],
    )
    def test_rules(self, raw, clean):
        """Each rule undoes one OCR slip; blank lines go (the parser would end the list there)."""
        assert clean_ocr_text(raw) == clean


class TestReading:
    def test_confidence_is_the_mean_and_low_words_are_listed(self):
        reading = Reading("Aqua Retlnol", [Word("Aqua", 0.9, 0), Word("Retlnol", 0.4, 0)])
        assert reading.confidence == pytest.approx(0.65)
        assert reading.low_confidence_words == ["Retlnol"]

    def test_no_words_no_confidence(self):
        assert Reading("").confidence == 0.0


class TestReadImage:
    @pytest.mark.parametrize("name", ["label_001.jpg", "label_002.jpg"], ids=["glycolic", "retinol"])
    def test_a_photo_gives_the_verdict_of_its_text(self, tesseract, read, name):
        """Glycolic acid (1 column) and retinol (2 columns): the photo's verdict is the text's."""
        entry = manifest()[name]
        reading = read(photo(name))
        assert reading.confidence > 0.7 and reading.rotation == 0
        assert check(reading.text, day=2).verdict == check(entry["text"], day=2).verdict == "avoid"

    def test_columns_are_read_one_after_the_other(self, tesseract, read):
        """No line is read across the gutter into a short last column."""
        text = read(columns_image(SHORT_LAST, heading="Ingredients (INCI):", table=60)).text
        assert not any("Gently" in line and "Retinyl" in line for line in text.splitlines())
        assert text.index("Promotes") < text.index("Gently") < text.index("Hydrocolloid")

    def test_a_photo_taken_sideways_is_turned(self, tesseract, read):
        image = Image.open(io.BytesIO(photo("label_001.jpg"))).rotate(90, expand=True)
        reading = read(png(image))
        assert reading.rotation in (90, 270)
        assert any(
            item.match and item.match.entry and item.match.entry.inci == "Glycolic Acid"
            for item in check(reading.text).items
        )

    def test_a_blank_photo_has_no_words(self, tesseract, read):
        reading = read(png(Image.new("L", (400, 300), 230)))
        assert reading.words == [] and reading.text == ""
