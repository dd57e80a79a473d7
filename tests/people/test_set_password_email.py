"""A new member of staff is emailed their set-password link, by a worker, in their school's schema; the link in
the email works; nothing is sent for an account that cannot use it."""

import email
import re
import time

import pytest
from cse_platform.accounts.models import User
from cse_platform.accounts.staff import (
    set_password_email_send,
    staff_account_create,
    staff_account_deactivate,
    staff_account_set_password_link,
)
from cse_platform.accounts.tasks import set_password_email
from django_tenants.utils import schema_context

from safeguarding.rules.roles import Role
from tests.conftest import sign_in
from tests.people.test_staff_accounts import NEW_PASSWORD, account_data, set_password

LINK = re.compile(r"https?://\S+/school/set-password/\S+/")


def test_the_email_carries_a_working_link_to_this_school_and_nothing_else(school_a, make_user, mailoutbox,
                                                                          client_for):
    with schema_context(school_a.schema_name):
        newcomer = make_user(Role.STAFF, school_a, password=None)
        assert set_password_email_send(user_id=newcomer.pk) is True
    (sent,) = mailoutbox
    assert sent.to == [newcomer.email] and school_a.name in sent.subject
    (link,) = LINK.findall(sent.body)
    assert f"//{school_a.slug}." in link
    done, _ = set_password(client_for(school_a), link)
    assert done.status_code == 302 and done["Location"] == "/accounts/sign-in/"
    assert sign_in(client_for(school_a), newcomer, NEW_PASSWORD).status_code == 302


def test_nothing_is_sent_for_a_deactivated_account_or_from_no_school(school_a, make_user, mailoutbox):
    admin = make_user(Role.SCHOOL_ADMIN, school_a)
    with schema_context(school_a.schema_name):
        newcomer = make_user(Role.STAFF, school_a, password=None)
        staff_account_deactivate(actor=admin, user=newcomer)
        assert set_password_email_send(user_id=newcomer.pk) is False
    assert set_password_email.apply((newcomer.pk,)).get() == "skipped"  # sent with no school: public schema
    assert mailoutbox == []


def test_the_page_says_the_link_is_emailed_and_still_shows_it(school_a, signed_in):
    admin, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = admin.post("/school/staff/new/", account_data(), follow=True)
    assert b"is being emailed to new.teacher@alpha.test" in response.content
    assert re.search(rb"<code[^>]*>[^<]*/school/set-password/", response.content)


def wait_for_mail(folder, to: str, timeout: float = 30) -> email.message.Message:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in folder.glob("*.log"):
            for raw in path.read_text().split("-" * 79):
                if raw.strip() and f"To: {to}" in raw:
                    return email.message_from_string(raw.strip())
        time.sleep(0.2)
    raise AssertionError(f"no email to {to} within {timeout} s")


@pytest.mark.worker
def test_a_real_worker_emails_the_link_once_the_account_is_committed(
        celery_worker, worker_mail_dir, committed_school, committed_user, django_db_blocker, client_for):
    school = committed_school()
    admin = committed_user(Role.SCHOOL_ADMIN, school)
    with django_db_blocker.unblock(), schema_context(school.schema_name):
        newcomer = staff_account_create(actor=admin, email=f"newcomer@{school.slug}.test", full_name="Nell Comer",
                                        role=Role.STAFF.value)
        staff_account_set_password_link(actor=admin, user=newcomer)
    message = wait_for_mail(worker_mail_dir, newcomer.email)
    (link,) = LINK.findall(message.get_payload(decode=True).decode())
    with django_db_blocker.unblock():
        done, _ = set_password(client_for(school), link)
        assert done.status_code == 302
        with schema_context(school.schema_name):
            assert User.objects.get(pk=newcomer.pk).check_password(NEW_PASSWORD)
