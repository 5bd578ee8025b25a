"""The patient's result page and forms (issue 14): the answer first in plain words, why a row is
flagged, the rest collapsed, the product name, the timeline in one day convention, errors that keep
what was typed."""

import re
from datetime import date

import pytest

from app import create_app
from web import days

FORTY_WITH_RETINOL = ", ".join(
    ["Aqua", "Glycerin", "Retinol"]
    + [
        "Caprylic/Capric Triglyceride", "Cetearyl Alcohol", "Squalane", "Dimethicone", "Butylene Glycol",
        "Niacinamide", "Panthenol", "Allantoin", "Sodium Hyaluronate", "Tocopherol", "Ceramide NP",
        "Cholesterol", "Xanthan Gum", "Carbomer", "Sodium Hydroxide", "Disodium EDTA", "Phenoxyethanol",
        "Ethylhexylglycerin", "Propanediol", "Pentylene Glycol", "Isopropyl Myristate", "Cetyl Alcohol",
        "Stearic Acid", "Glyceryl Stearate", "PEG-100 Stearate", "Shea Butter", "Jojoba Oil", "Beeswax",
        "Caprylyl Glycol", "Hydroxyethylcellulose", "Sorbitol", "Urea", "Betaine", "Sodium PCA",
        "Bisabolol", "Tocopheryl Acetate",
    ]
)  # fmt: skip


def post(client, text, day="2", **fields):
    return client.post("/", data={"text": text, "day": day, **fields}, follow_redirects=True)


def section(html: str, start: str, end: str = "</section>") -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def test_the_banner_holds_the_plain_answer_the_reason_and_the_date(client):
    html = post(client, FORTY_WITH_RETINOL).get_data(as_text=True)
    banner = section(html, 'role="status"')
    assert "Do not use this today" in banner and "Retinol" in banner and "Safe to use from" in banner


def test_a_caution_says_when_it_ends(client):
    banner = section(post(client, "Aqua, Glycerin, Parfum", day="1").get_data(as_text=True), 'role="status"')
    assert "Caution" in banner and "The caution ends on" in banner and "(day 3)" in banner


def test_much_of_the_label_unrecognised_is_said_in_the_banner(client):
    html = post(client, "Aqua, Glycerin, Extrait de Myrtille Sauvage, Parfum, Phenoxyethanol").get_data(as_text=True)
    banner = section(html, 'role="status"')
    assert "Part of this label was not recognised" in banner and "“Extrait de Myrtille Sauvage”" in banner


def test_one_unknown_name_in_forty_is_not_in_the_banner(client):
    html = post(client, FORTY_WITH_RETINOL + ", Zorblax Complex").get_data(as_text=True)
    assert "Part of this label was not recognised" not in section(html, 'role="status"')
    assert "<li>Zorblax Complex</li>" in html  # still listed under "Not checked"


def test_the_unrecognised_share_is_a_setting():
    client = create_app({"TESTING": True, "AFTERCHECK_UNRECOGNISED_SHARE": 0.01}).test_client()
    html = post(client, FORTY_WITH_RETINOL + ", Zorblax Complex").get_data(as_text=True)
    assert "Part of this label was not recognised" in section(html, 'role="status"')


def test_harmless_ingredients_are_collapsed_behind_one_line(client):
    html = post(client, FORTY_WITH_RETINOL).get_data(as_text=True)
    others = section(html, '<details class="group others"', "</details>")
    assert re.search(r"<summary>38 other ingredients: nothing to avoid", others) and "<li>Squalane</li>" in others


def test_how_it_was_read_stays_off_the_first_screen(client):
    """Match methods, spellings and data versions are inside the closed "How this was checked"."""
    html = post(client, "Aqua, Retinol, Glycerin").get_data(as_text=True)
    before, _, checked = html.partition('<details class="group checked-details"')
    assert "matched:" not in before and "written “" not in before and "ingredient data" not in before
    assert "matched: synonym" in checked and "written “Aqua”" in checked and "ingredient data" in checked


def test_the_api_keeps_the_match_details(client):
    report = client.post("/api/check", json={"text": "Aqua, Retinol", "day": 2}).get_json()
    assert report["ingredients"][0]["match"]["method"] == "synonym" and report["protocol"]["versions"]


def test_a_flagged_row_opens_to_the_note_the_clinic_rule_and_the_source(client):
    html = post(client, "Aqua, Retinol").get_data(as_text=True)
    row = section(html, '<details class="why">', "</details>")
    assert "Why?" in row and "Your clinic's rule (retinoid (vitamin A)):" in row and "It applies until day 7." in row
    assert "Where this comes from: published, peer-reviewed research." in row


