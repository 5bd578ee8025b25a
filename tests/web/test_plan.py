"""The routine and plan pages, the calendar, the JSON API and the staff's stricter plan for one patient."""

from __future__ import annotations

import re
from datetime import date

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from werkzeug.security import generate_password_hash

from app import create_app
from checker.protocols import DEFAULT_ID, shipped
from shelf.store import forget_shelves
from web.links import pack, unpack

SERUM = {"name": "night serum", "text": "Water, Glycerin, Squalane, Retinol, Tocopherol, Phenoxyethanol"}
CLEANSER = {"name": "cleanser", "text": "Water, Sodium Laureth Sulfate, Glycerin, Parfum, Phenoxyethanol"}
PEPTIDE = {"name": "peptide cream", "text": "Water, Glycerin, Palmitoyl Tripeptide-1, Phenoxyethanol"}
BODY = {"treated_on": "2026-12-01", "today": "2026-12-03", "products": [SERUM, CLEANSER, PEPTIDE]}
PASSWORD = "a staff password for the tests"
HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def names(entries: list[dict]) -> list[str]:
    return [entry["name"] for entry in entries]


def routine_link(products: list[dict], treated_on: str | None = "2026-12-01", **extra) -> str:
    return pack({"products": products, **({"treated_on": treated_on} if treated_on else {}), **extra})


def text_of(response) -> str:
    """The page's visible words, one space between them."""
    html = response.get_data(as_text=True)
    main = html[html.index("<main") :]
    blocks = re.sub(r"</?(?:p|h\d|li|ul|ol|section|div|form|label|button|th|td)\b[^>]*>", " ", main)
    return " ".join(re.sub(r"<[^>]+>", "", blocks).replace("&#39;", "'").split())


# --- JSON -----------------------------------------------------------------------------------------


def test_the_plan_as_json(client):
    response = client.post("/api/plan", json=BODY)
    assert response.status_code == 200
    plan = response.get_json()
    assert plan["day"] == 2 and plan["last_day"] == 7 and plan["treated_on"] == "2026-12-01"
    day2 = plan["days"][2]
    assert names(day2["use"]) == ["peptide cream"] and names(day2["with_care"]) == ["cleanser"]
    assert day2["leave_out"][0] | {"why": ""} == {
        "name": "night serum",
        "verdict": "avoid",
        "reason": "Retinol: retinoid (vitamin A)",
        "why": "",
        "back_on_day": 7,
        "back_on": "2026-12-08",
    }
    assert "Long sun exposure." in day2["advice"]["avoid"]
    serum = plan["products"][0]
    assert serum["safe_from_day"] == 7 and serum["report"]["day"] == 2 and serum["report"]["verdict"] == "avoid"


def test_the_json_plan_names_its_protocol_and_versions(client):
    protocol = client.post("/api/plan", json=BODY).get_json()["protocol"]
    version = client.get("/api/version").get_json()
    assert protocol["name"] == version["protocol_name"] and protocol["versions"]["protocol"] == version["protocol"]


def test_a_day_counts_back_from_today(client):
    plan = client.post("/api/plan", json={"day": 3, "today": "2026-12-04", "products": [SERUM]}).get_json()
    assert plan["treated_on"] == "2026-12-01" and plan["day"] == 3


def test_a_shipped_protocol_can_be_chosen_by_id(client):
    for protocol_id in shipped():
        plan = client.post("/api/plan", json={**BODY, "protocol": protocol_id})
        assert plan.status_code == 200, protocol_id
    assert (
        client.post("/api/plan", json={**BODY, "protocol": DEFAULT_ID}).get_json()
        == client.post("/api/plan", json=BODY).get_json()
    )


@pytest.mark.parametrize(
    "body, message",
    [
        ({"treated_on": "2026-12-01"}, "products must be a list"),
        ({"treated_on": "2026-12-01", "products": [{"name": "serum"}]}, "'text' must be text"),
        ({"products": [SERUM]}, "give treated_on"),
        ({"day": 2, "treated_on": "2026-12-01", "products": [SERUM]}, "not both"),
        ({"day": "2", "products": [SERUM]}, "whole number"),
        ({"treated_on": "2026-12-09", "today": "2026-12-01", "products": [SERUM]}, "after today"),
        ({**BODY, "protocol": "no-such-protocol"}, "shipped protocol"),
        ({**BODY, "protocol": "/etc/passwd.toml"}, "shipped protocol"),
        ({**BODY, "override": "not-a-signed-token"}, "changed or cut short"),
        ({**BODY, "products": [SERUM, SERUM]}, "two products are named"),
    ],
    ids=["no-products", "no-text", "no-day", "both", "day-text", "future", "protocol", "path", "override", "twice"],
)
def test_what_cannot_be_planned_is_400_saying_why(client, body, message):
    response = client.post("/api/plan", json=body)
    assert response.status_code == 400 and message in response.get_json()["error"]["message"]


