"""One test per hostile input, through the HTTP layer: each gets a clear 4xx or an honest answer,
never a 500. Each input is far larger than a real one.

Nothing here is timed (a shared machine makes timings flaky): that no regular expression backtracks
super-linearly is tests/reliability/test_redos.py, counted in steps; the size caps asserted here are
what bounds the rest of the work.
"""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from reliability_helpers import PASSWORD


@pytest.fixture
def client(make_app):
    return make_app(RATELIMIT_ENABLED=False).test_client()


def assert_clear(response, *allowed: int):
    assert response.status_code in allowed, (response.status_code, response.get_data(as_text=True)[:300])
    if response.status_code >= 400 and response.mimetype == "application/json":
        error = response.get_json()["error"]
        assert error["code"] != "internal_error" and error["message"]


# --- labels ---------------------------------------------------------------------------------------


def test_invalid_utf8_json_is_a_400(client):
    response = client.post("/api/check", data=b'{"text": "Water, \xff\xfe Retinol"}', content_type="application/json")
    assert_clear(response, 400)
    assert response.get_json()["error"]["code"] == "malformed_json"


def test_invalid_utf8_in_the_form_is_read_with_replacement(client):
    response = client.post(
        "/",
        data=b"text=Water%2C+%FF%FE+Retinol&day=2",
        content_type="application/x-www-form-urlencoded",
        follow_redirects=True,
    )
    assert_clear(response, 200)
    assert "Retinol" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "text", ["Water,\x00 Retinol", "\x00" * 30_000, "Water\x00Glycerin\x00Retinol"], ids=["one", "30k", "between"]
)
def test_nul_bytes(client, text):
    response = client.post("/api/check", json={"text": text, "day": 2})
    assert_clear(response, 200, 400, 422)
    assert "\x00" not in response.get_data(as_text=True)


def test_bidi_overrides_cannot_hide_an_ingredient(client):
    """U+202E (right-to-left override) around 'Retinol' would show it reversed; it is still read."""
    text = "Water, \u202eRetinol\u202c, \u2066Glycolic Acid\u2069, Gly\u200bcerin"
    response = client.post("/api/check", json={"text": text, "day": 2})
    assert_clear(response, 200)
    report = response.get_json()
    assert report["verdict"] == "avoid"
    assert {"Retinol", "Glycolic Acid"} <= {i["inci"] for i in report["ingredients"]}


def test_a_5_mb_single_line_is_a_413(client):
    line = "Aqua Glycerin Retinol " * 240_000  # about 5 MB, no line break
    response = client.post("/api/check", json={"text": line})
    assert_clear(response, 413)
    assert_clear(client.post("/", data={"text": line, "day": "2"}), 413)


def test_a_single_line_just_under_the_limit_is_answered(client):
    line = "Aqua Glycerin Retinol Niacinamide " * 7_000  # about 240 kB, no comma, no line break
    response = client.post("/api/check", json={"text": line, "day": 2})
    assert_clear(response, 200, 400, 422)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    ["Water" + "," * 100_000 + "Retinol", "Water, " + "A," * 100_000 + " Retinol"],
    ids=["100k-commas", "100k-tokens"],
)
def test_100000_commas(client, text):
    response = client.post("/api/check", json={"text": text, "day": 2})
    assert_clear(response, 200, 400, 422)
    page = client.post("/", data={"text": text, "day": "2"}, follow_redirects=True)
    assert_clear(page, 200, 400, 422)
    assert len(page.data) < 2_000_000  # the page lists at most a few hundred rows


# --- pages ------------------------------------------------------------------------------------------


def test_html_nested_50000_deep(client):
    html = "<div>" * 50_000 + "<h2>Ingredients</h2><p>Water, Glycerin, Retinol</p>" + "</div>" * 50_000
    response = client.post("/api/extract", json={"html": html, "day": 2})
    assert_clear(response, 200, 422)
    page = client.post("/from-page", data={"html": html}, follow_redirects=True)
    assert_clear(page, 200, 422)


def test_html_over_the_page_cap_is_a_413(client):
    response = client.post("/api/extract", json={"html": "<p>" + "x" * 3_100_000 + "</p>"})
    assert_clear(response, 413)


def test_html_with_invalid_utf8_and_nul_bytes(client):
    body = b'{"html": "<p>Ingredients: Water, \x00Retinol \xc3\x28</p>"}'
    response = client.post("/api/extract", data=body, content_type="application/json")
    assert_clear(response, 400)
    page = client.post(
        "/from-page",
        data=b"html=%3Cp%3EIngredients%3A+Water%2C+%00Retinol+%C3%28%3C%2Fp%3E",
        content_type="application/x-www-form-urlencoded",
        follow_redirects=True,
    )
    assert_clear(page, 200, 422)


