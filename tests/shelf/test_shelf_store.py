"""shelf.store: the stored shelf, its upserts, migrations, re-judging and lookups."""

from __future__ import annotations

import json

import pytest
from shelf_helpers import csv_bytes, fixture
from sqlalchemy import create_engine, event, inspect, text

from checker import get_checker
from shelf.batch import judge_inventory
from shelf.inventory import read_inventory
from shelf.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Meta,
    Product,
    StoreError,
    database_exists,
    forget_shelves,
    migrate,
    open_shelf,
    schema_version,
)


def load(raw: bytes):
    inventory = read_inventory(raw)
    return judge_inventory(inventory), inventory


@pytest.fixture
def url(database_url):
    """SQLite and PostgreSQL alike (tests/conftest.py)."""
    yield database_url
    forget_shelves()


@pytest.fixture
def shelf(url):
    shelf = open_shelf(url)
    shelf.replace(*load(fixture("clinic.csv")), source="clinic.csv")
    return shelf


class TestImport:
    def test_first_import_adds_everything(self, url):
        report = open_shelf(url).replace(*load(fixture("clinic.csv")))
        assert len(report.added) == 9 and not report.changed and not report.removed

    def test_reimport_reports_added_changed_removed(self, shelf):
        """By barcode, else name + brand: one changed, one removed, one added, the rest unchanged."""
        text = fixture("clinic.csv").decode()
        text = text.replace('"Aqua, Glycolic Acid, Glycerin"', '"Aqua, Lactic Acid, Glycerin"')  # changed
        text = text.replace("Mystery Oil,Nobrand,", "Calm Mist,Calma,")  # renamed: -1 +1
        report = shelf.replace(*load(text.encode()))
        assert report.changed == ["Glow Peel Pads"]
        assert report.removed == ["Mystery Oil"] and report.added == ["Calm Mist"]
        assert report.unchanged == 7
        assert shelf.count() == 9

    def test_leading_zeros_make_one_product(self, shelf):
        text = fixture("clinic.csv").decode().replace("0012345678905", "12345678905")
        report = shelf.replace(*load(text.encode()))
        assert report.added == [] and report.changed == ["Night Renewal Serum"]  # barcode text changed

    def test_duplicate_barcodes_change_nothing(self, shelf):
        """All or nothing: the refused import leaves yesterday's shelf exactly as it was."""
        before = [(p.key, p.verdict) for p in shelf.iter_all()]
        with pytest.raises(StoreError, match="barcode 0012345678905 \\(rows 2, 3\\)"):
            shelf.replace(*load(fixture("duplicate_barcodes.csv")))
        assert [(p.key, p.verdict) for p in shelf.iter_all()] == before

    def test_identical_duplicates_are_merged(self, url):
        raw = csv_bytes(["name,barcode,ingredients", 'A,1,"Water, Glycerin"', 'A copy,1,"Water, Glycerin"'])
        report = open_shelf(url).replace(*load(raw))
        assert report.merged == 1 and len(report.added) == 1

    def test_same_name_other_ingredients_kept_apart(self, url):
        raw = csv_bytes(["name,brand,ingredients", 'A,X,"Water, Retinol"', 'A,X,"Water, Glycerin"'])
        shelf = open_shelf(url)
        report = shelf.replace(*load(raw))
        assert len(report.added) == 2 and "appears 2 times" in report.notes[-1]

    def test_import_if_empty_only_into_an_empty_shelf(self, url, shelf):
        assert shelf.import_if_empty(*load(csv_bytes(["name,ingredients", "Cream,Water"]))) is None
        assert shelf.count() == 9

    def test_merge_keeps_the_rest(self, shelf):
        """A delivery file with other columns: its rows first, the rest after, cells under the right headers."""
        report = shelf.merge(*load(csv_bytes(["ean,name,ingredients,size", 'x1,Calm Mist,"Water, Glycerin",50 ml'])))
        assert report.added == ["Calm Mist"] and not report.removed and shelf.count() == 10
        assert shelf.meta("headers") == ["ean", "name", "ingredients", "size", "brand", "barcode", "category"]
        first, second = list(shelf.iter_all())[:2]
        assert first.cells == ["x1", "Calm Mist", "Water, Glycerin", "50 ml"]
        assert second.name == "Night Renewal Serum" and second.cells[4:] == ["Lumen", "0012345678905", "serum"]

    def test_staged_upload_waits_for_apply(self, shelf):
        preview = shelf.stage(*load(csv_bytes(["name,ingredients", "Cream,Water"])), user="ana")
        assert (len(preview.added), len(preview.removed), shelf.count()) == (1, 9, 9)
        with pytest.raises(StoreError, match="expired"):
            shelf.apply(preview.token, "replace", user="ben")
        assert shelf.apply(preview.token, "replace", user="ana").removed and shelf.count() == 1
        with pytest.raises(StoreError, match="expired"):  # once only
            shelf.apply(preview.token, "replace", user="ana")

    def test_failure_midway_rolls_back(self, shelf, monkeypatch):
        """An error after the deletes ran still leaves the stored shelf untouched."""
        before = shelf.summary()
        import shelf.store as store

        monkeypatch.setattr(store, "_set_meta", lambda *a: (_ for _ in ()).throw(RuntimeError("disk full")))
        text = fixture("clinic.csv").decode().split("\n")
        with pytest.raises(RuntimeError):
            shelf.replace(*load("\n".join(text[:3]).encode()))
        assert shelf.summary() == before and shelf.count() == 9