def test_the_api_answers_like_the_others(client):
    assert client.post("/api/plan", data="x", content_type="text/plain").status_code == 415
    assert client.post("/api/plan", json=[1]).get_json()["error"]["code"] == "malformed_json"


def _validator(spec: dict, schema: dict) -> Draft202012Validator:
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(spec))
    return Draft202012Validator({"$ref": "urn:openapi#" + schema["$ref"][1:]}, registry=registry)


@pytest.mark.parametrize("body", [BODY, {"day": 0, "products": [{"name": "x", "text": "Zorblax"}]}], ids=["ok", "none"])
def test_the_plan_matches_the_openapi_document(client, body):
    spec = client.get("/api/openapi.json").get_json()
    documented = spec["paths"]["/api/plan"]["post"]
    _validator(spec, documented["requestBody"]["content"]["application/json"]["schema"]).validate(body)
    response = client.post("/api/plan", json=body)
    schema = documented["responses"][str(response.status_code)]["content"]["application/json"]["schema"]
    _validator(spec, schema).validate(response.get_json())


# --- pages ----------------------------------------------------------------------------------------


def test_a_routine_is_built_one_product_at_a_time_without_javascript(client):
    first = client.post("/routine", data={"action": "add", "r": "", **SERUM})
    assert first.status_code == 303 and first.location.startswith("/routine?r=")
    token = first.location.split("r=", 1)[1]
    second = client.post("/routine", data={"action": "add", "r": token, **CLEANSER, "category": "cleanser"})
    token = second.location.split("r=", 1)[1]
    assert unpack(token)["products"] == [SERUM, {**CLEANSER, "category": "cleanser"}]
    page = client.get(second.location)
    assert page.status_code == 200 and "night serum" in text_of(page) and "cleanser (cleanser)" in text_of(page)
    removed = client.post("/routine", data={"action": "remove", "r": token, "index": "0"})
    assert unpack(removed.location.split("r=", 1)[1])["products"] == [{**CLEANSER, "category": "cleanser"}]


def test_a_bad_product_is_said_on_the_form_with_what_was_typed(client):
    response = client.post("/routine", data={"action": "add", "r": "", "name": "serum", "text": " "})
    assert response.status_code == 400
    assert "'text' is empty" in text_of(response) and 'value="serum"' in response.get_data(as_text=True)


def test_a_product_too_long_for_the_link_is_refused_routine_kept(client):
    """Servers refuse addresses past 8 kB (gunicorn.conf.py): the routine must not be lost there."""
    # Ingredient-like names with numbers: they compress about as badly as a real label's text.
    words = ["Aqua", "Glycerin", "Niacinamide", "Squalane", "Panthenol", "Allantoin", "Betaine", "Urea"]

    def label(seed: int) -> str:
        return ", ".join(f"{words[(i * 7919) % 8]} {i * (2654435761 + seed * 40503) % 99991}" for i in range(700))

    token = pack({"products": [SERUM, {"name": "first long one", "text": label(1)}]})
    assert len(f"/plan?r={token}") < 8000  # the routine so far fits in its link
    response = client.post("/routine", data={"action": "add", "r": token, "name": "long one", "text": label(2)})
    assert response.status_code == 400 and "too long to keep in its link" in text_of(response)
    assert 'value="long one"' in response.get_data(as_text=True)  # what was typed is still on the form
    assert "night serum" in text_of(response)  # and the routine is still there


def test_show_my_plan_remembers_the_date_and_opens_the_plan(client):
    token = routine_link([SERUM, CLEANSER], treated_on=None)
    data = {"action": "plan", "r": token, "treated_on": "2026-12-01", "today": "2026-12-03"}
    response = client.post("/routine", data=data)
    assert response.status_code == 303 and response.location.startswith("/plan?r=")
    assert "aftercheck_treated_on=2026-12-01" in response.headers["Set-Cookie"]
    assert "today=2026-12-03" in response.location
    assert unpack(re.search(r"r=([^&]+)", response.location).group(1))["treated_on"] == "2026-12-01"


def test_the_routine_page_offers_the_remembered_date(client):
    client.set_cookie("aftercheck_treated_on", "2026-11-30")
    page = client.get("/routine?r=" + routine_link([SERUM], treated_on=None)).get_data(as_text=True)
    assert 'name="treated_on" value="2026-11-30"' in page


