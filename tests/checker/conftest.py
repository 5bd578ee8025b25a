from pathlib import Path

import pytest

LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "labels"


@pytest.fixture
def label():
    """Read a label fixture by name: label('retinol_serum')."""
    return lambda name: (LABELS / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture
def flags():
    """Token text (lower case) -> flag, for short assertions: flags(report)['retinol']."""
    return lambda report: {item["text"].lower(): item["flag"] for item in report.to_dict()["ingredients"]}