class TestRestartAndRejudge:
    def test_shelf_survives_a_restart(self, shelf, url):
        forget_shelves()
        again = open_shelf(url)
        assert again is not shelf and again.count() == 9
        assert again.summary() == {"avoid": 3, "caution": 1, "encouraged": 1, "neutral": 2, "unchecked": 2}

    def test_stale_verdicts_are_recomputed(self, shelf):
        """Verdicts judged with an older protocol are re-judged, and the shelf records it."""
        with shelf.engine.begin() as connection:
            connection.execute(
                Product.__table__.update().values(
                    judged_with=json.dumps({"code": "0.0.1", "ingredients": "old", "protocol": "2020-01-01"}),
                    verdict="neutral",
                )
            )
        assert shelf.stale_versions(get_checker())
        done = shelf.rejudge(get_checker())
        assert done.count == 9
        assert "ingredient data" in done.message and "aftercare protocol" in done.message
        assert shelf.summary()["avoid"] == 3
        assert shelf.last_recompute().count == 9
        assert shelf.rejudge(get_checker()) is None  # nothing stale any more

    def test_a_second_rejudge_is_a_no_op(self, shelf, monkeypatch):
        """Workers start together: the one that waited for the lock finds nothing left to do."""
        monkeypatch.setattr(shelf, "stale_versions", lambda checker: [{"protocol": "seen before the lock"}])
        assert shelf.rejudge(get_checker()) is None and shelf.last_recompute() is None

    def test_import_clears_the_notice(self, shelf):
        with shelf.engine.begin() as connection:
            connection.execute(Product.__table__.update().values(judged_with="{}"))
        shelf.rejudge(get_checker())
        shelf.replace(*load(fixture("clinic.csv")))
        assert shelf.last_recompute() is None


@pytest.fixture
def engine(url):
    """An engine of its own, disposed after the test (no connection left for the garbage collector)."""
    engine = create_engine(url)
    yield engine
    engine.dispose()