def test_the_plan_page_says_tonight_first(client):
    page = client.get("/plan?today=2026-12-03&r=" + routine_link([SERUM, CLEANSER, PEPTIDE]))
    words = text_of(page)
    assert page.status_code == 200
    tonight = words[words.index("Tonight") : words.index("Day by day")]
    assert tonight.startswith("Tonight (day 2, Thu 3 Dec) Use: peptide cream.")
    assert "With care: cleanser (Fragrance; fine from Fri 4 Dec)" in tonight
    assert "Leave out: night serum (Retinol: retinoid (vitamin A); back on Tue 8 Dec)" in tonight
    assert "Avoid: Long sun exposure." in tonight
    assert "Days 3–6 · Fri 4 Dec to Mon 7 Dec" in words and "Day 7 onwards" in words
    assert "you are here" in words and "version 2026-11-24.1" in words


def test_the_shared_link_opens_the_same_plan_elsewhere(app):
    link = "/plan?r=" + routine_link([SERUM, CLEANSER])
    page = app.test_client().get(link + "&today=2026-12-03").get_data(as_text=True)
    share = re.search(r'id="plan-share"[^>]*|href="([^"]+)" id="plan-share"', page)
    assert share and "http://localhost" + link in page
    assert app.test_client().get(link + "&today=2026-12-03").get_data(as_text=True) == page


def test_the_calendar_file(client):
    response = client.get("/plan.ics?r=" + routine_link([SERUM, CLEANSER]))
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert 'filename="aftercare-plan.ics"' in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.count("BEGIN:VEVENT") == 2 and "DTSTART;VALUE=DATE:20261208" in body


@pytest.mark.parametrize(
    "link, message",
    [
        ("", "add at least one product"),
        (pack({"products": [SERUM]}), "set the date of your treatment"),
        ("1garbage", "damaged or was cut short"),
        (pack(["not", "a", "routine"]), "does not hold a routine"),
    ],
    ids=["empty", "no-date", "damaged", "not-routine"],
)
def test_a_plan_link_that_cannot_be_used_says_why(client, link, message):
    response = client.get("/plan?r=" + link)
    assert response.status_code == 400 and message in text_of(response)


def test_every_result_offers_add_to_my_routine(client):
    form = {"text": SERUM["text"], "day": "2", "name": "Night Serum 30ml"}
    result = client.post("/", data=form, follow_redirects=True)  # the result's own link keeps the name
    html = result.get_data(as_text=True)
    form = html[html.index('class="add-to-routine"') :]
    assert 'name="action" value="review"' in form and 'name="name" value="Night Serum 30ml"' in form
    review = client.post(
        "/routine", data={"action": "review", "r": "", "text": SERUM["text"], "name": "Night Serum 30ml"}
    )
    page = review.get_data(as_text=True)
    assert review.status_code == 200 and "Add this product to your routine" in page
    assert 'value="Night Serum 30ml"' in page and SERUM["text"] in page


