"""POST /api/photo and the photo page: OCR text or the shelf's list, and clear errors."""

import io
import re

import pytest
from photo_helpers import photo, png
from PIL import Image

from app import create_app
from shelf.batch import judge_inventory
from shelf.inventory import read_inventory
from shelf.store import forget_shelves, open_shelf
from sources.photo.assess import TIPS, Assessment
from sources.photo.ocr import Reading, Word

CLINIC = b"""name,brand,barcode,ingredients
Basic Barrier Cream,Calma,4006381333931,"Water, Glycerin, Cetearyl Alcohol, Dimethicone, Phenoxyethanol"
"""


def upload(data: bytes, name: str = "label.jpg", **fields) -> dict:
    return {"image": (io.BytesIO(data), name), **fields}


def post(client, path, data, **fields):
    return client.post(path, data=upload(data, **fields), content_type="multipart/form-data")


@pytest.fixture
def app(tmp_path):
    yield create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite'}"})
    forget_shelves()


def fake_reading(text: str, poor: bool) -> Reading:
    """What the OCR would return for `text`: a poor one comes with the tip for a dark photo."""
    words = [Word(word, 0.5 if poor else 0.95, 0) for word in text.split()]
    assessment = Assessment(True, ["hardly any ingredient was read"], TIPS["dark"]) if poor else Assessment(False)
    return Reading(text, words, engine="tesseract", changes=["Glycerln -> Glycerin"], assessment=assessment)


@pytest.fixture
def reads(monkeypatch):
    """reads(text, poor=...): every photo uploaded is read as this text (no OCR runs)."""

    def fake(text: str, poor: bool = True):
        monkeypatch.setattr("web.photo.read_image", lambda image, checker: fake_reading(text, poor))

    return fake


BLANK = png(Image.new("L", (300, 200), 240))


def stock(app):
    """The shelf knows barcode 4006381333931 (the one drawn on label_001.jpg) as a plain cream."""
    inventory = read_inventory(CLINIC, "clinic.csv")
    open_shelf(app.config["DATABASE_URL"]).replace(judge_inventory(inventory), inventory)
    return app


@pytest.fixture
def stocked(app):
    """A stocked shelf that anyone may look up (SHELF_LOOKUP_PUBLIC on)."""
    app.config["SHELF_LOOKUP_PUBLIC"] = True
    return stock(app)


