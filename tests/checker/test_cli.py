"""python -m checker check, as docs/checker.md shows it (checker/__main__.py)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LABEL = ROOT / "tests" / "fixtures" / "labels" / "retinol_serum.txt"


def run(*args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], input=stdin.encode(), cwd=ROOT, capture_output=True, timeout=60
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
