"""A patient's evening after treatment, in a real browser (Debian's Chromium via Playwright).

The app runs on a real server thread on 127.0.0.1 (fixtures in conftest.py); screenshots of each
page at phone size go to artifacts/screenshots/.
"""

from datetime import date, timedelta

from browser_helpers import PHONE, screenshot

from web.templating import long_date

RETINOL_SERUM = (
    "Night Renewal Serum\nIngredients: Aqua, Glycerin, Propanediol, Retinol, Squalane, "
    "Tocopherol, Sodium Hyaluronate, Carbomer, Sodium Hydroxide, Phenoxyethanol"
)
PEPTIDE_CREAM = (
    "Aqua, Glycerin, Caprylic/Capric Triglyceride, Cetearyl Alcohol, Palmitoyl Tripeptide-1, "
    "Palmitoyl Tetrapeptide-7, Ceramide NP, Panthenol, Phenoxyethanol, Ethylhexylglycerin"
)


def check_label(page, base_url, text, day):
    page.goto(base_url + "/")
    page.get_by_label("Ingredient list, or the whole label text").fill(text)
    page.get_by_label("When was your treatment?").select_option(str(day))
    page.get_by_role("button", name="Check this label").click()
    page.wait_for_load_state()
    return page.get_by_role("status")


def test_retinol_serum_on_day_2_says_avoid_and_when_it_is_safe(page, base_url):
    banner = check_label(page, base_url, RETINOL_SERUM, day=2)
    safe = long_date(date.today() - timedelta(days=2) + timedelta(days=7))
    assert banner.get_by_role("heading", level=1).inner_text() == "Avoid for now"
    assert f"Safe to use from {safe} (day 7)" in banner.inner_text()
    assert page.title().startswith("Avoid for now")
    screenshot(page, "result-avoid-retinol-day2")


def test_peptide_cream_is_encouraged(page, base_url):
    banner = check_label(page, base_url, PEPTIDE_CREAM, day=2)
    assert banner.get_by_role("heading", level=1).inner_text() == "Encouraged"
    screenshot(page, "result-encouraged-peptide-day2")


def test_home_and_timeline_fit_a_phone(page, base_url):
    for path, name in [("/", "home"), ("/timeline", "timeline")]:
        page.goto(base_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways ({width}px)"
        assert page.get_by_text("Your clinic's own aftercare instructions always come first").is_visible()
        screenshot(page, name)


def test_the_form_works_from_the_keyboard(page, base_url):
    page.goto(base_url + "/")
    order = []
    for _ in range(9):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    assert order[-4:] == ["text", "product-name", "day", "Check this label"], order
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    page.keyboard.type("Aqua, Retinol")
    for _ in range(3):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Avoid for now" in page.get_by_role("status").inner_text()
