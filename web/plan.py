"""The aftercare plan on the web: the patient's routine, their plan, its calendar, and staff overrides.

GET  /routine         "My routine": the products so far (from the link `r`), a form to add one, the
                      treatment date, "Show my plan"; `static/routine.js` keeps the link on the device
POST /routine         add or remove a product, set the date, start again: 303 to the new link (no JS needed)
GET  /plan            the plan for the routine in `r` (`today`: the browser's date, else the server's)
GET  /plan.ics        the same plan's return dates as an iCalendar file
POST /api/plan        the plan as JSON: {"treated_on" | "day", "today"?, "products", "protocol"?, "override"?}
GET|POST /plan/override   staff only: make one patient's plan stricter; yields the patient's link

The routine travels in the link (web/plan_links.py: {"products": [...], "treated_on", "override"});
the server keeps nothing. A stricter override is signed with the app's SECRET_KEY and bound to the
clinic's protocol version, so a patient can neither make it laxer nor carry it to another protocol.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, TextAreaField
from wtforms.validators import NumberRange, Optional

from checker import Checker, InputError, ProtocolError, get_checker
from checker.engine import MAX_DAY
from checker.protocols import shipped
from checker.stricter import MAX_OVERRIDE_DAY, restriction
from plan import build_plan, read_products
from plan.calendar import plan_calendar
from plan.override import read_override
from plan.routine import MAX_PRODUCTS, read_product

from .auth import staff_required
from .current import current_checker
from .days import DEVICE, body_day, form_today, parse_date, remember_treated_on, remembered_treated_on, server_today
from .errors import APIError
from .json_body import json_object
from .plan_links import plan_checker, read_routine, routine_token, sign_override
from .result_links import MAX_LINK

bp = Blueprint("plan", __name__)

EXAMPLE = '{"treated_on": "2026-12-01", "products": [{"name": "night serum", "text": "Water, Retinol"}]}'


def _plan_from(routine: dict, today: date):
    if not routine["products"]:
        raise InputError("add at least one product to your routine first")
    if not routine["treated_on"]:
        raise InputError("set the date of your treatment first")
    checker, note = plan_checker(current_checker(), routine["override"])
    products = read_products(routine["products"])
    return build_plan(checker, products, parse_date(routine["treated_on"], "treated_on"), today, note)


# --- pages ---------------------------------------------------------------------------------------


def _routine_page(routine: dict, status: int = 200, **extra):
    treated_on = routine["treated_on"] or (remembered_treated_on(request.cookies) or "")
    context = {
        "routine": routine,
        "token": routine_token(routine) if any(routine.values()) else "",
        "treated_on": str(treated_on),
        "max_products": MAX_PRODUCTS,
        "adding": {"name": "", "text": "", "category": ""},
        "mode": "list",
        **extra,
    }
    return render_template("plan/routine.html", **context), status


@bp.get("/routine")
def routine():
    """The routine so far, the form to add a product, the treatment date and "Show my plan"."""
    try:
        routine = read_routine(request.args.get("r"))
    except InputError as exc:
        return _routine_page(read_routine(None), 400, error=str(exc), mode="error")
    return _routine_page(routine, mode="cleared" if request.args.get("cleared") else "list")


@bp.post("/routine")
def change_routine():
    """Add or remove a product, review one sent from a result page, set the date, start again, or
    join the clinic's stricter instructions to the list kept on this device."""
    form = request.form
    action = form.get("action", "add")
    try:
        routine = read_routine(form.get("r"))
    except InputError as exc:
        return _routine_page(read_routine(None), 400, error=str(exc), mode="error")
    adding = {key: form.get(key, "") for key in ("name", "text", "category")}
    try:
        if action == "clear":
            return redirect(url_for("plan.routine", cleared=1), 303)
        if action == "review":  # from a result page: the patient names the product before adding it
            return _routine_page(routine, adding=adding, mode="review")
        if action == "join":  # the clinic's link (an override, no products) opened on a device with a list
            kept = read_routine(form.get("kept"))
            routine = {
                **kept,
                "override": routine["override"],
                "treated_on": routine["treated_on"] or kept["treated_on"],
            }
        elif action == "remove":
            index = int(form.get("index", "-1")) if form.get("index", "").isdigit() else -1
            if not 0 <= index < len(routine["products"]):
                raise InputError("that product is no longer in your routine")
            del routine["products"][index]
        elif action == "add":
            if len(routine["products"]) >= MAX_PRODUCTS:
                raise InputError(f"a routine holds at most {MAX_PRODUCTS} products: remove one first")
            product = read_product(adding, len(routine["products"]) + 1)
            read_products([*routine["products"], product.to_dict()])  # names must stay different
            routine["products"].append(product.to_dict())
            # The longest address this routine will have: the plan's, with the browser's date in it.
            if len(url_for("plan.show_plan", r=routine_token(routine), today="YYYY-MM-DD")) > MAX_LINK:
                routine["products"].pop()  # servers refuse a longer address: the routine would be lost
                raise InputError(
                    "your routine would be too long to keep in its link with this product: keep only the "
                    "ingredient list of its label, or remove another product first"
                )
        elif action == "plan":
            treated_on = parse_date(form.get("treated_on", ""), "the date of your treatment")
            routine["treated_on"] = treated_on.isoformat()
            _plan_from(routine, form_today(form)[0])  # a plan that cannot be made is said here
            target = url_for("plan.show_plan", r=routine_token(routine), **_today_arg(form.get("today")))
            response = redirect(target, 303)
            return remember_treated_on(response, treated_on, secure=request.is_secure)
        else:
            raise InputError("unknown action")
    except InputError as exc:
        return _routine_page(routine, 400, error=str(exc), adding=adding, mode="review" if action == "add" else "list")
    return redirect(url_for("plan.routine", r=routine_token(routine)), 303)


