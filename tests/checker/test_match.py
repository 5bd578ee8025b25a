"""Token names are matched to known ingredients: exact, synonym, pattern, fuzzy (checker/match.py)."""

import pytest

from checker.lexicon import key, ocr_fold


def match(checker, name):
    m = checker.matcher.match(name)
    return m, checker.protocol.flag_of(m.entry.classes) if m.entry else None


class TestNormalisation:
    @pytest.mark.parametrize(
        "a, b",
        [
            ("PEG-100 Stearate", "Peg100  stearate"),
            ("Caprylic/Capric Triglyceride", "caprylic capric triglyceride"),
            ("CI 77891", "ci77891"),
            ("Peg- 100 Stearate", "PEG-100 Stearate"),
        ],
        ids=["spaces", "slash", "ci-digits", "hyphen-space"],
    )
    def test_same_key(self, a, b):
        assert key(a) == key(b)

    def test_ocr_fold_keeps_real_numbers(self):
        assert ocr_fold(key("Retlnol")) == ocr_fold(key("Retinol")) == ocr_fold(key("Retin0l"))
        assert ocr_fold(key("PEG-100")) != ocr_fold(key("PEG-ioo"))


class TestMethods:
    @pytest.mark.parametrize(
        "name, method, inci",
        [
            ("Retinol", "exact", "Retinol"),
            ("Avobenzone", "synonym", "Butyl Methoxydibenzoylmethane"),
            ("Aqua", "synonym", "Water"),
            ("Water (Aqua/Eau)", "synonym", "Water"),
            ("Glycine Soja (Soybean) Oil", "synonym", "Glycine Soja Oil"),
            ("Organic Retinol", "exact", "Retinol"),
            ("Parfum (Fragrance)", "synonym", "Fragrance"),
            ("Iron Oxides (CI 77491, CI 77492)", "exact", "Iron Oxides"),
        ],
        ids=["Retinol", "Avobenzone", "Aqua", "Water (Aqua)", "Glycine Soja", "Organic", "Parfum", "Iron Oxides"],
    )
    def test_known_names(self, checker, name, method, inci):
        m, _ = match(checker, name)
        assert (m.method, m.entry.inci) == (method, inci)

    @pytest.mark.parametrize(
        "name, family",
        [
            ("PEG-35 Almond Glycerides", "PEG"),
            ("Polysorbate 81", "polysorbate"),
            ("CI 17200", "CI colour index"),
            ("Red 33 Lake", "certified colour"),
            ("Opuntia Tuna Fruit (Prickly Pear) Extract", "botanical"),
            ("Lactobacillus/Pumpkin Ferment Extract", "ferment"),
            ("Ceramide NP-2", "ceramide"),
            ("Lactic Acid/Citric Acid Copolymer", "polymer"),
            ("Cymbopogon Flexuosus Leaf Oil", "aromatic genus oil"),
        ],
        ids=["PEG", "polysorbate", "CI", "certified", "botanical", "ferment", "ceramide", "polymer", "genus-oil"],
    )
    def test_family_patterns(self, checker, name, family):
        m, _ = match(checker, name)
        assert (m.method, m.matched_name) == ("pattern", family)

    @pytest.mark.parametrize(
        "typo, inci",
        [
            ("Glycolic Acld", "Glycolic Acid"),
            ("Retlnol", "Retinol"),
            ("Sodium Hydroxlde", "Sodium Hydroxide"),
            ("Xantahn Gum", "Xanthan Gum"),
            ("Cetearly Alcohol", "Cetearyl Alcohol"),
        ],
        ids=["Glycolic Acld", "Retlnol", "Sodium Hydroxlde", "Xantahn Gum", "Cetearly Alcohol"],
    )
    def test_fuzzy_reports_its_score(self, checker, typo, inci):
        m, _ = match(checker, typo)
        assert m.method == "fuzzy" and m.entry.inci == inci and 84 <= m.score < 100