class TestApi:
    def test_a_label_photo_is_read_and_checked(self, client, tesseract):
        """label_002 (retinol, two columns): OCR text, confidence, no barcode, the report."""
        body = post(client, "/api/photo", photo("label_002.jpg"), day="2").get_json()
        assert body["source"] == "ocr" and body["barcode"] is None
        assert "Retinol" in body["ocr_text"] and 0.6 < body["ocr_confidence"] <= 1
        assert body["report"]["verdict"] == "avoid" and body["report"]["day"] == 2

    def test_without_a_day_the_whole_window_is_judged(self, client, tesseract):
        body = post(client, "/api/photo", photo("label_002.jpg")).get_json()
        assert body["report"]["day"] is None

    def test_a_barcode_on_the_shelf_uses_the_stored_list(self, stocked, tesseract):
        """label_001 shows glycolic acid, but its barcode is the shelf's plain cream: shelf wins, said so."""
        body = post(stocked.test_client(), "/api/photo", photo("label_001.jpg"), day="2").get_json()
        assert body["source"] == "shelf" and body["barcode"] == "4006381333931"
        assert body["product"] == {"name": "Basic Barrier Cream", "brand": "Calma"}
        assert body["report"]["verdict"] != "avoid" and body["ocr_text"] is None

    def test_shelf_closed_when_lookup_is_staff_only(self, app, tesseract):
        """SHELF_LOOKUP_PUBLIC off: an anonymous photo of a shelf barcode is read from the photo, and
        the shelf's product (name, brand, ingredient list) is not shown (issue 16, F11)."""
        body = post(stock(app).test_client(), "/api/photo", photo("label_001.jpg"), day="2").get_json()
        assert body["source"] == "ocr" and body["product"] is None
        assert "Basic Barrier Cream" not in str(body) and body["report"]["verdict"] == "avoid"

    def test_a_barcode_not_on_the_shelf_falls_back_to_the_text(self, client, tesseract):
        body = post(client, "/api/photo", photo("label_001.jpg"), day="2").get_json()
        assert body["source"] == "ocr" and body["barcode"] == "4006381333931"
        assert body["report"]["verdict"] == "avoid"  # glycolic acid, read from the photo

    def test_a_photo_without_text(self, client, tesseract):
        response = post(client, "/api/photo", png(Image.new("L", (300, 200), 240)), name="blank.png")
        assert response.status_code == 422 and response.get_json()["error"]["code"] == "no_text"

    @pytest.mark.parametrize(
        "data, status, code",
        [
            (b"Aqua, Glycerin", 415, "unsupported_media_type"),
            (b"%PDF-1.4 not a photo", 415, "unsupported_media_type"),
        ],
    )
    def test_not_an_image(self, client, data, status, code):
        response = post(client, "/api/photo", data, name="label.pdf")
        assert response.status_code == status and response.get_json()["error"]["code"] == code

    def test_no_image_field(self, client):
        response = client.post("/api/photo", data={"day": "2"}, content_type="multipart/form-data")
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "missing_image"

    @pytest.mark.parametrize("name", ["", "label.jpg"])
    def test_an_empty_image_is_a_missing_image(self, client, name):
        """openapi.json says the image has at least one byte; an empty one is 400 whatever its name."""
        response = post(client, "/api/photo", b"", name=name)
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "missing_image"

    def test_too_many_form_parts_is_not_called_a_large_photo(self, client):
        """1,500 tiny fields are far under the photo cap: the 413 says what really happened."""
        fields = {f"field{i}": "x" for i in range(1500)}
        response = client.post("/api/photo", data=fields, content_type="multipart/form-data")
        message = response.get_json()["error"]["message"]
        assert response.status_code == 413 and "too many fields" in message and "photo" not in message

    def test_too_many_bytes(self, tmp_path):
        client = create_app({"TESTING": True, "SECRET_KEY": "t", "AFTERCHECK_PHOTO_MAX_BYTES": 10_000}).test_client()
        response = post(client, "/api/photo", photo("label_002.jpg"))
        assert response.status_code == 413
        assert "10,000 bytes" in response.get_json()["error"]["message"]

    def test_too_many_pixels(self):
        client = create_app({"TESTING": True, "SECRET_KEY": "t", "AFTERCHECK_PHOTO_MAX_PIXELS": 10_000}).test_client()
        response = post(client, "/api/photo", photo("label_002.jpg"))
        assert response.status_code == 413 and response.get_json()["error"]["code"] == "image_too_large"

    def test_a_bad_day(self, client):
        response = post(client, "/api/photo", photo("label_002.jpg"), day="tuesday")
        assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_input"

    def test_a_poor_reading_is_said_with_a_tip(self, client, reads):
        reads("Water, Glycerin", poor=True)
        body = post(client, "/api/photo", BLANK, name="label.png").get_json()
        assert body["ocr_poor"] is True and body["ocr_tip"] == TIPS["dark"]
        assert body["ocr_changes"] == ["Glycerln -> Glycerin"]

    def test_a_good_reading_has_no_tip(self, client, reads):
        reads("Water, Glycerin, Squalane", poor=False)
        body = post(client, "/api/photo", BLANK, name="label.png").get_json()
        assert body["ocr_poor"] is False and body["ocr_tip"] is None

    def test_the_shelf_list_is_no_reading(self, stocked, tesseract):
        body = post(stocked.test_client(), "/api/photo", photo("label_001.jpg")).get_json()
        assert body["ocr_poor"] is None and body["ocr_tip"] is None and body["ocr_changes"] == []

    def test_photos_may_be_larger_than_pasted_text(self, client, app):
        """The photo cap is this blueprint's; the rest of the app keeps AFTERCHECK_MAX_BYTES."""
        assert app.config["AFTERCHECK_PHOTO_MAX_BYTES"] > app.config["MAX_CONTENT_LENGTH"]


