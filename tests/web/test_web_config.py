"""Settings come from the environment, with defaults, and each one is documented."""

import re
from pathlib import Path

import pytest

from app import create_app
from config import instance_secret_key, settings
from web.importer import DEFAULTS
from web.limits import LIMITED_ENDPOINTS

ROOT = Path(__file__).resolve().parents[2]
CODE = [
    ROOT / "config.py",
    ROOT / "app.py",
    *(p for d in ("checker", "sources", "web", "shelf") for p in (ROOT / d).rglob("*.py")),
]
SETTINGS_DOC = ROOT / "docs" / "web.md"


def test_defaults():
    config = settings({})
    assert config["MAX_CONTENT_LENGTH"] == 1_000_000 == config["MAX_FORM_MEMORY_SIZE"]
    assert config["AFTERCHECK_PROTOCOL"] is None and config["SECRET_KEY"] is None
    assert config["AFTERCHECK_CORS_ORIGINS"] == "*"


def test_environment_overrides():
    config = settings({"AFTERCHECK_MAX_BYTES": "2000", "SECRET_KEY": "s3cret", "AFTERCHECK_PICKER_DAYS": "21"})
    assert config["MAX_CONTENT_LENGTH"] == 2000 and config["SECRET_KEY"] == "s3cret"
    assert config["AFTERCHECK_PICKER_DAYS"] == 21


def test_without_secret_key_all_workers_share_one_from_the_instance_folder(tmp_path):
    first, second = instance_secret_key(tmp_path), instance_secret_key(tmp_path)
    assert first == second and len(first) == 64
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_a_bad_number_names_the_variable():
    with pytest.raises(ValueError, match="AFTERCHECK_MAX_BYTES"):
        settings({"AFTERCHECK_MAX_BYTES": "1MB"})


def test_the_byte_limit_applies_to_the_api(monkeypatch):
    monkeypatch.setenv("AFTERCHECK_MAX_BYTES", "100")
    client = create_app({"TESTING": True}).test_client()
    assert client.post("/api/check", json={"text": "Aqua, " * 30}).status_code == 413


def test_a_broken_protocol_file_stops_start_up(tmp_path):
    from checker import ProtocolError

    bad = tmp_path / "bad.toml"
    bad.write_text("[classes.retinoid]\nflag = 'maybe'\n")
    with pytest.raises(ProtocolError, match="bad.toml"):
        create_app({"AFTERCHECK_PROTOCOL": str(bad)})


def settings_read_by_the_code() -> set[str]:
    """Every environment variable the app's code reads by name, the page-import settings
    (web/importer.py) and the rate-limit settings (web/limits.py)."""
    read = re.compile(r'(?:environ(?:\.get\(|\[|, )|getenv\()\s*"([A-Z][A-Z0-9_]+)"')
    names = {name for path in CODE for name in read.findall(path.read_text(encoding="utf-8"))}
    return names | set(DEFAULTS) | set(LIMITED_ENDPOINTS.values())


def settings_table() -> set[str]:
    """The variables in the first column of the table under '## Settings' in docs/web.md."""
    text = SETTINGS_DOC.read_text(encoding="utf-8")
    table = re.search(r"^## Settings\n(.*?)(?=^## |\Z)", text, re.M | re.S).group(1)
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", table, re.M))


def test_every_setting_is_documented():
    """Each setting read anywhere in the app has a row in the one settings table (docs/web.md)."""
    names = settings_read_by_the_code()
    assert {"AFTERCHECK_PROTOCOL", "AFTERCHECK_MAX_PAGE_BYTES", "RATELIMIT_PHOTO"} <= names
    undocumented = sorted(names - settings_table())
    assert not undocumented, f"add these to the settings table in docs/web.md: {undocumented}"


def test_the_settings_table_names_only_real_settings():
    stale = sorted(settings_table() - settings_read_by_the_code())
    assert not stale, f"docs/web.md documents settings nothing reads: {stale}"
