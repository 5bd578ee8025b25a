"""Shelf check pages: thin views over the shelf package, and the `flask shelf` commands' registration.

Pages (staff only unless said): `/shelf/` upload, summary, search, filters, table; `/shelf/upload`,
`/shelf/mapping` and `/shelf/confirm` (POST, CSRF: an upload into a stocked shelf is judged and
staged server-side, the page shows what would be added, changed and removed, and only the
confirmation replaces or merges); `/shelf/report.csv|.xlsx`; `/shelf/tags` print view (all, one
verdict, one product, or what the last upload added or changed);
`/shelf/lookup` and `/shelf/product/<id>` (public when SHELF_LOOKUP_PUBLIC is on).
GET views only read the database: verdicts judged with other data or another protocol are
re-judged at start-up (`rejudge_at_start`, called by create_app) and replaced by every import.
Commands (shelf/cli.py): `flask shelf check INVENTORY -o REPORT.csv|.xlsx`, `flask shelf import INVENTORY`.
A refused upload is logged with its reason.
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import date
from functools import partial, wraps
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    g,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy.exc import DataError, SQLAlchemyError
from werkzeug.exceptions import BadRequest, NotFound, RequestEntityTooLarge
from wtforms import HiddenField, SelectField

from checker import Checker, InputError, get_checker
from checker.verdicts import SHELF_WORDS, TAG_WORDS, UNCHECKED, VERDICTS, tag_line
from shelf import export
from shelf.batch import judge_inventory
from shelf.cli import shelf_commands
from shelf.inventory import FIELDS, InventoryError, apply_columns, read_inventory
from shelf.store import MODES, StoreError, database_exists, open_shelf

from .auth import is_staff, staff_required
from .current import current_checker, current_shelf, shelf_url
from .days import Treatment, day_number
from .results import render_result

bp = Blueprint("shelf", __name__, url_prefix="/shelf")
log = logging.getLogger("aftercheck.shelf")
PAGE_SIZE = 50  # rows per table page: a phone shows them as cards
PENDING_MAX_AGE = 3600  # seconds an upload waits for its column mapping or its confirmation


@bp.record_once
def _register_commands(state) -> None:
    """`flask shelf ...`, judging with this app's protocol and storing into its database."""
    app = state.app
    app.cli.add_command(
        shelf_commands(lambda: get_checker(app.config["AFTERCHECK_PROTOCOL"]), lambda: open_shelf(shelf_url(app)))
    )


def rejudge_at_start(app: Flask, checker: Checker) -> None:
    """Re-judge stored verdicts made with other data or another protocol, so that pages only read.

    Nothing happens when there is no shelf database yet; a database that cannot be reached is
    logged and left for the next start (its pages say that verdicts are out of date)."""
    url = shelf_url(app)
    if not database_exists(url):
        return
    try:
        done = open_shelf(url).rejudge(checker)
    except (SQLAlchemyError, StoreError) as error:
        log.warning("stored shelf not re-judged at start-up: %s: %s", type(error).__name__, str(error)[:200])
        return
    if done:
        log.info(
            "stored shelf re-judged at start-up: %d product(s), now protocol %s", done.count, done.after["protocol"]
        )


class UploadForm(FlaskForm):
    inventory = FileField("Inventory file (CSV, TSV or XLSX)", validators=[FileRequired()])


class MappingForm(FlaskForm):
    # Choices are checked by shelf.inventory.apply_columns, which names a wrong column.
    token = HiddenField()
    name = SelectField("Product name", validate_choice=False)
    brand = SelectField("Brand", validate_choice=False)
    barcode = SelectField("Barcode / EAN / SKU", validate_choice=False)
    ingredients = SelectField("Ingredients (INCI)", validate_choice=False)
    category = SelectField("Category", validate_choice=False)

    def offer(self, headers: list[str]) -> MappingForm:
        for what in FIELDS:
            getattr(self, what).choices = [("", "(not in the file)")] + [(h, h) for h in headers]
        return self


class ConfirmForm(FlaskForm):
    # The staged upload's token; the button pressed ('mode') says replace, merge or cancel.
    token = HiddenField()


# --- helpers ------------------------------------------------------------------------------------------


def may_look_up() -> bool:
    """Whoever asks may read the stored shelf's products: staff, or anyone with SHELF_LOOKUP_PUBLIC on."""
    return bool(current_app.config.get("SHELF_LOOKUP_PUBLIC")) or is_staff()


