"""Property tests: parse and check never raise on arbitrary text (hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import InputError

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


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(alphabet=label_alphabet, max_size=400), label_like))
def test_check_never_raises_anything_but_input_error(checker, text):
    try:
        report = checker.check(text, day=1)
    except InputError:
        return
    data = report.to_dict()
    assert data["verdict"] in {"avoid", "caution", "neutral", "encouraged"}
    assert [i["position"] for i in data["ingredients"]] == list(range(1, len(data["ingredients"]) + 1))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_binary_junk_decoded_any_way_is_safe(checker, raw):
    try:
        checker.check(raw.decode("latin-1"))
    except InputError:
        pass
