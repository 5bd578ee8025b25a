"""Render ingredient lists into label-like photos, for the OCR benchmark and the test fixtures.

In:  real ingredient lists from ../shared/data (benchmarks/labels.py; never committed), or the
     few lists written here (FIXTURE_LABELS) with --fixtures or when the shared data is absent.
Out: one JPEG per label plus manifest.json: [{"file", "text" (the list as given), "barcode"
     (EAN-13 drawn on the label, or null), "style" (how it was drawn), "source"}].

A "photo" is: a heading and the list in a small serif or sans font, wrapped in 1-3 columns (long
words sometimes hyphenated at the line end), on tinted card; then a slight rotation and
perspective, uneven light, blur, sensor noise and JPEG artefacts. A few carry an EAN-13 barcode,
a few are turned on their side (a phone held sideways). Everything is drawn from a seeded random
generator, so the same command gives the same images.

    python3 scripts/make_ocr_testset.py                     # 64 shared labels -> artifacts/ocr_testset/
    python3 scripts/make_ocr_testset.py --fixtures --out tests/fixtures/photos --small
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Fonts from Debian's fonts-dejavu-core and fonts-liberation (.ci/run installs them).
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")]
FONTS = {
    "serif": ["DejaVuSerif.ttf", "DejaVuSerifCondensed.ttf", "LiberationSerif-Regular.ttf"],
    "sans": [
        "DejaVuSans.ttf",
        "DejaVuSansCondensed.ttf",
        "LiberationSans-Regular.ttf",
        "LiberationSansNarrow-Regular.ttf",
    ],
}
HEADINGS = ["INGREDIENTS:", "Ingredients:", "INGREDIENTS / INGRÉDIENTS:", "Ingredients (INCI):"]

# Our own lists (typed from the pattern of real labels, not copied): fixtures and fallback.
FIXTURE_LABELS = [
    "Aqua, Glycerin, Niacinamide, Butylene Glycol, Sodium Hyaluronate, Panthenol, Allantoin, "
    "Carbomer, Sodium Hydroxide, Phenoxyethanol, Ethylhexylglycerin",
    "Water, Glycolic Acid, Sodium Hydroxide, Aloe Barbadensis Leaf Juice, Glycerin, Propanediol, "
    "Xanthan Gum, Citric Acid, Potassium Sorbate, Sodium Benzoate",
    "Aqua, Caprylic/Capric Triglyceride, Cetearyl Alcohol, Glycerin, Retinol, Tocopherol, "
    "Squalane, Ceramide NP, Cholesterol, Carbomer, Phenoxyethanol, Parfum",
    "Water, Squalane, Glycerin, Dimethicone, Ceramide NP, Ceramide AP, Phytosphingosine, "
    "Cholesterol, Sodium Lauroyl Lactylate, Xanthan Gum, Carbomer, Disodium EDTA",
    "Aqua, Salicylic Acid, Glycerin, Propylene Glycol, Sodium Hydroxide, Camellia Sinensis Leaf "
    "Extract, Polysorbate 20, Methylpropanediol, Phenoxyethanol",
    "Zinc Oxide, Caprylic/Capric Triglyceride, Aqua, Glycerin, Cetearyl Alcohol, Tocopherol, "
    "Bisabolol, Allantoin, Sodium Stearoyl Glutamate, Xanthan Gum",
    "Aqua, Ascorbic Acid, Ethoxydiglycol, Propylene Glycol, Glycerin, Ferulic Acid, Tocopherol, "
    "Sodium Hyaluronate, Triethanolamine, Phenoxyethanol",
    "Aqua, Glycerin, Betaine, Panthenol, Centella Asiatica Extract, Madecassoside, Allantoin, "
    "Hydroxyethylcellulose, Sodium Citrate, Citric Acid, Chlorphenesin",
]
FIXTURE_BARCODES = ["5012345678900", "4006381333931"]


@dataclass
class Style:
    family: str
    font: str
    size: int
    columns: int
    upper: bool
    heading: str
    rotate: float
    perspective: float
    blur: float
    light: float
    noise: float
    quality: int
    sideways: bool
    barcode: str | None


def choose_style(rng: random.Random, barcode: str | None, sideways: bool, small: bool) -> Style:
    family = rng.choice(sorted(FONTS))
    return Style(
        family=family,
        font=rng.choice(FONTS[family]),
        size=rng.randint(17, 20) if small else rng.randint(15, 21),
        columns=rng.choice([1, 2, 2, 3]),
        upper=rng.random() < 0.3,
        heading=rng.choice(HEADINGS),
        rotate=round(rng.uniform(-3, 3), 2),
        perspective=round(rng.uniform(0, 0.04), 3),
        blur=round(rng.uniform(0.2, 0.9), 2),
        light=round(rng.uniform(0.2, 0.55), 2),
        noise=round(rng.uniform(2, 7), 1),
        quality=rng.randint(45, 80),
        sideways=sideways,
        barcode=barcode,
    )


def font_path(name: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    raise SystemExit(f"font {name} not found: apt-get install fonts-dejavu-core fonts-liberation")


# --- layout -------------------------------------------------------------------------------------


def wrap(words: list[str], font: ImageFont.FreeTypeFont, width: int, rng: random.Random) -> list[str]:
    """Greedy line wrap; a long word that does not fit is sometimes hyphenated, as printers do."""
    lines, line = [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if len(word) >= 9 and line and rng.random() < 0.4:
            cut = rng.randint(4, len(word) - 4)
            head = f"{line} {word[:cut]}-"
            if font.getlength(head) <= width and word[cut - 1].isalpha() and word[cut].isalpha():
                lines.append(head)
                line = word[cut:]
                continue
        if line:
            lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


def draw_label(text: str, style: Style) -> Image.Image:
    """The flat card: heading, list in columns, optional barcode below."""
    rng = random.Random(text)
    font = ImageFont.truetype(str(font_path(style.font)), style.size)
    bold = ImageFont.truetype(str(font_path(style.font)), style.size + 2)
    column_width = {1: 760, 2: 420, 3: 300}[style.columns]
    gap, margin = 36, 44
    body = text.upper() if style.upper else text
    lines = wrap(body.split(), font, column_width, rng)
    per_column = -(-len(lines) // style.columns)
    line_px = int(style.size * 1.32)
    width = margin * 2 + style.columns * column_width + (style.columns - 1) * gap
    barcode = _barcode_image(style.barcode) if style.barcode else None
    height = margin * 2 + line_px * (per_column + 2) + (barcode.height + 30 if barcode else 0)
    paper = tuple(rng.randint(225, 252) for _ in range(3))
    ink = tuple(rng.randint(10, 70) for _ in range(3))
    card = Image.new("RGB", (width, height), paper)
    pen = ImageDraw.Draw(card)
    pen.text((margin, margin), style.heading, font=bold, fill=ink)
    top = margin + line_px * 2
    for index, line in enumerate(lines):
        column, row = divmod(index, per_column)
        pen.text((margin + column * (column_width + gap), top + row * line_px), line, font=font, fill=ink)
    if barcode:
        card.paste(barcode, (margin, height - margin - barcode.height))
    return card


def _barcode_image(digits: str) -> Image.Image:
    import zxingcpp

    code = zxingcpp.create_barcode(digits, zxingcpp.BarcodeFormat.EAN13)
    return Image.fromarray(np.array(zxingcpp.write_barcode_to_image(code, scale=3, add_hrt=True))).convert("RGB")


# --- the camera ---------------------------------------------------------------------------------


def photograph(card: Image.Image, style: Style, rng: random.Random) -> Image.Image:
    """Card -> phone photo: background, tilt, perspective, uneven light, blur, noise."""
    border = 60
    scene = Image.new(
        "RGB", (card.width + 2 * border, card.height + 2 * border), tuple(rng.randint(90, 170) for _ in range(3))
    )
    scene.paste(card, (border, border))
    scene = scene.rotate(style.rotate, resample=Image.BICUBIC, expand=False, fillcolor=scene.getpixel((0, 0)))
    scene = _perspective(scene, style.perspective, rng)
    pixels = np.asarray(scene, dtype=np.float32)
    h, w = pixels.shape[:2]
    # A lamp on one side: brightness falls off linearly across the label, plus a soft hot spot.
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = np.cos(angle) * xs / w + np.sin(angle) * ys / h
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    light = 1.0 - style.light * ramp
    pixels *= light[..., None]
    pixels += np.random.default_rng(rng.randrange(2**32)).normal(0, style.noise, pixels.shape)
    photo = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    photo = photo.filter(ImageFilter.GaussianBlur(style.blur))
    if style.sideways:
        photo = photo.rotate(90, expand=True)
    return photo


def _perspective(image: Image.Image, amount: float, rng: random.Random) -> Image.Image:
    """Pull the corners in by up to `amount` of the size (the phone was not quite parallel)."""
    w, h = image.size
    d = lambda n: rng.uniform(0, amount) * n  # noqa: E731
    quad = (d(w), d(h), d(w), h - d(h), w - d(w), h - d(h), w - d(w), d(h))
    return image.transform(image.size, Image.QUAD, quad, resample=Image.BICUBIC, fillcolor=image.getpixel((0, 0)))


# --- choosing the lists -------------------------------------------------------------------------


def shared_lists(count: int, seed: int) -> list[tuple[str, str]]:
    """`count` real lists of label length that the checker recognises, spread over the datasets."""
    from benchmarks.labels import load_labels
    from checker import InputError, check

    rng = random.Random(seed)
    # Raw HTML cells (one dataset keeps the retailer's markup) are not what a box shows.
    labels = [(name, text) for name, text in load_labels() if 120 <= len(text) <= 1400 and "<" not in text]
    rng.shuffle(labels)
    chosen, by_verdict = [], {}
    for name, text in labels:
        try:
            report = check(text)
        except InputError:
            continue
        if len(report.items) - len(report.unrecognized) < 3:
            continue
        # Keep the verdicts balanced so flags are measured too, not only 'nothing flagged'.
        if by_verdict.get(report.verdict, 0) >= count // 2:
            continue
        by_verdict[report.verdict] = by_verdict.get(report.verdict, 0) + 1
        chosen.append((name, text))
        if len(chosen) == count:
            break
    return chosen


def ean13(rng: random.Random) -> str:
    digits = [rng.randint(0, 9) for _ in range(12)]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
    return "".join(map(str, digits)) + str(check)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "ocr_testset")
    parser.add_argument("--count", type=int, default=64)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fixtures", action="store_true", help="use the lists in this script, not ../shared")
    parser.add_argument("--small", action="store_true", help="short lists, small files (test fixtures)")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    lists = [] if args.fixtures else shared_lists(args.count, args.seed)
    if not lists:
        lists = [("fixture", text) for text in FIXTURE_LABELS][: args.count]
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for index, (source, text) in enumerate(lists):
        barcode = (
            FIXTURE_BARCODES[index]
            if args.fixtures and index < len(FIXTURE_BARCODES)
            else ean13(rng)
            if index % 10 == 3
            else None
        )
        sideways = index % 16 == 9
        style = choose_style(rng, barcode, sideways, args.small)
        photo = photograph(draw_label(text, style), style, rng)
        name = f"label_{index:03d}.jpg"
        photo.save(args.out / name, "JPEG", quality=style.quality)
        manifest.append({"file": name, "text": text, "barcode": barcode, "style": asdict(style), "source": source})
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(manifest)} photos in {args.out}")


if __name__ == "__main__":
    main()
