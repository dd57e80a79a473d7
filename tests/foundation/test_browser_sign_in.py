"""Real Chromium signs in at a school and at the central portal."""

import pytest
from playwright.sync_api import expect

from safeguarding.rules.roles import Role
from tests.helpers import browser_sign_in

pytestmark = pytest.mark.browser


def test_a_dcpo_signs_in_at_their_school(page, live_server_url, committed_school, committed_user):
    school = committed_school()
    user = committed_user(Role.DCPO, school)
    browser_sign_in(page, f"{live_server_url(school)}/", user)
    whoami = page.get_by_test_id("whoami")
    expect(whoami).to_contain_text(user.full_name)
    expect(whoami).to_contain_text("Designated child protection officer")
    expect(whoami).to_contain_text(school.name)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name=f"Sign in to {school.name}")).to_be_visible()


def test_an_scu_officer_signs_in_at_the_central_portal(page, live_server_url, committed_user):
    user = committed_user(Role.SCU_OFFICER)
    browser_sign_in(page, f"{live_server_url(None)}/", user)
    whoami = page.get_by_test_id("whoami")
    expect(whoami).to_contain_text("SCU officer")
    expect(whoami).to_contain_text("Safeguarding Children Unit portal")


def test_a_school_account_is_refused_centrally_in_the_browser(page, live_server_url, committed_school,
                                                             committed_user):
    user = committed_user(Role.HEADTEACHER, committed_school())
    browser_sign_in(page, f"{live_server_url(None)}/", user)
    expect(page.get_by_text("Enter a correct email address and password").first).to_be_visible()
    expect(page.get_by_test_id("whoami")).to_have_count(0)
