"""The daily scans: reviews due within 7 days, overdue, overdue a week later; training expiring.
Each reminder reaches exactly the right people, once, however often the scan runs."""

from datetime import date, timedelta

import pytest
from cse_platform.accounts.models import User
from django.utils import timezone
from django_tenants.utils import schema_context

from notifications.events import Event
from notifications.models import InboxItem, OutboxMessage, ReminderSent
from notifications.services.reminders import review_reminders_send, training_reminders_send
from safeguarding.models import Review
from safeguarding.rules.roles import Role
from scu_portal.models import Referral, TrainingRecord
from scu_portal.services.mase import mase_meeting_create, mase_outcome_record
from scu_portal.services.triage import referral_answer, referral_status_set
from tests.notifications.conftest import make_review
from tests.scu.conftest import make_case, send

TODAY = date(2026, 3, 2)
D = timedelta(days=1)


@pytest.fixture
def alpha_people(make_user, school_a):
    return {role: make_user(role, school_a) for role in
            (Role.STAFF, Role.DCPO, Role.HEADTEACHER, Role.GOVERNOR, Role.SCHOOL_ADMIN)}


def inbox(schema) -> set[tuple[str, str, str]]:
    with schema_context(schema):
        return set(InboxItem.objects.values_list("user__email", "event", "link"))


def test_review_reminders_reach_the_right_people_once(alpha_people, make_user, school_a, deliver_all, mailoutbox):
    staff, dcpo, head = alpha_people[Role.STAFF], alpha_people[Role.DCPO], alpha_people[Role.HEADTEACHER]
    other_staff = make_user(Role.STAFF, school_a)
    with schema_context(school_a.schema_name):
        due_soon = make_review(assessed_by=staff, due_from=TODAY + 7 * D, overdue_after=TODAY + 21 * D)
        not_yet = make_review(assessed_by=staff, due_from=TODAY + 8 * D, overdue_after=TODAY + 22 * D)
        in_window = make_review(assessed_by=other_staff, due_from=TODAY - 2 * D, overdue_after=TODAY + 12 * D)
        just_overdue = make_review(assessed_by=staff, due_from=TODAY - 21 * D, overdue_after=TODAY - 7 * D)
        escalated = make_review(assessed_by=staff, due_from=TODAY - 22 * D, overdue_after=TODAY - 8 * D)
        scu_soon = make_review(assessed_by=dcpo, scu_review_on=TODAY + 3 * D)
        scu_overdue = make_review(assessed_by=staff, scu_review_on=TODAY - D)
        due_today = make_review(assessed_by=staff, scu_review_on=TODAY)  # due soon, not overdue
        make_review(assessed_by=staff, due_from=TODAY - 30 * D, overdue_after=TODAY - 20 * D, closed=True)
        make_review(assessed_by=staff)  # high: no date from the SCU yet
        first = review_reminders_send(today=TODAY)
        assert review_reminders_send(today=TODAY) == 0, "a second run today sends nothing"
    deliver_all()
    link = lambda review: f"/cases/young-people/{review.young_person_id}/"  # noqa: E731
    got = inbox(school_a.schema_name)
    soon, late = Event.REVIEW_DUE_SOON.value, Event.REVIEW_OVERDUE.value
    expected = {
        (staff.email, soon, link(due_soon)), (dcpo.email, soon, link(due_soon)),
        (other_staff.email, soon, link(in_window)), (dcpo.email, soon, link(in_window)),
        (dcpo.email, late, link(just_overdue)),
        (dcpo.email, late, link(escalated)), (head.email, late, link(escalated)),
        (dcpo.email, soon, link(scu_soon)),  # the assessor is the DCPO: told once
        (dcpo.email, late, link(scu_overdue)),
    }
    assert got == expected | {(staff.email, soon, link(due_today)), (dcpo.email, soon, link(due_today))}
    assert first == len(got) == len(mailoutbox)
    for mail in mailoutbox:
        assert "Reviewchild" not in mail.body and "Number" not in mail.body

    # The next day: the one overdue a week is escalated to the headteacher, the next one comes due
    # within 7 days, the one due today is overdue; nothing else repeats.
    with schema_context(school_a.schema_name):
        review_reminders_send(today=TODAY + 1 * D)
    deliver_all()
    assert inbox(school_a.schema_name) - got == {
        (head.email, late, link(just_overdue)), (staff.email, soon, link(not_yet)), (dcpo.email, soon, link(not_yet)),
        (dcpo.email, late, link(due_today)),
    }


def test_review_reminders_skip_inactive_assessors_and_other_schools(alpha_people, make_user, school_a, school_b,
                                                                    deliver_all):
    staff, dcpo = alpha_people[Role.STAFF], alpha_people[Role.DCPO]
    bravo_dcpo, bravo_staff = make_user(Role.DCPO, school_b), make_user(Role.STAFF, school_b)
    with schema_context(school_a.schema_name):
        make_review(assessed_by=staff, due_from=TODAY + D, overdue_after=TODAY + 15 * D)
        User.objects.filter(pk=staff.pk).update(is_active=False)
    with schema_context(school_b.schema_name):
        make_review(assessed_by=bravo_staff, due_from=TODAY + D, overdue_after=TODAY + 15 * D)
    with schema_context(school_a.schema_name):
        review_reminders_send(today=TODAY)
    deliver_all()
    assert {email for email, _, _ in inbox(school_a.schema_name)} == {dcpo.email}
    assert inbox(school_b.schema_name) == set(), "alpha's scan never touches bravo"
    with schema_context(school_b.schema_name):
        review_reminders_send(today=TODAY)
    deliver_all()
    assert {email for email, _, _ in inbox(school_b.schema_name)} == {bravo_dcpo.email, bravo_staff.email}