class TestMigrations:
    def test_new_database_gets_the_current_schema(self, url, engine):
        open_shelf(url)
        with engine.connect() as connection:
            assert schema_version(connection) == SCHEMA_VERSION

    def test_newer_database_is_refused(self, engine):
        migrate(engine)
        with engine.begin() as connection:
            connection.execute(Meta.__table__.update().where(Meta.key == "schema_version").values(value="99"))
        with pytest.raises(StoreError, match="schema version 99"):
            migrate(engine)

    def test_migrate_is_idempotent(self, engine):
        assert migrate(engine) == 0 and migrate(engine) == SCHEMA_VERSION

    def test_version_1_gains_staff_sessions(self, engine):
        """Version 2 adds staff_sessions (server-side logins) and keeps the stored products."""
        with engine.begin() as connection:
            MIGRATIONS[0](connection)
            connection.execute(Meta.__table__.insert().values(key="schema_version", value="1"))
            connection.execute(
                Product.__table__.insert().values(
                    key="n:old", position=0, source_row=2, fingerprint="f", verdict="ok", judged_with="{}"
                )
            )
            assert not inspect(connection).has_table("staff_sessions")
        assert migrate(engine) == 1
        with engine.connect() as connection:
            assert inspect(connection).has_table("staff_sessions") and schema_version(connection) == SCHEMA_VERSION
            assert connection.execute(Product.__table__.select()).first().key == "n:old"

    def test_version_2_gains_pending_uploads(self, engine, url):
        """Version 3 adds pending_uploads and two product columns, keeps the products, and marks
        their verdicts for re-judging (the caution's last day is filled in at the next start)."""
        with engine.begin() as connection:
            MIGRATIONS[0](connection)
            MIGRATIONS[1](connection)
            for column in ("caution_until_day", "updated_in"):  # the model has them; a version 2 file did not
                connection.execute(text(f"ALTER TABLE products DROP COLUMN {column}"))
            connection.execute(Meta.__table__.insert().values(key="schema_version", value="2"))
            connection.execute(
                text(
                    "INSERT INTO products (key, position, source_row, name, brand, barcode, barcode_norm, category,"
                    " ingredients, search, original, fingerprint, verdict, flagged, classes, unrecognised, reason,"
                    " note, judged_with) VALUES ('n:toner', 0, 2, 'Toner', '', '', '', '', 'Water, Parfum', 'toner',"
                    " '[]', 'f', 'caution', '[]', '||', 0, '', '', '{}')"
                )
            )
        assert migrate(engine) == 2
        with engine.connect() as connection:
            assert inspect(connection).has_table("pending_uploads") and schema_version(connection) == SCHEMA_VERSION
        shelf = open_shelf(url)
        assert shelf.rejudge(get_checker()).before == [{"schema": 2}]
        [toner] = shelf.products()[0]
        assert (toner.verdict, toner.caution_until_day, toner.updated_in) == ("caution", 3, 0)


class TestColumnLimits:
    """Values PostgreSQL refuses (NUL characters, text longer than its column) are made to fit or
    refused with a message, on SQLite and PostgreSQL alike (issue 16, F13)."""

    def test_a_nul_after_64_kb_is_dropped(self, url):
        filler = [f'Filler {i},Brand,{4000000000000 + i},"Water, Glycerin"' for i in range(1500)]
        raw = csv_bytes(["name,brand,barcode,ingredients", *filler, 'Late\x00 Cream,Calma,,"Water, Gly\x00cerin"'])
        assert raw.index(b"\x00") > 65536
        shelf = open_shelf(url)
        shelf.replace(*load(raw))
        assert [(p.name, p.ingredients) for p in shelf.lookup("late cream")] == [("Late Cream", "Water, Glycerin")]

    def test_a_700_character_name_is_kept_whole(self, url):
        name = "Very Long Name " * 47  # 705 characters; the key column holds 600
        shelf = open_shelf(url)
        shelf.replace(*load(csv_bytes(["name,brand,ingredients", f'{name},Calma,"Water, Glycerin"'])))
        assert [p.name for p in shelf.lookup("very long name")] == [name.strip()]
        report = shelf.replace(*load(csv_bytes(["name,brand,ingredients", f'{name},Calma,"Water, Glycerin"'])))
        assert report.unchanged == 1 and not report.added

    def test_a_long_barcode_is_refused(self, url):
        shelf = open_shelf(url)
        with pytest.raises(StoreError, match=r"longer than 64 characters \(rows 2\)"):
            shelf.replace(*load(csv_bytes(["name,barcode,ingredients", f'Cream,{"4" * 80},"Water, Glycerin"'])))
        assert shelf.count() == 0

    @pytest.mark.parametrize("query, names", [("\x00", []), ("\x00\x00 peel", ["Glow Peel Pads"])], ids=["nul", "nul2"])
    def test_nul_lookup_ignored(self, shelf, query, names):
        assert [p.name for p in shelf.lookup(query)] == names

    def test_filters_with_nul_and_huge_id(self, shelf):
        rows, total = shelf.products(brand="Lumen\x00", klass="retinoid\x00")
        assert total == 1 and rows[0].name == "Night Renewal Serum"
        assert shelf.get(10**20) is None


