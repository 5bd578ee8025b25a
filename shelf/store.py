"""The stored shelf: products and their verdicts in SQL (SQLite file by default), via SQLAlchemy.

In:  a database URL; Batches to import (from batch.judge_inventory); queries from the web pages.
Out: a Shelf with `replace(batch, inventory)` -> ImportReport (added / changed / removed) and
     `merge(batch, inventory)` (adds and updates, removes nothing); for the web's ask-first upload,
     `stage(batch, inventory)` -> Preview (what would be added, changed and removed; the judged
     rows wait server-side in `pending_uploads` under a random token) and `apply(token, mode)`;
     `rejudge(checker)` (re-computes verdicts judged with other data or protocol and records that
     it did; the web app runs it at start-up, so pages only read), `stale_versions(checker)`,
     `products(...)` (filter, sort, page), `lookup(query)` and `summary()`.

Schema migrations: the `meta` table holds `schema_version`. `open_shelf` runs every step in
MIGRATIONS above the stored version, in order, inside one transaction (SQLite DDL is
transactional), so a failed upgrade leaves the old schema. A database newer than the code is
refused rather than guessed at. To change the schema: add a function `_migrate_to_N(connection)`,
append it to MIGRATIONS, and add a test that upgrades a version N-1 file.

Imports are all-or-nothing: the whole diff (deletes, updates, inserts, meta) is one transaction.
Imports and migrations also run one at a time across processes and servers (`_one_at_a_time`:
a PostgreSQL advisory lock; on SQLite the database's write lock, taken before anything is read),
so two uploads at once end with one complete shelf and two start-ups migrate once.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    and_,
    bindparam,
    case,
    create_engine,
    delete,
    event,
    false,
    func,
    insert,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from checker import Checker, get_checker
from checker.verdicts import VERDICTS

from .batch import Batch, Verdict, judge_label
from .inventory import Inventory, normalise_barcode

SCHEMA_VERSION = 3
MODES = ("replace", "merge")  # an import removes what the file lacks, or keeps it
SORTS = {"position", "name", "brand", "verdict", "safe_from_day", "category"}


class StoreError(RuntimeError):
    """The database cannot be used as it is (newer schema, duplicate barcodes in an import)."""


class Base(DeclarativeBase):
    pass


class Meta(Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(600), unique=True)  # b:<barcode> or n:<name>|<brand>
    position: Mapped[int] = mapped_column(Integer)  # order in the last upload
    source_row: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text, default="")
    brand: Mapped[str] = mapped_column(Text, default="")
    barcode: Mapped[str] = mapped_column(Text, default="")
    barcode_norm: Mapped[str] = mapped_column(String(64), default="", index=True)
    category: Mapped[str] = mapped_column(Text, default="")
    ingredients: Mapped[str] = mapped_column(Text, default="")
    search: Mapped[str] = mapped_column(Text, default="")  # lower-case name + brand
    original: Mapped[str] = mapped_column(Text, default="[]")  # JSON list: the row's cells
    fingerprint: Mapped[str] = mapped_column(String(40))  # what 'changed' compares
    verdict: Mapped[str] = mapped_column(String(16), index=True)
    safe_from_day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    flagged: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    classes: Mapped[str] = mapped_column(Text, default="|")  # '|retinoid|aha|' for LIKE
    unrecognised: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    judged_with: Mapped[str] = mapped_column(Text)  # JSON of checker versions
    caution_until_day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    updated_in: Mapped[int] = mapped_column(Integer, default=0)  # the import that added or last changed it

    __table_args__ = (Index("ix_products_brand", "brand"),)

    @property
    def result(self) -> Verdict:
        return Verdict(
            self.verdict,
            self.safe_from_day,
            tuple(json.loads(self.flagged)),
            tuple(c for c in self.classes.split("|") if c),
            self.unrecognised,
            self.reason,
            self.caution_until_day,
        )

    @property
    def cells(self) -> list[str]:
        return json.loads(self.original)


class StaffSession(Base):
    """A staff login (web/sessions.py): the cookie holds a random token, this row says if it still counts."""

    __tablename__ = "staff_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie's token
    user: Mapped[str] = mapped_column(String(100))
    credential: Mapped[str] = mapped_column(String(64))  # digest of the password hash it logged in with
    created: Mapped[int] = mapped_column(Integer)  # Unix seconds
    last_seen: Mapped[int] = mapped_column(Integer)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class PendingUpload(Base):
    """A judged upload waiting for staff to confirm it (Shelf.stage / Shelf.apply)."""

    __tablename__ = "pending_uploads"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the form's random token
    user: Mapped[str] = mapped_column(String(100))
    created: Mapped[int] = mapped_column(Integer)  # Unix seconds
    payload: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed JSON: records, report, headers


def _migrate_to_1(connection: Connection) -> None:
    """Version 1: the meta and products tables."""
    Base.metadata.create_all(connection, tables=[Meta.__table__, Product.__table__])


def _migrate_to_2(connection: Connection) -> None:
    """Version 2: server-side staff sessions, so that a logout ends a session."""
    Base.metadata.create_all(connection, tables=[StaffSession.__table__])


def _migrate_to_3(connection: Connection) -> None:
    """Version 3: uploads waiting for confirmation; per product the caution's last day and the
    import that added or changed it. Stored verdicts are marked as judged by schema 2, so that
    the next start re-judges them and fills in the caution days."""
    Base.metadata.create_all(connection, tables=[PendingUpload.__table__])
    present = {column["name"] for column in inspect(connection).get_columns("products")}
    # A new database got these columns from version 1's create_all (the model has them).
    for column, kind in [("caution_until_day", "INTEGER"), ("updated_in", "INTEGER DEFAULT 0 NOT NULL")]:
        if column not in present:
            connection.execute(text(f"ALTER TABLE products ADD COLUMN {column} {kind}"))
    connection.execute(update(Product).values(judged_with=json.dumps({"schema": 2})))


MIGRATIONS = [
    _migrate_to_1,
    _migrate_to_2,
    _migrate_to_3,
]  # MIGRATIONS[n - 1] brings a version n-1 database to version n


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    merged: int = 0  # duplicate rows folded into one product (same key, same ingredients)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class Recompute:
    at: str
    count: int
    before: list[dict]
    after: dict

    @property
    def message(self) -> str:
        changed = sorted({part for old in self.before for part, value in old.items() if self.after.get(part) != value})
        what = (
            " and ".join(
                {
                    "code": "checker code",
                    "ingredients": "ingredient data",
                    "protocol": "aftercare protocol",
                    "schema": "shelf database's layout",
                }.get(p, p)
                for p in changed
            )
            or "data"
        )
        return (
            f"Verdicts for {self.count} product(s) were recomputed on {self.at[:16].replace('T', ' ')} UTC "
            f"because the {what} changed since they were judged (now protocol {self.after.get('protocol')})."
        )


# --- opening and migrating -----------------------------------------------------------------------


def _engine(url: str) -> Engine:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # readers keep reading while an import writes
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()

    return engine


def schema_version(connection: Connection) -> int:
    if not inspect(connection).has_table("meta"):
        return 0
    value = connection.execute(select(Meta.value).where(Meta.key == "schema_version")).scalar()
    return int(value or 0)


# Keys of the PostgreSQL advisory locks (any two fixed numbers; they only need to differ).
MIGRATION_LOCK, IMPORT_LOCK = 0x41465431, 0x41465432


def _one_at_a_time(connection: Connection, lock: int) -> None:
    """Wait until no other process or server holds `lock`, and hold it to the end of this
    transaction. PostgreSQL: an advisory lock. SQLite: a first write takes the database's write
    lock (waiting up to busy_timeout) before this transaction reads anything, so what it reads is
    what the previous import left (and it cannot hit a stale-snapshot 'database is locked')."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock})
    elif connection.dialect.name == "sqlite" and lock == IMPORT_LOCK:
        connection.execute(delete(Meta).where(Meta.key == "import_lock"))


