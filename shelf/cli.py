"""The shelf's commands: check an inventory file into a report, or import it into the stored shelf.

In:  `shelf_commands(checker, shelf)`: two callables that give the Checker and the Shelf when a
     command runs (the web app passes its own, from its settings: web/shelf.py registers the group
     as `flask shelf`).
Out: a click group with
       check INVENTORY -o REPORT.csv|.xlsx   judge every row and write the report (nothing stored)
       import INVENTORY                      replace the stored shelf (all or nothing), report the changes
     both taking --map FIELD=COLUMN, --max-rows and --workers. Errors exit with status 1 and a message.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click

from checker import Checker
from checker.verdicts import SHELF_WORDS

from . import export
from .batch import default_workers, distinct_labels, judge_inventory
from .inventory import InventoryError, read_inventory
from .store import Shelf, StoreError


def read_for_cli(path: str, mapping: tuple[str, ...], max_rows: int):
    """The inventory file with the columns chosen by --map (or detected); notes go to stderr."""
    columns = None
    if mapping:
        pairs = [m.split("=", 1) for m in mapping]
        if any(len(p) != 2 for p in pairs):
            raise click.BadParameter("use FIELD=COLUMN, e.g. --map ingredients=INCI", param_hint="--map")
        columns = dict(pairs)
    try:
        inventory = read_inventory(Path(path).read_bytes(), path, columns=columns, max_rows=max_rows)
        inventory.require_ingredients()
    except InventoryError as error:
        raise click.ClickException(str(error)) from None
    if not inventory.sure:
        click.echo(
            "Columns guessed (pass --map FIELD=COLUMN to choose): "
            + ", ".join(f"{k}={v}" for k, v in inventory.columns.as_dict().items() if v),
            err=True,
        )
    for note in inventory.notes:
        click.echo(note, err=True)
    return inventory


def _judge_with_bar(inventory, checker: Checker, workers: int):
    with click.progressbar(
        length=distinct_labels(inventory), label="Checking labels", file=click.get_text_stream("stderr"), show_pos=True
    ) as bar:
        return judge_inventory(inventory, checker, progress=bar.update, workers=workers)


_INVENTORY_OPTIONS = [
    click.argument("inventory", type=click.Path(exists=True, dir_okay=False)),
    click.option(
        "--map",
        "mapping",
        multiple=True,
        metavar="FIELD=COLUMN",
        help="Choose a column by hand (fields: name, brand, barcode, ingredients, category).",
    ),
    click.option("--max-rows", default=1_000_000, show_default=True, help="Refuse files with more products."),
    click.option(
        "--workers",
        type=int,
        default=default_workers,
        show_default="CPU count",
        help="Processes that judge labels in parallel.",
    ),
]


def _with_inventory_options(command):
    for option in reversed(_INVENTORY_OPTIONS):
        command = option(command)
    return command


def shelf_commands(checker: Callable[[], Checker], shelf: Callable[[], Shelf]) -> click.Group:
    """The `shelf` command group, judging with `checker()` and storing into `shelf()`."""
    group = click.Group("shelf", help="Check or import a clinic's retail inventory.")

    @group.command("check")
    @_with_inventory_options
    @click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False),
        help="Report file: .csv or .xlsx (original columns plus verdict columns).",
    )
    def check_command(inventory, mapping, max_rows, workers, output):
        """Check an inventory file and write a report (nothing is stored)."""
        table = read_for_cli(inventory, mapping, max_rows)
        batch = _judge_with_bar(table, checker(), workers)
        rows = export.batch_rows(batch, table.frame)
        export.write(output, table.headers, rows, batch.versions, checker().protocol.name)
        click.echo(
            f"{len(batch.rows)} products: "
            + ", ".join(f"{SHELF_WORDS[k].lower()} {v}" for k, v in batch.summary.items())
            + f". Report: {output}"
        )

    @group.command("import")
    @_with_inventory_options
    def import_command(inventory, mapping, max_rows, workers):
        """Replace the stored shelf with an inventory file (all or nothing) and report the changes."""
        table = read_for_cli(inventory, mapping, max_rows)
        batch = _judge_with_bar(table, checker(), workers)
        stored = shelf()
        try:
            report = stored.replace(batch, table, source=Path(inventory).name)
        except StoreError as error:
            raise click.ClickException(str(error)) from None
        for note in report.notes:
            click.echo(note, err=True)
        click.echo(
            f"Imported {len(batch.rows)} rows: {len(report.added)} added, {len(report.changed)} changed, "
            f"{len(report.removed)} removed, {report.unchanged} unchanged."
        )
        click.echo(json.dumps(stored.summary()))

    return group
