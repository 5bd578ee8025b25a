"""Image bytes -> an upright picture, safely.

In:  bytes from a phone or a scanner: JPEG, PNG, WebP, and HEIC/HEIF when pillow-heif is installed.
Out: `load_image(data, max_pixels) -> PIL.Image` (upright by EXIF, at most MAX_WORK_SIDE on its
     longest side), or `ImageError` with .kind 'not_image', 'unsupported' or 'too_large'.

Limits: the size a file declares is checked before any pixel is decoded (a small file that claims
a huge size never allocates it), and the size actually decoded is checked again (a header can lie,
and a decoder may not honour a draft size); the decoded picture is then shrunk to the size the
OCR works at, so nothing after this holds a full-resolution copy.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC is what iPhones save; optional, since it needs a binary wheel.
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover - depends on the machine
    HEIC = False

MAX_PIXELS = 40_000_000  # a 48 MP phone photo is 8000x6000; beyond that, refuse
FORMATS = ["JPEG", "PNG", "WEBP"] + (["HEIF"] if HEIC else [])
MAX_WORK_SIDE = 2600  # the longest side the OCR is given (time grows with pixels)


class ImageError(ValueError):
    """The upload cannot be read as a photo; `kind` is 'not_image', 'unsupported' or 'too_large'."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def load_image(data: bytes, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Bytes -> an upright RGB or L image; ImageError for non-images, other formats, huge sizes."""
    if not data:
        raise ImageError("not_image", "the file is empty")
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)  # reads the header only
    except UnidentifiedImageError:
        raise ImageError("not_image" if not _looks_like_heic(data) else "unsupported", _format_message(data)) from None
    except Image.DecompressionBombError:
        raise ImageError("too_large", f"the image has more than {max_pixels:,} pixels") from None
    _check_pixels(image.size, max_pixels)
    if image.format == "JPEG":
        # Decode big JPEGs at a reduced size straight from the DCT: much faster, same text.
        image.draft("RGB" if image.mode != "L" else "L", (MAX_WORK_SIDE, MAX_WORK_SIDE))
    try:
        image.load()
        _check_pixels(image.size, max_pixels)
        image = ImageOps.exif_transpose(image)  # phones store "rotate me" in EXIF
        if image.mode not in ("L", "RGB"):
            image = _flatten_alpha(image)
        if max(image.size) > MAX_WORK_SIDE:
            image.thumbnail((MAX_WORK_SIDE, MAX_WORK_SIDE), Image.LANCZOS)
    except ImageError:
        raise
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ImageError("not_image", f"the image is damaged or truncated ({exc.__class__.__name__})") from None
    return image


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise ImageError("too_large", f"the image is {width}x{height} pixels; the limit is {max_pixels:,} pixels")


def _flatten_alpha(image: Image.Image) -> Image.Image:
    """RGB with transparent areas white (a PNG screenshot's background); other modes to RGB."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, "white")
        return Image.alpha_composite(background, image).convert("RGB")
    return image.convert("RGB")


def _looks_like_heic(data: bytes) -> bool:
    return data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1", b"ftyphevc")


def _format_message(data: bytes) -> str:
    if _looks_like_heic(data):
        return (
            "HEIC photos cannot be read on this server; set the camera to 'Most compatible' (JPEG) or send a screenshot"
        )
    return "the file is not a JPEG, PNG, WebP" + (" or HEIC" if HEIC else "") + " image"
