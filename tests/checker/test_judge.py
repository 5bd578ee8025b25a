"""Flags, windows, product rules and the verdict (checker/judge.py)."""


class TestVerdict:
    def test_retinol_serum_is_avoid_until_day_7(self, checker, flags, label):
        report = checker.check(label("retinol_serum"), day=2)
        assert (report.verdict, report.safe_from_day) == ("avoid", 7)
        assert flags(report)["retinol (0.3%)"] == "avoid"

    def test_after_the_window_the_same_serum_is_neutral(self, checker, label):
        report = checker.check(label("retinol_serum"), day=7)
        assert report.verdict == "neutral" and report.safe_from_day == 7
        assert any(reason.startswith("No longer applies from day 7") for reason in report.reasons)

    def test_no_day_judges_the_whole_window(self, checker, label):
        assert checker.check(label("retinol_serum")).verdict == "avoid"

    def test_peptides_are_encouraged(self, checker, label):
        report = checker.check(label("bullets"), day=0)
        assert (report.verdict, report.safe_from_day) == ("encouraged", 0)

    def test_precedence_avoid_over_encouraged(self, checker):
        assert checker.check("Water, Palmitoyl Tripeptide-1, Glycolic Acid", day=1).verdict == "avoid"

    def test_nothing_recognised_is_honest(self, checker, label):
        report = checker.check(label("recipe"))
        assert not report.recognised and report.safe_from_day is None and report.verdict == "neutral"

    def test_argireline_is_not_a_collagen_peptide(self, checker):
        report = checker.check("Water, Glycerin, Acetyl Hexapeptide-8, Phenoxyethanol", day=1)
        assert report.verdict == "neutral"
        assert "not a collagen stimulator" in report.to_dict()["ingredients"][2]["note"]


class TestPositionRule:
    def test_citric_acid_after_the_preservative_adjusts_ph(self, checker):
        report = checker.check("Water, Glycerin, Squalane, Phenoxyethanol, Citric Acid", day=1)
        item = report.to_dict()["ingredients"][4]
        assert item["flag"] == "none" and item["classes"] == ["ph_adjuster"]

    def test_citric_acid_near_the_top_is_an_aha(self, checker, flags):
        assert flags(checker.check("Water, Citric Acid, Glycerin", day=1))["citric acid"] == "avoid"

    def test_glycolic_acid_stays_avoid_even_at_the_tail(self, checker, flags):
        text = "Water, Glycerin, Phenoxyethanol, Xanthan Gum, Glycolic Acid"
        assert flags(checker.check(text, day=1))["glycolic acid"] == "avoid"

    def test_past_position_ten_without_marker(self, checker, flags):
        head = ", ".join(
            [
                "Water",
                "Glycerin",
                "Squalane",
                "Dimethicone",
                "Cetearyl Alcohol",
                "Glyceryl Stearate",
                "Butylene Glycol",
                "Propanediol",
                "Shea Butter",
                "Jojoba Oil",
                "Allantoin",
            ]
        )
        assert flags(checker.check(head + ", Lactic Acid", day=1))["lactic acid"] == "none"


class TestProductRules:
    def test_drug_facts_sunscreen(self, checker, flags, label):
        report = checker.check(label("drug_facts_sunscreen"), day=0)
        assert (report.verdict, report.safe_from_day) == ("avoid", 2)
        assert flags(report)["avobenzone 3%"] == "avoid"
        assert checker.check(label("drug_facts_sunscreen"), day=2).verdict == "neutral"

    def test_spf_in_the_name_makes_a_sunscreen(self, checker):
        report = checker.check("Water, Glycerin, Squalane", day=1, name="Daily Moisturiser SPF 30")
        assert report.verdict == "avoid"
        assert report.to_dict()["product_rules"][0]["rule"] == "sunscreen"

    def test_shade_range_foundation_is_makeup(self, checker, label):
        rules = {p["rule"] for p in checker.check(label("foundation_shades"), day=1).to_dict()["product_rules"]}
        assert rules == {"makeup", "sunscreen"}

    def test_titanium_dioxide_alone_is_neither(self, checker):
        report = checker.check("Water, Glycerin, Squalane, Cetyl Alcohol, Titanium Dioxide, Phenoxyethanol", day=1)
        assert report.verdict == "neutral" and report.to_dict()["product_rules"] == []

    def test_one_colourant_is_not_makeup(self, checker):
        assert checker.check("Water, Cocamidopropyl Betaine, Glycerin, Red 33 (CI 17200)", day=0).verdict == "neutral"

    def test_fruit_acid_complex(self, checker):
        text = (
            "Water, Vaccinium Myrtillus Fruit Extract, Saccharum Officinarum Extract, Citrus Limon Fruit Extract, "
            "Citrus Aurantium Dulcis Fruit Extract, Acer Saccharum Extract, Glycerin"
        )
        report = checker.check(text, day=3)
        assert report.verdict == "avoid" and report.to_dict()["product_rules"][0]["rule"] == "fruit_acid_complex"
        assert checker.check("Water, Citrus Limon Fruit Extract, Glycerin", day=3).verdict == "neutral"


