"""The README and docs/ stay true: CI runs the README's test command, the README's command-line
example prints what it shows, and every relative link in README.md and docs/*.md resolves."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def section(text: str, heading: str) -> str:
    """The text under a '## heading', up to the next heading of that level."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no '## {heading}' section"
    return match.group(1)


def indented_commands(text: str) -> list[str]:
    """The lines of the indented (four-space) code blocks."""
    return [line[4:] for line in text.splitlines() if line.startswith("    ") and line.strip()]


def anchors(page: Path) -> set[str]:
    """GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces as '-'."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_ci_runs_the_readmes_test_command():
    """.ci/run's last command is the first command under "Run the tests", character for character."""
    readme_command = indented_commands(section(README.read_text(encoding="utf-8"), "Run the tests"))[0]
    ci_lines = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.strip()]
    assert ci_lines[-1] == readme_command


def test_the_command_line_example_prints_what_the_readme_shows():
    example = section(README.read_text(encoding="utf-8"), "Example")
    block = re.search(r"^```\n\$ (python3 -m checker .+?)\n(.*?)^```", example, re.M | re.S)
    assert block, "the Example section starts with a '$ python3 -m checker ...' block"
    command, shown = block.groups()
    args = shlex.split(command)[1:]  # run with this interpreter, not whichever python3 is first on PATH
    result = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == shown


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_every_relative_link_points_at_an_existing_file(page):
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(target)
    assert not broken, f"{page.relative_to(ROOT)}: links to nothing: {broken}"
