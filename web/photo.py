"""Photo of a label: read the ingredient list (OCR) and the barcode, then check it.

POST /api/photo  multipart `image` (+ optional `day` or `treated_on`) -> {"ocr_text", "ocr_confidence",
                 "ocr_poor", "ocr_tip", "ocr_changes", "barcode", "source": "ocr" | "shelf", "product",
                 "low_confidence_words", "report"}
POST /photo      the home page's photo field: the result page, with the text read from the photo
                 (unsure words marked) in the form's editable box, to correct and check again. The
                 photo is not kept, so this page has no address of its own; its share link holds the
                 text read, and the doubt of a poor reading travels with it (web/result_links.py)

A poor reading (sources.photo.assess) is said first, with one tip for a better photo, and the page
never shows a reassuring verdict from it ("not checked" instead); an avoid or caution found stays.

When the photo shows an EAN-13 / UPC-A barcode that is on the clinic's stored shelf, and whoever
sent it may look the shelf up (staff, or anyone with SHELF_LOOKUP_PUBLIC on), the shelf's
ingredient list is checked instead of the OCR text (source 'shelf'), and the photo is not read.
Uploads are capped at AFTERCHECK_PHOTO_MAX_BYTES (this blueprint only) and AFTERCHECK_PHOTO_MAX_PIXELS.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, jsonify, make_response, render_template, request
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge

from checker import InputError
from shelf.inventory import normalise_barcode
from sources.photo.barcode import Barcode, read_barcode
from sources.photo.ocr import HEIC, ImageError, Reading, TesseractMissing, load_image, read_image

from .current import current_checker, current_shelf
from .days import form_day, form_treatment, remember_treated_on
from .errors import APIError, error_response, too_large_message
from .result_links import label, link_for
from .results import empty_form_context, form_context, render_result
from .shelf import may_look_up

bp = Blueprint("photo", __name__)

# ImageError kinds -> (HTTP status, error code)
IMAGE_ERRORS = {
    "not_image": (415, "unsupported_media_type"),
    "unsupported": (415, "unsupported_media_type"),
    "too_large": (413, "image_too_large"),
}

# How an unreadable image's message starts; the page's photo field says it once, in its own words.
UNREADABLE = "Cannot read this photo: "


@dataclass
class Photo:
    """What a photo gave: the text to check and where it came from."""

    text: str
    source: str  # 'ocr' or 'shelf'
    reading: Reading | None = None  # None when the shelf's list was used
    barcode: Barcode | None = None
    product: object | None = None  # the shelf's product (name, brand, ingredients)

    def to_dict(self) -> dict:
        reading = self.reading
        return {
            "ocr_text": reading.text if reading else None,
            "ocr_confidence": round(reading.confidence, 3) if reading else None,
            "barcode": self.barcode.digits if self.barcode else None,
            "source": self.source,
            "product": {"name": self.product.name, "brand": self.product.brand} if self.product else None,
            "low_confidence_words": reading.low_confidence_words if reading else [],
            "ocr_poor": reading.poor if reading else None,
            "ocr_tip": reading.assessment.tip if reading and reading.assessment else None,
            "ocr_changes": list(reading.changes) if reading else [],
        }


@bp.before_request
def allow_photos():
    """Phone photos are bigger than pasted labels: this blueprint's own body cap, and its own 413."""
    limit = current_app.config["AFTERCHECK_PHOTO_MAX_BYTES"]
    request.max_content_length = limit
    try:
        _ = request.files  # parse the body now, so a photo over the cap is told the photo limit
    except RequestEntityTooLarge:
        message = too_large_message(limit, "The photo")
        if request.path.startswith("/api/"):
            return error_response(413, "payload_too_large", message)
        if request.content_length is None or request.content_length > limit:  # not a form of too many fields
            message = (
                f"The photo is larger than {limit / 1_000_000:g} MB, the most Aftercheck takes. Take it again at a "
                "lower resolution, or crop it to the ingredient list."
            )
        return _form_error(message, 413)


@bp.post("/api/photo")
def api_photo():
    """Read a label photo and check it: OCR text (or the shelf's list), barcode, report."""
    day = form_day(request.form)[0] if {"day", "treated_on"} & set(request.form) else None
    photo = read_photo()
    report = current_checker().check(photo.text, day=day)
    if not report.recognised:
        raise APIError(422, "no_ingredients", f"{report.summary} Text read from the photo: {photo.text[:300]!r}")
    return jsonify(**photo.to_dict(), report=report.to_dict())