def migrate(engine: Engine) -> int:
    """Bring the database to SCHEMA_VERSION; returns the version it had before."""
    for attempt in range(5):
        try:
            return _migrate(engine)
        except OperationalError:
            # SQLite: another process was creating the tables at the same moment ('already
            # exists'); a retry finds them. PostgreSQL migrations hold an advisory lock instead.
            if engine.dialect.name != "sqlite" or attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))


def _migrate(engine: Engine) -> int:
    with engine.begin() as connection:
        _one_at_a_time(connection, MIGRATION_LOCK)
        current = schema_version(connection)
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"The shelf database has schema version {current}, newer than this "
                f"version of Aftercheck understands ({SCHEMA_VERSION}). Upgrade Aftercheck."
            )
        for step in MIGRATIONS[current:]:
            step(connection)
        if current < SCHEMA_VERSION:
            _set_meta(connection, "schema_version", str(SCHEMA_VERSION))
    return current


def _set_meta(connection: Connection, key: str, value: str | None) -> None:
    connection.execute(delete(Meta).where(Meta.key == key))
    if value is not None:
        connection.execute(insert(Meta).values(key=key, value=value))


def database_exists(url: str) -> bool:
    """False for a SQLite file not created yet (or in memory); other databases are servers that exist."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        return Path(url.removeprefix("sqlite:///")).is_file()
    return not url.startswith("sqlite")


_SHELVES: dict[str, Shelf] = {}


def open_shelf(url: str) -> Shelf:
    """The Shelf for a database URL, migrated on first use and kept for the process."""
    if url not in _SHELVES:
        engine = _engine(url)
        migrate(engine)
        _SHELVES[url] = Shelf(engine)
    return _SHELVES[url]


def forget_shelves() -> None:
    """Drop the cached engines (tests simulate a restart with this)."""
    for shelf in _SHELVES.values():
        shelf.engine.dispose()
    _SHELVES.clear()


# --- keys -----------------------------------------------------------------------------------------


# Column limits (PostgreSQL enforces them; SQLite does not): a product's key and its barcode.
KEY_MAX = Product.__table__.c.key.type.length
BARCODE_MAX = Product.__table__.c.barcode_norm.type.length
_KEY_ROOM = KEY_MAX - 40  # room left for the '#<digest>' that tells same-named products apart


def product_key(barcode: str, name: str, brand: str) -> str:
    if barcode.strip():
        return "b:" + normalise_barcode(barcode)
    if name.strip():
        return _fitted("n:" + _fold(name) + "|" + _fold(brand))
    return ""


def _fitted(key: str) -> str:
    """A name key that fits its column: a very long name keeps its start and a digest of the whole."""
    if len(key) <= _KEY_ROOM:
        return key
    return key[: _KEY_ROOM - 41] + "~" + _digest(key)


def storable(text: str) -> str:
    """Text as every database stores it: PostgreSQL refuses NUL characters, which no label holds."""
    return text.replace("\x00", "")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _versions_json(versions: dict) -> str:
    return json.dumps(versions, sort_keys=True)


def _verdict_columns(result: Verdict, versions_json: str) -> dict:
    return {
        "verdict": result.verdict,
        "safe_from_day": result.safe_from_day,
        "flagged": json.dumps(list(result.flagged)),
        "classes": "|" + "|".join(result.classes) + "|",
        "unrecognised": result.unrecognised,
        "reason": storable(result.reason),
        "caution_until_day": result.caution_until_day,
        "judged_with": versions_json,
    }


def rows_for_import(batch: Batch, inventory: Inventory) -> tuple[list[dict], ImportReport]:
    """Batch rows -> product records keyed for upserting. Duplicate keys with the same ingredients
    are merged (first row wins). Duplicate barcodes with different ingredients stop the import:
    the counter scan must give one answer. Duplicate name+brand without barcodes but with
    different ingredients are kept apart by a key that includes the ingredients."""
    report, versions_json = ImportReport(), _versions_json(batch.versions)
    _refuse_long_barcodes(batch)
    groups: dict[str, list] = {}
    for row in batch.rows:
        key = product_key(row.barcode, row.name, row.brand) or "i:" + _digest(row.ingredients)[:16]
        groups.setdefault(key, []).append(row)
    conflicts, records = [], []
    for key, rows in groups.items():
        distinct = {row.ingredients: row for row in reversed(rows)}  # first row per ingredient text
        if len(distinct) > 1 and key.startswith("b:"):
            conflicts.append(f"barcode {rows[0].barcode} (rows {', '.join(str(r.source_row) for r in rows[:5])})")
            continue
        report.merged += len(rows) - len(distinct)
        keep = sorted(distinct.values(), key=lambda r: r.row)
        for row in keep:
            unique_key = key if len(keep) == 1 else f"{key}#{_digest(row.ingredients)[:10]}"
            records.append(_record(row, unique_key, inventory, versions_json))
        if len(keep) > 1:
            report.notes.append(
                f"'{rows[0].name}' ({rows[0].brand or 'no brand'}) appears {len(keep)} times "
                "with different ingredients; each is kept. Give them barcodes to tell them apart."
            )
    if conflicts:
        raise StoreError(
            f"{len(conflicts)} barcode(s) appear on rows with different ingredients: "
            f"{'; '.join(conflicts[:5])}{' ...' if len(conflicts) > 5 else ''}. "
            "Fix the file and upload again; the stored shelf was not changed."
        )
    if report.merged:
        report.notes.append(f"{report.merged} duplicate row(s) (same product, same ingredients) were merged.")
    return records, report


def _refuse_long_barcodes(batch: Batch) -> None:
    """A barcode longer than its column is not a barcode (a shifted column, a pasted list): say where."""
    long = [row for row in batch.rows if len(normalise_barcode(row.barcode)) > BARCODE_MAX]
    if long:
        rows = ", ".join(str(row.source_row) for row in long[:5])
        raise StoreError(
            f"{len(long)} barcode(s) are longer than {BARCODE_MAX} characters (rows {rows}"
            f"{' ...' if len(long) > 5 else ''}): is the barcode column the right one? "
            "Fix the file and upload again; the stored shelf was not changed."
        )


def _record(row, key: str, inventory: Inventory, versions_json: str) -> dict:
    cells = [storable(str(v)) for v in inventory.frame.iloc[row.row].tolist()]
    name, brand, barcode = storable(row.name), storable(row.brand), storable(row.barcode)
    category, ingredients = storable(row.category), storable(row.ingredients)
    return {
        "key": storable(key),
        "position": row.row,
        "source_row": row.source_row,
        "name": name,
        "brand": brand,
        "barcode": barcode,
        "barcode_norm": normalise_barcode(barcode),
        "category": category,
        "ingredients": ingredients,
        "search": _fold(f"{name} {brand}"),
        "original": json.dumps(cells, ensure_ascii=False),
        "fingerprint": _digest(name, brand, barcode, category, ingredients),
        "note": storable(row.note),
        **_verdict_columns(row.result, versions_json),
    }


# --- importing -----------------------------------------------------------------------------------------


@dataclass
class Preview:
    """What confirming a staged upload would do ('removed' only in the replace mode)."""

    token: str
    source: str
    products: int
    added: list[str]
    changed: list[str]
    removed: list[str]
    unchanged: int
    notes: list[str]


@dataclass
class _Staged:
    """An upload as the store writes it: product records, their report, the file's headers."""

    records: list[dict]
    report: ImportReport
    headers: list[str]
    columns: dict
    rows: int
    source: str
    base: int = 0  # the import number the preview was made against

    @classmethod
    def of(cls, batch: Batch, inventory: Inventory, source: str) -> _Staged:
        records, report = rows_for_import(batch, inventory)
        report.notes = list(batch.notes) + report.notes
        return cls(records, report, list(inventory.headers), inventory.columns.as_dict(), len(batch.rows), source)

    def packed(self) -> bytes:
        data = {**self.__dict__, "report": self.report.to_dict()}
        return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def unpacked(cls, payload: bytes) -> _Staged:
        data = json.loads(zlib.decompress(payload).decode("utf-8"))
        return cls(**{**data, "report": ImportReport(**data["report"])})


