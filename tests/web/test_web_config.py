"""Settings come from the environment, with defaults, and each one is documented."""

import re
from pathlib import Path

import pytest

from app import create_app
from config import SETTINGS, instance_secret_key, settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_DOC = ROOT / "docs" / "web.md"


def test_defaults():
    config = settings({})
    assert config["MAX_CONTENT_LENGTH"] == 250_000 == config["MAX_FORM_MEMORY_SIZE"]
    assert config["AFTERCHECK_PROTOCOL"] is None and config["SECRET_KEY"] is None
    assert config["AFTERCHECK_CORS_ORIGINS"] == "*"
    assert (config["AFTERCHECK_MAX_PAGE_BYTES"], config["AFTERCHECK_EXTRACT_BUDGET_S"]) == (3_000_000, 1.0)
    assert config["AFTERCHECK_IMPORT_ALLOW_PRIVATE"] is False and config["RATELIMIT_ENABLED"] is True
    assert config["AFTERCHECK_SLOW_REQUEST_MS"] == 1000 and config["AFTERCHECK_LOG_LEVEL"] == "INFO"


def test_environment_overrides():
    config = settings({"AFTERCHECK_MAX_BYTES": "2000", "SECRET_KEY": "s3cret", "AFTERCHECK_PICKER_DAYS": "21"})
    assert config["MAX_CONTENT_LENGTH"] == 2000 and config["SECRET_KEY"] == "s3cret"
    assert config["AFTERCHECK_PICKER_DAYS"] == 21


def test_page_import_settings_come_from_the_same_table():
    config = settings(
        {"AFTERCHECK_IMPORT_ALLOW_PRIVATE": "yes", "AFTERCHECK_EXTRACT_BUDGET_S": "0.5", "RATELIMIT_ENABLED": "off"}
    )
    assert config["AFTERCHECK_IMPORT_ALLOW_PRIVATE"] is True and config["AFTERCHECK_EXTRACT_BUDGET_S"] == 0.5
    assert config["RATELIMIT_ENABLED"] is False


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


# Reading the environment: os.environ.get("X"), os.environ["X"], os.getenv("X").
ENVIRONMENT_READ = re.compile(r'(?:environ\.get\(|environ\[|getenv\()\s*"([A-Z][A-Z0-9_]+)"')
APP_CODE = ["app.py", "config.py", "checker", "sources", "shelf", "web"]


def app_sources() -> dict[str, str]:
    files = []
    for part in APP_CODE:
        path = ROOT / part
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in files}


def environment_reads() -> dict[str, set[str]]:
    """File -> the environment variables it reads."""
    reads = {name: set(ENVIRONMENT_READ.findall(text)) for name, text in app_sources().items()}
    return {name: found for name, found in reads.items() if found}


def test_only_the_settings_table_and_the_command_line_read_the_environment():
    """Web code reads the app config (config.SETTINGS fills it); the checker library uses the paths
    it is given; only `python -m checker` falls back to AFTERCHECK_PROTOCOL."""
    assert environment_reads() == {"checker/__main__.py": {"AFTERCHECK_PROTOCOL"}}
    readers = [name for name, text in app_sources().items() if re.search(r"os\.environ\b(?!\.setdefault)|getenv", text)]
    assert sorted(readers) == ["checker/__main__.py", "config.py"]


def settings_read_by_the_code() -> set[str]:
    """Every setting in config.SETTINGS and every environment variable read anywhere."""
    return {setting.name for setting in SETTINGS} | set().union(*environment_reads().values())


def settings_table() -> set[str]:
    """The variables in the first column of the table under '## Settings' in docs/web.md."""
    text = SETTINGS_DOC.read_text(encoding="utf-8")
    table = re.search(r"^## Settings\n(.*?)(?=^## |\Z)", text, re.M | re.S).group(1)
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", table, re.M))


def test_every_setting_is_documented():
    """Each setting read anywhere in the app has a row in the one settings table (docs/web.md)."""
    names = settings_read_by_the_code()
    assert {"AFTERCHECK_PROTOCOL", "DATABASE_URL", "AFTERCHECK_MAX_PAGE_BYTES", "RATELIMIT_PHOTO"} <= names
    undocumented = sorted(names - settings_table())
    assert not undocumented, f"add these to the settings table in docs/web.md: {undocumented}"


def test_the_settings_table_names_only_real_settings():
    stale = sorted(settings_table() - settings_read_by_the_code())
    assert not stale, f"docs/web.md documents settings nothing reads: {stale}"
