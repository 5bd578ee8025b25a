"""shelf.inventory: formats, encodings, header detection and the bad files staff upload."""

from __future__ import annotations

import pytest
from shelf_helpers import csv_bytes, fixture, xlsx

from shelf.inventory import (
    Columns,
    InventoryError,
    decode,
    detect_columns,
    header_score,
    normalise_barcode,
    normalise_ingredients,
    read_inventory,
)


class TestFormatsAndEncodings:
    @pytest.mark.parametrize(
        "name, encoding, file_format",
        [
            ("accents_utf8_bom.csv", "utf-8-sig", "csv"),
            ("accents_cp1252_semicolon.csv", "cp1252", "semicolon"),
            ("accents_utf8.tsv", "utf-8", "tsv"),
        ],
        ids=["utf8-bom", "cp1252-semicolon", "utf8-tab"],
    )
    def test_same_shelf(self, name, encoding, file_format):
        """UTF-8 with BOM, cp1252 with semicolons and UTF-8 TSV all read to the same two products."""
        inventory = read_inventory(fixture(name), name)
        assert (inventory.encoding, inventory.file_format) == (encoding, file_format)
        assert inventory.frame["Produktname"].tolist() == ["Crème Réparatrice", "Sérum Peptide"]
        assert inventory.columns.as_dict() == {
            "name": "Produktname",
            "brand": "Marque",
            "barcode": "EAN",
            "ingredients": "INCI",
            "category": "Typ",
        }
        assert inventory.frame["INCI"][0] == "Aqua, Glycerin, Retinol, Phénoxyéthanol"

    def test_utf16_with_bom(self):
        """Excel's 'Unicode text' export is UTF-16 TSV with a BOM."""
        raw = "name\tingredients\nCrème\tWater, Glycerin, Retinol\n".encode("utf-16")
        inventory = read_inventory(raw, "x.txt")
        assert inventory.frame["name"].tolist() == ["Crème"]

    def test_cp1252_when_utf8_fails(self):
        """Bytes that are not UTF-8 are read as cp1252, as Windows Excel writes them."""
        assert decode("Crème".encode("cp1252")) == ("Crème", "cp1252")

    def test_xlsx(self):
        """An XLSX workbook reads like a CSV; numeric barcodes come back without '.0'."""
        raw = xlsx([["Product", "Brand", "EAN", "Ingredients"], ["Serum", "Lumen", 4006381333931, "Water, Retinol"]])
        inventory = read_inventory(raw, "stock.xlsx")
        assert inventory.file_format == "xlsx"
        assert inventory.frame.iloc[0].tolist() == ["Serum", "Lumen", "4006381333931", "Water, Retinol"]


class TestHeaderDetection:
    @pytest.mark.parametrize(
        "header, field",
        [
            ("Product Name", "name"),
            ("product", "name"),
            ("NAME", "name"),
            ("Brand", "brand"),
            ("EAN", "barcode"),
            ("UPC", "barcode"),
            ("GTIN", "barcode"),
            ("SKU", "barcode"),
            ("Bar-code", "barcode"),
            ("Ingredients", "ingredients"),
            ("INCI", "ingredients"),
            ("Composition", "ingredients"),
            ("Ingrédients", "ingredients"),
            ("category", "category"),
            ("Type", "category"),
        ],
        ids=[
            "Product Name",
            "product",
            "NAME",
            "Brand",
            "EAN",
            "UPC",
            "GTIN",
            "SKU",
            "Bar-code",
            "Ingredients",
            "INCI",
            "Composition",
            "Ingrédients",
            "category",
            "Type",
        ],
    )
    def test_known_spelling(self, header, field):
        """Each known spelling is an exact match for its field."""
        assert header_score(header, field) == 2

    def test_fragment_is_a_guess(self):
        """'clean_ingreds' is probably the ingredient column, but only probably."""
        assert header_score("clean_ingreds", "ingredients") == 1

    def test_clear_headers_are_sure(self):
        """name/brand/barcode/ingredients headers need no confirmation."""
        inventory = read_inventory(fixture("clinic.csv"), "clinic.csv")
        assert inventory.sure
        assert inventory.columns == Columns("name", "brand", "barcode", "ingredients", "category")

    def test_header_below_a_title_unsure_mapping(self):
        """A title block above the header is skipped; 'Full INCI text' is a guess, so staff confirm."""
        inventory = read_inventory(fixture("titled_unsure.csv"), "t.csv")
        assert inventory.headers == ["Item description", "Maker", "Full INCI text"]
        assert inventory.columns.ingredients == "Full INCI text"
        assert inventory.columns.name == "Item description" and inventory.columns.brand == "Maker"
        assert not inventory.sure
        assert len(inventory) == 2

    def test_ingredient_column_guessed_from_cells(self):
        """With no telling header, the column full of comma lists is proposed (unsure)."""
        raw = csv_bytes(
            [
                "a,b",
                'Serum,"Water, Glycerin, Retinol, Phenoxyethanol"',
                'Cream,"Water, Glycerin, Dimethicone, Cetyl Alcohol"',
            ]
        )
        inventory = read_inventory(raw)
        assert inventory.columns.ingredients == "b" and not inventory.sure

    def test_two_columns_for_one_field_is_unsure(self):
        """'name' and 'product' both look like the name: ask."""
        columns, sure = detect_columns(read_inventory(csv_bytes(["name,product,ingredients", "a,b,Water"])).frame)
        assert not sure

    def test_explicit_mapping_overrides_detection(self):
        """The mapping form's choice wins and counts as sure."""
        inventory = read_inventory(
            fixture("titled_unsure.csv"), columns={"name": "Maker", "ingredients": "Full INCI text"}
        )
        assert inventory.sure and inventory.columns.name == "Maker"

    def test_mapping_a_missing_column_is_refused(self):
        with pytest.raises(InventoryError, match="Unknown field or column"):
            read_inventory(fixture("clinic.csv"), columns={"ingredients": "INCI"})

    def test_repeated_and_blank_headers_unique(self):
        inventory = read_inventory(csv_bytes(["name,name,,ingredients", "a,b,c,Water"]))
        assert inventory.headers == ["name", "name (2)", "column 3", "ingredients"]


