"""/api/openapi.json is a valid OpenAPI 3.1 document, and live responses match it."""

import io

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from test_web_api import ERRORS


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").get_json()


def test_the_document_is_valid_openapi_3_1(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.1")


def assert_matches(spec, path, method, response):
    """Validate a live response body against the schema documented for its status."""
    documented = spec["paths"][path][method]["responses"]
    assert str(response.status_code) in documented, f"{method.upper()} {path} {response.status_code} is undocumented"
    schema = documented[str(response.status_code)]["content"]["application/json"]["schema"]
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(spec))
    Draft202012Validator(
        {"$ref": "urn:openapi#" + schema["$ref"][1:]} if "$ref" in schema else schema, registry=registry
    ).validate(response.get_json())


@pytest.mark.parametrize(
    "body",
    [
        {"text": "Water, Retinol, Palmitoyl Tripeptide-1", "day": 2},
        {"text": "Aqua, Retinoll, Glycerinn, Zorblax", "day": 9},
        {"text": "Aqua, Zinc Oxide, Titanium Dioxide", "treated_on": "2026-11-23", "today": "2026-11-24"},
        {"text": "Aqua, Salicylic Acid, Fragrance"},
    ],
)
def test_check_reports_match_the_document(client, spec, body):
    assert_matches(spec, "/api/check", "post", client.post("/api/check", json=body))


@pytest.mark.parametrize("path", ["/api/health", "/api/version", "/api/openapi.json"])
def test_get_endpoints_match_the_document(client, spec, path):
    assert_matches(spec, path, "get", client.get(path))


@pytest.mark.parametrize(
    "method, path, kwargs, status, code",
    [e for e in ERRORS if e[1] in ("/api/check", "/api/extract", "/api/import")],
    ids=[
        f"{path.rsplit('/', 1)[1]}-{code}"
        for _, path, _, _, code in ERRORS
        if path in ("/api/check", "/api/extract", "/api/import")
    ],
)
def test_errors_match_the_document(client, spec, method, path, kwargs, status, code):
    assert_matches(spec, path, "post", getattr(client, method)(path, **kwargs))


def request_schema(spec, path: str, media: str = "application/json") -> Draft202012Validator:
    schema = spec["paths"][path]["post"]["requestBody"]["content"][media]["schema"]
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(spec))
    return Draft202012Validator(
        {"$ref": "urn:openapi#" + schema["$ref"][1:]} if "$ref" in schema else schema, registry=registry
    )


LIST = "Aqua, Glycerin, Retinol"


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/check", {"text": LIST, "day": 1, "treated_on": "2026-11-20", "today": "2026-11-24"}),
        ("/api/check", {"text": LIST, "day": None, "treated_on": "2026-11-20", "today": "2026-11-24"}),
        ("/api/extract", {"html": ""}),
        ("/api/extract", {"html": "", "selection": LIST}),
        ("/api/import", {"url": ""}),
    ],
    ids=["day-and-date", "null-day-and-date", "empty-html", "selection", "empty-url"],
)
def test_document_and_api_agree(client, spec, path, body):
    """A request the document declares valid is answered, and one it declares invalid is refused
    as bad (issue 16: day with treated_on, html "", url "" were refused though declared valid)."""
    valid = request_schema(spec, path).is_valid(body)
    assert client.post(path, json=body).status_code == (200 if valid else 400)


def test_the_document_and_the_api_agree_on_an_empty_photo(client, spec):
    form = request_schema(spec, "/api/photo", "multipart/form-data")
    assert not form.is_valid({"image": ""}) and form.is_valid({"image": "x", "day": "3650"})
    assert not form.is_valid({"image": "x", "day": "3651"})
    response = client.post(
        "/api/photo", data={"image": (io.BytesIO(b""), "label.jpg")}, content_type="multipart/form-data"
    )
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "missing_image"
