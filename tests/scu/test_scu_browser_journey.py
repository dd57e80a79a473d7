"""In a real Chromium: the DCPO completes a very high SERAT, records the phone call and makes a MASE referral →
the SCU sees it first in its queue, arranges a MASE meeting and records its outcome → at the school, the case
shows the outcome in its chronology and no longer waits for SCU advice (a MASE outcome counts as advice).

Only the young person (the school's identity record) is made directly, in the fixture; everything on the case
is done in the browser."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.models import YoungPerson
from safeguarding.rules.instruments import InstrumentKind
from safeguarding.rules.roles import Role
from scu_portal.models import MaseMeeting, MaseOutcome, Referral
from tests.helpers import browser_sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def journey(committed_school, committed_user, django_db_blocker):
    """(school, DCPO, SCU officer, young person, the top score of each SERAT item: a very high SERAT)."""
    school = committed_school()
    dcpo = committed_user(Role.DCPO, school)
    officer = committed_user(Role.SCU_OFFICER)
    with django_db_blocker.unblock():
        serat = instrument_in_force(kind=InstrumentKind.SERAT).as_instrument()
        with schema_context(school.schema_name):
            person = YoungPerson.objects.create(upn="J00000000001", first_name="Tia", last_name="Journey",
                                                date_of_birth="2010-03-14", year_group=10)
    top_scores = {item.code: max(item.allowed_scores) for item in serat.items}
    yield school, dcpo, officer, person, top_scores
    with django_db_blocker.unblock():  # leave no referral behind for the tests that count the queue
        referrals = Referral.objects.filter(school=school)
        MaseOutcome.objects.filter(referral__in=referrals).delete()
        MaseMeeting.objects.filter(referrals__in=referrals).delete()
        referrals.delete()


def test_from_a_very_high_serat_to_a_mase_outcome_seen_on_the_case(browser, live_server_url, journey):
    school, dcpo, officer, person, top_scores = journey
    today = timezone.localdate()
    case_url = f"{live_server_url(school)}/cases/young-people/{person.pk}/"

    # The DCPO: a very high SERAT, then the phone call and the MASE referral from the plan.
    school_page = browser.new_context().new_page()
    school_page.set_default_timeout(15_000)
    browser_sign_in(school_page, case_url, dcpo)
    expect(school_page.get_by_role("heading", name="Tia Journey")).to_be_visible()
    school_page.get_by_test_id("action-serat").click()
    for code, score in top_scores.items():
        school_page.locator(f'input[name="{code}"][value="{score}"]').check()
    expect(school_page.get_by_test_id("running-level")).to_have_text("Very High Risk")
    school_page.get_by_role("button", name="Submit the SERAT").click()
    expect(school_page).to_have_url(case_url)
    expect(school_page.get_by_test_id("awaiting-scu")).to_be_visible()
    school_page.get_by_test_id("plan-link").click()
    expect(school_page.get_by_test_id("scu")).to_contain_text("Awaiting SCU advice")
    school_page.locator("a[href*='/referrals/new/plan/']").first.click()
    expect(school_page.get_by_test_id("phone-record")).to_be_visible()
    called = timezone.localtime() - timedelta(minutes=15)
    school_page.get_by_label("When you phoned the Safeguarding Children Unit").fill(called.strftime("%Y-%m-%dT%H:%M"))
    school_page.get_by_label("Who you spoke to").fill("Sam, SCU duty desk")
    school_page.get_by_label("What was said").fill("Disclosure this morning; told to refer to MASE now.")
    school_page.get_by_label("MASE referral").check()
    school_page.get_by_label("Why you are sending it").fill("Tia disclosed being picked up by adult men in cars.")
    school_page.get_by_role("button", name="Send to the SCU").click()
    expect(school_page.get_by_test_id("referral-status")).to_have_text("Received")
    expect(school_page.get_by_test_id("phone-call")).to_contain_text("Sam, SCU duty desk")

    # The SCU: first in the queue; under review; a MASE meeting and its outcome (no separate advice).
    scu = browser.new_context().new_page()
    scu.set_default_timeout(15_000)
    browser_sign_in(scu, f"{live_server_url(None)}/", officer)
    expect(scu.get_by_test_id("whoami")).to_contain_text(officer.full_name)
    scu.get_by_role("link", name="Referral queue").first.click()
    first_row = scu.get_by_test_id("queue-row").first
    expect(first_row).to_contain_text("Tia Journey")
    expect(first_row).to_contain_text("Very High Risk")
    first_row.get_by_role("link", name="Tia Journey").click()
    expect(scu.get_by_test_id("referral-sent")).to_contain_text("Sam, SCU duty desk")
    for status in ("Acknowledged", "Under review"):
        scu.get_by_label(status, exact=True).check()
        scu.get_by_role("button", name="Change status").click()
        expect(scu.get_by_test_id("referral-status")).to_have_text(status)
    scu.get_by_role("link", name="Arrange a MASE meeting for this referral").click()
    scu.get_by_label("Date of the meeting").fill(today.isoformat())
    scu.get_by_label("Agencies attending").fill("Police\nHealth\nChildren's social care")
    expect(scu.get_by_label("Tia Journey", exact=False)).to_be_checked()
    scu.get_by_role("button", name="Arrange meeting").click()
    scu.get_by_role("link", name="Record the outcome").click()
    scu.get_by_label("Very High Risk").check()
    scu.get_by_label("Action 1 (optional)", exact=True).fill("Disruption visit to the address")
    scu.get_by_label("Owner of action 1 (optional)", exact=True).fill("Police CSE team")
    scu.get_by_label("Material may not be used").check()
    scu.get_by_label("Next review date").fill((today + timedelta(days=14)).isoformat())
    scu.get_by_role("button", name="Record the outcome").click()
    expect(scu.get_by_test_id("agenda-row")).to_contain_text("Outcome recorded")

    # The school: the outcome on the referral, in the case's chronology, and the plan no longer waits.
    school_page.reload()
    expect(school_page.get_by_test_id("referral-status")).to_have_text("Outcome recorded")
    expect(school_page.get_by_test_id("mase-outcome")).to_contain_text("Disruption visit to the address")
    school_page.goto(case_url)
    expect(school_page.get_by_test_id("awaiting-scu")).to_have_count(0)
    outcome = school_page.get_by_test_id("chronology").locator("tr[data-kind='scu_answer']")
    expect(outcome).to_contain_text("SCU: MASE outcome")
    expect(outcome).to_contain_text("Disruption visit to the address (Police CSE team)")
    expect(outcome).to_contain_text((today + timedelta(days=14)).strftime("%d %B %Y"))
    school_page.get_by_test_id("plan-link").click()
    scu_rows = school_page.get_by_test_id("scu")
    expect(scu_rows).to_contain_text("SCU advice")
    expect(scu_rows).to_contain_text("Recorded")
    expect(scu_rows).not_to_contain_text("Awaiting SCU advice")
    school_page.context.close()
    scu.context.close()
