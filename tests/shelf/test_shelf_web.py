"""The shelf pages and `flask shelf` commands: staff-only rules, CSRF, uploads, downloads, lookups."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from shelf_helpers import FIXTURES, csv_bytes, fixture
from sqlalchemy import event, select
from werkzeug.security import generate_password_hash

import web.auth
import web.sessions
from app import create_app
from shelf.store import Product, StaffSession, forget_shelves, open_shelf
from web.auth import StaffAccountsError

PASSWORD = "correct horse battery staple"
# A cheap hash: the tests log in hundreds of times, and the app checks any Werkzeug method.
HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def make_app(tmp_path: Path, **config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-" + "x" * 20,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'shelf.sqlite'}",
            "STAFF_PASSWORD_HASH": HASH,
            **config,
        }
    )


@pytest.fixture
def shelf_app(tmp_path):
    yield make_app(tmp_path)
    forget_shelves()


@pytest.fixture
def client(shelf_app):
    return shelf_app.test_client()


def token(client, url: str = "/staff/login") -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def login(client, password: str = PASSWORD, address: str = "127.0.0.1", **extra):
    return client.post(
        "/staff/login",
        data={"csrf_token": token(client), "password": password, **extra},
        environ_base={"REMOTE_ADDR": address},
    )


def logout(client):
    return client.post("/staff/logout", data={"csrf_token": token(client, "/shelf/")})


def upload(client, raw: bytes, filename: str = "inventory.csv"):
    return client.post(
        "/shelf/upload",
        data={"csrf_token": token(client, "/shelf/"), "inventory": (io.BytesIO(raw), filename)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def staff(client):
    assert login(client).status_code == 302
    return client


@pytest.fixture
def stocked(staff):
    assert upload(staff, fixture("clinic.csv"), "clinic.csv").status_code == 302
    return staff


class TestStaffOnly:
    @pytest.mark.parametrize(
        "url",
        ["/shelf/", "/shelf/report.csv", "/shelf/report.xlsx", "/shelf/tags", "/shelf/lookup?q=1", "/shelf/product/1"],
    )
    def test_pages_send_visitors_to_login(self, client, url):
        response = client.get(url)
        assert response.status_code == 302 and "/staff/login?next=" in response.headers["Location"]

    @pytest.mark.parametrize("url", ["/shelf/upload", "/shelf/mapping"], ids=["upload", "mapping"])
    def test_writes_are_forbidden_without_login(self, client, url):
        assert client.post(url, data={}).status_code == 403

    def test_lookup_can_be_public(self, tmp_path):
        """SHELF_LOOKUP_PUBLIC opens the read-only lookup and product pages, nothing else."""
        app = make_app(tmp_path, SHELF_LOOKUP_PUBLIC=True)
        staff = app.test_client()
        login(staff)
        upload(staff, fixture("clinic.csv"))
        visitor = app.test_client()
        assert visitor.get("/shelf/lookup?q=calma").status_code == 200
        assert visitor.get("/shelf/product/1").status_code == 200
        assert visitor.get("/shelf/").status_code == 302
        forget_shelves()

    def test_no_account_configured_means_no_login(self, tmp_path):
        app = make_app(tmp_path, STAFF_PASSWORD_HASH=None)
        response = app.test_client().get("/staff/login")
        assert response.status_code == 503 and b"STAFF_PASSWORD_HASH" in response.data
        forget_shelves()

    def test_named_accounts(self, tmp_path):
        app = make_app(
            tmp_path, STAFF_PASSWORD_HASH=None, STAFF_ACCOUNTS=json.dumps({"Alice": generate_password_hash("a-secret")})
        )
        client = app.test_client()
        assert login(client, "a-secret", username="alice").status_code == 302
        assert client.get("/shelf/").status_code == 200
        forget_shelves()


class TestLogin:
    def test_wrong_password(self, client):
        response = login(client, "guess")
        assert response.status_code == 401 and b"Wrong name or password" in response.data
        assert client.get("/shelf/").status_code == 302

    def test_lockout_after_repeated_wrong_passwords(self, client):
        """After 5 wrong passwords even the right one is refused for a while."""
        for _ in range(5):
            assert login(client, "guess").status_code == 401
        response = login(client)
        assert response.status_code == 429 and b"Too many wrong passwords" in response.data

    def test_login_redirects_only_within_the_site(self, client):
        assert login(client, next="/shelf/?verdict=avoid").headers["Location"] == "/shelf/?verdict=avoid"
        for target in ["//evil.example/", "https://evil.example/", "/\\evil.example"]:
            client.post("/staff/logout", data={"csrf_token": token(client, "/shelf/")})
            assert login(client, next=target).headers["Location"] == "/shelf/"

    def test_cookie_flags_over_http_and_https(self, shelf_app):
        http = shelf_app.test_client()
        cookie = login(http).headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
        https = shelf_app.test_client()
        https.get("/staff/login", base_url="https://localhost")
        page = https.get("/staff/login", base_url="https://localhost").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = https.post(
            "/staff/login", data={"csrf_token": csrf, "password": PASSWORD}, base_url="https://localhost"
        )
        assert "Secure" in response.headers["Set-Cookie"]

    def test_logout(self, staff):
        staff.post("/staff/logout", data={"csrf_token": token(staff, "/shelf/")})
        assert staff.get("/shelf/").status_code == 302


class TestLockout:
    """Wrong passwords hold back the address that sent them, never staff elsewhere (issue 16, F7)."""

    def test_others_cannot_lock_staff_out(self, shelf_app):
        attacker, clinic = shelf_app.test_client(), shelf_app.test_client()
        for _ in range(7):
            assert login(attacker, "guess", address="203.0.113.66").status_code in (401, 429)
        assert login(attacker, address="203.0.113.66").status_code == 429  # even the right password
        assert login(clinic, address="192.0.2.10").status_code == 302

    def test_failed_addresses_held_back(self, shelf_app):
        """Five addresses, one wrong guess each: the name has had its five failures. Another address
        that fails once must now wait; an address that has not failed still logs in."""
        for n in range(5):
            assert login(shelf_app.test_client(), "guess", address=f"203.0.113.{n}").status_code == 401
        sixth = shelf_app.test_client()
        assert login(sixth, "guess", address="203.0.113.6").status_code == 401
        assert login(sixth, address="203.0.113.6").status_code == 429
        assert login(shelf_app.test_client(), address="192.0.2.10").status_code == 302

    def test_one_address_trying_many_names_is_held_back(self, shelf_app):
        client = shelf_app.test_client()
        for n in range(5):
            assert login(client, "guess", address="203.0.113.66", username=f"user{n}").status_code == 401
        assert login(client, address="203.0.113.66").status_code == 429


class TestSessions:
    """The cookie holds only a server-side session's token (issue 16, F8)."""

    def test_a_copied_cookie_stops_working_at_logout(self, staff, shelf_app):
        copy = shelf_app.test_client()
        copy.set_cookie("session", staff.get_cookie("session").value)
        assert copy.get("/shelf/report.csv").status_code == 200
        logout(staff)
        assert copy.get("/shelf/report.csv").status_code == 302
        assert staff.get("/shelf/report.csv").status_code == 302

    def test_a_session_ends_after_staff_session_hours(self, staff, monkeypatch):
        started = web.sessions.clock()
        monkeypatch.setattr(web.sessions, "clock", lambda: started + 8 * 3600 - 60)
        assert staff.get("/shelf/").status_code == 200
        monkeypatch.setattr(web.sessions, "clock", lambda: started + 8 * 3600 + 1)
        assert staff.get("/shelf/").status_code == 302

    def test_an_idle_limit_when_set(self, tmp_path, monkeypatch):
        client = make_app(tmp_path, STAFF_SESSION_IDLE_MINUTES=30).test_client()
        assert login(client).status_code == 302
        started = web.sessions.clock()
        for minutes in (20, 45):  # each request within 30 minutes of the last keeps it going
            monkeypatch.setattr(web.sessions, "clock", lambda m=minutes: started + m * 60)
            assert client.get("/shelf/").status_code == 200
        monkeypatch.setattr(web.sessions, "clock", lambda: started + 76 * 60)
        assert client.get("/shelf/").status_code == 302
        forget_shelves()

    def test_a_changed_password_ends_the_session(self, staff, tmp_path):
        """The app restarted with a new STAFF_PASSWORD_HASH: the old login no longer counts."""
        restarted = make_app(tmp_path, STAFF_PASSWORD_HASH=generate_password_hash("a new password"))
        copy = restarted.test_client()
        copy.set_cookie("session", staff.get_cookie("session").value)
        assert copy.get("/shelf/").status_code == 302

    def test_a_removed_account_ends_its_sessions(self, tmp_path):
        accounts = {"alice": generate_password_hash("a-secret"), "bob": generate_password_hash("b-secret")}
        bob = make_app(tmp_path, STAFF_PASSWORD_HASH=None, STAFF_ACCOUNTS=json.dumps(accounts)).test_client()
        assert login(bob, "b-secret", username="bob").status_code == 302
        del accounts["bob"]
        restarted = make_app(tmp_path, STAFF_PASSWORD_HASH=None, STAFF_ACCOUNTS=json.dumps(accounts)).test_client()
        restarted.set_cookie("session", bob.get_cookie("session").value)
        assert restarted.get("/shelf/").status_code == 302
        forget_shelves()

    def test_only_a_digest_of_the_token_is_stored(self, staff, shelf_app):
        with open_shelf(shelf_app.config["DATABASE_URL"]).engine.connect() as connection:
            stored = connection.execute(select(StaffSession.id, StaffSession.user)).all()
        assert len(stored) == 1 and stored[0].user == "staff" and len(stored[0].id) == 64


