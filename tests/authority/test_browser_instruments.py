"""Real Chromium: an authority admin drafts a SERAT whose maximum is 54 and sees publishing refused."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from safeguarding.instruments.models import InstrumentStatus, InstrumentVersion
from safeguarding.rules.roles import Role
from tests.helpers import browser_sign_in

pytestmark = pytest.mark.browser

TITLE = "Browser SERAT with 54 points"


@pytest.fixture
def cleanup(django_db_blocker):
    yield
    # The committed draft would otherwise outlive the test. Deleted in SQL: the ORM would look for the
    # case records that point at instruments, which live in the schools' schemas, not the public one.
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {InstrumentVersion._meta.db_table} WHERE title = %s", [TITLE])


def test_publishing_a_54_point_serat_is_refused_with_the_reason(page, live_server_url, committed_user,
                                                                 django_db_blocker, cleanup):
    admin = committed_user(Role.AUTHORITY_ADMIN)
    with django_db_blocker.unblock():
        v1 = InstrumentVersion.objects.get(kind="serat", version=1)
    url = live_server_url(None)
    browser_sign_in(page, f"{url}/", admin)

    page.get_by_role("link", name="Instruments").first.click()
    expect(page.get_by_role("heading", name="Instruments", exact=True)).to_be_visible()
    page.get_by_role("link", name="Create a new draft").click()
    page.get_by_label("Sexual Exploitation Risk Assessment Tool (SERAT)").check()
    page.get_by_label("Start from").select_option(value=str(v1.pk))
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Create draft").click()

    last = page.get_by_test_id("item-11")
    expect(last.get_by_label("Code")).to_have_value("vehicles_hotels_places")
    last.get_by_label("Allowed scores").fill("0, 1, 2, 3, 4")
    last.get_by_label("Guidance for each score").fill("0: No concern.\n4: Serious concern.")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_test_id("max-total")).to_have_text("54")
    page.get_by_role("button", name="Publish version").click()
    refusal = page.get_by_test_id("refusal")
    expect(refusal).to_contain_text("was not published")
    expect(refusal).to_contain_text("The highest possible total is 54; a SERAT must total exactly 55")
    with django_db_blocker.unblock():
        draft = InstrumentVersion.objects.get(title=TITLE)
        assert draft.status == InstrumentStatus.DRAFT and draft.published_at is None
        assert InstrumentVersion.objects.get(pk=v1.pk).status == InstrumentStatus.PUBLISHED
