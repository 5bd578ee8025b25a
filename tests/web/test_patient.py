"""The patient pages: the form, the result for a day, the timeline, and what every page carries."""

import re
from datetime import date, timedelta

import pytest

from web.results import render_result
from web.templating import long_date

RETINOL_SERUM = "Aqua, Glycerin, Retinol, Tocopherol, Phenoxyethanol"
PEPTIDE_CREAM = "Aqua, Glycerin, Palmitoyl Tripeptide-1, Palmitoyl Tetrapeptide-7, Phenoxyethanol"


def post(client, text, day="2", **fields):
    return client.post("/", data={"text": text, "day": day, **fields}, follow_redirects=True)


def banner(response) -> str:
    """The verdict banner's text, tags stripped and spaces collapsed."""
    html = response.get_data(as_text=True)
    section = re.search(r'<section class="verdict[^"]*" role="status".*?</section>', html, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


def test_home_has_a_labelled_textarea_and_a_day_picker(client):
    html = client.get("/").get_data(as_text=True)
    assert '<label for="text">' in html and '<textarea id="text" name="text"' in html
    assert '<label for="day">When was your treatment?</label>' in html
    assert '<option value="0" selected>Today,' in html
    assert '<option value="14">' in html


def test_retinol_on_day_2_is_avoid_with_the_safe_from_date(client):
    response = post(client, RETINOL_SERUM, day="2")
    safe = long_date(date.today() - timedelta(days=2) + timedelta(days=7))
    assert response.status_code == 200
    assert "Avoid for now" in banner(response)
    assert f"Safe to use from {safe} (day 7)" in banner(response)
    assert "<title>Avoid for now · Aftercheck</title>" in response.get_data(as_text=True)


def test_peptide_cream_is_encouraged(client):
    response = post(client, PEPTIDE_CREAM, day="2")
    assert "Encouraged" in banner(response)
    assert "Safe to use from" not in banner(response)


def test_the_banner_gives_the_reason_for_the_verdict(client):
    text = banner(post(client, "Aqua, Parfum, Retinol", day="1"))
    assert "Avoid for now" in text and "retinoid" in text and "fragrance" not in text


def test_flagged_ingredients_come_first_most_severe_first(client):
    html = post(client, "Aqua, Palmitoyl Tripeptide-1, Parfum, Retinol").get_data(as_text=True)
    order = [
        html.index(f'<span class="ing-name">{name}</span>')
        for name in ("Retinol", "Fragrance", "Palmitoyl Tripeptide-1")
    ]
    assert order == sorted(order) and order[-1] < html.index("<li>Water</li>")


def test_how_this_was_checked_shows_each_class_and_how_it_was_matched(client):
    html = post(client, "Aqua, Retinoll, Glycerin").get_data(as_text=True)
    assert "written “Aqua” · solvent · matched: synonym" in html
    assert re.search(r"written “Retinoll” · retinoid \(vitamin A\) · matched: fuzzy \d\d%", html)
    assert "humectant · matched: exact" in html


def test_unrecognised_tokens_are_listed_as_not_checked(client):
    html = post(client, "Aqua, Glycerin, Zorblax Complex").get_data(as_text=True)
    assert "Not checked (1)" in html and "<li>Zorblax Complex</li>" in html


def test_a_label_with_no_known_ingredient_is_not_checked_422(client):
    response = post(client, "thank you for shopping with us")
    assert response.status_code == 422
    assert "Not checked" in banner(response)


def test_day_8_retinol_is_fine_and_says_why(client):
    response = post(client, RETINOL_SERUM, day="8")
    assert "Fine to use today according to your clinic" in banner(response)
    assert "fine on day 8" in response.get_data(as_text=True)


def test_no_day_judges_the_whole_window(client):
    text = banner(post(client, RETINOL_SERUM, day=""))
    assert "whole recovery window" in text and "Safe to use from day 7" in text


def test_a_treatment_date_counts_the_days(client):
    treated = date.today() - timedelta(days=3)
    text = banner(post(client, RETINOL_SERUM, day="0", treated_on=treated.isoformat()))
    assert f"Day 3 after your treatment on {long_date(treated)}" in text


def test_result_keeps_the_text_and_day_in_the_form(client):
    html = post(client, RETINOL_SERUM, day="5").get_data(as_text=True)
    assert f">{RETINOL_SERUM}</textarea>" in html and '<option value="5" selected>' in html


@pytest.mark.parametrize(
    "text, day, message",
    [
        ("", "2", "the label is empty"),
        ("   \n ", "2", "the label is empty"),
        (RETINOL_SERUM, "two", "pick the day of your treatment"),
    ],
    ids=["empty", "blank", "bad-day"],
)
def test_bad_input_shows_the_form_again_with_an_alert(client, text, day, message):
    response = post(client, text, day=day)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'role="alert"' in html and message in html and 'aria-invalid="true"' in html


def test_a_treatment_date_in_the_future_is_refused(client):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert post(client, RETINOL_SERUM, treated_on=tomorrow).status_code == 400


@pytest.mark.parametrize(
    "text, verdict",
    [
        ("Eau, Glycérine, Retinol", "Avoid for now"),  # accents
        ("CrÃ¨me: Aqua, Retinol", "Avoid for now"),  # mojibake (UTF-8 read as Latin-1)
        ("Ｒｅｔｉｎｏｌ、Ａｑｕａ", "Avoid for now"),  # full-width
        ("🌸 Aqua, Palmitoyl Tripeptide-1 🌸", "Encouraged"),  # emoji
        ("\u202eAqua, Retinol\u202c", "Avoid for now"),  # bidi override
    ],
    ids=["accents", "mojibake", "full-width", "emoji", "bidi"],
)
def test_unicode_labels(client, text, verdict):
    assert verdict in banner(post(client, text))


def test_a_form_far_over_the_limit_is_answered_on_the_form(client):
    """Far beyond what a browser sends for the longest label allowed: the form, in plain words."""
    response = post(client, "Aqua, " * 400_000)
    html = response.get_data(as_text=True)
    assert response.status_code == 413 and 'role="alert"' in html
    assert "far longer than a label (Aftercheck checks about 250,000 characters)" in html


def test_timeline_shows_every_stage_of_the_protocol(client, app):
    from web.current import current_checker

    html = client.get("/timeline").get_data(as_text=True)
    with app.app_context():
        stages = current_checker().protocol.timeline
    assert stages and all(stage["title"] in html for stage in stages)
    assert "Drink water" in html or "hydrated" in html
    assert "cooling face mask" in html


def test_a_clinics_own_protocol_gives_its_own_timeline(tmp_path):
    from app import create_app
    from checker.engine import DATA_DIR

    protocol = tmp_path / "clinic.toml"
    protocol.write_text(
        (DATA_DIR / "protocols" / "clinic-sheet.toml").read_text().replace("First 12 hours", "The first evening")
    )
    client = create_app({"TESTING": True, "AFTERCHECK_PROTOCOL": str(protocol)}).test_client()
    assert "The first evening" in client.get("/timeline").get_data(as_text=True)


def test_the_home_page_names_the_protocols_treatment(client, tmp_path):
    from app import create_app
    from checker.engine import DATA_DIR

    assert "<h1>Can I use this after microneedling?</h1>" in client.get("/").get_data(as_text=True)
    protocol = tmp_path / "peel.toml"
    protocol.write_text(
        (DATA_DIR / "protocols" / "clinic-sheet.toml").read_text().replace('"microneedling"', '"a chemical peel"')
    )
    other = create_app({"TESTING": True, "AFTERCHECK_PROTOCOL": str(protocol)}).test_client()
    assert "<h1>Can I use this after a chemical peel?</h1>" in other.get("/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/timeline", "/no-such-page"])
