"""Real Chromium on the case pages: a tutor's SERAT with its running total, a DCPO's consent and checklist,
a headteacher's agreement from the awaiting list."""

import re

import pytest
from playwright.sync_api import expect

from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.rules.instruments import InstrumentKind
from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Role
from tests.case_pages.conftest import answers_for
from tests.helpers import browser_sign_in

pytestmark = pytest.mark.browser


def test_a_tutor_sees_the_running_total_and_then_the_level(page, live_server_url, committed_school, committed_user,
                                                           django_db_blocker, cases):
    school = committed_school()
    tutor = committed_user(Role.STAFF, school)
    with django_db_blocker.unblock():
        group = cases.tutor_group(school, staff=[tutor])
        person = cases.young_person(school, tutor_group=group, first_name="Remy", last_name="Browser")
        instrument = instrument_in_force(kind=InstrumentKind.SERAT).as_instrument()
        answers = answers_for(InstrumentKind.SERAT, Level.MEDIUM)
    base = live_server_url(school)
    browser_sign_in(page, f"{base}/cases/young-people/{person.pk}/serat/", tutor)

    total, level = page.get_by_test_id("running-total"), page.get_by_test_id("running-level")
    expect(total).to_have_text("0")
    expect(level).to_have_text(instrument.bands[0].level.label)
    running = 0
    seen_levels = set()
    for code, score in answers.items():
        page.locator(f'input[name="{code}"][value="{score}"]').check()
        running += score
        expect(total).to_have_text(str(running))
        band = next(b for b in instrument.bands if b.minimum <= running <= b.maximum)
        expect(level).to_have_text(band.level.label)
        expect(level).to_have_class(re.compile(rf"app-level--{band.level.value}\b"))
        seen_levels.add(band.level)
    assert len(seen_levels) > 1  # the level changed as items were scored
    assert band.level is Level.MEDIUM

    page.get_by_role("button", name="Submit the SERAT").click()
    expect(page).to_have_url(f"{base}/cases/young-people/{person.pk}/")
    expect(page.get_by_test_id("level")).to_contain_text(Level.MEDIUM.label)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("personal quiz")
    expect(page.get_by_test_id("quiz-status")).to_contain_text("Awaited")


def test_a_dcpo_records_consent_and_marks_a_checklist_item_done(page, live_server_url, committed_school,
                                                                 committed_user, django_db_blocker, cases):
    school = committed_school()
    dcpo = committed_user(Role.DCPO, school)
    head = committed_user(Role.HEADTEACHER, school)
    with django_db_blocker.unblock():
        person = cases.young_person(school, first_name="Dana", last_name="Consent")
        cases.serat(school, person, dcpo, Level.MEDIUM)
        plan = cases.agree(school, cases.plan(school, person), head)
    base = live_server_url(school)
    browser_sign_in(page, f"{base}/cases/plans/{plan.pk}/", dcpo)

    consent_row = page.locator('[data-task="consent"]')
    expect(consent_row).to_contain_text("Not yet recorded")
    consent_row.get_by_role("link").click()
    page.get_by_label("Given", exact=True).check()
    page.get_by_label("Name of the parent or carer").fill("Pat Consent")
    page.get_by_label("Relationship to the young person").fill("mother")
    page.get_by_label("By phone").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page).to_have_url(f"{base}/cases/plans/{plan.pk}/")
    expect(consent_row).to_have_attribute("data-status", "done")
    expect(consent_row).to_contain_text("Pat Consent (mother), by phone")

    pace = page.locator('[data-task="consider_pace"]')
    expect(pace).to_have_attribute("data-status", "todo")
    pace.get_by_role("link").click()
    page.get_by_label("What was done").fill("Gave Dana's mother the PACE leaflet and number.")
    page.get_by_role("button", name="Mark as done").click()
    expect(page).to_have_url(f"{base}/cases/plans/{plan.pk}/")
    expect(pace).to_have_attribute("data-status", "done")
    expect(pace).to_contain_text("Gave Dana's mother the PACE leaflet and number.")


def test_a_headteacher_agrees_from_the_awaiting_list(page, live_server_url, committed_school, committed_user,
                                                     django_db_blocker, cases):
    school = committed_school()
    dcpo = committed_user(Role.DCPO, school)
    head = committed_user(Role.HEADTEACHER, school)
    with django_db_blocker.unblock():
        person = cases.young_person(school, first_name="Harper", last_name="Agree")
        cases.serat(school, person, dcpo, Level.MEDIUM)
    base = live_server_url(school)
    browser_sign_in(page, f"{base}/cases/plans/awaiting-agreement/", head)

    page.get_by_role("link", name="View and agree the plan for Harper Agree").click()
    caf = page.locator('[data-task="consider_caf_tac"]')
    expect(caf).to_have_attribute("data-status", "blocked")
    expect(caf).to_contain_text("Cannot start yet")
    expect(page.locator('[data-task="session"]')).to_contain_text("The headteacher has not agreed this plan.")

    page.get_by_label("Note").fill("Agreed after talking it through with the DCPO.")
    page.get_by_role("button", name="Agree this plan").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You agreed the plan")
    expect(caf).to_have_attribute("data-status", "todo")
    expect(page.locator('[data-task="agreement"]')).to_have_attribute("data-status", "done")
    expect(page.locator('[data-task="agreement"]')).to_contain_text("Agreed after talking it through with the DCPO.")
    expect(page.locator('[data-task="session"]')).not_to_contain_text("The headteacher has not agreed this plan.")

    page.goto(f"{base}/cases/plans/awaiting-agreement/")
    expect(page.get_by_test_id("none-awaiting")).to_be_visible()