class TestReading:
    def test_filter_sort_page(self, shelf):
        rows, total = shelf.products(verdict="avoid", sort="name")
        assert total == 3 and [r.name for r in rows] == sorted(r.name for r in rows)
        rows, total = shelf.products(brand="Calma")
        assert {r.name for r in rows} == {"Basic Barrier Cream", "Mineral Shield SPF 30"}
        rows, total = shelf.products(klass="retinoid")
        assert [r.name for r in rows] == ["Night Renewal Serum"]
        rows, total = shelf.products(sort="verdict", limit=2)
        assert total == 9 and [r.verdict for r in rows] == ["avoid", "avoid"]

    def test_sort_is_whitelisted(self, shelf):
        rows, _ = shelf.products(sort="id; DROP TABLE products")
        assert len(rows) == 9

    def test_facets(self, shelf):
        facets = shelf.facets()
        assert "Lumen" in facets["brands"] and "retinoid" in facets["classes"]

    @pytest.mark.parametrize(
        "query, names",
        [
            ("0012345678905", ["Night Renewal Serum"]),
            ("12345678905", ["Night Renewal Serum"]),  # the scanner sent the UPC-A form
            ("peel", ["Glow Peel Pads"]),
            ("calma", ["Basic Barrier Cream", "Mineral Shield SPF 30"]),
            ("lumen serum", ["Night Renewal Serum", "Peptide Repair Serum"]),
            ("100%_", []),
            ("", []),
        ],
    )
    def test_lookup(self, shelf, query, names):
        assert [p.name for p in shelf.lookup(query)] == names

    def test_lookup_uses_the_barcode_index_and_a_limit(self, url):
        """What keeps a lookup quick on a big shelf, without timing it: a barcode is found in one
        query through the barcode index, and a name search returns at most 20 of the products that
        match (111 here)."""
        raw = csv_bytes(
            ["name,brand,barcode,ingredients"]
            + [f'Product {i},Brand {i % 50},{4000000000000 + i},"Water, Glycerin"' for i in range(300)]
        )
        shelf = open_shelf(url)
        shelf.replace(*load(raw))
        queries = []

        def record(connection, cursor, statement, parameters, context, executemany):
            queries.append((statement, parameters))

        event.listen(shelf.engine, "before_cursor_execute", record)
        try:
            assert [p.name for p in shelf.lookup("4000000000299")] == ["Product 299"]
        finally:
            event.remove(shelf.engine, "before_cursor_execute", record)
        assert len(queries) == 1
        assert ["barcode_norm"] in [index["column_names"] for index in inspect(shelf.engine).get_indexes("products")]
        if shelf.engine.dialect.name == "sqlite":
            with shelf.engine.connect() as connection:
                plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + queries[0][0], queries[0][1]).all()
            assert "USING INDEX" in str(plan), plan
        assert len(shelf.lookup("product 1")) == 20


def test_a_sqlite_file_exists_only_once_created(tmp_path):
    url = f"sqlite:///{tmp_path / 'shelf.sqlite'}"
    assert not database_exists(url) and not database_exists("sqlite://")
    open_shelf(url)
    assert database_exists(url) and database_exists("postgresql+psycopg://db.internal/aftercheck")
    forget_shelves()