def test_every_page_shows_the_disclaimer(client, path):
    assert "Your clinic&#39;s own aftercare instructions always come first" in client.get(path).get_data(as_text=True)


def test_result_page_shows_the_disclaimer_once_right_under_the_verdict(client):
    html = post(client, RETINOL_SERUM).get_data(as_text=True)
    assert html.count("always come first") == 1
    assert html.index('role="status"') < html.index("always come first") < html.index("Flagged on this label")


def test_unknown_page_is_an_html_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "text/html" in response.content_type


@pytest.mark.parametrize("path", ["/", "/timeline"])
def test_pages_cannot_be_framed_and_need_no_inline_code(client, path):
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and "style=" not in html and "<style" not in html


def test_render_result_shows_where_the_text_came_from(app):
    """Other blueprints (the importer) reuse the result page with a source line."""
    from checker import check
    from web.days import Treatment

    with app.test_request_context("/"):
        body, status = render_result(
            check(RETINOL_SERUM, day=2),
            RETINOL_SERUM,
            Treatment.on_server_day(2),
            source="Taken from this page: Night Serum",
        )
    assert status == 200 and '<div class="source">Taken from this page: Night Serum</div>' in body


def test_a_product_rule_is_shown_as_the_whole_product(client):
    html = post(client, "Aqua, Zinc Oxide, Titanium Dioxide, Glycerin", day="1").get_data(as_text=True)
    assert "Whole product: sunscreen" in html and "Because of Zinc Oxide, Titanium Dioxide" in html


@pytest.mark.slow
def test_a_huge_label_shows_a_bounded_page(client):
    response = post(client, "Aqua, Retinol, Zorblax, " * 7_000)  # just under AFTERCHECK_MAX_BYTES, form-encoded
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and len(html) < 2_000_000
    assert "more, not shown." in html


def test_the_treatment_date_cookie_is_read_back_and_a_bad_one_ignored():
    from datetime import date

    from flask import Response

    from web.days import TREATED_ON_COOKIE, remember_treated_on, remembered_treated_on

    response = remember_treated_on(Response(), date(2026, 12, 1))
    assert "aftercheck_treated_on=2026-12-01" in response.headers["Set-Cookie"]
    assert "SameSite=Lax" in response.headers["Set-Cookie"]
    assert remembered_treated_on({TREATED_ON_COOKIE: "2026-12-01"}) == date(2026, 12, 1)
    assert remembered_treated_on({TREATED_ON_COOKIE: "yesterday"}) is None
    assert remembered_treated_on({}) is None
    forgotten = remember_treated_on(Response(), None)
    assert (
        "Max-Age=0" in forgotten.headers["Set-Cookie"] or "Expires=Thu, 01 Jan 1970" in forgotten.headers["Set-Cookie"]
    )