def test_a_reminder_with_no_one_to_tell_waits_for_someone(make_user, school_a, deliver_all):
    staff = make_user(Role.STAFF, school_a)
    with schema_context(school_a.schema_name):
        make_review(assessed_by=staff, due_from=TODAY - 30 * D, overdue_after=TODAY - 10 * D)
        review_reminders_send(today=TODAY)  # no DCPO, no headteacher yet
        assert not ReminderSent.objects.exists()
    dcpo, head = make_user(Role.DCPO, school_a), make_user(Role.HEADTEACHER, school_a)
    with schema_context(school_a.schema_name):
        review_reminders_send(today=TODAY)
    deliver_all()
    assert {email for email, _, _ in inbox(school_a.schema_name)} == {dcpo.email, head.email}


def _record(school, email, *, expires_on, completed_on=TODAY - 700 * D) -> TrainingRecord:
    return TrainingRecord.objects.create(school=school, staff_email=email, staff_name="Trained Person",
                                         completed_on=completed_on, expires_on=expires_on)


def test_training_expiring_reaches_the_member_of_staff_and_the_school_admins_once(
        alpha_people, make_user, school_a, school_b, deliver_all, mailoutbox):
    staff, admin = alpha_people[Role.STAFF], alpha_people[Role.SCHOOL_ADMIN]
    second_admin = make_user(Role.SCHOOL_ADMIN, school_a)
    dcpo = alpha_people[Role.DCPO]
    _record(school_a, staff.email.upper(), expires_on=TODAY + 30 * D)  # matched by email, any case
    _record(school_a, "left.the.school@alpha.test", expires_on=TODAY + 5 * D)  # no account: admins only
    _record(school_a, dcpo.email, expires_on=TODAY + 40 * D)  # not yet
    _record(school_a, dcpo.email, expires_on=TODAY - D)  # already expired
    head = alpha_people[Role.HEADTEACHER]
    _record(school_a, head.email, expires_on=TODAY + 10 * D)
    _record(school_a, head.email, expires_on=TODAY + 400 * D, completed_on=TODAY - 10 * D)  # renewed
    _record(school_b, staff.email, expires_on=TODAY + 3 * D)  # bravo's register: not alpha's business
    with schema_context(school_a.schema_name):
        training_reminders_send(today=TODAY)
        assert training_reminders_send(today=TODAY) == 0
        assert training_reminders_send(today=TODAY + D) == 0, "once per record"
    deliver_all()
    with schema_context(school_a.schema_name):
        got = sorted(InboxItem.objects.filter(event="training_expiring").values_list("user__email", flat=True))
    assert got == sorted([staff.email, admin.email, second_admin.email, admin.email, second_admin.email])
    assert inbox(school_b.schema_name) == set()
    assert len(mailoutbox) == 5 and all("Trained Person" not in m.body for m in mailoutbox)


def test_a_scan_never_reads_a_school_schema_it_is_not_in(school_a):
    """From the public schema there is no school: the training scan finds nothing to do."""
    assert training_reminders_send(today=TODAY) == 0
    assert not OutboxMessage.objects.exists()


def test_the_review_date_the_scu_and_then_the_mase_plan_set_reaches_the_schools_scan(
        alpha_people, school_a, make_user, deliver_all):
    """At high the next review comes from the SCU's answer and then the MASE plan, on the school's referral:
    the school's own scan reads it from there and reminds of the latest date."""
    staff, dcpo, head = alpha_people[Role.STAFF], alpha_people[Role.DCPO], alpha_people[Role.HEADTEACHER]
    officer = make_user(Role.SCU_OFFICER)
    today = timezone.localdate()
    plan = make_case(school_a, "high", by=staff, agreed=True)
    with schema_context(school_a.schema_name):
        Review.objects.create(young_person_id=plan.young_person_id, assessment_id=plan.assessment_id)
    referral = send(school_a, plan, "mase_consultation", by=dcpo)
    referral_answer(referral=referral, kind="advice", text="Keep the plan; review in three weeks.", actor=officer,
                    review_on=today + 21 * D)

    def scan(day) -> set[tuple[str, str]]:
        with schema_context(school_a.schema_name):
            review_reminders_send(today=day)
        deliver_all()
        with schema_context(school_a.schema_name):
            return set(InboxItem.objects.filter(event__startswith="review").values_list("user__email", "event"))

    soon, late = Event.REVIEW_DUE_SOON.value, Event.REVIEW_OVERDUE.value
    assert scan(today + 13 * D) == set(), "not yet within 7 days of the SCU's date"
    assert scan(today + 14 * D) == {(staff.email, soon), (dcpo.email, soon)}

    # The MASE meeting sets a later date: the review is reminded of again for the new date, and escalates.
    referral_status_set(referral=Referral.objects.get(pk=referral.pk), status="under_review", actor=officer)
    meeting = mase_meeting_create(held_on=today, agencies="Police\nHealth", referrals=[referral], actor=officer)
    mase_outcome_record(meeting=meeting, referral=Referral.objects.get(pk=referral.pk), agreed_level="high",
                        actions=[{"action": "Weekly check-in", "owner": "DCPO"}], material_use="with_consent",
                        next_review_on=today + 42 * D, actor=officer)
    with schema_context(school_a.schema_name):
        InboxItem.objects.all().delete()
    assert scan(today + 22 * D) == set(), "the old date no longer stands"
    assert scan(today + 35 * D) == {(staff.email, soon), (dcpo.email, soon)}
    assert scan(today + 43 * D) >= {(dcpo.email, late)}
    assert (head.email, late) in scan(today + 50 * D), "still overdue 7 days later: the headteacher too"