def lookup_allowed(view):
    """Staff only, unless SHELF_LOOKUP_PUBLIC lets anyone read verdicts at the counter."""
    guarded = staff_required(view)

    @wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs) if current_app.config.get("SHELF_LOOKUP_PUBLIC") else guarded(*args, **kwargs)

    return wrapped


def _day_arg() -> int | None:
    return day_number(request.args.get("day", ""))


def _page_arg() -> int:
    """The table's page number (1 when not given); 400 for anything but a whole number."""
    raw = request.args.get("page", "").strip()
    if not raw:
        return 1
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise BadRequest(f"The page must be a whole number such as 2 (got {raw[:20]!r}).")
    return max(1, int(raw))


def _product_id_arg() -> int:
    raw = request.args.get("id", "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise BadRequest(f"The product id must be a whole number (got {raw[:20]!r}).")
    return int(raw)


def _pending_dir() -> Path:
    folder = Path(current_app.instance_path) / "shelf_uploads"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.upload"):  # uploads nobody mapped within the hour
        if time.time() - old.stat().st_mtime > PENDING_MAX_AGE:
            old.unlink(missing_ok=True)
    return folder


def _read(raw: bytes, filename: str):
    return read_inventory(raw, filename, max_rows=current_app.config["SHELF_MAX_ROWS"])


def _database_refused(error: DataError) -> StoreError:
    """A value the shelf's checks did not foresee: say so, not a 500."""
    reason = str(error.orig).splitlines()[0][:200]
    return StoreError(f"The database refused a value in this file ({reason}); the stored shelf was not changed.")


def _store(inventory, filename: str):
    """Judge, then import into an empty shelf, or stage and ask first (-> response).
    Raises InventoryError / StoreError with a message for staff."""
    inventory.require_ingredients()
    shelf = current_shelf()
    batch = judge_inventory(inventory, current_checker())
    try:
        report = shelf.import_if_empty(batch, inventory, source=filename)
        if report is not None:
            return _imported(report)
        preview = shelf.stage(batch, inventory, source=filename, user=g.staff_user, max_age=PENDING_MAX_AGE)
    except DataError as error:
        raise _database_refused(error) from error
    return render_template(
        "shelf/preview.html", preview=preview, form=ConfirmForm(token=preview.token), shelf_count=shelf.count()
    )


def _refused(filename: str, error: Exception) -> str:
    """Log a refused upload (its reason, not its rows) and return the message for staff."""
    log.warning("shelf upload refused: %s: %s: %s", filename[:100], type(error).__name__, str(error)[:300])
    return str(error)


def _words() -> dict:
    """What the shelf templates say for verdicts: the shelf's words and the tag sentence."""
    treatment = current_checker().protocol.treatment
    return {"labels": SHELF_WORDS, "tag_words": TAG_WORDS, "tag_line": partial(tag_line, treatment=treatment)}


def _mapping_page(form: MappingForm, inventory, filename: str, error: str | None = None, status: int = 200):
    return render_template(
        "shelf/mapping.html",
        form=form.offer(inventory.headers),
        inventory=inventory,
        filename=filename,
        error=error,
        preview=inventory.frame.head(5).to_numpy().tolist(),
    ), status


def _ask_for_mapping(inventory, raw: bytes, filename: str):
    """Keep the upload for an hour and show the mapping form with the detected guess."""
    token = secrets.token_urlsafe(16)
    (_pending_dir() / f"{token}.upload").write_bytes(raw)
    session["shelf_pending"] = {"token": token, "filename": filename}
    form = MappingForm(token=token, **{k: v or "" for k, v in inventory.columns.as_dict().items()})
    if inventory.columns.ingredients:
        return _mapping_page(form, inventory, filename)
    return _mapping_page(
        form,
        inventory,
        filename,
        "No ingredient column was found: choose it below, or upload a file with an 'ingredients' or 'INCI' column.",
        422,
    )


def _imported(report) -> Response:
    flash(
        f"Imported: {len(report.added)} added, {len(report.changed)} changed, "
        f"{len(report.removed)} removed, {report.unchanged} unchanged."
    )
    return redirect(url_for("shelf.index"))


def _class_labels(classes: list[str]) -> list[tuple[str, str]]:
    """(class id, the protocol's label for it) for the filter menu, in label order."""
    rules = current_checker().protocol.classes
    return sorted(((c, rules[c].label if c in rules else c.replace("_", " ")) for c in classes), key=lambda p: p[1])


def _index_page(error: str | None = None, status: int = 200, form: UploadForm | None = None):
    shelf = current_shelf()
    args = request.args
    page = _page_arg()
    filters = {
        "verdict": args.get("verdict", "") if args.get("verdict") in VERDICTS else "",
        "brand": args.get("brand", "")[:200],
        "klass": args.get("class", "")[:100],
        "text": args.get("q", "").strip()[:200],
    }
    sort, descending = args.get("sort", "position"), args.get("desc") == "1"
    rows, total = shelf.products(
        **filters, sort=sort, descending=descending, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    pages = max(1, -(-total // PAGE_SIZE))
    if page > pages:
        raise NotFound(f"There is no page {page}: the table has {pages} page(s) with these filters.")
    unchecked, unchecked_total = shelf.products(verdict=UNCHECKED, limit=PAGE_SIZE)
    facets = shelf.facets()
    link_args = {
        key: value
        for key, value in {
            "verdict": filters["verdict"],
            "brand": filters["brand"],
            "class": filters["klass"],
            "q": filters["text"],
            "sort": sort,
            "desc": "1" if descending else "",
        }.items()
        if value
    }
    return render_template(
        "shelf/index.html",
        link_args=link_args,
        form=form or UploadForm(),
        error=error,
        summary=shelf.summary(),
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        sort=sort,
        descending=descending,
        facets=facets,
        class_labels=_class_labels(facets["classes"]),
        unchecked=unchecked,
        unchecked_total=unchecked_total,
        recompute=shelf.last_recompute(),
        stale=bool(shelf.stale_versions(current_checker())),
        last_import=shelf.meta("last_import"),
        messages=get_flashed_messages(),
        **_words(),
    ), status


# --- views ---------------------------------------------------------------------------------------------


@bp.before_request
def _upload_limit() -> None:
    """Uploads may be larger than the app-wide request limit (SHELF_MAX_UPLOAD)."""
    if request.endpoint == "shelf.upload":
        request.max_content_length = current_app.config["SHELF_MAX_UPLOAD"]


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error):
    limit = (
        current_app.config["SHELF_MAX_UPLOAD"]
        if request.endpoint == "shelf.upload"
        else current_app.config["MAX_CONTENT_LENGTH"]
    )
    message = (
        f"The file is larger than the upload limit of {limit / 1_000_000:g} MB. Export only the "
        "columns Aftercheck needs, or split the inventory into smaller files."
    )
    log.warning("shelf upload refused: larger than the limit of %d bytes", limit)
    return render_template("error.html", status=413, title="File too large", message=message), 413


@bp.get("/")
@staff_required
def index():
    """The stored shelf: summary, filters, table, upload form and counter lookup."""
    return _index_page()


@bp.post("/upload")
@staff_required
def upload():
    """Import an inventory file, or ask for the column mapping when detection is unsure."""
    form = UploadForm()
    if not form.validate_on_submit():
        problem = "The form expired; please try again." if form.csrf_token.errors else "Choose a file to upload."
        return _index_page(problem, 400, form)
    raw, filename = form.inventory.data.read(), form.inventory.data.filename or "upload"
    try:
        inventory = _read(raw, filename)
        if not inventory.sure or not inventory.columns.ingredients:
            return _ask_for_mapping(inventory, raw, filename)
        return _store(inventory, filename)
    except (InventoryError, StoreError) as error:
        return _index_page(f"{filename}: {_refused(filename, error)}", 400, form)


@bp.post("/mapping")
@staff_required
def mapping():
    """Import the pending upload with the columns staff chose."""
    pending = session.get("shelf_pending") or {}
    path = _pending_dir() / f"{pending.get('token', 'none')}.upload"
    form = MappingForm()
    if not pending or form.token.data != pending["token"] or not path.is_file():
        return _index_page("That upload has expired; please upload the file again.", 400)
    inventory = _read(path.read_bytes(), pending["filename"])
    if not form.offer(inventory.headers).validate_on_submit():
        problem = "The form expired; please try again." if form.csrf_token.errors else "Choose columns from the lists."
        return _mapping_page(form, inventory, pending["filename"], problem, 400)
    try:
        inventory = apply_columns(inventory, {what: getattr(form, what).data for what in FIELDS})
        answer = _store(inventory, pending["filename"])
    except (InventoryError, StoreError) as error:
        return _mapping_page(form, inventory, pending["filename"], _refused(pending["filename"], error), 400)
    path.unlink(missing_ok=True)
    session.pop("shelf_pending", None)
    return answer


@bp.post("/confirm")
@staff_required
def confirm():
    """Replace the shelf with a staged upload, merge it in, or drop it (the button pressed says which)."""
    form, mode = ConfirmForm(), request.form.get("mode", "")
    if not form.validate_on_submit():
        return _index_page("The form expired; nothing was changed. Please upload the file again.", 400)
    shelf = current_shelf()
    if mode not in MODES:
        shelf.discard(form.token.data or "")
        flash("Upload cancelled: the stored shelf was not changed.")
        return redirect(url_for("shelf.index"))
    try:
        report = shelf.apply(form.token.data or "", mode, user=g.staff_user, max_age=PENDING_MAX_AGE)
    except StoreError as error:
        return _index_page(str(error), 409)
    except DataError as error:
        return _index_page(str(_database_refused(error)), 400)
    return _imported(report)


@bp.get("/report.<any(csv, xlsx):kind>")
@staff_required
def report(kind: str):
    """The stored shelf as a download: original columns plus the verdict columns."""
    shelf = current_shelf()
    writer = export.to_xlsx if kind == "xlsx" else export.to_csv
    checker = current_checker()
    data = writer(
        shelf.meta("headers", []), export.shelf_rows(shelf.iter_all()), checker.versions, checker.protocol.name
    )
    # A text/* mimetype gets "; charset=utf-8" from Flask: named here, it would be sent twice.
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if kind == "xlsx" else "text/csv"
    return Response(
        data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="aftercheck-shelf.{kind}"'}
    )


@bp.get("/tags")
@staff_required
def tags():
    """Printable shelf tags (A4 or Letter): all, one verdict (`verdict=`), one product (`id=`), or
    the products the last upload added or changed (`only=changed`)."""
    shelf = current_shelf()
    verdict = request.args.get("verdict", "") if request.args.get("verdict") in VERDICTS else ""
    paper = "letter" if request.args.get("paper") == "letter" else "a4"
    choice = "all"
    if request.args.get("id"):
        one = shelf.get(_product_id_arg())
        if one is None:
            raise NotFound("No such product on the shelf.")
        products, choice = [one], "one"
    elif request.args.get("only") == "changed":
        products, _ = shelf.products(updated_in=shelf.import_number(), limit=100_000)
        choice = "changed"
    else:
        products = [p for p in shelf.iter_all() if not verdict or p.verdict == verdict]
    return render_template(
        "shelf/tags.html",
        products=products,
        choice=choice,
        verdict=verdict,
        paper=paper,
        versions=current_checker().versions,
        **_words(),
        printed=date.today().isoformat(),
    )


@bp.get("/lookup")
@lookup_allowed
def lookup():
    """Counter lookup by barcode (scanner: digits + Enter), name or brand, for a treatment day."""
    query, day = request.args.get("q", "").strip(), _day_arg()
    found = []
    for product in current_shelf().lookup(query) if query else []:
        try:
            report = current_checker().check(
                product.ingredients, day=day, name=product.name or None, category=product.category or None
            )
            verdict = report.verdict if report.recognised else UNCHECKED
        except InputError:
            report, verdict = None, UNCHECKED
        found.append({"product": product, "verdict": verdict, "report": report})
    status = 404 if query and not found else 200
    return render_template("shelf/lookup.html", query=query, day=day, found=found, **_words()), status


@bp.get("/product/<int:product_id>")
@lookup_allowed
def product(product_id: int):
    """The full per-ingredient result for one stored product (the patient result page)."""
    item = current_shelf().get(product_id)
    if item is None:
        raise NotFound("No such product on the shelf.")
    if not item.ingredients.strip():
        return render_template(
            "error.html", status=422, title="Could not check", message=f"{item.name or item.barcode}: {item.reason}"
        ), 422
    day = _day_arg()
    try:
        report = current_checker().check(
            item.ingredients, day=day, name=item.name or None, category=item.category or None
        )
    except InputError as error:
        return render_template("error.html", status=422, title="Could not check", message=f"{item.name}: {error}"), 422
    source = (
        f"Shelf product: {item.name}{' · ' + item.brand if item.brand else ''}"
        f"{' · barcode ' + item.barcode if item.barcode else ''}"
    )
    return render_result(report, item.ingredients, Treatment.on_server_day(day), source=source)