class TestPage:
    def test_the_home_page_offers_the_camera(self, client):
        page = client.get("/").get_data(as_text=True)
        assert 'type="file"' in page and 'accept="image/*"' in page and 'capture="environment"' in page
        assert 'enctype="multipart/form-data"' in page

    def test_the_result_shows_the_text_to_correct(self, client, tesseract):
        """The verdict, the text read with unsure words marked, and the editable box to re-check."""
        response = post(client, "/photo", photo("label_002.jpg"), day="2")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Avoid for now" in page and "Read from your photo" in page
        assert '<textarea id="text"' in page and "Retinol" in page.split('<textarea id="text"')[1]

    def test_a_poor_reading_is_said_first_and_reassures_nobody(self, client, reads):
        """Water and glycerin alone would be 'Fine to use': from a poor reading it is 'Not checked'."""
        reads("Water, Glycerin", poor=True)
        page = post(client, "/photo", BLANK, name="label.png", day="2").get_data(as_text=True)
        body = page.split("<main", 1)[1]
        assert body.index('id="reading-warning"') < body.index("Read from your photo") < body.index('class="verdict')
        assert "This photo was not read well enough to trust." in page and TIPS["dark"] in page
        assert "Not checked" in page and "Fine to use" not in page and "Encouraged" not in page.split("<h1")[1][:200]
        assert '<textarea id="text"' in page and "Glycerin" in page.split('<textarea id="text"')[1]

    def test_an_avoid_from_a_poor_reading_is_still_an_avoid(self, client, reads):
        reads("Water, Retinol, Glycerin", poor=True)
        page = post(client, "/photo", BLANK, name="label.png", day="2").get_data(as_text=True)
        assert 'id="reading-warning"' in page and "Avoid for now" in page

    def test_a_good_reading_shows_its_verdict_without_the_notice(self, client, reads):
        reads("Water, Glycerin, Squalane", poor=False)
        page = post(client, "/photo", BLANK, name="label.png", day="2").get_data(as_text=True)
        assert 'id="reading-warning"' not in page and "Fine to use" in page

    def test_a_poor_readings_link_is_as_doubtful_as_its_page(self, app, client, reads):
        """The photo is not kept: its link holds the text read, and the doubt goes with it."""
        reads("Water, Glycerin", poor=True)
        page = post(client, "/photo", BLANK, name="label.png", day="2").get_data(as_text=True)
        link = re.search(r'<a href="([^"]+)" id="result-link"', page).group(1).replace("&amp;", "&")
        shared = app.test_client().get(link).get_data(as_text=True)
        assert 'id="reading-warning"' in shared and "not read well enough to trust" in shared
        assert "Not checked" in shared.split("<h1", 1)[1][:200] and "Fine to use" not in shared

    def test_a_good_readings_link_says_it_came_from_a_photo(self, app, client, reads):
        reads("Water, Glycerin, Squalane", poor=False)
        page = post(client, "/photo", BLANK, name="label.png", day="2").get_data(as_text=True)
        link = re.search(r'<a href="([^"]+)" id="result-link"', page).group(1).replace("&amp;", "&")
        shared = app.test_client().get(link).get_data(as_text=True)
        assert "Read from a photo" in shared and 'id="reading-warning"' not in shared and "Fine to use" in shared

    def test_the_shelf_source_is_named(self, stocked, tesseract):
        page = post(stocked.test_client(), "/photo", photo("label_001.jpg"), day="2").get_data(as_text=True)
        assert "is on the clinic's shelf" in page and "Basic Barrier Cream" in page

    def test_a_photo_over_the_cap_comes_back_to_the_form(self):
        client = create_app({"TESTING": True, "SECRET_KEY": "t", "AFTERCHECK_PHOTO_MAX_BYTES": 10_000}).test_client()
        response = post(client, "/photo", photo("label_002.jpg"))
        page = response.get_data(as_text=True)
        assert response.status_code == 413 and "The photo is larger than 0.01 MB" in page and "bytes" not in page

    def test_an_error_comes_back_to_the_form(self, client):
        response = post(client, "/photo", b"not a photo", day="2")
        page = response.get_data(as_text=True)
        assert response.status_code == 415 and 'id="photo-error"' in page and 'aria-invalid="true"' in page


def test_photo_answers_match_the_openapi_document(client, tesseract):
    """The live /api/photo answers (a read photo, an error) validate against /api/openapi.json."""
    from test_web_openapi import assert_matches

    spec = client.get("/api/openapi.json").get_json()
    assert_matches(spec, "/api/photo", "post", post(client, "/api/photo", photo("label_002.jpg"), day="2"))
    assert_matches(spec, "/api/photo", "post", client.post("/api/photo", data={}, content_type="multipart/form-data"))
