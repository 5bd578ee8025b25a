"""The app's log (web/logs.py): what it says at start-up and about slow requests."""

import itertools
import logging

import pytest

import web.logs
from app import create_app
from web.current import current_checker


def test_start_up_logs_the_data_versions_and_the_protocol(caplog):
    caplog.set_level(logging.INFO, logger="aftercheck")
    app = create_app({"TESTING": True, "SECRET_KEY": "test"})
    [record] = [r for r in caplog.records if r.name == "aftercheck"]
    message = record.getMessage()
    assert message.startswith('Aftercheck 0.1.0 started: protocol "Microneedling aftercare (L\'Amour Clinic sheet)"')
    with app.app_context():
        versions = current_checker().versions
    assert versions["protocol"] in message and versions["ingredients"] in message


def slow_requests(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "aftercheck" and r.getMessage().startswith("slow")]


def test_with_a_threshold_of_zero_every_request_is_logged_without_its_query(caplog):
    client = create_app({"TESTING": True, "SECRET_KEY": "test", "AFTERCHECK_SLOW_REQUEST_MS": 0}).test_client()
    client.get("/api/health?note=private")
    [message] = slow_requests(caplog)
    assert message.startswith("slow request: GET /api/health answered 200 in ") and "private" not in message


@pytest.mark.parametrize("seconds_per_tick, logged", [(1.5, True), (0.0, False)])
def test_a_request_slower_than_the_threshold_is_logged(monkeypatch, caplog, seconds_per_tick, logged):
    ticks = itertools.count()
    monkeypatch.setattr(web.logs, "clock", lambda: next(ticks) * seconds_per_tick)
    client = create_app({"TESTING": True, "SECRET_KEY": "test"}).test_client()  # threshold 1000 ms
    client.post("/api/check", json={"text": "Water, Retinol"})
    expected = ["slow request: POST /api/check answered 200 in 1500 ms"] if logged else []
    assert slow_requests(caplog) == expected


def test_an_unknown_log_level_stops_start_up():
    with pytest.raises(ValueError, match="AFTERCHECK_LOG_LEVEL"):
        create_app({"TESTING": True, "SECRET_KEY": "test", "AFTERCHECK_LOG_LEVEL": "LOUD"})