class TestAccounts:
    def test_a_malformed_staff_accounts_setting_stops_start_up(self, tmp_path):
        """Like a broken protocol file: the app does not start, and the message names the setting (F17)."""
        for value in ["{not json", "[]", '{"alice": "plain text password"}', '{"alice": 42}']:
            with pytest.raises(StaffAccountsError, match="STAFF_ACCOUNTS"):
                make_app(tmp_path, STAFF_ACCOUNTS=value)

    def test_a_malformed_shared_hash_stops_start_up(self, tmp_path):
        with pytest.raises(StaffAccountsError, match="STAFF_PASSWORD_HASH"):
            make_app(tmp_path, STAFF_PASSWORD_HASH="correct horse battery staple")

    def test_unknown_name_uses_the_hash_method(self, tmp_path, monkeypatch):
        """A wrong name costs what a wrong password costs: its dummy hash has the account's method and
        cost, so login timing does not tell names apart (issue 16, F16)."""
        cheap_pbkdf2 = generate_password_hash("a-secret", method="pbkdf2:sha256:1000")
        app = make_app(tmp_path, STAFF_PASSWORD_HASH=None, STAFF_ACCOUNTS=json.dumps({"alice": cheap_pbkdf2}))
        checked = []
        monkeypatch.setattr(
            web.auth, "check_password_hash", lambda stored, password: checked.append(stored.split("$")[0]) or False
        )
        for name in ("alice", "nobody", "mallory"):
            assert (
                login(app.test_client(), "guess", address=f"192.0.2.{len(checked)}", username=name).status_code == 401
            )
        assert checked == ["pbkdf2:sha256:1000"] * 3
        forget_shelves()

    def test_two_methods_one_dummy_per_name(self, tmp_path):
        accounts = {
            "alice": generate_password_hash("a", method="pbkdf2:sha256:1000"),
            "bob": generate_password_hash("b", method="scrypt:1024:8:1"),
        }
        app = make_app(tmp_path, STAFF_PASSWORD_HASH=None, STAFF_ACCOUNTS=json.dumps(accounts))
        staff = app.extensions["aftercheck_staff"]
        assert set(staff.dummies) == {"pbkdf2:sha256:1000", "scrypt:1024:8:1"}
        picks = {name: staff.dummy_for(name, "key") for name in (f"user{n}" for n in range(40))}
        assert set(picks.values()) == set(staff.dummies.values())
        assert all(staff.dummy_for(name, "key") == pick for name, pick in picks.items())
        forget_shelves()


