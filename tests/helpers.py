"""Helpers that the tests of several areas share. Fixtures stay in the conftest.py files."""

from datetime import date

from django_tenants.utils import schema_context

from scu_portal.models import TrainingRecord
from tests.conftest import PASSWORD, HostClient, host_of, sign_in


def client_signed_in_as(user, school=None) -> HostClient:
    """A test client at the school's host (None: the central portal), signed in as this existing user."""
    client = HostClient(host_of(school))
    response = sign_in(client, user)
    assert response.status_code == 302, response.content[:500]
    return client


def browser_sign_in(page, url: str, user) -> None:
    """In a real browser: open `url` and sign in as this user on the sign-in page it shows."""
    page.goto(url)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def train(school, user, *, completed_on: date | None = None) -> TrainingRecord:
    """The authority's training register shows this member of staff trained (in the public schema)."""
    with schema_context("public"):
        return TrainingRecord.objects.create(school=school, staff_email=user.email, staff_name=user.full_name,
                                             completed_on=completed_on or date.today())
