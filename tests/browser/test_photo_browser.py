"""A patient photographs a label: the page uploads it, shows the verdict and the text to correct.

Real Chromium (fixtures in conftest.py) and real Tesseract; screenshots in artifacts/screenshots/.
"""

from browser_helpers import screenshot
from photo_helpers import PHOTOS


def test_a_photo_of_a_retinol_label_says_avoid_and_can_be_corrected(page, base_url, tesseract):
    page.goto(base_url + "/")
    page.get_by_label("Or take or upload a photo of the ingredient list").set_input_files(str(PHOTOS / "label_002.jpg"))
    page.get_by_label("Treatment day for this photo").select_option("2")
    page.get_by_role("button", name="Check this photo").click()
    page.wait_for_load_state()
    banner = page.get_by_role("status")
    assert banner.get_by_role("heading", level=1).inner_text() == "Avoid for now"
    assert "Read from your photo" in page.locator(".source").inner_text()
    screenshot(page, "result-photo-retinol-day2")

    # The text read from the photo is in the box: correct it (drop retinol) and check again.
    box = page.get_by_label("Ingredient list, or the whole label text")
    assert "Retinol" in box.input_value()
    box.fill(box.input_value().replace("Retinol", "Squalane"))
    page.get_by_role("button", name="Check this label").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").get_by_role("heading", level=1).inner_text() != "Avoid for now"
