"""The result page and the patient's forms on a 390x844 phone (issue 14), in real Chromium.

Each test checks what a patient sees: the answer on the first screen, the rest collapsed, why a row
is flagged, the print view, forms that keep what was typed, fields a thumb can use. Screenshots go
to artifacts/screenshots/.
"""

import re

from browser_helpers import TALL_PHONE, screenshot

FORTY_WITH_RETINOL = ", ".join(
    ["Aqua", "Glycerin", "Caprylic/Capric Triglyceride", "Cetearyl Alcohol", "Squalane", "Dimethicone"]
    + [
        "Butylene Glycol", "Niacinamide", "Panthenol", "Allantoin", "Sodium Hyaluronate", "Tocopherol",
        "Ceramide NP", "Cholesterol", "Xanthan Gum", "Carbomer", "Sodium Hydroxide", "Disodium EDTA",
        "Phenoxyethanol", "Ethylhexylglycerin", "Propanediol", "Pentylene Glycol", "Isopropyl Myristate",
        "Cetyl Alcohol", "Stearic Acid", "Glyceryl Stearate", "PEG-100 Stearate", "Shea Butter", "Jojoba Oil",
        "Beeswax", "Caprylyl Glycol", "Hydroxyethylcellulose", "Sorbitol", "Urea", "Betaine", "Sodium PCA",
        "Bisabolol", "Tocopheryl Acetate", "Retinol",
    ]
)  # fmt: skip


def check(page, base_url, text, day="2", name=None):
    page.goto(base_url + "/")
    page.get_by_label("Ingredient list, or the whole label text").fill(text)
    if name:
        page.get_by_label("Product name (optional)").fill(name)
    page.get_by_label("When was your treatment?").select_option(day)
    page.get_by_role("button", name="Check this label").click()
    page.wait_for_load_state()


def on_first_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= TALL_PHONE["height"]


def test_the_first_screen_holds_verdict_reason_and_date(tall_phone, base_url):
    check(tall_phone, base_url, FORTY_WITH_RETINOL)
    banner = tall_phone.get_by_role("status")
    for part in ("h1", ".verdict-line", ".verdict-reason", ".safe-from"):
        assert on_first_screen(banner.locator(part)), part
    assert "Retinol" in banner.locator(".verdict-reason").inner_text()
    assert re.search(r"Safe to use from \w+day \d+ \w+ \(day 7\)", banner.locator(".safe-from").inner_text())
    screenshot(tall_phone, "result-40-ingredients-retinol-390")


def test_much_unrecognised_is_said_on_the_first_screen(tall_phone, base_url):
    check(tall_phone, base_url, "Aqua, Glycerin, Extrait de Myrtille Sauvage, Parfum, Phenoxyethanol", day="1")
    note = tall_phone.locator("#unrecognised-note")
    assert on_first_screen(note) and "Extrait de Myrtille Sauvage" in note.inner_text()
    screenshot(tall_phone, "result-unrecognised-390")


def test_harmless_ingredients_are_collapsed_until_asked(tall_phone, base_url):
    check(tall_phone, base_url, FORTY_WITH_RETINOL)
    others = tall_phone.locator("details.others")
    assert others.locator("summary").inner_text().startswith("38 other ingredients: nothing to avoid")
    squalane = others.get_by_text("Squalane", exact=True)
    assert not squalane.is_visible()
    others.locator("summary").click()
    assert squalane.is_visible()
    assert not tall_phone.get_by_text("matched: exact").first.is_visible()


def test_a_tap_on_a_flagged_ingredient_shows_why(tall_phone, base_url):
    check(tall_phone, base_url, FORTY_WITH_RETINOL)
    row = tall_phone.locator("details.why").first
    rule = row.locator(".why-rule")
    assert not rule.is_visible()
    row.locator("summary").click()
    assert rule.is_visible() and "retinoid" in rule.inner_text() and "until day 7" in rule.inner_text()
    assert "peer-reviewed research" in row.locator(".why-source").inner_text()