def test_every_kind_of_source_in_the_data_has_words_for_patients(checker):
    from web.templating import SOURCE_KINDS

    assert {entry.source for entry in checker.lexicon.entries} <= set(SOURCE_KINDS)


def test_the_product_name_is_optional_and_feeds_the_product_rules(client):
    home = client.get("/").get_data(as_text=True)
    assert '<label for="product-name">Product name <span class="optional">(optional)</span></label>' in home
    plain = section(post(client, "Aqua, Glycerin", day="3").get_data(as_text=True), 'role="status"')
    named = post(client, "Aqua, Glycerin", day="3", name="Glow Peel Pads").get_data(as_text=True)
    assert "Fine to use" in plain and "Avoid for now" in section(named, 'role="status"')
    assert 'value="Glow Peel Pads"' in named  # kept in the form under the result


def test_a_paste_over_the_limit_keeps_the_text_cut_to_it_with_a_note():
    client = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 2_000, "MAX_FORM_MEMORY_SIZE": 2_000}).test_client()
    response = post(client, "Aqua, Glycerin, " * 200)  # 3,200 characters, a 5 kB body
    html = response.get_data(as_text=True)
    text = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1)
    assert response.status_code == 413 and 'role="alert"' in html and 'maxlength="2000"' in html
    assert "it was cut to that length below" in html and len(text) == 2_000 and text.startswith("Aqua, Glycerin")
    assert "Request Entity Too Large" not in html and "bytes" not in html


@pytest.mark.parametrize(
    "url, heading",
    [("http://no-such-host.invalid/cream", "That address could not be reached"), ("http://10.0.0.1/x", "cannot")],
    ids=["dns", "private"],
)
def test_a_failed_import_says_what_happened_and_keeps_the_url(client, url, heading):
    html = client.post("/import", data={"url": url, "day": "3"}, follow_redirects=True).get_data(as_text=True)
    h1 = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert heading in h1 and "No ingredient list" not in h1
    assert f'value="{url}"' in html and '<option value="3" selected>' in html


def test_the_timeline_heads_stages_in_day_numbers_with_the_sheets_words(client):
    html = client.get("/timeline").get_data(as_text=True)
    headings = re.findall(r"<h2>([^<]+?)\s*(?:<|$)", html)
    assert headings[:4] == ["Day 0", "Day 1", "Days 2 to 6", "Day 7 onwards"]
    assert "Your clinic's sheet: “24 to 48 hours”" in html and "Days 0-1" not in html


def test_the_timeline_marks_the_patients_day(client):
    html = client.get("/timeline?day=4").get_data(as_text=True)
    here = section(html, 'aria-current="step"', "</h2>")
    assert "Days 2 to 6" in here and "You are here (day 4)" in here
    assert html.count("You are here") == 1 and "You are here" not in client.get("/timeline").get_data(as_text=True)


def test_the_timeline_marks_the_day_of_the_remembered_treatment_date(client, monkeypatch):
    monkeypatch.setattr(days, "clock", lambda: date(2026, 12, 6))
    client.set_cookie(days.TREATED_ON_COOKIE, "2026-12-05")
    html = client.get("/timeline").get_data(as_text=True)
    assert "You are here (day 1)" in section(html, 'aria-current="step"', "</h2>")
    assert "Your treatment on Saturday 5 December, as remembered on this device: today is day 1." in html
    assert "You are here (day 3)" in client.get("/timeline?day=3").get_data(as_text=True)  # a link's day wins


def test_a_results_timeline_link_carries_its_day(client):
    page = client.post("/", data={"text": "Aqua, Retinol", "day": "4"}, follow_redirects=True)
    assert 'href="/timeline?day=4"' in page.get_data(as_text=True)


def test_the_timeline_reads_when_things_come_back_from_the_rules(client, checker):
    html = client.get("/timeline").get_data(as_text=True)
    sunscreen = checker.protocol.products["sunscreen"].until_day
    assert f"Back from day {sunscreen}:</strong> Sunscreen, face makeup, sunscreen filter may be used again." in html
    assert "<strong>Sunscreen, face makeup, sunscreen filter:</strong> from day 2." in html  # when products come back
    # every ingredient class kept off is there too, with its day: a patient finds their serum's retinol
    for rule in checker.protocol.classes.values():
        if rule.flag == "avoid":
            assert re.search(rf"<strong>[^<]*{re.escape(rule.label)}[^<]*:</strong> from day {rule.until_day}\.", html)
    fragrance = checker.protocol.classes["fragrance"].until_day
    assert re.search(rf"Caution until day {fragrance}:</strong> [^<]*\bfragrance\b", html)
    assert re.search(rf"From day {fragrance}:</strong> [^<]*\bfragrance\b[^<]* no longer a caution", html)
