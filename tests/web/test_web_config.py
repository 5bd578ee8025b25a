"""Settings come from the environment, with defaults, and each one is documented."""

import re
from pathlib import Path

import pytest

from app import create_app
from config import instance_secret_key, settings

ROOT = Path(__file__).resolve().parents[2]


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


def test_every_setting_is_documented_in_the_readme():
    """Each environment variable config.py reads has a row in README's settings table."""
    source = (ROOT / "config.py").read_text()
    names = set(re.findall(r'environ(?:\.get\(|, )"([A-Z][A-Z0-9_]+)"', source))
    readme = (ROOT / "README.md").read_text()
    undocumented = sorted(n for n in names if f"`{n}`" not in readme)
    assert "AFTERCHECK_PROTOCOL" in names
    assert not undocumented, f"add these to the settings table in README.md: {undocumented}"
