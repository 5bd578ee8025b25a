"""Every labelled case a clinician wrote (../shared/eval/cases.jsonl) must agree."""

import json
from pathlib import Path

import pytest

CASES = Path(__file__).resolve().parents[3] / "shared" / "eval" / "cases.jsonl"
if not CASES.exists():
    pytest.skip(f"labelled cases not found at {CASES} (../shared is not beside the repo)", allow_module_level=True)
cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]


def tokens(report, flag):
    return [i["text"].lower() for i in report["ingredients"] if i["flag"] == flag]


@pytest.mark.parametrize("case", cases, ids=[c["id"] for c in cases])
def test_case(checker, case):
    days = [e["day"] for e in case["expect"]]
    for expect in case["expect"]:
        report = checker.check(case["text"], day=expect["day"]).to_dict()
        assert report["verdict"] in expect["verdict"], (expect["day"], report["reasons"])
        for word in case.get("not_avoid", []):
            assert not any(word in t for t in tokens(report, "avoid")), (word, expect["day"])
        if expect["day"] == days[0]:
            for word in case.get("avoid", []):
                assert any(word in t for t in tokens(report, "avoid")), word
        if expect["day"] == days[-1]:
            for word in case.get("encouraged", []):
                assert any(word in t for t in tokens(report, "encouraged")), word
        if "safe_from_day" in case:
            assert report["safe_from_day"] == case["safe_from_day"]
