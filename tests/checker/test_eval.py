"""Every labelled case a clinician wrote (../shared/eval/cases.jsonl and cases2.jsonl) must agree.

cases2 gives each product's name and the retailer's category: both are passed to the checker, as a
product page or an inventory row would pass them.
"""

import json
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"
FILES = [EVAL / "cases.jsonl", EVAL / "cases2.jsonl"]
if not all(path.exists() for path in FILES):
    pytest.skip(f"labelled cases not found in {EVAL} (../shared is not beside the repo)", allow_module_level=True)
cases = [json.loads(line) for path in FILES for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def tokens(report, flag):
    return [i["text"].lower() for i in report["ingredients"] if i["flag"] == flag]


@pytest.mark.parametrize("case", cases, ids=[c["id"] for c in cases])
def test_case(checker, case):
    days = [e["day"] for e in case["expect"]]
    for expect in case["expect"]:
        report = checker.check(
            case["text"], day=expect["day"], name=case.get("name"), category=case.get("category")
        ).to_dict()
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
        if report["verdict"] != "neutral" and report["safe_from_day"]:
            # the banner and reasons[0] give the reason that sets safe_from_day
            assert (
                f"until day {report['safe_from_day']}" in report["reasons"][0]
                or expect["day"] >= report["safe_from_day"]
            )