def _import_number(connection: Connection) -> int:
    value = connection.execute(select(Meta.value).where(Meta.key == "import_number")).scalar()
    return int(value or 0)


def _diff(connection: Connection, records: list[dict]) -> tuple[list[str], list[str], list[str], int]:
    """(added, changed, removed, unchanged) names if `records` replaced the stored shelf."""
    existing = {
        key: (fingerprint, name)
        for key, fingerprint, name in connection.execute(select(Product.key, Product.fingerprint, Product.name))
    }
    new_keys = {r["key"] for r in records}
    added = [r["name"] or r["barcode"] for r in records if r["key"] not in existing]
    kept = [r for r in records if r["key"] in existing]
    changed = [r["name"] or r["barcode"] for r in kept if existing[r["key"]][0] != r["fingerprint"]]
    removed = [name for key, (_, name) in existing.items() if key not in new_keys]
    return added, changed, removed, len(kept) - len(changed)


def _write(connection: Connection, staged: _Staged, mode: str) -> ImportReport:
    """Write a staged upload inside the caller's transaction (which holds the import lock)."""
    records, report = staged.records, ImportReport(**staged.report.to_dict())
    existing = {
        key: (fingerprint, name, updated_in)
        for key, fingerprint, name, updated_in in connection.execute(
            select(Product.key, Product.fingerprint, Product.name, Product.updated_in)
        )
    }
    number = _import_number(connection) + 1
    new_keys = {r["key"] for r in records}
    gone = [k for k in existing if k not in new_keys]
    fresh = [{**r, "updated_in": number} for r in records if r["key"] not in existing]
    kept = [
        {**r, "updated_in": number if existing[r["key"]][0] != r["fingerprint"] else existing[r["key"]][2]}
        for r in records
        if r["key"] in existing
    ]
    headers = staged.headers
    if mode == "replace":
        for chunk in _chunks(gone, 500):
            connection.execute(delete(Product).where(Product.key.in_(chunk)))
        report.removed = [existing[k][1] for k in gone]
    else:
        start = max((r["position"] for r in records), default=-1) + 1
        headers = _keep_after(connection, gone, staged.headers, start)
        report.removed = []
    if fresh:
        connection.execute(insert(Product), fresh)
    if kept:  # executemany UPDATE ... WHERE key = :b_key
        connection.execute(
            update(Product).where(Product.key == _bind("b_key")),
            [{"b_key": r["key"], **{k: v for k, v in r.items() if k != "key"}} for r in kept],
        )
    report.added = [r["name"] or r["barcode"] for r in fresh]
    report.changed = [r["name"] or r["barcode"] for r in kept if existing[r["key"]][0] != r["fingerprint"]]
    report.unchanged = len(kept) - len(report.changed)
    stamp = {
        "at": _now(),
        "source": staged.source,
        "mode": mode,
        "rows": staged.rows,
        "products": len(records),
        "columns": staged.columns,
        "report": report.to_dict(),
    }
    _set_meta(connection, "headers", json.dumps(headers, ensure_ascii=False))
    _set_meta(connection, "last_import", json.dumps(stamp, ensure_ascii=False))
    _set_meta(connection, "import_number", str(number))
    _set_meta(connection, "recomputed", None)  # every verdict is fresh again
    return report


