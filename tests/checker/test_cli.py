"""python -m checker check, as docs/checker.md shows it (checker/__main__.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from checker import Checker

ROOT = Path(__file__).resolve().parents[2]
LABEL = ROOT / "tests" / "fixtures" / "labels" / "retinol_serum.txt"


def run(*args, stdin="", env=None):
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        input=stdin.encode(),
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_json_report_from_a_file():
    result = run("check", "--json", "--day", "2", str(LABEL))
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["verdict"] == "avoid" and report["safe_from_day"] == 7


def test_summary_from_stdin():
    result = run("check", "--day", "1", "-", stdin="Water, Glycerin, Palmitoyl Tripeptide-1")
    assert result.returncode == 0 and result.stdout.decode().startswith("Verdict: ENCOURAGED")


def test_latin1_file_is_read(tmp_path):
    path = tmp_path / "label.txt"
    path.write_bytes("Crème: Water, Glycérine, Retinol".encode("cp1252"))
    assert json.loads(run("check", "--json", str(path)).stdout)["verdict"] == "avoid"


def test_empty_input_is_a_clear_error():
    result = run("check", stdin="   ")
    assert result.returncode == 2 and b"empty" in result.stderr


def test_missing_file_is_a_clear_error():
    result = run("check", "no-such-label.txt")
    assert result.returncode == 2 and b"cannot read" in result.stderr


def test_the_protocol_comes_from_the_option_then_the_environment(tmp_path):
    strict = (ROOT / "data" / "protocols" / "clinic-sheet.toml").read_text(encoding="utf-8")
    strict = strict.replace(
        '[classes.retinoid]\nflag = "avoid"\nuntil_day = 7', '[classes.retinoid]\nflag = "avoid"\nuntil_day = 14'
    )
    path = tmp_path / "strict.toml"
    path.write_text(strict, encoding="utf-8")
    by_environment = run("check", "--json", str(LABEL), env={"AFTERCHECK_PROTOCOL": str(path)})
    assert json.loads(by_environment.stdout)["safe_from_day"] == 14
    by_option = run(
        "check",
        "--json",
        "--protocol",
        str(ROOT / "data" / "protocols" / "clinic-sheet.toml"),
        str(LABEL),
        env={"AFTERCHECK_PROTOCOL": str(path)},
    )
    assert json.loads(by_option.stdout)["safe_from_day"] == 7


def test_the_help_names_the_protocols_treatment():
    assert "the microneedling aftercare protocol" in run("--help").stdout.decode()


def test_the_library_reads_no_environment(monkeypatch):
    """Only the command line reads AFTERCHECK_PROTOCOL; a Checker uses what it is given."""
    monkeypatch.setenv("AFTERCHECK_PROTOCOL", "/no/such/protocol.toml")
    assert Checker().protocol.treatment == "microneedling"


def test_the_category_is_evidence_of_the_product_type():
    result = run(
        "check",
        "--json",
        "--day",
        "0",
        "--name",
        "Gentle Face Fluid",
        "--category",
        "Sun protect",
        "-",
        stdin="Water, Glycerin, Dimethicone",
    )
    report = json.loads(result.stdout)
    assert report["verdict"] == "avoid" and report["product"]["type"] == "sunscreen"
