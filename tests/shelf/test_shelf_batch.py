"""shelf.batch: one verdict per row, never a dropped row."""

from __future__ import annotations

from shelf_helpers import csv_bytes, fixture

from shelf.batch import UNCHECKED, judge_inventory, judge_label
from shelf.inventory import read_inventory


class TestJudgeInventory:
    def test_every_row_gets_a_verdict_or_a_reason(self):
        """The clinic fixture: 9 products, counts add up, unchecked rows say why."""
        batch = judge_inventory(read_inventory(fixture("clinic.csv")))
        assert batch.summary == {"avoid": 3, "caution": 1, "encouraged": 1, "neutral": 2, "unchecked": 2}
        assert sum(batch.summary.values()) == len(batch.rows) == 9
        reasons = {row.name: row.result.reason for row in batch.rows if row.verdict == UNCHECKED}
        assert reasons == {
            "Gift Card": "no ingredient list in this row",
            "Mystery Oil": "no ingredient in this row is known ('Xyzzyl Frobnate', 'Quuxoleate'): "
            "check that the ingredients column holds the INCI list",
        }

    def test_a_sentence_instead_of_a_list_is_quoted(self):
        """Scraped shops put marketing text in the ingredients cell: the reason quotes it for staff."""
        verdict = judge_label("Visit the OLEHENRIKSEN boutique")
        assert verdict.verdict == UNCHECKED
        assert verdict.reason == "no ingredient list in this row: 'Visit the OLEHENRIKSEN boutique'"

    def test_a_caution_knows_its_last_day(self):
        """Fragrance is a caution until day 3, salicylic acid at preservative level until day 7: the later wins."""
        assert judge_label("Water, Glycerin, Niacinamide, Parfum").caution_until_day == 3
        assert judge_label("Water, Parfum, Salicylic Acid").caution_until_day == 7
        assert judge_label("Water, Glycerin").caution_until_day is None

    def test_verdict_details(self):
        """Flagged ingredients carry their window; safe_from_day comes from the avoid window."""
        batch = judge_inventory(read_inventory(fixture("clinic.csv")))
        serum = next(row for row in batch.rows if row.name == "Night Renewal Serum")
        assert serum.verdict == "avoid" and serum.result.safe_from_day == 7
        assert serum.result.flagged == ("Retinol (avoid until day 7)",)
        assert "retinoid" in serum.result.classes

    def test_product_name_reaches_the_product_rules(self):
        """'SPF 30' in the name is read by the checker's product rules."""
        batch = judge_inventory(read_inventory(fixture("clinic.csv")))
        spf = next(row for row in batch.rows if row.name.startswith("Mineral Shield"))
        assert spf.verdict == "avoid" and spf.result.safe_from_day == 2

    def test_the_category_column_reaches_the_checker(self):
        """An inventory's category is evidence of the type: 'Sun protect' makes a plain fluid a sunscreen."""
        raw = csv_bytes(["name,category,ingredients", 'Daily Fluid,Sun protect,"Water, Glycerin, Dimethicone"'])
        row = judge_inventory(read_inventory(raw)).rows[0]
        assert row.category == "Sun protect" and row.verdict == "avoid" and row.result.safe_from_day == 2

    def test_a_kit_is_one_line_naming_its_decider(self):
        kit = (
            "Jelly Cleanser: Water, Sodium Lauroyl Methyl Isethionate, Cocamidopropyl Betaine, Glycerin, Phenoxyethanol. "
            "Day Serum: Water, Ethoxydiglycol, Ascorbic Acid, Glycerin, Sodium Hyaluronate, Phenoxyethanol."
        )
        result = judge_label(kit, "Glow Kit")
        assert result.verdict == "avoid" and result.safe_from_day == 7
        assert result.flagged[0] == "kit of 2, decided by Day Serum (avoid until day 7)"

    def test_too_long_label_is_unchecked_not_an_error(self):
        """The checker's InputError becomes the row's reason."""
        assert judge_label("Water, " * 200_000).reason.startswith("the label is too long")

    def test_progress_reports_every_row(self):
        raw = csv_bytes(["name,ingredients"] + [f'p{i},"Water, Glycerin"' for i in range(450)])
        done = []
        judge_inventory(read_inventory(raw), progress=done.append)
        assert sum(done) == 450

    def test_versions_are_recorded(self):
        from checker import get_checker

        assert judge_inventory(read_inventory(fixture("clinic.csv"))).versions == get_checker().versions

    def test_bad_barcode_is_a_note(self):
        """A barcode Excel turned into 4.00638E+12 is checked but the row says what went wrong."""
        batch = judge_inventory(read_inventory(csv_bytes(["name,ean,ingredients", 'a,4.00638E+12,"Water, Glycerin"'])))
        assert "scientific notation" in batch.rows[0].note
