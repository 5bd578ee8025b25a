"""GET /shelf/protocols: staff compare the protocols side by side; `?only=differences` keeps the disagreements."""

import re

from checker.protocol import Protocol
from checker.protocols import DEFAULT_ID, shipped

ROW = re.compile(r'<tr class="(row-differs|row-same)" id="(class|product)-(\w+)">')


def rows_of(page: str) -> dict[tuple[str, str], bool]:
    """(kind, rule name) -> whether the page marks the row as differing."""
    return {(kind, name): mark == "row-differs" for mark, kind, name in ROW.findall(page)}


def disagreements() -> set[tuple[str, str]]:
    """Worked out from the parsed files: the rules whose flag or window is not the same in every shipped protocol."""
    protocols = [Protocol.load(path) for path in shipped().values()]
    found = set()
    for kind, attribute in [("class", "classes"), ("product", "products")]:
        names = {name for p in protocols for name in getattr(p, attribute)}
        for name in names:
            seen = {(r.flag, r.until_day) if (r := getattr(p, attribute).get(name)) else None for p in protocols}
            if len(seen) > 1:
                found.add((kind, name))
    return found


def test_visitors_are_sent_to_the_staff_login(make_staff_app):
    response = make_staff_app().test_client().get("/shelf/protocols")
    assert response.status_code == 302 and "/staff/login?next=" in response.headers["Location"]


def test_the_page_lists_every_rule_and_marks_every_difference_in_words(staff_client):
    page = staff_client.get("/shelf/protocols").get_data(as_text=True)
    rows = rows_of(page)
    default = Protocol.load(shipped()[DEFAULT_ID])
    assert {("class", n) for n in default.classes} | {("product", n) for n in default.products} <= rows.keys()
    assert {key for key, differs in rows.items() if differs} == disagreements()
    for protocol_id in shipped():
        assert f"<code>{protocol_id}</code>" in page
    assert page.count(">differs</strong>") == len(disagreements()) + 1  # once per row, once in the key
    assert "changed</span>" in page


def test_only_differences_keeps_every_difference_and_nothing_else(staff_client):
    page = staff_client.get("/shelf/protocols?only=differences").get_data(as_text=True)
    rows = rows_of(page)
    assert set(rows) == disagreements() and all(rows.values())
    assert 'href="/shelf/protocols"' in page  # the way back to all rules is a plain link


def test_a_clinics_own_file_is_a_column_marked_in_use(make_staff_client, tmp_path):
    own = tmp_path / "our-clinic.toml"
    text = shipped()[DEFAULT_ID].read_text(encoding="utf-8")
    own.write_text(text.replace('until_day = 3\nlabel = "fragrance"', 'until_day = 5\nlabel = "fragrance"'), "utf-8")
    page = make_staff_client(AFTERCHECK_PROTOCOL=str(own)).get("/shelf/protocols").get_data(as_text=True)
    assert "<code>our-clinic.toml</code> (in use)" in page
    assert rows_of(page)[("class", "fragrance")] is True


def test_the_shelf_page_links_to_the_comparison(staff_client):
    assert 'href="/shelf/protocols"' in staff_client.get("/shelf/").get_data(as_text=True)


def test_the_result_page_names_the_protocol_and_version_it_used(make_staff_app):
    client = make_staff_app(AFTERCHECK_PROTOCOL="dermapen-day3").test_client()
    page = client.post("/", data={"text": "Aqua, Retinol", "day": "4"}, follow_redirects=True).get_data(as_text=True)
    protocol = Protocol.load(shipped()["dermapen-day3"])
    assert re.search(rf"Checked with .*protocol “{re.escape(protocol.name)}” {protocol.version} \(", page)
