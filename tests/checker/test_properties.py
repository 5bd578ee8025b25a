"""Property tests: parse and check never raise on arbitrary text (hypothesis)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import InputError

pytestmark = pytest.mark.slow  # hypothesis: hundreds of examples

VERDICTS = {"avoid", "caution", "neutral", "encouraged"}
label_alphabet = st.characters(blacklist_categories=("Cs",))
label_like = st.lists(
    st.sampled_from(
        [
            "Water",
            "Glycerin",
            "Retinol",
            "(0.5%)",
            "Glycolic Acld",
            ",",
            ", ",
            ";",
            "\n",
            "•",
            "*",
            "/",
            "May contain",
            "[+/-]",
            "CI 77491",
            "Ingredients:",
            "Drug Facts",
            "Active ingredients:",
            "formulated without:",
            "1,2-",
            "Ã¨",
            "SPF 30",
            "<br>",
            "Palmitoyl Tripeptide-1",
            "&",
            " and ",
            ":",
            ".",
            "(",
            ")",
            "\u202e",
            "\x00",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300)
@given(st.one_of(st.text(alphabet=label_alphabet, max_size=400), label_like))
def test_check_never_raises_anything_but_input_error(checker, text):
    try:
        report = checker.check(text, day=1)
    except InputError:
        return
    data = report.to_dict()
    assert data["verdict"] in VERDICTS
    assert [i["position"] for i in data["ingredients"]] == list(range(1, len(data["ingredients"]) + 1))


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_binary_junk_decoded_any_way_is_safe(checker, raw):
    """Bytes read as Latin-1, as UTF-8 and as Windows-1252: a report or a readable refusal."""
    for text in (raw.decode("latin-1"), raw.decode("utf-8", "replace"), raw.decode("cp1252", "replace")):
        try:
            report = checker.check(text)
        except InputError as error:
            assert str(error)
        else:
            assert report.verdict in VERDICTS
