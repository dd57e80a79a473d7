"""In a real Chromium: a very high SERAT → the DCPO records the phone call and makes a MASE referral → the SCU
triages it, advises, arranges a MASE meeting and records its outcome → the school sees it on the referral.

The young person, their very high SERAT and its plan are made directly in the fixture (committed), so that
this journey does not depend on the school's SERAT pages; everything after them is done in the browser."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from safeguarding.rules.roles import Role
from scu_portal.models import MaseMeeting, MaseOutcome, Referral
from tests.helpers import browser_sign_in
from tests.scu.conftest import make_case

pytestmark = pytest.mark.browser


def sign_in(page, url, user):
    browser_sign_in(page, f"{url}/", user)
    expect(page.get_by_test_id("whoami")).to_contain_text(user.full_name)


@pytest.fixture
def journey(committed_school, committed_user, django_db_blocker):
    school = committed_school()
    dcpo = committed_user(Role.DCPO, school)
    officer = committed_user(Role.SCU_OFFICER)
    with django_db_blocker.unblock(), schema_context(school.schema_name):
        plan = make_case(school, "very_high", by=dcpo, first_name="Tia", last_name="Journey")
    yield school, dcpo, officer, plan
    with django_db_blocker.unblock():  # leave no referral behind for the tests that count the queue
        referrals = Referral.objects.filter(school=school)
        MaseOutcome.objects.filter(referral__in=referrals).delete()
        MaseMeeting.objects.filter(referrals__in=referrals).delete()
        referrals.delete()


def test_from_a_very_high_serat_to_a_mase_outcome_seen_at_the_school(browser, live_server_url, journey):
    school, dcpo, officer, _plan = journey
    today = timezone.localdate()

    # The DCPO: the phone call first, then the MASE referral.
    school_page = browser.new_context().new_page()
    school_page.set_default_timeout(15_000)
    sign_in(school_page, live_server_url(school), dcpo)
    school_page.get_by_role("link", name="Referrals to SCU").first.click()
    school_page.get_by_role("link", name="Send a referral or request").click()
    school_page.get_by_role("link", name="Tia Journey").click()
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

    # The SCU: the queue, triage, advice, a MASE meeting and its outcome.
    scu = browser.new_context().new_page()
    scu.set_default_timeout(15_000)
    sign_in(scu, live_server_url(None), officer)
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
    scu.get_by_label("Advice", exact=True).check()
    scu.get_by_label("Your answer to the school").fill("No teaching action; a safety plan with her family today.")
    scu.get_by_role("button", name="Send answer").click()
    expect(scu.get_by_test_id("scu-answer")).to_contain_text("safety plan")
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
    expect(scu.get_by_test_id("agenda")).to_contain_text("Very High Risk")

    # The school sees the advice and the outcome on the referral, and on the young person's referrals.
    school_page.reload()
    expect(school_page.get_by_test_id("referral-status")).to_have_text("Outcome recorded")
    expect(school_page.get_by_test_id("scu-answer")).to_contain_text("safety plan with her family")
    outcome = school_page.get_by_test_id("mase-outcome")
    expect(outcome).to_contain_text("Disruption visit to the address")
    expect(outcome).to_contain_text("Police CSE team")
    expect(outcome).to_contain_text((today + timedelta(days=14)).strftime("%-d %B %Y"))
    school_page.get_by_role("link", name="All referrals for Tia Journey").click()
    expect(school_page.get_by_test_id("mase-outcome")).to_contain_text("Material may not be used")
    school_page.context.close()
    scu.context.close()
