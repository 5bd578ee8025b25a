"""Command line: python -m checker check [--json] [--day N] [--name N] [--category C] [--protocol PATH] [FILE]

Reads the label from FILE, or from standard input when FILE is '-' or absent, and prints the
report: JSON with --json, otherwise a readable summary (verdict first, then flagged ingredients
with reasons, then unrecognised tokens). Exit status: 0 checked, 2 bad input or data file.

The protocol file is --protocol, else the AFTERCHECK_PROTOCOL environment variable, else
data/protocols/: this command is the only part of the checker package that reads the environment.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from . import Checker, InputError, LexiconError, ProtocolError
from .product_types import TypesError
from .protocol import Protocol
from .protocols import DEFAULT_ID, resolve, shipped
from .verdicts import VerdictsError
from .vocabulary import VocabularyError


def default_protocol() -> str:
    """$AFTERCHECK_PROTOCOL (a shipped protocol's id or a file), else the default shipped protocol."""
    return os.environ.get("AFTERCHECK_PROTOCOL") or DEFAULT_ID


def _treatment(protocol_path: str) -> str:
    """The treatment the protocol file names, for the help text ('treatment' if it cannot be read)."""
    try:
        return Protocol.load(resolve(protocol_path)).treatment
    except ProtocolError:
        return "treatment"


def main(argv: list[str] | None = None) -> int:
    protocol = default_protocol()
    parser = argparse.ArgumentParser(
        prog="python -m checker",
        description=f"Check a skincare label against the {_treatment(protocol)} aftercare protocol.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check one label")
    check.add_argument("file", nargs="?", default="-", help="label text file ('-' or absent: standard input)")
    check.add_argument(
        "--day", type=int, default=None, help="days since treatment (0 = treatment day); default: the whole window"
    )
    check.add_argument("--json", action="store_true", help="print the JSON report")
    check.add_argument(
        "--protocol",
        default=protocol,
        help=f"a shipped protocol ({', '.join(shipped())}) or a protocol file (default: $AFTERCHECK_PROTOCOL, else {DEFAULT_ID})",
    )
    check.add_argument("--name", default=None, help="product name or type, when known")
    check.add_argument(
        "--category", default=None, help="the retailer's or inventory's category, when known ('Sun protect')"
    )
    args = parser.parse_args(argv)

    try:
        if args.file == "-":
            text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
        else:
            with open(args.file, "rb") as handle:
                raw = handle.read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("cp1252", errors="replace")  # labels saved by older Windows tools
        report = Checker(resolve(args.protocol)).check(text, day=args.day, name=args.name, category=args.category)
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    except (InputError, ProtocolError, LexiconError, TypesError, VerdictsError, VocabularyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(report.to_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
