"""Full-page screenshots of the pages patients and staff see, at phone size, to look at by eye.

In:  nothing but the repository: the app is started on a free port of 127.0.0.1 with a throwaway
     shelf database and the browser tests' staff password (tests/browser/browser_helpers.py); the inputs are tests/fixtures (a saved shop page, the clinic
     inventory) and a 40-ingredient label written here.
Out: PNGs at 390x844 under artifacts/screens/ (git-ignored): home, a long result, the bookmarklet
     result, the shelf with an inventory uploaded, a counter lookup that finds a product, the shelf
     tags and the timeline; their paths are printed.

Needs Playwright for Python and Debian's Chromium (/usr/bin/chromium, or AFTERCHECK_CHROMIUM).

    python3 scripts/screenshots.py
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))  # the browser tests' helpers: one way to serve and post

from browser_helpers import CHROMIUM_ARGS, STAFF_PASSWORD, TALL_PHONE, post_form, serve_shelf  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

OUT = ROOT / "artifacts" / "screens"
FIXTURES = ROOT / "tests" / "fixtures"
# A long label: 39 everyday ingredients and one retinol, as on a rich night cream.
LONG_LABEL = "Rich Night Cream\nIngredients: " + ", ".join(
    [
        "Aqua",
        "Glycerin",
        "Caprylic/Capric Triglyceride",
        "Cetearyl Alcohol",
        "Butyrospermum Parkii Butter",
        "Squalane",
        "Dimethicone",
        "Propanediol",
        "Glyceryl Stearate",
        "PEG-100 Stearate",
        "Niacinamide",
        "Panthenol",
        "Sodium Hyaluronate",
        "Ceramide NP",
        "Ceramide AP",
        "Cholesterol",
        "Phytosphingosine",
        "Tocopherol",
        "Tocopheryl Acetate",
        "Allantoin",
        "Bisabolol",
        "Simmondsia Chinensis Seed Oil",
        "Helianthus Annuus Seed Oil",
        "Retinol",
        "Cetyl Alcohol",
        "Stearic Acid",
        "Behenyl Alcohol",
        "Caprylyl Glycol",
        "Xanthan Gum",
        "Carbomer",
        "Sodium Hydroxide",
        "Disodium EDTA",
        "Polysorbate 20",
        "Sorbitan Olivate",
        "Cetearyl Olivate",
        "Hydroxyacetophenone",
        "Lecithin",
        "Ascorbyl Palmitate",
        "Citric Acid",
        "Phenoxyethanol",
    ]
)


def shoot(page, name: str) -> Path:
    path = OUT / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    print(path.relative_to(ROOT))
    return path


def patient_pages(page, base: str):
    page.goto(base + "/")
    shoot(page, "home")
    post_form(page, "/", {"text": LONG_LABEL, "day": "2"})
    shoot(page, "result-long-label")
    shop_page = (FIXTURES / "pages" / "tabbed_accordion.html").read_text(encoding="utf-8")
    post_form(page, "/from-page", {"html": shop_page, "url": "https://shop.example/tabbed_accordion", "day": "2"})
    shoot(page, "bookmarklet-result")
    page.goto(base + "/timeline")
    shoot(page, "timeline")


def staff_pages(page, base: str):
    page.goto(base + "/staff/login?next=/shelf/")
    page.fill("#password", STAFF_PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    page.set_input_files("input[type=file]", str(FIXTURES / "inventory" / "clinic.csv"))
    with page.expect_navigation():
        page.locator("form:has(input[type=file]) button[type=submit]").click()
    page.goto(base + "/shelf/")
    shoot(page, "shelf")
    page.goto(base + "/shelf/lookup?q=0012345678905&day=2")
    shoot(page, "shelf-lookup")
    page.goto(base + "/shelf/tags")
    shoot(page, "shelf-tags")


def main() -> int:
    chromium = os.environ.get("AFTERCHECK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        print(f"Chromium not found (looked for {chromium}): apt-get install chromium", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request would bury the paths
    with tempfile.TemporaryDirectory(prefix="aftercheck-screens-") as folder:
        base, stop = serve_shelf(Path(folder), TESTING=False)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                context = browser.new_context(viewport=TALL_PHONE, device_scale_factor=1)
                page = context.new_page()
                patient_pages(page, base)
                staff_pages(page, base)
                browser.close()
        finally:
            stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