class TestCsrf:
    def test_login_needs_the_token(self, client):
        response = client.post("/staff/login", data={"password": PASSWORD})
        assert response.status_code == 400 and b"expired" in response.data

    def test_upload_needs_the_token(self, staff):
        response = staff.post(
            "/shelf/upload",
            data={"inventory": (io.BytesIO(fixture("clinic.csv")), "c.csv")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 400
        assert b"No inventory stored yet" in staff.get("/shelf/").data

    def test_mapping_needs_the_token(self, staff):
        response = upload(staff, fixture("titled_unsure.csv"))
        form_token = re.search(r'name="token" type="hidden" value="([^"]+)"', response.get_data(as_text=True)).group(1)
        response = staff.post("/shelf/mapping", data={"token": form_token, "ingredients": "Full INCI text"})
        assert response.status_code == 400 and b"expired" in response.data

    def test_logout_needs_the_token(self, staff):
        staff.post("/staff/logout", data={})
        assert staff.get("/shelf/").status_code == 200


class TestUploadAndReport:
    def test_summary_table_and_unchecked_reasons(self, stocked):
        page = stocked.get("/shelf/").get_data(as_text=True)
        assert "Imported: 9 added, 0 changed, 0 removed" in page
        for count, word in [(3, "avoid"), (1, "caution"), (1, "encouraged"), (2, "fine to use"), (2, "not checked")]:
            assert re.search(rf"<strong>{count}</strong> {word}", page)
        assert "Gift Card" in page and "no ingredient list in this row" in page
        assert "none of the 2 ingredient(s) was recognised" in page

    def test_filter_and_sort(self, stocked):
        page = stocked.get("/shelf/?verdict=avoid&sort=name").get_data(as_text=True)
        assert "3 product(s) match the filter" in page
        names = re.findall(r'<a href="/shelf/product/\d+">([^<]+)</a>', page)
        assert names == ["Glow Peel Pads", "Mineral Shield SPF 30", "Night Renewal Serum"]
        assert "2 product(s)" in stocked.get("/shelf/?brand=Calma").get_data(as_text=True)
        assert "1 product(s)" in stocked.get("/shelf/?class=retinoid").get_data(as_text=True)

    def test_product_links_to_full_result(self, stocked):
        page = stocked.get("/shelf/product/1?day=3").get_data(as_text=True)
        assert "Shelf product: Night Renewal Serum · Lumen" in page and "Retinol" in page

    def test_download_csv_and_xlsx(self, stocked):
        response = stocked.get("/shelf/report.csv")
        assert "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
        assert rows[0][:6] == ["name", "brand", "barcode", "ingredients", "category", "verdict"]
        assert len(rows) == 10 and any(r[0].startswith("'=HYPERLINK") for r in rows)
        sheet = load_workbook(io.BytesIO(stocked.get("/shelf/report.xlsx").data)).active
        assert sheet["F2"].value == "Avoid" and all(c.data_type != "f" for row in sheet.iter_rows() for c in row)

    def test_reupload_reports_changes(self, stocked):
        text = fixture("clinic.csv").decode().replace("Mystery Oil,Nobrand,", "Calm Mist,Calma,")
        upload(stocked, text.encode())
        page = stocked.get("/shelf/").get_data(as_text=True)
        assert "Imported: 1 added, 0 changed, 1 removed, 8 unchanged." in page
        assert "Calm Mist" in page

    def test_unsure_columns_ask_for_a_mapping(self, staff):
        response = upload(staff, fixture("titled_unsure.csv"), "stock.csv")
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "Which column is which?" in page
        form_token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = staff.post(
            "/shelf/mapping",
            data={
                "csrf_token": csrf,
                "token": form_token,
                "name": "Item description",
                "brand": "Maker",
                "ingredients": "Full INCI text",
            },
        )
        assert response.status_code == 302
        assert "Imported: 2 added" in staff.get("/shelf/").get_data(as_text=True)

    def test_list_literal_file_is_detected_as_unsure(self, staff):
        assert b"Which column is which?" in upload(staff, fixture("scraped_list_literal.csv")).data


class TestBadUploads:
    def assert_unchanged(self, client):
        assert b"<strong>3</strong> avoid" in client.get("/shelf/").data

    def test_no_ingredient_column(self, stocked):
        response = upload(stocked, fixture("no_ingredients.csv"))
        assert response.status_code == 422 and b"No ingredient column was found" in response.data
        self.assert_unchanged(stocked)

    @pytest.mark.parametrize(
        "raw, filename, message",
        [
            (b"%PDF-1.7\n\x00\x01binary", "inventory.pdf", b"PDF, not a spreadsheet"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", b"not a spreadsheet"),
            (b"PK\x03\x04 broken zip", "stock.xlsx", b"damaged"),
            (b"", "empty.csv", b"The file is empty"),
        ],
        ids=["pdf", "png", "bad-zip", "empty"],
    )
    def test_not_a_spreadsheet(self, stocked, raw, filename, message):
        response = upload(stocked, raw, filename)
        assert response.status_code == 400 and message in response.data
        self.assert_unchanged(stocked)

    def test_duplicate_barcodes_change_nothing(self, stocked):
        response = upload(stocked, fixture("duplicate_barcodes.csv"))
        assert response.status_code == 400 and b"the stored shelf was not changed" in response.data
        self.assert_unchanged(stocked)

    def test_a_refused_upload_is_logged_with_its_reason(self, stocked, caplog):
        upload(stocked, b"%PDF-1.7\n\x00\x01binary", "inventory.pdf")
        [record] = [r for r in caplog.records if r.name == "aftercheck.shelf"]
        assert record.levelname == "WARNING" and record.getMessage().startswith("shelf upload refused: inventory.pdf")
        assert "PDF, not a spreadsheet" in record.getMessage()

    def test_200000_rows_over_the_web_limit(self, stocked):
        raw = csv_bytes(["name,barcode,ingredients"] + [f"p{i},{i},Water" for i in range(200_000)])
        response = upload(stocked, raw)
        assert response.status_code == 400 and b"more than 20,000 products" in response.data
        self.assert_unchanged(stocked)

    def test_50_mb_upload_is_413_with_a_clear_message(self, stocked):
        raw = b"name,ingredients\n" + b"x" * 50_000_000
        response = upload(stocked, raw)
        assert response.status_code == 413
        assert b"larger than the upload limit of 50 MB" in response.data
        self.assert_unchanged(stocked)

    def test_upload_limit_is_a_setting(self, tmp_path):
        app = make_app(tmp_path, SHELF_MAX_UPLOAD=2_000)
        client = app.test_client()
        login(client)
        response = upload(client, fixture("clinic.csv") * 5)
        assert response.status_code == 413 and b"0.002 MB" in response.data
        forget_shelves()

    def test_other_pages_keep_the_app_limit(self, staff):
        """The larger limit applies to the upload only."""
        assert staff.post("/", data={"text": "Water, " * 200_000}).status_code == 413


class TestStoredShelf:
    def test_survives_an_app_restart(self, stocked, tmp_path):
        """A new app instance on the same SQLite file shows the same shelf."""
        forget_shelves()
        again = make_app(tmp_path).test_client()
        login(again)
        page = again.get("/shelf/").get_data(as_text=True)
        assert "<strong>3</strong> avoid" in page and "Night Renewal Serum" in page

    def test_stale_verdicts_recomputed_at_start_up(self, stocked, shelf_app, tmp_path, caplog):
        make_stale(shelf_app)
        forget_shelves()
        again = make_app(tmp_path).test_client()  # a restart, e.g. after the protocol file changed
        login(again)
        page = again.get("/shelf/").get_data(as_text=True)
        assert "were recomputed" in page and "aftercare protocol" in page
        assert "<strong>3</strong> avoid" in page
        assert "stored shelf re-judged at start-up: 9 product(s)" in caplog.text

    def test_a_running_app_says_that_verdicts_are_stale(self, stocked, shelf_app):
        make_stale(shelf_app)
        page = stocked.get("/shelf/").get_data(as_text=True)
        assert 'class="notice notice-stale"' in page and "were recomputed" not in page

    @pytest.mark.parametrize(
        "url",
        [
            "/shelf/",
            "/shelf/?verdict=avoid&sort=verdict&desc=1",
            "/shelf/report.csv",
            "/shelf/report.xlsx",
            "/shelf/tags",
            "/shelf/lookup?q=calma&day=3",
            "/shelf/product/1",
        ],
        ids=["index", "filtered", "csv", "xlsx", "tags", "lookup", "product"],
    )
    def test_get_never_writes(self, stocked, shelf_app, url):
        """Even with stale verdicts stored, reading a page sends no INSERT, UPDATE or DELETE."""
        make_stale(shelf_app)
        engine = open_shelf(shelf_app.config["DATABASE_URL"]).engine
        writes = []

        def count_writes(_connection, _cursor, statement, *_args):
            if statement.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE", "CREATE", "DROP"}:
                writes.append(statement)

        event.listen(engine, "before_cursor_execute", count_writes)
        try:
            assert stocked.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count_writes)
        assert writes == []


def make_stale(app) -> None:
    """Stored verdicts as if judged by an older version with other data (and all wrong)."""
    with open_shelf(app.config["DATABASE_URL"]).engine.begin() as connection:
        connection.execute(
            Product.__table__.update().values(
                judged_with=json.dumps({"code": "0.0.1", "ingredients": "old", "protocol": "old"}),
                verdict="neutral",
            )
        )


class TestLookupAndTags:
    @pytest.mark.parametrize(
        "query, day, expect",
        [
            ("0012345678905", 3, "Avoid</strong> on day 3"),
            ("12345678905", 10, "Fine to use</strong> on day 10"),  # a scanner's UPC-A form, after the window
            ("peptide", None, "Encouraged</strong> (whole recovery window)"),
        ],
        ids=["ean", "upc", "name"],
    )
    def test_lookup(self, stocked, query, day, expect):
        url = f"/shelf/lookup?q={query}" + (f"&day={day}" if day is not None else "")
        assert expect in stocked.get(url).get_data(as_text=True)

    def test_lookup_miss(self, stocked):
        response = stocked.get("/shelf/lookup?q=999999")
        assert response.status_code == 404 and b"Nothing on the shelf matches" in response.data

    def test_tags(self, stocked):
        page = stocked.get("/shelf/tags?paper=letter").get_data(as_text=True)
        assert 'class="sheet sheet-letter"' in page
        for line in [
            "OK after microneedling from day 7",
            "Recommended after microneedling",
            "OK after microneedling</p>",
            "Ask staff before use after microneedling",
            "Ingredients not checked: ask staff",
        ]:
            assert line in page

    def test_tags_name_the_protocols_treatment(self, tmp_path):
        protocol = tmp_path / "peel.toml"
        shipped = (FIXTURES.parents[2] / "data" / "protocols" / "clinic-sheet.toml").read_text(encoding="utf-8")
        protocol.write_text(shipped.replace('"microneedling"', '"a chemical peel"'), encoding="utf-8")
        client = make_app(tmp_path, AFTERCHECK_PROTOCOL=str(protocol)).test_client()
        login(client)
        upload(client, fixture("clinic.csv"))
        page = client.get("/shelf/tags").get_data(as_text=True)
        assert "OK after a chemical peel from day 7" in page and "microneedling" not in page
        forget_shelves()

    def test_no_inline_scripts_or_styles(self):
        """The CSP has no 'unsafe-inline', so shelf templates must not need it."""
        for path in (FIXTURES.parents[2] / "templates" / "shelf").glob("*.html"):
            text = path.read_text()
            assert "<script" not in text and " style=" not in text and "<style" not in text, path


class TestCommands:
    def test_check_writes_csv_and_xlsx(self, shelf_app, tmp_path):
        runner = shelf_app.test_cli_runner()
        for suffix in ("csv", "xlsx"):
            out = tmp_path / f"report.{suffix}"
            result = runner.invoke(args=["shelf", "check", str(FIXTURES / "clinic.csv"), "-o", str(out)])
            assert result.exit_code == 0, result.output
            assert "9 products: avoid 3, caution 1, encouraged 1, fine to use 2, not checked 2" in result.output
            assert out.stat().st_size > 0

    def test_check_without_ingredient_column_fails(self, shelf_app, tmp_path):
        result = shelf_app.test_cli_runner().invoke(
            args=["shelf", "check", str(FIXTURES / "no_ingredients.csv"), "-o", str(tmp_path / "r.csv")]
        )
        assert result.exit_code == 1 and "No ingredient column" in result.output

    def test_check_with_a_mapping(self, shelf_app, tmp_path):
        result = shelf_app.test_cli_runner().invoke(
            args=[
                "shelf",
                "check",
                str(FIXTURES / "titled_unsure.csv"),
                "-o",
                str(tmp_path / "r.csv"),
                "--map",
                "ingredients=Full INCI text",
                "--map",
                "name=Item description",
            ]
        )
        assert result.exit_code == 0 and "Columns guessed" not in result.output

    def test_import_then_refused_import(self, shelf_app):
        runner = shelf_app.test_cli_runner()
        result = runner.invoke(args=["shelf", "import", str(FIXTURES / "clinic.csv")])
        assert result.exit_code == 0 and "9 added" in result.output
        result = runner.invoke(args=["shelf", "import", str(FIXTURES / "duplicate_barcodes.csv")])
        assert result.exit_code == 1 and "not changed" in result.output
        assert open_shelf(shelf_app.config["DATABASE_URL"]).count() == 9

    def test_hash_password(self, shelf_app):
        result = shelf_app.test_cli_runner().invoke(args=["staff", "hash-password"], input="pw\npw\n")
        assert result.exit_code == 0 and result.output.strip().splitlines()[-1].startswith(("scrypt:", "pbkdf2:"))
