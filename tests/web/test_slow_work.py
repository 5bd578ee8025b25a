"""Slow work (issue 16, F5): URL imports and photos hold at most AFTERCHECK_SLOW_WORK_SLOTS threads of a
worker; a check is answered while every slot waits on a slow site, and one more import gets 503 at once.

The slow site is a fake fetch that blocks until the test lets it go: no clock, no sleeping."""

from __future__ import annotations

import runpy
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

import web.importer
from app import create_app
from sources.fetch import FetchedPage, FetchError
from web.slow_work import RETRY_AFTER_S, SLOW_ENDPOINTS

ROOT = Path(__file__).resolve().parents[2]
PAGE = "<h1>Night Serum</h1><h2>Ingredients</h2><p>Aqua, Glycerin, Retinol</p>"


class SlowSite:
    """A fetch that blocks until `release()`: `wait_for(n)` returns once n fetches are waiting."""

    def __init__(self):
        self.waiting = threading.Semaphore(0)
        self.go = threading.Event()

    def __call__(self, url, policy):
        self.waiting.release()
        assert self.go.wait(timeout=60), "the test never released the slow site"
        return FetchedPage(url, PAGE)

    def wait_for(self, count: int) -> None:
        for _ in range(count):
            assert self.waiting.acquire(timeout=60), "an import never reached the fetch"

    def release(self) -> None:
        self.go.set()


@pytest.fixture
def slow_site(monkeypatch):
    site = SlowSite()
    monkeypatch.setattr(web.importer, "fetch", site)
    yield site
    site.release()  # never leave a thread blocked, whatever the test asserted


@pytest.fixture
def two_slot_app():
    return create_app({"TESTING": True, "SECRET_KEY": "t", "AFTERCHECK_SLOW_WORK_SLOTS": 2})


def import_in_background(app, answers: list) -> threading.Thread:
    def run():
        answers.append(app.test_client().post("/api/import", json={"url": "https://shop.example/p"}).status_code)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def hold_every_slot(app, slow_site, answers: list) -> list[threading.Thread]:
    threads = [import_in_background(app, answers) for _ in range(2)]
    slow_site.wait_for(2)
    return threads


def test_a_check_is_answered_while_every_slot_waits_on_a_slow_site(two_slot_app, slow_site):
    answers: list[int] = []
    holders = hold_every_slot(two_slot_app, slow_site, answers)
    client = two_slot_app.test_client()

    check = client.post("/api/check", json={"text": "Aqua, Glycerin, Retinol", "day": 3})
    assert check.status_code == 200 and check.get_json()["verdict"]
    assert client.post("/", data={"text": "Aqua, Glycerin", "day": "3"}, follow_redirects=True).status_code == 200

    slow_site.release()
    for thread in holders:
        thread.join(timeout=60)
    assert answers == [200, 200]


def test_one_more_import_or_photo_is_told_to_come_back(two_slot_app, slow_site):
    holders = hold_every_slot(two_slot_app, slow_site, [])
    client = two_slot_app.test_client()

    extra = client.post("/api/import", json={"url": "https://shop.example/other"})
    assert extra.status_code == 503
    assert extra.get_json()["error"]["code"] == "busy"
    assert "paste the ingredient list" in extra.get_json()["error"]["message"]
    # (the rate limiter may name a later moment: the end of the client's rate-limit window)
    assert int(extra.headers["Retry-After"]) >= RETRY_AFTER_S
    # photos draw on the same slots; people get a page, not JSON
    assert client.post("/api/photo", data={"image": (b"not read", "label.png")}).status_code == 503
    page = client.post("/import", data={"url": "https://shop.example/other"})
    assert page.status_code == 503 and page.mimetype == "text/html" and b"Busy for a moment" in page.data

    slow_site.release()
    for thread in holders:
        thread.join(timeout=60)
    assert client.post("/api/import", json={"url": "https://shop.example/other"}).status_code == 200


def test_a_failed_import_gives_its_slot_back(monkeypatch):
    def refused(url, policy):
        raise FetchError("http_error", "The site answered 403.")

    monkeypatch.setattr(web.importer, "fetch", refused)
    client = create_app({"TESTING": True, "SECRET_KEY": "t", "AFTERCHECK_SLOW_WORK_SLOTS": 1}).test_client()
    statuses = [client.post("/api/import", json={"url": "https://shop.example/p"}).status_code for _ in range(3)]
    assert statuses == [502, 502, 502]


def test_every_slow_endpoint_exists(app):
    """A renamed view must not silently leave the slots."""
    assert [endpoint for endpoint in SLOW_ENDPOINTS if endpoint not in app.view_functions] == []


def test_no_slots_stops_start_up():
    with pytest.raises(ValueError, match="AFTERCHECK_SLOW_WORK_SLOTS"):
        create_app({"TESTING": True, "SECRET_KEY": "t", "AFTERCHECK_SLOW_WORK_SLOTS": 0})


class TestGunicornConfig:
    """gunicorn.conf.py, which the README's gunicorn command reads from the repository root."""

    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    def server(self, **options):
        cfg = Config()
        for name in ("worker_class", "threads"):
            cfg.set(name, options.get(name, self.conf[name]))
        return SimpleNamespace(cfg=cfg, log=SimpleNamespace(error=lambda message: None))

    def test_threaded_workers_with_threads_to_spare(self):
        self.conf["on_starting"](self.server())  # the file's own values pass its own check
        assert self.conf["worker_class"] == "gthread" and self.conf["threads"] > 2

    @pytest.mark.parametrize("options", [{"threads": 2}, {"worker_class": "sync", "threads": 1}], ids=["2", "sync"])
    def test_refused_without_spare_threads(self, options):
        with pytest.raises(SystemExit, match="AFTERCHECK_SLOW_WORK_SLOTS=2"):
            self.conf["on_starting"](self.server(**options))