def _today_arg(value: str | None) -> dict:
    return {"today": value} if value else {}


@bp.get("/plan")
def show_plan():
    """The plan for the routine in the link, one screen on a phone, one page on paper."""
    try:
        routine = read_routine(request.args.get("r") or None)
        today, calendar = form_today(request.args)
        plan = _plan_from(routine, today)
    except InputError as exc:
        return render_template("error.html", status=400, title="Could not make the plan", message=str(exc)), 400
    token = routine_token(routine)
    return render_template(
        "plan/plan.html",
        plan=plan,
        token=token,
        share_url=url_for("plan.show_plan", r=token, _external=True),
        today_from_browser=calendar == DEVICE,
        server_today=server_today().isoformat(),
    )


@bp.get("/plan.ics")
def plan_ics():
    """The plan's return dates as an iCalendar file for the phone's calendar."""
    routine = read_routine(request.args.get("r") or None)
    plan = _plan_from(routine, form_today(request.args)[0])
    body = plan_calendar(plan, datetime.now(UTC), request.host.split(":")[0] or "aftercheck")
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="aftercare-plan.ics"'},
    )


# --- JSON ---------------------------------------------------------------------------------------------


@bp.post("/api/plan")
def api_plan():
    """{"treated_on" | "day", "today"?, "products", "protocol"?, "override"?} -> the plan."""
    body = json_object(EXAMPLE)
    if body.get("treated_on") is None and body.get("day") is None:
        raise APIError(400, "bad_input", f"give treated_on (the treatment date) or day, e.g. {EXAMPLE}")
    day, treated_on = body_day(body)
    today = parse_date(body["today"], "today") if body.get("today") is not None else server_today()
    if treated_on is None:
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= MAX_DAY:
            raise InputError(f"day must be a whole number from 0 to {MAX_DAY}")
        treated_on = today - timedelta(days=day)
    protocol = body.get("protocol")
    if protocol is not None and not isinstance(protocol, str):
        raise InputError("protocol must be the id of a shipped protocol, e.g. clinic-sheet")
    override = body.get("override")
    if override is not None and not isinstance(override, str):
        raise InputError("override must be the signed token from the clinic's link")
    if protocol and protocol.strip() not in shipped():  # never a path: clients do not choose files
        raise InputError(f"protocol must be the id of a shipped protocol: {', '.join(shipped())}")
    base = get_checker(protocol) if protocol else current_checker()
    checker, note = plan_checker(base, override)
    plan = build_plan(checker, read_products(body.get("products")), treated_on, today, note)
    return plan.to_dict()


# --- staff: a stricter plan for one patient ----------------------------------------------------------


class OverrideForm(FlaskForm):
    treated_on = DateField("Treatment date (optional)", validators=[Optional()])
    extend_from = IntegerField(
        "Every window that ends on day", validators=[Optional(), NumberRange(1, MAX_OVERRIDE_DAY)]
    )
    extend_to = IntegerField("ends on day", validators=[Optional(), NumberRange(1, MAX_OVERRIDE_DAY)])
    note = TextAreaField("A note for the patient (optional)", validators=[Optional()])


def _rule_rows(checker: Checker) -> list[dict]:
    """Every rule that restricts, or could: (section, name, label, flag, until_day)."""
    rows = []
    for section, rules in (("products", checker.protocol.products), ("classes", checker.protocol.classes)):
        for name, rule in rules.items():
            if restriction(rule.flag):
                rows.append(
                    {"section": section, "name": name, "label": rule.label, "flag": rule.flag, "until": rule.until_day}
                )
    return rows


def _changes_from(form, rows: list[dict], extend_from: int | None, extend_to: int | None) -> dict:
    """The staff form's rows (and the "every window ending on day N" shortcut) as stricter changes."""
    changes: dict[str, dict] = {}
    for row in rows:
        key = f"{row['section']}.{row['name']}"
        change = {}
        until = (form.get(f"until-{key}") or "").strip()
        if until:
            if not until.isdigit():
                raise InputError(f"{row['label']}: the day must be a whole number")
            change["until_day"] = int(until)
        elif extend_from is not None and extend_to is not None and row["until"] == extend_from:
            change["until_day"] = extend_to
        flag = form.get(f"flag-{key}") or ""
        if flag and flag != row["flag"]:
            change["flag"] = flag
        if change:
            changes.setdefault(row["section"], {})[row["name"]] = change
    return changes


@bp.route("/plan/override", methods=["GET", "POST"])
@staff_required
def override():
    """Staff make one patient's plan stricter and get the link to give the patient."""
    base = current_checker()
    rows = _rule_rows(base)
    form = OverrideForm()
    link, error, status = None, None, 200
    if form.validate_on_submit():
        try:
            changes = _changes_from(request.form, rows, form.extend_from.data, form.extend_to.data)
            if not changes and not (form.note.data or "").strip():
                raise InputError("change at least one window or flag, or write a note")
            made = read_override({"changes": changes, "note": form.note.data or ""}, base)
        except (InputError, ProtocolError) as exc:
            error, status = str(exc), 400
        else:
            routine = {"products": [], "treated_on": form.treated_on.data and form.treated_on.data.isoformat()}
            routine["override"] = sign_override(made, base)
            link = url_for("plan.routine", r=routine_token(routine), _external=True)
    elif request.method == "POST":
        error, status = "The form expired or has a wrong value; please check it and send it again.", 400
    return render_template("plan/override.html", form=form, rows=rows, link=link, error=error), status
