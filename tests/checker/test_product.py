"""The product stage: what a label is (kit, Drug Facts panel, sunscreen, makeup, soap, acne
treatment) decides how its ingredients are judged. Each test is one kind of real label."""

import pytest


def avoided(report):
    return {i["text"] for i in report.to_dict()["ingredients"] if i["flag"] == "avoid"}


# --- Drug Facts panels -------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["drug_facts_dot_leaders", "drug_facts_two_columns"])
def test_drug_facts_sunscreen_avoided_48_h(checker, label, fixture):
    report = checker.check(label(fixture), day=0)
    assert report.verdict == "avoid" and report.safe_from_day == 2
    assert report.to_dict()["product"]["type"] == "sunscreen"
    assert "sunscreen: Drug Facts: Purpose Sunscreen" in report.to_dict()["product"]["evidence"]
    assert checker.check(label(fixture), day=2).verdict in ("neutral", "caution")


def test_each_drug_facts_active_is_its_own_ingredient(checker, label):
    report = checker.check(label("drug_facts_dot_leaders"), day=0)
    texts = [i["text"] for i in report.to_dict()["ingredients"]]
    assert texts[:4] == ["Avobenzone 3%", "Homosalate 10%", "Octisalate 5%", "Octocrylene 7%"]
    assert {"Avobenzone 3%", "Octocrylene 7%"} <= avoided(report)
    assert "Water" in texts and not report.unrecognized


def test_a_panel_without_colons_gives_an_otc_acne_active(checker, label):
    """'Active ingredient Salicylic Acid 0.5% Purpose Acne treatment': the active is judged as an
    active although 0.5% is below the 1% line."""
    report = checker.check(label("drug_facts_no_colons"), day=3)
    assert report.verdict == "avoid" and report.safe_from_day == 7
    assert "Salicylic Acid 0.5%" in avoided(report)
    assert report.to_dict()["product"]["type"] == "acne"


# --- kits --------------------------------------------------------------------------------------


def test_a_kit_judges_each_product_on_its_own_list(checker, label):
    report = checker.check(label("kit_three_products"), day=3)
    product = report.to_dict()["product"]
    assert product["type"] == "kit"
    assert [p["name"] for p in product["parts"]] == ["Jelly Cleanser", "Day Serum", "Night Cream"]
    assert [p["verdict"] for p in product["parts"]] == ["neutral", "avoid", "encouraged"]
    # the serum's ascorbic acid is its 3rd ingredient, not the kit's 9th
    assert report.verdict == "avoid" and "Ascorbic Acid" in avoided(report)
    assert "Day Serum" in report.reasons[0]


# --- makeup or not -----------------------------------------------------------------------------


def test_a_rich_cream_with_trailing_colourants_is_not_makeup(checker, label):
    report = checker.check(label("rich_cream_trailing_colourants"), day=0, name="Rich Creme")
    assert report.verdict == "caution"  # the fragrance, not makeup
    assert not avoided(report)


def test_a_tinted_moisturiser_is_makeup_by_its_pigments(checker, label):
    report = checker.check(label("tinted_moisturiser"), day=0)
    assert report.verdict == "avoid" and report.safe_from_day == 2
    assert any("Iron Oxides" in text for text in avoided(report))


def test_a_foundation_with_a_shade_list_is_makeup(checker, label):
    report = checker.check(label("foundation_shades"), day=0, name="Skin Foundation")
    assert report.verdict == "avoid"
    assert "makeup" in report.to_dict()["product"]["types"]


def test_a_coloured_soap_is_not_makeup(checker, label):
    report = checker.check(label("bar_soap"), day=0, name="Oatmeal Bar Soap")
    assert report.verdict == "neutral"
    assert report.to_dict()["product"]["leave_on"] is False


def test_contour_des_yeux_is_the_eye_area_not_contour_makeup(checker):
    report = checker.check("Aqua, Glycerin, Caffeine, Sodium Hyaluronate", day=0, name="Crème contour des yeux")
    assert report.verdict == "neutral"
    assert report.to_dict()["product"]["type"] == "eye_area"


# --- sunscreen or not --------------------------------------------------------------------------