def _keep_after(connection: Connection, keys: list[str], headers: list[str], start: int) -> list[str]:
    """Merge: products the file lacks stay, listed after its rows (positions must stay distinct for
    iter_all), their cells moved under the merged headers. Returns the merged headers."""
    old_headers = json.loads(connection.execute(select(Meta.value).where(Meta.key == "headers")).scalar() or "[]")
    merged = list(headers) + [h for h in old_headers if h not in headers]
    kept = sorted(
        (
            row
            for chunk in _chunks(keys, 500)
            for row in connection.execute(
                select(Product.position, Product.key, Product.original).where(Product.key.in_(chunk))
            )
        ),
        key=lambda row: row.position,
    )
    updates = []
    for offset, (_, key, original) in enumerate(kept):
        cells = dict(zip(old_headers, json.loads(original), strict=False))
        moved = json.dumps([cells.get(h, "") for h in merged], ensure_ascii=False)
        updates.append({"b_key": key, "position": start + offset, "original": moved})
    if updates:
        connection.execute(update(Product).where(Product.key == _bind("b_key")), updates)
    return merged


# --- the shelf ---------------------------------------------------------------------------------------


class Shelf:
    def __init__(self, engine: Engine):
        self.engine = engine

    # meta
    def meta(self, key: str, default=None):
        with self.engine.connect() as connection:
            value = connection.execute(select(Meta.value).where(Meta.key == key)).scalar()
        return default if value is None else json.loads(value)

    # writing
    def replace(self, batch: Batch, inventory: Inventory, source: str = "") -> ImportReport:
        """Make the stored shelf equal to this inventory, in one transaction; report the diff."""
        return self._import(_Staged.of(batch, inventory, source), "replace")

    def merge(self, batch: Batch, inventory: Inventory, source: str = "") -> ImportReport:
        """Add the inventory's new products and update the ones it has; remove nothing."""
        return self._import(_Staged.of(batch, inventory, source), "merge")

    def import_if_empty(self, batch: Batch, inventory: Inventory, source: str = "") -> ImportReport | None:
        """Import into an empty shelf (nothing to lose, nothing to ask); None, and nothing written,
        when the shelf holds products, decided under the import lock (two first uploads at once:
        the second finds the first's products and is staged instead)."""
        staged = _Staged.of(batch, inventory, source)
        with self.engine.begin() as connection:
            _one_at_a_time(connection, IMPORT_LOCK)
            if connection.execute(select(func.count()).select_from(Product)).scalar():
                return None
            return _write(connection, staged, "replace")

    def stage(self, batch: Batch, inventory: Inventory, source: str = "", user: str = "", max_age: int = 3600):
        """Keep a judged upload server-side until staff confirm it; -> Preview of what each mode
        would do. Refuses (StoreError) what an import would refuse, before anyone is asked."""
        staged = _Staged.of(batch, inventory, source)
        token = secrets.token_urlsafe(24)
        with self.engine.begin() as connection:
            connection.execute(delete(PendingUpload).where(PendingUpload.created < int(time.time()) - max_age))
            staged.base = _import_number(connection)
            diff = _diff(connection, staged.records)
            connection.execute(
                insert(PendingUpload).values(
                    id=_digest(token), user=user[:100], created=int(time.time()), payload=staged.packed()
                )
            )
        return Preview(token, source, len(staged.records), *diff, list(staged.report.notes))

    def apply(self, token: str, mode: str, user: str = "", max_age: int = 3600) -> ImportReport:
        """Import a staged upload ('replace' or 'merge') and forget it; StoreError when it has
        expired, belongs to someone else, or the shelf was changed by another import since."""
        if mode not in MODES:
            raise StoreError(f"Unknown import mode {mode!r}.")
        with self.engine.begin() as connection:
            _one_at_a_time(connection, IMPORT_LOCK)
            staged = self._take(connection, token, user, max_age)
            if staged.base != _import_number(connection):
                raise StoreError(
                    "The shelf was changed by another upload since this preview; upload the file again "
                    "to see what it would change now. The stored shelf was not changed."
                )
            return _write(connection, staged, mode)

    def discard(self, token: str) -> None:
        """Forget a staged upload (staff declined it); the shelf is not touched."""
        with self.engine.begin() as connection:
            connection.execute(delete(PendingUpload).where(PendingUpload.id == _digest(token)))

    def _take(self, connection: Connection, token: str, user: str, max_age: int) -> _Staged:
        row = connection.execute(select(PendingUpload).where(PendingUpload.id == _digest(token))).first()
        if row is None or row.created < time.time() - max_age or row.user != user[:100]:
            raise StoreError("That upload has expired; please upload the file again. The stored shelf was not changed.")
        connection.execute(delete(PendingUpload).where(PendingUpload.id == row.id))
        return _Staged.unpacked(row.payload)

    def _import(self, staged: _Staged, mode: str) -> ImportReport:
        with self.engine.begin() as connection:
            _one_at_a_time(connection, IMPORT_LOCK)
            return _write(connection, staged, mode)

    def stale_versions(self, checker: Checker) -> list[dict]:
        """Distinct checker versions of stored verdicts that differ from `checker`'s."""
        current = _versions_json(checker.versions)
        with self.engine.connect() as connection:
            found = connection.execute(select(Product.judged_with).distinct()).scalars().all()
        return [json.loads(v) for v in found if v != current]

    def rejudge(self, checker: Checker | None = None) -> Recompute | None:
        """Re-judge products whose verdict came from other data/protocol; record that we did."""
        checker = checker or get_checker()
        before = self.stale_versions(checker)
        if not before:
            return None
        current = _versions_json(checker.versions)
        with self.engine.begin() as connection:
            _one_at_a_time(connection, IMPORT_LOCK)
            stale = connection.execute(
                select(Product.id, Product.ingredients, Product.name, Product.category).where(
                    Product.judged_with != current
                )
            ).all()
            memo: dict[tuple[str, str, str], dict] = {}
            updates = []
            for product_id, ingredients, name, category in stale:
                key = (ingredients, name, category or "")
                if key not in memo:
                    memo[key] = _verdict_columns(judge_label(ingredients, name, checker, category or ""), current)
                updates.append({"b_id": product_id, **memo[key]})
            if not updates:  # another process re-judged them while this one waited for the lock
                return None
            connection.execute(update(Product).where(Product.id == _bind("b_id")), updates)
            done = Recompute(_now(), len(updates), before, dict(checker.versions))
            _set_meta(connection, "recomputed", json.dumps(done.__dict__))
        return done

    def last_recompute(self) -> Recompute | None:
        value = self.meta("recomputed")
        return Recompute(**value) if value else None

    # reading
    def summary(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            counts = dict(connection.execute(select(Product.verdict, func.count()).group_by(Product.verdict)).all())
        return {verdict: counts.get(verdict, 0) for verdict in VERDICTS}

    def count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(Product)).scalar()

    def get(self, product_id: int) -> Product | None:
        if not 0 < product_id < 2**31:  # beyond the column's integers: no such product, not an error
            return None
        with self._session() as session:
            return session.get(Product, product_id)

    def products(
        self,
        verdict: str = "",
        brand: str = "",
        klass: str = "",
        sort: str = "position",
        descending: bool = False,
        offset: int = 0,
        limit: int = 200,
        text: str = "",
        updated_in: int | None = None,
    ) -> tuple[list[Product], int]:
        """Filtered, sorted page of products and the total that matched the filters. `text`: every
        word in the name or brand, or the barcode (leading zeros ignored)."""
        query = select(Product)
        brand, klass = storable(brand), storable(klass)
        if text.strip():
            query = query.where(_text_condition(text))
        if updated_in is not None:
            query = query.where(Product.updated_in == updated_in)
        if verdict:
            query = query.where(Product.verdict == verdict)
        if brand:
            query = query.where(Product.brand == brand)
        if klass:
            query = query.where(Product.classes.like(f"%|{_escape_like(klass)}|%", escape="\\"))
        column = _sort_column(sort if sort in SORTS else "position")
        query = query.order_by(column.desc() if descending else column, Product.position)
        with self._session() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery()))
            return list(session.scalars(query.offset(max(0, offset)).limit(limit))), total

    def iter_all(self, chunk: int = 2000):
        """Every product in upload order, read in chunks (exports of large shelves)."""
        last = -1
        while True:
            with self._session() as session:
                rows = list(
                    session.scalars(
                        select(Product).where(Product.position > last).order_by(Product.position).limit(chunk)
                    )
                )
            if not rows:
                return
            yield from rows
            last = rows[-1].position

    def facets(self) -> dict[str, list[str]]:
        """The brands and classes on the shelf, for the filter menus."""
        with self.engine.connect() as connection:
            brands = (
                connection.execute(select(Product.brand).distinct().where(Product.brand != "").order_by(Product.brand))
                .scalars()
                .all()
            )
            class_cells = connection.execute(select(Product.classes).distinct()).scalars().all()
        classes = sorted({c for cell in class_cells for c in cell.split("|") if c})
        return {"brands": list(brands), "classes": classes}

    def lookup(self, query: str, limit: int = 20) -> list[Product]:
        """Barcode (exact, leading zeros ignored) first; then name/brand containing every word."""
        query = storable(query).strip()[:200]
        if not query:
            return []
        with self._session() as session:
            by_code = list(
                session.scalars(select(Product).where(Product.barcode_norm == normalise_barcode(query)).limit(limit))
            )
            if by_code:
                return by_code
            words = _fold(query).split()[:8]
            condition = [Product.search.like(f"%{_escape_like(w)}%", escape="\\") for w in words]
            return list(session.scalars(select(Product).where(*condition).order_by(Product.position).limit(limit)))

    def import_number(self) -> int:
        """How many imports the shelf has had: products added or changed by the last one have it."""
        with self.engine.connect() as connection:
            return _import_number(connection)

    def _session(self) -> Session:
        # Objects stay readable after the session closes: pages only read them.
        return Session(self.engine, expire_on_commit=False)


def _sort_column(sort: str):
    if sort == "verdict":  # by severity, not alphabet
        return case({v: i for i, v in enumerate(VERDICTS)}, value=Product.verdict)
    return getattr(Product, sort)


def _text_condition(query: str):
    """Name/brand containing every word (at most 8), or the barcode itself."""
    query = storable(query).strip()[:200]
    words = [Product.search.like(f"%{_escape_like(w)}%", escape="\\") for w in _fold(query).split()[:8]]
    if not words:  # nothing left to search for (e.g. only NUL characters): nothing matches
        return false()
    return or_(and_(*words), Product.barcode_norm == normalise_barcode(query))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _bind(name: str):
    return bindparam(name)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


__all__ = [
    "open_shelf",
    "Shelf",
    "Product",
    "ImportReport",
    "Recompute",
    "StoreError",
    "StaffSession",
    "PendingUpload",
    "Preview",
    "MODES",
    "migrate",
    "SCHEMA_VERSION",
    "forget_shelves",
    "database_exists",
]