def test_the_pages_have_no_inline_script_or_style(client):
    pages = [
        client.get("/routine"),
        client.get("/plan?today=2026-12-03&r=" + routine_link([SERUM])),
        client.post("/", data={"text": SERUM["text"], "day": "2"}, follow_redirects=True),
    ]
    for response in pages:
        html = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html, re.I)
        assert not re.search(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=", html, re.I)


# --- staff: a stricter plan for one patient -------------------------------------------------------


@pytest.fixture
def staff(tmp_path):
    """A client logged in as staff."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "staff-test-secret-" + "x" * 20,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'shelf.sqlite'}",
            "STAFF_PASSWORD_HASH": HASH,
        }
    )
    client = app.test_client()
    client.post("/staff/login", data={"csrf_token": _csrf(client, "/staff/login"), "password": PASSWORD})
    yield client
    forget_shelves()


def _csrf(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _override(staff, **fields):
    data = {"csrf_token": _csrf(staff, "/plan/override"), **fields}
    return staff.post("/plan/override", data=data)


def test_the_override_page_is_for_staff_only(client):
    response = client.get("/plan/override")
    assert response.status_code == 302 and "/staff/login" in response.location
    assert client.post("/plan/override").status_code == 403


def test_staff_make_actives_last_until_day_10_and_the_patient_sees_it(staff, tmp_path):
    response = _override(staff, treated_on="2026-12-01", extend_from="7", extend_to="10", note="Deeper session")
    assert response.status_code == 200
    link = re.search(r'id="override-link"[^>]*>([^<]+)<', response.get_data(as_text=True)).group(1)
    routine = unpack(link.split("r=", 1)[1])
    assert routine["treated_on"] == "2026-12-01" and "products" not in routine
    patient = staff.application.test_client()  # the patient's phone: no staff session
    token = routine_link([SERUM, CLEANSER], override=routine["override"])
    plan = patient.post("/api/plan", json={**BODY, "products": [SERUM, CLEANSER], "override": routine["override"]})
    assert plan.get_json()["last_day"] == 10 and plan.get_json()["protocol"]["override"]["note"] == "Deeper session"
    words = text_of(patient.get(f"/plan?today=2026-12-09&r={token}"))
    assert "follows your clinic's stricter instructions for this treatment" in words
    assert "Leave out: night serum (Retinol: retinoid (vitamin A); back on Fri 11 Dec)" in words


def test_the_clinics_link_joins_the_list_kept_on_the_device(staff):
    response = _override(staff, treated_on="2026-12-01", extend_from="7", extend_to="10")
    clinic = unpack(re.search(r'id="override-link"[^>]*>[^<]*r=([^<"]+)<', response.get_data(as_text=True)).group(1))
    kept = routine_link([SERUM, CLEANSER], treated_on="2026-11-30")
    patient = staff.application.test_client()
    page = patient.get(f"/routine?r={pack(clinic)}").get_data(as_text=True)
    assert 'data-products="0" data-override="1"' in page  # static/routine.js joins the kept list
    joined = patient.post("/routine", data={"action": "join", "r": pack(clinic), "kept": kept})
    routine = unpack(joined.location.split("r=", 1)[1])
    assert [p["name"] for p in routine["products"]] == [SERUM["name"], CLEANSER["name"]]
    assert routine["override"] == clinic["override"] and routine["treated_on"] == "2026-12-01"


def test_a_laxer_override_is_refused_with_a_clear_error(staff):
    response = _override(staff, **{"until-classes.retinoid": "3"})
    assert response.status_code == 400 and "only be stricter" in text_of(response)


def test_a_changed_override_is_refused(staff):
    response = _override(staff, **{"until-classes.retinoid": "10"})
    token = unpack(re.search(r'id="override-link"[^>]*>[^<]*r=([^<"]+)<', response.get_data(as_text=True)).group(1))
    signed = token["override"]
    tampered = signed.replace(signed[5], "A" if signed[5] != "A" else "B", 1)
    answer = staff.post("/api/plan", json={**BODY, "override": tampered})
    assert answer.status_code == 400 and "changed or cut short" in answer.get_json()["error"]["message"]
    other_key = create_app({"TESTING": True, "SECRET_KEY": "another clinic's key"}).test_client()
    assert other_key.post("/api/plan", json={**BODY, "override": signed}).status_code == 400
    assert staff.post("/api/plan", json={**BODY, "override": signed}).get_json()["last_day"] == 10


def test_today_defaults_to_the_servers_date(client):
    plan = client.post("/api/plan", json={"day": 0, "products": [SERUM]}).get_json()
    assert plan["today"] == date.today().isoformat()


def test_large_plans_are_rate_limited_and_ordinary_ones_never():
    """A plan checks every label it holds: a link or body holding as much as a large check counts."""
    import random

    client = create_app({"TESTING": True, "SECRET_KEY": "t", "RATELIMIT_LARGE_CHECK": "1 per minute"}).test_client()
    ordinary = "/plan?today=2026-12-03&r=" + routine_link([SERUM, CLEANSER])
    assert [client.get(ordinary).status_code for _ in range(3)] == [200, 200, 200]
    words = random.Random(1)
    junk = [
        {"name": f"p{n}", "text": ", ".join("".join(words.choices("abcdefgh", k=7)) for _ in range(700))}
        for n in range(12)
    ]
    long_link = "/plan?today=2026-12-03&r=" + routine_link(junk)
    assert [client.get(long_link).status_code for _ in range(2)] == [200, 429]
    body = {**BODY, "products": junk}
    assert [client.post("/api/plan", json=body).status_code for _ in range(2)] == [429, 429]  # one shared count
    assert client.post("/api/plan", json=BODY).status_code == 200


def test_the_plan_says_when_today_is_the_servers_date(client):
    link = "/plan?r=" + routine_link([SERUM])
    assert "this server's date" in text_of(client.get(link))
    assert "this server's date" not in text_of(client.get(link + "&today=2026-12-03"))


def test_a_damaged_routine_link_is_an_error_page_the_script_leaves_alone(client):
    """The script opens the kept list only on a plain "My routine" page, never on an error: a kept
    link the server refuses must not send the browser round in circles."""
    page = client.get("/routine?r=1garbage")
    assert page.status_code == 400 and 'data-mode="error"' in page.get_data(as_text=True)
    assert 'data-mode="list"' in client.get("/routine").get_data(as_text=True)
