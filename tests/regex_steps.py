"""The work a backtracking regex engine does on a text, counted in steps rather than timed.

In:  a compiled pattern (str or bytes) and a text of the same kind.
Out: `steps(pattern, text)` -> how many steps a plain backtracking matcher takes to find every match
     in the text from left to right, as re.finditer, re.sub and re.split do; TooManySteps once
     `limit` is passed. `repeated_runs(pattern)` -> what the pattern's repeats accept, to build
     evil texts for it; EVIL_UNITS, the classic pathological ones.

The matcher walks the pattern the way Python's engine does: alternatives in order, greedy and lazy
repeats trying every count, lookarounds, anchors, and a new attempt at every start position after a
failure. One step is one node tried at one position (one character compared, one anchor checked, one
repeat count tried). Python's engine does the same search with shortcuts (it skips start positions
that cannot begin a match, for instance), so a pattern whose count grows linearly with the text
does not backtrack super-linearly in Python either. Counting needs no clock: the same pattern and
text give the same count on every machine, however busy.

Single characters and anchors are decided by Python's engine itself (the node compiled on its own,
with the flags in force there), so case folding, Unicode classes and MULTILINE are exactly those of
the real pattern. Back-references and conditionals are not modelled (NotImplementedError).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

# The parser and compiler behind `re` (private modules, stable in form since Python 3.11): the
# pattern's own parse tree is walked, and single nodes are compiled with Python's rules.
from re import _compiler, _constants, _parser

Cont = Callable[[int], bool]
Node = Callable[[int, Cont], bool]

_CHAR_OPS = {_constants.LITERAL, _constants.NOT_LITERAL, _constants.IN, _constants.ANY, _constants.CATEGORY}
_MAX = _constants.MAXREPEAT


class TooManySteps(Exception):
    """The count passed the limit: the pattern backtracks far more than the text's length."""


def steps(pattern: re.Pattern, text, limit: int = 10_000_000) -> int:
    """Steps to find every match of `pattern` in `text`, left to right. See the module docstring."""
    return _Matcher(pattern, text, limit).scan()


class _Matcher:
    def __init__(self, pattern: re.Pattern, text, limit: int):
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        self.state, self.text, self.limit, self.count = parsed.state, text, limit, 0
        self.root = self._sequence(list(parsed), parsed.state.flags)

    def tick(self) -> None:
        self.count += 1
        if self.count > self.limit:
            raise TooManySteps(f"more than {self.limit:,} steps on {len(self.text):,} characters")

    def scan(self) -> int:
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, 50_000))  # the matcher recurses once per repeat taken
        try:
            pos, size = 0, len(self.text)
            while pos <= size:
                self.tick()
                end = self._first_end(self.root, pos)
                pos = end if end is not None and end > pos else pos + 1
        finally:
            sys.setrecursionlimit(old_limit)
        return self.count

    # --- the parse tree, node by node, as functions (position, continuation) -> matched ----------

    def _sequence(self, items: list, flags: int) -> Node:
        nodes = [self._node(op, av, flags) for op, av in items]

        def chain(index: int) -> Node:
            if index == len(nodes):
                return lambda pos, k: k(pos)
            first, rest = nodes[index], chain(index + 1)
            if index == len(nodes) - 1:
                return first
            return lambda pos, k: first(pos, lambda end: rest(end, k))

        return chain(0)

    def _alone(self, op, av, flags: int) -> re.Pattern:
        """One node compiled on its own with the flags in force where it stands."""
        return _compiler.compile(_parser.SubPattern(self.state, [(op, av)]), flags)

    def _char_test(self, op, av, flags: int) -> Callable[[int], bool]:
        compiled, known = self._alone(op, av, flags), {}
        text = self.text

        def test(pos: int) -> bool:
            if pos >= len(text):
                return False
            char = text[pos : pos + 1]
            if char not in known:
                known[char] = compiled.match(char) is not None
            return known[char]

        return test

    def _node(self, op, av, flags: int) -> Node:
        if op in _CHAR_OPS:
            test = self._char_test(op, av, flags)

            def char(pos, k):
                self.tick()
                return test(pos) and k(pos + 1)

            return char
        if op is _constants.AT:
            compiled = self._alone(op, av, flags)

            def anchor(pos, k):
                self.tick()
                return compiled.match(self.text, pos) is not None and k(pos)

            return anchor
        if op is _constants.SUBPATTERN:
            _group, add, remove, items = av
            return self._sequence(list(items), (flags | add) & ~remove)
        if op is _constants.BRANCH:
            alternatives = [self._sequence(list(items), flags) for items in av[1]]

            def branch(pos, k):
                self.tick()
                return any(alternative(pos, k) for alternative in alternatives)

            return branch
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT):
            return self._repeat(op, *av, flags)
        if op is _constants.ATOMIC_GROUP:
            inner = self._sequence(list(av), flags)

            def atomic(pos, k):
                end = self._first_end(inner, pos)
                return end is not None and k(end)

            return atomic
        if op in (_constants.ASSERT, _constants.ASSERT_NOT):
            return self._lookaround(op is _constants.ASSERT, *av, flags)
        raise NotImplementedError(f"{op} is not modelled")

    def _first_end(self, inner: Node, pos: int) -> int | None:
        """Where the first match of `inner` at `pos` ends (no backtracking into it), or None."""
        ends: list[int] = []
        inner(pos, lambda end: ends.append(end) or True)
        return ends[0] if ends else None

    def _lookaround(self, positive: bool, direction: int, items, flags: int) -> Node:
        inner = self._sequence(list(items), flags)
        width = _parser.SubPattern(self.state, list(items)).getwidth()[0]

        def lookaround(pos, k):
            self.tick()
            if direction == 1:
                found = inner(pos, lambda end: True)
            else:
                found = pos - width >= 0 and inner(pos - width, lambda end: end == pos)
            return found == positive and k(pos)

        return lookaround

    def _repeat(self, op, least: int, most: int, items, flags: int) -> Node:
        most = float("inf") if most is _MAX else most
        items = list(items)
        if len(items) == 1 and items[0][0] in _CHAR_OPS and op is not _constants.POSSESSIVE_REPEAT:
            return self._char_repeat(op is _constants.MAX_REPEAT, least, most, self._char_test(*items[0], flags))
        inner = self._sequence(items, flags)
        if op is _constants.POSSESSIVE_REPEAT:

            def possessive(pos, k):
                count, end = 0, pos
                while count < most:
                    self.tick()
                    after = self._first_end(inner, end)
                    if after is None or after == end:
                        break
                    count, end = count + 1, after
                return count >= least and k(end)

            return possessive

        def greedy(pos, k, count=0):
            self.tick()
            # An iteration that matched nothing ends the repeat, as in Python's engine.
            if count < most and inner(pos, lambda end: (end != pos or count < least) and greedy(end, k, count + 1)):
                return True
            return count >= least and k(pos)

        def lazy(pos, k, count=0):
            self.tick()
            if count >= least and k(pos):
                return True
            return count < most and inner(pos, lambda end: (end != pos or count < least) and lazy(end, k, count + 1))

        return greedy if op is _constants.MAX_REPEAT else lazy

    def _char_repeat(self, greedy: bool, least: int, most: float, test: Callable[[int], bool]) -> Node:
        """A repeat of one character: every count from the longest down (greedy) or up (lazy)."""

        def longest(pos):
            count = 0
            while count < most and test(pos + count):
                self.tick()
                count += 1
            return count

        def repeat(pos, k):
            self.tick()
            if greedy:
                for count in range(longest(pos), least - 1, -1):
                    self.tick()
                    if k(pos + count):
                        return True
                return False
            count = 0
            while True:
                self.tick()
                if count >= least and k(pos + count):
                    return True
                if count >= most or not test(pos + count):
                    return False
                count += 1

        return repeat


