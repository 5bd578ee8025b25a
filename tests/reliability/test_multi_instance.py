"""More than one server: app instances in separate processes (own engine, own memory) share one
database, SQLite file or PostgreSQL. An import on one is visible on the other at once, and two
imports at the same moment end with one complete shelf: no duplicates, nothing lost, no mix.
"""

from __future__ import annotations

import multiprocessing

import pytest
from reliability_helpers import inventory_csv, run_instance
from sqlalchemy import create_engine, func, select

from shelf.store import Product

pytestmark = pytest.mark.slow  # each test starts server processes

SPAWN = multiprocessing.get_context("spawn")  # a clean interpreter, like another server


def start(database_url, instance_dir, steps, ready, go, results):
    process = SPAWN.Process(target=run_instance, args=(database_url, str(instance_dir), steps, ready, go, results))
    process.start()
    return process


def finish(processes, results) -> list:
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(60)
    errors = [o for o in outcomes if o and o[0][0] == "error"]
    assert not errors, errors
    return outcomes


def stored(database_url) -> list[tuple[str, str]]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(select(Product.key, Product.name)).all()
        assert connection.execute(select(func.count(func.distinct(Product.key)))).scalar() == len(rows)
    engine.dispose()
    return rows


def test_an_import_on_one_server_shows_on_the_other(database_url, tmp_path):
    ready, go, results = SPAWN.Event(), SPAWN.Event(), SPAWN.Queue()
    # B is running and has looked at the (empty) shelf before A imports.
    reader = start(
        database_url,
        tmp_path / "b",
        [("lookup", "Tag-A"), ("signal",), ("wait",), ("lookup", "Tag-A")],
        ready,
        go,
        results,
    )
    assert ready.wait(120), "server B did not start"
    writer_results, unused = SPAWN.Queue(), (SPAWN.Event(), SPAWN.Event())  # kept alive for the child
    writer = start(
        database_url, tmp_path / "a", [("upload", inventory_csv(40, "Tag-A"), "stock.csv")], *unused, writer_results
    )
    [[upload]] = finish([writer], writer_results)
    assert upload[:2] == ("upload", 302) and upload[2].endswith("/shelf/")
    go.set()
    [[before, after]] = finish([reader], results)
    assert before == ("lookup", 404, 0)  # nothing on the shelf yet
    assert after[:2] == ("lookup", 200) and after[2] == 20  # the lookup shows 20 at most
    assert len(stored(database_url)) == 40


@pytest.mark.parametrize("same", [True, False], ids=["same", "different"])
def test_two_imports_at_once_end_consistent(database_url, tmp_path, same):
    """Both uploads succeed: into the empty shelf, or (the later one, when the first was already
    stored) as a preview that waits for confirmation; the shelf is exactly one of the two files,
    each product once."""
    first = inventory_csv(300, "Tag-A")
    second = first if same else inventory_csv(250, "Tag-B")
    go, results = SPAWN.Event(), SPAWN.Queue()
    readies = [SPAWN.Event(), SPAWN.Event()]
    processes = [
        start(
            database_url, tmp_path / name, [("signal",), ("wait",), ("upload", raw, f"{name}.csv")], ready, go, results
        )
        for name, raw, ready in (("a", first, readies[0]), ("b", second, readies[1]))
    ]
    assert all(ready.wait(120) for ready in readies), "a server did not start"
    go.set()  # both upload now
    outcomes = finish(processes, results)
    assert sorted(o[0][1] for o in outcomes) in ([200, 302], [302, 302]), outcomes
    rows = stored(database_url)
    names = {name.split(" product ")[0] for _, name in rows}
    assert len(names) == 1, f"a mix of both files: {names}"
    expected = 300 if same or names == {"Tag-A"} else 250
    assert len(rows) == expected