@pytest.mark.parametrize(
    "html",
    ["<div>Water<script>x</script>Water</p>\x1f", "<p>Ingredients:<style>a</style>\x00 Water, Retinol\x0b</p>"],
    ids=["script", "style"],
)
def test_control_characters_next_to_a_dropped_script(client, html):
    """Found by the property test: lxml refused the text left when a <script> was dropped (a 500)."""
    assert_clear(client.post("/api/extract", json={"html": html}), 200, 422)
    assert_clear(client.post("/from-page", data={"html": html}, follow_redirects=True), 200, 422)
    lone_surrogate = json.dumps({"html": html + "\ud800"})  # JSON may carry one; a form cannot
    assert_clear(client.post("/api/extract", data=lone_surrogate, content_type="application/json"), 200, 422)


def test_a_huge_whitespace_title_is_read(client):
    """Found by the ReDoS scan: the title-suffix patterns are quadratic on whitespace runs (a 60 kB
    title took 5 s, a 2 MB one would take hours); the title is now collapsed and cut first."""
    title = " " * 2_000_000 + "- Brand"  # 2 MB, under the page cap
    response = client.post("/api/extract", json={"html": "", "selection": "Water, Glycerin, Retinol", "title": title})
    assert_clear(response, 200, 422)


# --- shelf uploads -----------------------------------------------------------------------------------


def staff_client(make_app, **config):
    client = make_app(RATELIMIT_ENABLED=False, WTF_CSRF_ENABLED=False, **config).test_client()
    assert client.post("/staff/login", data={"password": PASSWORD}).status_code == 302
    return client


def upload(client, raw: bytes, filename: str):
    return client.post(
        "/shelf/upload", data={"inventory": (io.BytesIO(raw), filename)}, content_type="multipart/form-data"
    )


def zip_bomb_xlsx(inflated_bytes: int = 1_000_000_000) -> bytes:
    """A workbook whose first sheet inflates to `inflated_bytes` (about 1 GB) from about 1 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet><sheetData><row><c t="inlineStr"><is><t>')
            chunk = b" " * 1_000_000
            for _ in range(inflated_bytes // len(chunk)):
                sheet.write(chunk)
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return buffer.getvalue()


@pytest.mark.slow
def test_an_xlsx_zip_bomb_is_refused(make_app):
    bomb = zip_bomb_xlsx()
    assert len(bomb) < 2_000_000
    client = staff_client(make_app)
    response = upload(client, bomb, "bomb.xlsx")
    assert_clear(response, 400, 413, 422)
    assert "unpacks to 1,000 MB" in response.get_data(as_text=True)


@pytest.mark.slow
def test_a_csv_with_a_10_mb_cell(make_app):
    cell = "Water, Glycerin, " + "Niacinamide " * 850_000  # about 10 MB in one cell
    raw = (f'name,barcode,ingredients\nBig,1234567890128,"{cell}"\nSmall,4006381333931,"Water, Retinol"\n').encode()
    client = staff_client(make_app)
    response = upload(client, raw, "big.csv")
    assert_clear(response, 302, 400, 413, 422)
    if response.status_code == 302:  # stored: the small row is judged, the big one has a reason
        table = client.get("/shelf/").get_data(as_text=True)
        assert "Small" in table


def test_formulas_in_cells_never_run_nor_leave_as_formulas(make_app):
    raw = (
        b"name,brand,barcode,ingredients\n"
        b'"=HYPERLINK(""http://evil.example"",""Serum"")",@SUM(1+1),+4006381333931,"=cmd|\' /C calc\'!A0, Water, Retinol"\n'
        b'-Toner,Brand,5012345678900,"Water, Glycerin"\n'
    )
    client = staff_client(make_app)
    assert_clear(upload(client, raw, "formulas.csv"), 302)
    report = client.get("/shelf/report.csv")
    assert_clear(report, 200)
    cells = [
        cell
        for line in report.get_data(as_text=True).splitlines()
        for cell in re.split(r",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", line)
    ]
    # a plain number such as +4006381333931 or -5 is not a formula and stays as it is
    dangerous = [
        c for c in cells if c.strip('"')[:1] in ("=", "+", "-", "@") and not re.fullmatch(r"[+-]?[0-9.]+", c.strip('"'))
    ]
    assert not dangerous, dangerous