def test_no_spf_in_the_name_is_not_a_sunscreen(checker):
    report = checker.check("Water, Glycerin, Ceramide NP, Niacinamide", day=0, name="AM Facial Lotion No SPF")
    assert report.verdict == "neutral" and "sunscreen" not in report.to_dict()["product"]["types"]


def test_a_sunscreen_named_so_is_avoided_even_without_filters_in_the_list(checker):
    report = checker.check("Water, Dimethicone, Glycerin", day=0, name="Unseen Sunscreen SPF 40")
    assert report.verdict == "avoid"
    assert "'Sunscreen' in the product name" in report.reasons[0]


def test_the_category_alone_can_say_sunscreen(checker):
    report = checker.check("Water, Dimethicone, Glycerin", day=0, name="Daily Fluid", category="Sun protect")
    assert report.verdict == "avoid" and "category: Sun protect" in report.reasons[0]


def test_uv_filters_low_in_a_serum_are_light_stabilisers(checker):
    text = "Water, Glycerin, Niacinamide, Phenoxyethanol, Benzophenone-3, Octocrylene, Ethylhexyl Methoxycinnamate"
    assert checker.check(text, day=0, name="Glow Serum").verdict == "neutral"


# --- acids: position is evidence, not the rule ---------------------------------------------------


def test_an_acne_serum_with_its_stated_active_last_is_avoided(checker, label):
    report = checker.check(label("acne_serum_active_last"), day=3, name="Clear Skin Serum")
    assert report.verdict == "avoid"
    assert "0.5% Encapsulated Salicylic Acid" in avoided(report)


def test_stated_strength_counts_without_the_active(checker, label):
    report = checker.check(label("toner_without_active"), day=3, name="2% Salicylic Acid Toner")
    assert report.verdict == "avoid" and report.safe_from_day == 7
    assert "'2% Salicylic Acid' in the product name" in report.reasons[0]


def test_exfoliants_before_preservatives_are_actives(checker, label):
    """Salicylic acid, lactic acid and willow bark at entries 11-13, before the first preservative:
    there is no fixed '10th entry' cut-off. Citric acid at the end stays a pH adjuster."""
    report = checker.check(label("purifying_cleanser"), day=3, name="Purifying Cleanser")
    flags = {i["text"]: i["flag"] for i in report.to_dict()["ingredients"]}
    assert report.verdict == "avoid"
    assert flags["Salicylic Acid"] == flags["Lactic Acid"] == flags["Salix Alba (Willow) Bark Extract"] == "avoid"
    assert flags["Citric Acid"] == "none"


def test_a_product_sold_for_acne_makes_a_low_acid_an_active(checker):
    text = "Water, Glycerin, Niacinamide, Phenoxyethanol, Ethylhexylglycerin, Salicylic Acid"
    assert checker.check(text, day=3, name="Daily Moisturiser").verdict == "caution"  # a preservative level
    report = checker.check(text, day=3, name="Daily Moisturiser", category="treatments / blemish & acne treatments")
    assert report.verdict == "avoid"


def test_rinse_off_softens_a_trace_acid_but_not_an_active(checker):
    text = "Water, Sodium Laureth Sulfate, Glycerin, Phenoxyethanol, Salicylic Acid"
    report = checker.check(text, day=3, name="Gentle Face Wash")
    assert report.verdict == "neutral" and report.to_dict()["product"]["leave_on"] is False
    assert checker.check(text, day=2, name="Gentle Face Wash").verdict == "caution"
    assert checker.check("Water, Salicylic Acid, Glycerin, Phenoxyethanol", day=3, name="Face Wash").verdict == "avoid"


# --- the deciding reason -----------------------------------------------------------------------


def test_the_banner_gives_the_reason_that_sets_safe_from_day(checker):
    text = "Cyclopentasiloxane, Water, Titanium Dioxide, Iron Oxides, Retinol, Phenoxyethanol"
    report = checker.check(text, day=0, name="Skin Foundation")
    assert report.safe_from_day == 7
    assert report.reasons[0].startswith("Avoid until day 7") and report.summary == report.reasons[0]