@bp.post("/photo")
def check_photo():
    """The home page's photo field: the normal result page plus the text read from the photo."""
    try:
        treatment = form_treatment(request.form, request.cookies)
        photo = read_photo()
    except APIError as exc:
        return _form_error(exc.message, exc.status)
    except InputError as exc:
        return _form_error(str(exc), 400)
    day = treatment.day
    report = current_checker().check(photo.text, day=day)
    note = Markup(render_template("photo/_read.html", photo=photo, flagged_unsure=_flagged_unsure(report, photo)))
    warning = None
    poor = photo.reading is not None and photo.reading.poor
    if poor:
        warning = Markup(render_template("photo/_poor.html", reading=photo.reading))
    shelf_name = (photo.product.name or "a stored product") if photo.product is not None else None
    link = link_for(label(photo.text, source={"kind": "photo", "poor": poor, "shelf": shelf_name}), treatment)
    page = render_result(report, photo.text, treatment, source=note, warning=warning, link=link)
    response = make_response(page)
    if treatment.remember:
        remember_treated_on(response, treatment.treated_on, secure=request.is_secure)
    return response


def read_photo() -> Photo:
    """The uploaded `image` -> Photo; APIError with the status and message for the client."""
    upload = request.files.get("image")
    data = upload.read() if upload is not None else b""
    if not data:
        what = "The 'image' field is empty" if upload is not None else "No photo was sent"
        raise APIError(400, "missing_image", f"{what}: send the photo as multipart/form-data in a field named 'image'.")
    try:
        image = load_image(data, current_app.config["AFTERCHECK_PHOTO_MAX_PIXELS"])
        barcode = read_barcode(image)
        product = _shelf_product(barcode)
        if product is not None:
            return Photo(product.ingredients, "shelf", None, barcode, product)
        reading = read_image(image, checker=current_checker())
    except ImageError as exc:
        status, code = IMAGE_ERRORS[exc.kind]
        raise APIError(status, code, f"{UNREADABLE}{exc}.") from None
    except TesseractMissing:
        raise APIError(
            503,
            "ocr_unavailable",
            "Reading photos is not available on this server (no OCR engine "
            "is installed); paste the ingredient list instead.",
        ) from None
    if not reading.words:
        raise APIError(
            422,
            "no_text",
            "No text was found in the photo. Take it closer, flat and in good "
            "light, with the ingredient list filling the picture.",
        )
    return Photo(reading.text, "ocr", reading, barcode)


def _form_error(message: str, status: int):
    """The home page again, with the message at the photo field (which says "Could not read this photo")."""
    message = message.removeprefix(UNREADABLE)
    message = message[:1].upper() + message[1:]
    context = empty_form_context() if status == 413 else form_context("", request.form.get("day", "0"))
    return render_template("index.html", photo_error=message, **context), status


def _shelf_product(barcode: Barcode | None):
    """The stored shelf's product with this barcode and an ingredient list, or None.

    Only for those who may look the shelf up (staff, or anyone with SHELF_LOOKUP_PUBLIC on):
    for everyone else the photo is read as if the shelf did not exist."""
    if barcode is None or not may_look_up():
        return None
    wanted = normalise_barcode(barcode.digits)
    for product in current_shelf().lookup(barcode.digits, limit=5):
        if product.barcode_norm == wanted and product.ingredients.strip():
            return product
    return None


def _flagged_unsure(report, photo: Photo) -> list[str]:
    """Flagged ingredients read from a word Tesseract was unsure of: the user should look again."""
    if photo.reading is None:
        return []
    unsure = {w.lower().strip(",.;:()") for w in photo.reading.low_confidence_words}
    return [
        item.token.text
        for item in report.items
        if item.flag in ("avoid", "caution") and unsure & {w.lower().strip(",.;:()") for w in item.token.text.split()}
    ]


@bp.app_template_global()
def photo_upload_hint() -> str:
    """'JPEG, PNG, WebP or HEIC, up to 15 MB' for the photo field."""
    kinds = "JPEG, PNG, WebP or HEIC" if HEIC else "JPEG, PNG or WebP"
    return f"{kinds}, up to {current_app.config['AFTERCHECK_PHOTO_MAX_BYTES'] // 1_000_000} MB"
