"""Aftercheck's checker: label text in, a verdict for the days after microneedling out.

    from checker import check
    report = check("Water, Glycerin, Retinol", day=2)
    report.verdict          # 'avoid'
    report.to_dict()        # the JSON contract (docs/checker.md)

Stages, one module each: product (a label -> its products: kits, Drug Facts, stated strengths,
types from product_types), parse (text -> tokens), lexicon (data files -> tables), match
(token -> ingredient), protocol (rules file), judge (flags and verdict), report (output);
engine wires them; vocabulary builds the label's non-ingredient words (data/label_words.toml)
into patterns; verdicts holds the verdict words and severity order (data/verdicts.toml) that
the report, the web pages and the shelf share. Nothing in this package imports Flask or reads the
environment (only the command line, __main__, falls back to AFTERCHECK_PROTOCOL).
"""

__version__ = "0.1.0"

from .engine import Checker, get_checker  # noqa: E402
from .lexicon import LexiconError  # noqa: E402
from .parse import InputError  # noqa: E402
from .protocol import ProtocolError  # noqa: E402
from .report import Report  # noqa: E402


def check(text: str, day: int | None = None, name: str | None = None, category: str | None = None) -> Report:
    """Check one label with the default data and protocol; `name` and `category` say what the product is."""
    return get_checker().check(text, day=day, name=name, category=category)


__all__ = ["check", "Checker", "get_checker", "Report", "InputError", "ProtocolError", "LexiconError"]
