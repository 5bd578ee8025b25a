"""The clinic's rules live in a TOML file a clinic can edit (checker/protocol.py)."""

from pathlib import Path

import pytest

from checker import Checker, ProtocolError
from checker.engine import DATA_DIR

DEFAULT = (DATA_DIR / "protocols" / "clinic-sheet.toml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "protocol.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_clinic_can_change_a_window_without_code(tmp_path):
    """A stricter clinic keeps retinoids out for 14 days."""
    strict = DEFAULT.replace(
        '[classes.retinoid]\nflag = "avoid"\nuntil_day = 7', '[classes.retinoid]\nflag = "avoid"\nuntil_day = 14'
    )
    report = Checker(write(tmp_path, strict)).check("Water, Retinol", day=10)
    assert (report.verdict, report.safe_from_day) == ("avoid", 14)


def test_a_clinic_can_allow_sunscreen(tmp_path):
    relaxed = DEFAULT.replace('[products.sunscreen]\nflag = "avoid"', '[products.sunscreen]\nflag = "none"')
    relaxed = relaxed.replace('[classes.uv_filter]\nflag = "avoid"', '[classes.uv_filter]\nflag = "none"')
    assert Checker(write(tmp_path, relaxed)).check("Water, Avobenzone", day=0).verdict == "neutral"


def test_syntax_error_names_the_line(tmp_path):
    broken = DEFAULT.replace('[classes.bha]\nflag = "avoid"', "[classes.bha]\nflag = avoid")
    line = broken.splitlines().index("flag = avoid") + 1
    with pytest.raises(ProtocolError, match=f"line {line}"):
        Checker(write(tmp_path, broken))


def test_unknown_flag_names_the_line(tmp_path):
    broken = DEFAULT.replace('[classes.pha]\nflag = "avoid"', '[classes.pha]\nflag = "forbidden"')
    line = broken.splitlines().index("[classes.pha]") + 1
    with pytest.raises(ProtocolError, match=f"line {line}: \\[classes.pha\\] flag must be one of"):
        Checker(write(tmp_path, broken))


def test_negative_window_is_refused(tmp_path):
    broken = DEFAULT.replace(
        '[classes.aha]\nflag = "avoid"\nuntil_day = 7', '[classes.aha]\nflag = "avoid"\nuntil_day = -1'
    )
    with pytest.raises(ProtocolError, match="until_day"):
        Checker(write(tmp_path, broken))


def test_a_class_used_by_the_data_must_have_a_rule(tmp_path):
    start = DEFAULT.index("[classes.wax]")
    end = DEFAULT.index("[classes.preservative]")
    with pytest.raises(ProtocolError, match="wax"):
        Checker(write(tmp_path, DEFAULT[:start] + DEFAULT[end:]))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ProtocolError, match="cannot be read"):
        Checker(tmp_path / "nope.toml")


def test_timeline_comes_from_the_protocol(checker):
    titles = [step["title"] for step in checker.protocol.timeline]
    assert titles == ["First 12 hours", "24 to 48 hours", "Days 3 to 7", "After day 7"]


def test_fuzzy_matching_is_tuned_in_the_protocol(tmp_path, checker):
    """'Retinoll' is a close enough guess for the shipped protocol; a clinic that wants surer
    guesses raises the threshold, and the matcher follows."""
    assert checker.matcher.match("Retinoll").entry.inci == "Retinol"
    strict = DEFAULT.replace("\nthreshold = 88\n", "\nthreshold = 96\n")
    assert not Checker(write(tmp_path, strict)).matcher.match("Retinoll").recognised


def test_fuzzy_keys_a_clinic_copy_leaves_out_take_the_shipped_values(tmp_path, checker):
    start, end = DEFAULT.index("# ... unless its folded score"), DEFAULT.index("# --- Classes that the sheet")
    older = DEFAULT[:start] + DEFAULT[end:]  # only threshold and flag_threshold left
    assert "look_alike_score" not in older and "run_on_cover" not in older
    assert Checker(write(tmp_path, older)).protocol.fuzzy == checker.protocol.fuzzy


def test_an_unknown_fuzzy_key_names_the_line(tmp_path):
    typo = DEFAULT.replace("\nthreshold = 88\n", "\ntreshold = 88\n")
    line = typo.splitlines().index("[fuzzy]") + 1
    with pytest.raises(ProtocolError, match=f"line {line}: \\[fuzzy\\] unknown key\\(s\\) treshold"):
        Checker(write(tmp_path, typo))
