"""schemathesis against /api/openapi.json, in process (WSGI, no network): no 5xx, every response
documented and matching its schema, and requests that break the schema refused.

Over 1,000 generated requests per run (positive and negative cases; the last test counts them).
Not run: positive_data_acceptance, because a schema-valid label or page that holds no ingredient
list is rightly refused with 422 (no_ingredients / no_ingredient_list), which the schema cannot say.
/api/import fetches nothing here: the real URL guard (`check_url`) runs with a fake resolver, and a
URL it allows gets a saved fixture page instead of a network fetch.
"""

from __future__ import annotations

import ipaddress
import socket
import types
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

import web.importer
from app import create_app
from sources import fetch as fetch_module
from sources.fetch import FetchedPage, check_url

pytestmark = pytest.mark.slow  # over 1,000 generated requests

PAGE = (Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "jsonld_product.html").read_text(encoding="utf-8")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
SENT: dict[str, int] = {}


def _fake_getaddrinfo(host, port, *args, **kwargs):
    """IP literals resolve to themselves (so the guard refuses 127.0.0.1), names to a public address."""
    try:
        address = str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        if not host or len(host) > 253:
            raise socket.gaierror("no such host") from None
        address = "93.184.215.14"
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]


def _offline_fetch(url, policy):
    check_url(url, policy)
    return FetchedPage(url, PAGE)


fake_socket = types.SimpleNamespace(
    getaddrinfo=_fake_getaddrinfo, gaierror=socket.gaierror, SOCK_STREAM=socket.SOCK_STREAM
)


@pytest.fixture(scope="module", autouse=True)
def offline():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fetch_module, "socket", fake_socket)
        patch.setattr(web.importer, "fetch", _offline_fetch)
        yield


app = create_app({"TESTING": True, "SECRET_KEY": "schemathesis", "RATELIMIT_ENABLED": False})
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def _conformance(max_examples: int, **where):
    """A schemathesis test over the operations `where` selects, with that many examples each."""

    @schema.include(**where).parametrize()
    @settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def test(case):
        label = case.operation.label
        SENT[label] = SENT.get(label, 0) + 1
        case.call_and_validate(checks=CHECKS)

    return test


test_check_conforms = _conformance(500, path="/api/check")
test_extract_conforms = _conformance(500, path="/api/extract")
test_import_conforms = _conformance(250, path="/api/import")
test_read_only_endpoints_conform = _conformance(30, method="GET")


def test_more_than_a_thousand_requests_were_generated():
    """Runs last in this module; skipped when only some of the tests above were selected."""
    if len(SENT) < 6:
        pytest.skip(f"needs every operation above to have run (ran: {sorted(SENT)})")
    print(f"schemathesis sent {sum(SENT.values())} requests: {SENT}")
    assert sum(SENT.values()) >= 1000, SENT
