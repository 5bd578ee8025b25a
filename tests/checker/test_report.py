"""The JSON contract and the readable summary (checker/report.py)."""

import json

CONTRACT_KEYS = {"verdict", "day", "safe_from_day", "ingredients", "unrecognized", "reasons"}
ITEM_KEYS = {"text", "position", "inci", "classes", "flag", "until_day", "match", "note"}


def test_contract_shape(checker, label):
    data = checker.check(label("ocr_noise"), day=2).to_dict()
    assert CONTRACT_KEYS <= data.keys()
    assert data["day"] == 2 and data["verdict"] in {"avoid", "caution", "neutral", "encouraged"}
    for position, item in enumerate(data["ingredients"], 1):
        assert item.keys() == ITEM_KEYS and item["position"] == position
        assert item["flag"] in {"avoid", "caution", "encouraged", "none"}
        if item["match"] is not None:
            assert item["match"]["method"] in {"exact", "synonym", "pattern", "fuzzy"}
            assert 0 <= item["match"]["score"] <= 100
    json.dumps(data)  # serialisable as is


def test_unrecognised_tokens_are_listed(checker):
    data = checker.check("Water, Fluffy Unicorn Essence, Glycerin").to_dict()
    assert data["unrecognized"] == ["Fluffy Unicorn Essence"]
    assert data["ingredients"][1]["inci"] is None and data["ingredients"][1]["match"] is None


def test_report_names_its_data_and_protocol(checker):
    versions = checker.check("Water").to_dict()["protocol"]["versions"]
    assert set(versions) == {"code", "ingredients", "protocol"}


def test_text_summary_reads_verdict_first(checker, label):
    text = checker.check(label("retinol_serum"), day=1).to_text()
    lines = text.splitlines()
    assert lines[0].startswith("Verdict: AVOID") and "Safe to use from day 7." in lines[1]
    assert "Retinol (0.3%)" in text and "informs, it does not prescribe" in text


def test_expired_flag_explains_itself(checker):
    item = checker.check("Water, Retinol", day=9).to_dict()["ingredients"][1]
    assert item["flag"] == "none" and item["until_day"] == 7 and "fine on day 9" in item["note"]