class TestAmbiguity:
    def test_close_rivals_flag_caution(self, checker):
        report = checker.check("Water, Maelic Acid, Glycerin", day=1)
        item = report.to_dict()["ingredients"][1]
        assert item["flag"] == "caution" and item["match"]["runner_up"] == "Maleic Acid"
        assert any("could be Maleic Acid" in r for r in report.reasons)

    def test_ocr_glycolic_is_still_caught(self, checker, label):
        report = checker.check(label("ocr_noise"), day=1)
        item = next(i for i in report.to_dict()["ingredients"] if i["text"] == "Glycolic Acld")
        assert item["flag"] == "avoid" and item["match"]["method"] == "fuzzy" and item["match"]["score"] < 100


def test_the_first_reason_explains_the_verdict(checker):
    """'Aqua, Parfum, Retinol': the fragrance caution comes first on the label, the avoid first in reasons."""
    report = checker.check("Aqua, Parfum, Retinol", day=1)
    assert report.reasons[0].startswith("Avoid") and report.summary == report.reasons[0]


def test_accented_names_match(checker):
    assert checker.check("Rétinol, Glycérine", day=1).verdict == "avoid"


def test_iron_oxide_alone_tints_a_clay_mask_it_is_not_makeup(checker):
    report = checker.check("Kaolin, Bentonite, Water, Glycerin, Phenoxyethanol, Iron Oxides", day=0)
    assert report.verdict == "neutral"
    report = checker.check("Water, Cyclopentasiloxane, Glycerin, Dimethicone, Titanium Dioxide, Iron Oxides", day=0)
    assert [p["rule"] for p in report.to_dict()["product_rules"]] == ["makeup"]


def test_citric_acid_in_a_short_list_is_a_ph_adjuster(checker, flags):
    """Citric acid is an exfoliant only among the first three; here it balances the pH."""
    text = "Sodium Coco-Sulfate, Cocamidopropyl Betaine, Glycerin, Aloe Barbadensis Leaf Juice, Citric Acid, Sodium Hydroxide"
    assert flags(checker.check(text, day=1))["citric acid"] == "none"


def test_gluconolactone_at_the_tail_is_a_preservative(checker, flags):
    text = (
        "Water, Glycerin, Squalane, Cetearyl Alcohol, Glyceryl Stearate, Xanthan Gum, Sodium Benzoate, Gluconolactone"
    )
    assert flags(checker.check(text, day=1))["gluconolactone"] == "none"
    assert flags(checker.check("Water, Gluconolactone, Glycerin", day=1))["gluconolactone"] == "avoid"


def test_a_blend_counts_as_one_entry_for_the_position_rule(checker, flags):
    """Sunday Riley's blend holds eight extracts; lactic acid is still the fourth entry: an exfoliant."""
    text = (
        "Botanical Blend [Aqua, Opuntia Tuna Fruit Extract, Cypripedium Pubescens Extract, Opuntia Vulgaris "
        "Leaf Extract, Agave Tequilana Leaf Extract, Arnica Montana Flower Extract, Aloe Barbadensis Leaf "
        "Extract, Saccharomyces Cerevisiae (Yeast) Extract], Caprylic/Capric Triglyceride, Squalane, Lactic Acid, "
        "Propanediol, Phenoxyethanol"
    )
    assert flags(checker.check(text, day=1))["lactic acid"] == "avoid"


class TestExfoliantByName:
    """Scrub grains (sugar, silica) are not actives by themselves: the product's name tells."""

    def test_a_scrub_by_name_is_avoided_for_the_week(self, checker):
        report = checker.check("Water, Sucrose, Glycerin, Silica", day=3, name="Sugar Face Polish Exfoliator")
        assert (report.verdict, report.safe_from_day) == ("avoid", 7)

    def test_the_name_before_the_heading_counts(self, checker):
        assert (
            checker.check("Gentle Exfoliating Scrub\nIngredients: Water, Sucrose, Glycerin", day=3).verdict == "avoid"
        )

    def test_peel_off_masks_and_extracts_are_not_peels(self, checker):
        for name in ("Peel-off Mask", "Pomegranate Peel Extract Toner"):
            assert checker.check("Water, Kaolin, Glycerin", day=3, name=name).verdict == "neutral"

    def test_marketing_copy_is_not_the_name(self, checker):
        text = "-Jojoba: Gently exfoliates and softens skin. Water, Glycerin, Squalane"
        assert checker.check(text, day=3).verdict == "neutral"