class TestBadFiles:
    def test_no_ingredient_column(self):
        """A price list has no ingredients: the error names the columns it did find."""
        inventory = read_inventory(fixture("no_ingredients.csv"))
        assert inventory.columns.ingredients is None
        with pytest.raises(InventoryError, match="No ingredient column.*name, brand, price"):
            inventory.require_ingredients()

    @pytest.mark.parametrize(
        "raw, message",
        [
            (b"", "empty"),
            (b"   \n\n", "empty"),
            (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old Excel"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a spreadsheet"),
            (b"PK\x03\x04garbage that is not a zip", "damaged"),
            (b"name,ingredients\n", "no product rows"),
        ],
        ids=["empty", "blank", "pdf", "old-excel", "png", "bad-zip", "header-only"],
    )
    def test_not_a_spreadsheet(self, raw, message):
        """Each unreadable upload gets a sentence saying what is wrong."""
        with pytest.raises(InventoryError, match=message):
            read_inventory(raw, "upload.csv")

    def test_ragged_csv(self):
        """A row with more cells than the header is reported, not silently shifted."""
        with pytest.raises(InventoryError, match="could not be read"):
            read_inventory(csv_bytes(["name,ingredients", "a,Water", "b,Water,extra,cells,here"]))

    def test_empty_rows_are_skipped_and_counted(self):
        inventory = read_inventory(fixture("clinic.csv"))
        assert len(inventory) == 9
        assert "Skipped 1 empty row(s)." in inventory.notes
        assert inventory.source_rows[7] == 10  # Mystery Oil sits on spreadsheet row 10

    def test_too_many_rows(self):
        """A 200,000-row file over the limit is refused before any checking starts."""
        raw = csv_bytes(["name,ingredients"] + [f"p{i},Water" for i in range(200_000)])
        with pytest.raises(InventoryError, match="more than 50,000 products"):
            read_inventory(raw, max_rows=50_000)

    def test_200000_rows_under_the_limit_read_quickly(self):
        """The CLI limit lets a 200,000-row file through; reading it is not the slow part."""
        raw = csv_bytes(["name,barcode,ingredients"] + [f"p{i},{i},Water" for i in range(200_000)])
        assert len(read_inventory(raw)) == 200_000

    def test_formulas_in_xlsx_are_never_evaluated(self):
        """A formula cell gives its saved value (none here), and staff are told formulas were present."""
        raw = xlsx(
            [["name", "ingredients"], ["Serum", "Water, Retinol"], ["Trap", "x"]],
            formulas={"B3": '=HYPERLINK("http://evil.example","Water")', "A2": "=1+1"},
        )
        inventory = read_inventory(raw, "f.xlsx")
        assert inventory.frame["ingredients"].tolist() == ["Water, Retinol", ""]
        assert inventory.frame["name"].tolist() == ["", "Trap"]
        assert any("2 cell(s) hold formulas" in note for note in inventory.notes)


class TestCells:
    def test_python_list_literal_becomes_a_list(self):
        """lookfantastic stores "['water', 'glycerin']"; the checker gets 'water, glycerin'."""
        assert normalise_ingredients("['water', 'glycerin']") == "water, glycerin"
        assert normalise_ingredients("[see pack]") == "[see pack]"

    def test_list_literal_column_from_file(self):
        inventory = read_inventory(fixture("scraped_list_literal.csv"))
        assert inventory.frame["clean_ingreds"][0] == "squalane, retinol, tocopherol"

    @pytest.mark.parametrize(
        "typed, stored",
        [
            ("0012345678905", "12345678905"),
            ("012345678905", "12345678905"),
            ("4006381333931.0", "4006381333931"),
            ("4006 3813 3393 1", "4006381333931"),
            ("ab-12", "AB12"),
        ],
        ids=["ean-zeros", "upc-zero", "float", "spaces", "letters"],
    )
    def test_barcode_normalisation(self, typed, stored):
        """UPC-A and its EAN-13 form (leading 0) are the same product; spaces do not matter."""
        assert normalise_barcode(typed) == stored