class TestNearMisses:
    """Benign names that sit close to flagged ones must never be flagged by resemblance."""

    @pytest.mark.parametrize(
        "benign, flagged",
        [
            ("Lauric Acid", "Lactic Acid"),
            ("Sorbic Acid", "Ascorbic Acid"),
            ("Ascorbyl Palmitate", "Retinyl Palmitate"),
            ("Maleic Acid", "Malic Acid"),
            ("Silicic Acid", "Salicylic Acid"),
            ("Sodium Lactate", "Lactic Acid"),
            ("Potassium Gluconate", "Potassium Glycolate"),
            ("Acetic Acid", "Lactic Acid"),
            ("BHA", "Salicylic Acid"),
            ("Butylene Glycol", "Glycolic Acid"),
            ("Cetearyl Alcohol", "Alcohol Denat."),
            ("Ethyl Palmitate", "Retinyl Palmitate"),
            ("Acetyl Hexapeptide-8", "Palmitoyl Pentapeptide-4"),
            ("Coconut Acid", "Citric Acid"),
            ("Lactic Acid/Glycolic Acid Copolymer", "Glycolic Acid"),
        ],
        ids=lambda name: name.split()[0].split("/")[0],
    )
    def test_resemblance_does_not_flag(self, checker, benign, flagged):
        m, flag = match(checker, benign)
        assert m.recognised and m.entry.inci != flagged and flag == "none"

    @pytest.mark.parametrize(
        "name, own_class",
        [
            ("Benzyl Salicylate", "fragrance_allergen"),
            ("Ethylhexyl Salicylate", "uv_filter"),
            ("Homosalate", "uv_filter"),
            ("Methyl Anthranilate", "fragrance"),
        ],
        ids=["benzyl", "ethylhexyl", "homosalate", "anthranilate"],
    )
    def test_lookalikes_keep_their_class(self, checker, name, own_class):
        """A salicylate that is a UV filter or a scent is flagged as such, never as a BHA."""
        m, _ = match(checker, name)
        assert m.entry.classes == (own_class,)

    def test_numbers_must_agree(self, checker):
        """'Palmitoyl Tripeptide-9' is not Tripeptide-1 or -5: numbers are never fuzzed."""
        m, _ = match(checker, "Palmitoyl Tripeptide-9")
        assert m.method == "pattern" and m.matched_name == "other peptide"

    def test_close_rivals_with_different_flags_are_reported(self, checker):
        """'Maelic Acid' is one edit from malic acid (AHA) and two from maleic acid (pH adjuster)."""
        m, _ = match(checker, "Maelic Acid")
        assert (m.entry.inci, m.runner_up.inci) == ("Malic Acid", "Maleic Acid")

    def test_a_guess_needs_a_close_spelling_to_flag(self, checker):
        """Below the flag threshold a flagged candidate is not taken: 'Glycolate Acid' stays unknown."""
        assert not checker.matcher.match("Glycolate Acid").recognised

    def test_unknown_stays_unknown(self, checker):
        assert not checker.matcher.match("Fluffy Unicorn Essence Drops").recognised


class TestRunOnNames:
    """Labels (and OCR) lose commas: 'Squalane Rosa Canina Fruit Oil Tocopherol'."""

    def test_run_on_names_are_split_into_known_names(self, checker):
        assert checker.matcher.split_run_on("Squalane Rosa Canina Fruit Oil Oenothera Biennis Oil Tocopherol") == [
            "Squalane",
            "Rosa Canina Fruit Oil",
            "Oenothera Biennis Oil",
            "Tocopherol",
        ]

    def test_a_long_genuine_name_is_left_whole(self, checker):
        name = "Pseudozyma Epicola/Camellia Sinensis Seed Oil/Glucose/Glycine Soja (Soybean) Meal/Malt Extract/Yeast Extract Ferment Filtrate"
        report = checker.check(f"Water, {name}, Glycerin")
        assert [i.token.text for i in report.items] == ["Water", name, "Glycerin"]

    def test_the_report_checks_each_split_name(self, checker):
        report = checker.check(
            "Caprylic/Capric Triglyceride Dicaprylyl Carbonate Squalane Rosa Canina Fruit Oil Lavandula Angustifolia Oil",
            day=1,
        )
        names = [i["inci"] for i in report.to_dict()["ingredients"]]
        assert "Rosa Canina Fruit Oil" in names and "Lavandula Angustifolia Oil" in names
        assert report.verdict == "caution" and any("run-on" in n for n in report.notes)


def test_a_run_on_that_ends_like_a_botanical_is_split(checker):
    """Kiehl's 12.5% vitamin C concentrate lost its commas; ascorbic acid must still be found."""
    text = (
        "Propylene Glycol Dimethicone Glycerin Ascorbic Acid Ethylhexyl Palmitate Cyclohexasiloxane "
        "Phenoxyethanol Glycyrrhiza Glabra Root Extract"
    )
    report = checker.check(text, day=1)
    assert report.verdict == "avoid" and "Ascorbic Acid" in [i.entry.inci for i in report.items if i.entry]


@pytest.mark.parametrize(
    "printed, inci",
    [
        ("Alkohol", "Alcohol"),
        ("Aloe Barbadensis-Blattsaft", "Aloe Barbadensis Leaf Juice"),
        ("Simmondsia Chinensis Samenöl", "Simmondsia Chinensis Seed Oil"),
        ("Cocos Nucifera (Kokosnuss) Öl", "Cocos Nucifera Oil"),
        ("Rosmarinus Officinalis Blattextrakt", "Rosmarinus Officinalis Leaf Extract"),
    ],
    ids=["alkohol", "blattsaft", "samenoel", "oel", "blattextrakt"],
)
def test_german_shops_translated_name_parts_are_read(checker, printed, inci):
    """German shops translate the parts of INCI names; data/label_words.toml [name_parts.de] maps them back."""
    match = checker.matcher.match(printed)
    assert (match.matched_name, match.method) == (inci, "exact")


def test_a_translated_part_never_replaces_a_name_known_as_printed(checker):
    assert checker.matcher.match("Olive Oil").matched_name != "Olive Oil Oil"
    assert checker.check("Wasser, Glyzerin, Alkohol, Retinol", day=0).verdict == "avoid"


@pytest.mark.parametrize(
    "written, inci",
    [("Acide Glycolique", "Glycolic Acid"), ("Salicylsäure", "Salicylic Acid"), ("Ácido Láctico", "Lactic Acid")],
    ids=["fr", "de", "es"],
)
def test_the_acids_foreign_labels_name_are_known(checker, written, inci):
    found = checker.matcher.match(written)
    assert found.entry.inci == inci and found.method == "synonym"
