"""Real Chromium: a school administrator imports an MIS export, sees the per-row report, fixes the file, imports."""

import pytest
from playwright.sync_api import expect

from safeguarding.rules.roles import Role
from tests.helpers import browser_sign_in
from tests.people.conftest import born_for_year, mis_csv, upn

pytestmark = pytest.mark.browser


def csv_file(text: str) -> dict:
    return {"name": "pupils.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}


def test_a_school_administrator_imports_a_csv_fixes_it_and_imports_again(page, live_server_url, committed_school,
                                                                         committed_user):
    school = committed_school()
    admin = committed_user(Role.SCHOOL_ADMIN, school)
    url = live_server_url(school)
    browser_sign_in(page, f"{url}/", admin)
    expect(page.get_by_test_id("whoami")).to_contain_text("School administrator")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Tutor groups").click()
    page.get_by_role("main").get_by_role("link", name="Young people", exact=True).click()
    expect(page.get_by_test_id("identity-only")).to_be_visible()
    page.get_by_role("link", name="Import from the MIS").click()
    expect(page.get_by_role("heading", name="Import young people from the MIS")).to_be_visible()

    nine = born_for_year(9).strftime("%d/%m/%Y")
    bad = mis_csv((upn(11), "Amelia", "Hart", nine, 9, "9N"),
                  ("A12", "Ben", "Okafor", "31/02/2011", 10, "10N"))
    page.get_by_label("CSV file from the MIS").set_input_files(csv_file(bad))
    page.get_by_role("button", name="Import", exact=True).click()

    report = page.get_by_test_id("import-report")
    expect(report).to_be_visible()
    row = report.locator('tr[data-row="3"]')
    expect(row).to_contain_text("A12")
    expect(row).to_contain_text("“A12” is not a UPN")
    expect(row).to_contain_text("“31/02/2011” is not a date")
    expect(report.locator('tr[data-row="2"]')).to_have_count(0)
    expect(page.get_by_test_id("import-refused")).to_contain_text("Nothing was saved")

    fixed = mis_csv((upn(11), "Amelia", "Hart", nine, 9, "9N"),
                    (upn(12), "Ben", "Okafor", born_for_year(10).strftime("%d/%m/%Y"), 10, "10N"))
    page.get_by_label("CSV file from the MIS").set_input_files(csv_file(fixed))
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_role("heading", name="Young people", exact=True)).to_be_visible()
    expect(page.get_by_text("Imported: 2 young people added")).to_be_visible()
    table = page.get_by_test_id("young-people")
    expect(table).to_contain_text("Hart, Amelia")
    expect(table).to_contain_text("Okafor, Ben")
    expect(table).to_contain_text("10N")
    expect(table.locator("[data-level]")).to_have_count(0)