def test_the_product_name_feeds_the_product_rules(tall_phone, base_url):
    check(tall_phone, base_url, "Aqua, Glycerin, Squalane", day="3", name="Glow Peel Pads")
    assert tall_phone.get_by_role("status").locator("h1").inner_text() == "Avoid for now"
    assert tall_phone.get_by_label("Product name (optional)").input_value() == "Glow Peel Pads"


def test_the_print_view_keeps_the_answer_and_fits_one_page(tall_phone, base_url):
    check(tall_phone, base_url, FORTY_WITH_RETINOL + ", Parfum")
    assert tall_phone.get_by_role("button", name="Print this result").is_visible()  # shown by static JS
    tall_phone.emulate_media(media="print")
    assert tall_phone.get_by_role("status").is_visible() and tall_phone.locator(".ing-avoid").is_visible()
    for hidden in ("header.site nav", "form.check-form", "details.others", "#print-result"):
        assert not tall_phone.locator(hidden).first.is_visible(), hidden
    pdf = tall_phone.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1


def test_a_paste_over_the_limit_keeps_the_text_with_a_note(refused_page, base_url):
    tall_phone = refused_page
    tall_phone.goto(base_url + "/")
    box = tall_phone.get_by_label("Ingredient list, or the whole label text")
    limit = int(box.get_attribute("maxlength"))
    # A browser that ignores maxlength (or a script) sends more: the server must still answer well.
    box.evaluate("e => e.removeAttribute('maxlength')")
    box.fill("Aqua, Glycerin, Retinol, " * (limit // 25 + 400))
    tall_phone.get_by_role("button", name="Check this label").click()
    tall_phone.wait_for_load_state()
    alert = tall_phone.get_by_role("alert")
    assert "was cut to that length below" in alert.inner_text() and "bytes" not in alert.inner_text()
    assert len(box.input_value()) == limit and box.input_value().startswith("Aqua, Glycerin, Retinol")
    assert tall_phone.evaluate("document.activeElement.id") == "text"


def test_a_photo_error_is_at_the_photo_field_with_the_focus(refused_page, base_url):
    tall_phone = refused_page
    tall_phone.goto(base_url + "/")
    tall_phone.get_by_label("Or take or upload a photo of the ingredient list").set_input_files(
        files=[{"name": "label.jpg", "mimeType": "image/jpeg", "buffer": b"not a picture at all"}]
    )
    tall_phone.get_by_role("button", name="Check this photo").click()
    tall_phone.wait_for_load_state()
    assert tall_phone.evaluate("document.activeElement.id") == "photo"
    error = tall_phone.locator("#photo-error")
    field = tall_phone.locator("#photo").bounding_box()
    assert error.is_visible() and 0 <= field["y"] - (error.bounding_box()["y"] + error.bounding_box()["height"]) < 40
    assert re.fullmatch(r"Could not read this photo: The file is not a [^:]*", error.inner_text())


def test_url_and_file_fields_are_thumb_sized_and_not_zoomed(tall_phone, base_url):
    tall_phone.goto(base_url + "/")
    for field in ("#import-url", "#photo", "#product-name"):
        size = tall_phone.locator(field).evaluate(
            "e => [e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).fontSize)]"
        )
        assert size[0] >= 44 and size[1] >= 16, (field, size)
    screenshot(tall_phone, "home-390")


def test_the_bookmarklet_does_nothing_on_its_own_page_and_says_so(tall_phone, base_url):
    tall_phone.goto(base_url + "/bookmarklet")
    before = tall_phone.url
    tall_phone.locator("#bookmarklet-link").click()
    assert tall_phone.url == before
    assert "drag the Aftercheck button to your bookmarks bar" in tall_phone.locator("#bookmarklet-here").inner_text()


def test_the_timeline_shows_you_are_here_and_when_things_come_back(tall_phone, base_url):
    tall_phone.goto(base_url + "/timeline?day=1")
    here = tall_phone.locator(".stage-here")
    assert here.locator("h2").inner_text().startswith("Day 1") and "You are here" in here.inner_text()
    assert tall_phone.get_by_text(re.compile(r"^Back from day 2:")).is_visible()  # in the stage after
    assert tall_phone.get_by_text(re.compile(r"^Caution until day 3:.*fragrance")).first.is_visible()
    screenshot(tall_phone, "timeline-day1-390")