# Classic pathological inputs, as (unit, end): long runs of one character class, a run that almost
# matches and then fails at the end, nested brackets, repeated separators.
EVIL_UNITS = [
    ("a", "!"),
    ("1", "x"),
    (" ", "x"),
    ("a ", "!"),
    ("(", ""),
    ("((a)", ""),
    (",", "a"),
    ("-", "!"),
    ("a1-", ""),
    ("Aa", "\n"),
    ("\t\n ", "."),
    (".,", ""),
    ("<a ", ""),
    ("&#", ""),
    ("%", ""),
    ("/", "!"),
    ("ab", "["),
    ("aa,bb;", ""),
    ("Acid ", "("),
    ("0.", "%"),
]

# Characters tried when looking for what a pattern's repeats accept: ASCII, then the typographic
# and Unicode characters labels and pages carry.
_POOL = [chr(c) for c in range(32, 127)] + list("\t\n\xa0–—•·éÃ\u200b\u202eＡ、")


def repeated_runs(pattern: re.Pattern) -> list[tuple]:
    """For every repeat of a single character in the pattern: the literal text just before it (often
    what a search must find first) and one character the repeat accepts, so that runs of exactly
    what the pattern repeats, where it repeats them, can be tried on it."""
    parsed = _parser.parse(pattern.pattern, pattern.flags)
    as_text = (lambda code: bytes([code])) if isinstance(pattern.pattern, bytes) else chr
    found: list[tuple] = []

    def walk(items, flags: int) -> None:
        before = as_text(0)[:0]
        for op, av in items:
            if op is _constants.LITERAL:
                before += as_text(av)
                continue
            if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT):
                inner = list(av[2])
                if len(inner) == 1 and inner[0][0] in _CHAR_OPS:
                    compiled = _compiler.compile(_parser.SubPattern(parsed.state, inner), flags)
                    accepted = [as_text(ord(c)) for c in _POOL if ord(c) < 256 or as_text is chr]
                    char = next((c for c in accepted if compiled.fullmatch(c)), None)
                    if char is not None and (before, char) not in found:
                        found.append((before, char))
                walk(inner, flags)
            elif op is _constants.SUBPATTERN:
                walk(av[3], (flags | av[1]) & ~av[2])
            elif op is _constants.BRANCH:
                for branch in av[1]:
                    walk(branch, flags)
            elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
                walk(av[1], flags)
            elif op is _constants.ATOMIC_GROUP:
                walk(av, flags)
            before = before[:0]

    walk(list(parsed), parsed.state.flags)
    return found
