"""A real worker on a real broker, for each family of tasks: delivery (and fan-out both ways), the
sweep, the daily scans sent by the platform's beat scheduler, and a school still being provisioned."""

import email
import email.header
import os
import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from cse_platform.celery import app
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from notifications.beat import PlatformScheduler
from notifications.events import Event
from notifications.models import InboxItem, OutboxMessage
from notifications.schedule import BEAT_SCHEDULE
from notifications.services import notify_roles, notify_school_roles
from notifications.services.outbox import message_for, subject_for
from notifications.tasks import sweep
from safeguarding.rules.roles import Role
from scu_portal.models import TrainingRecord
from tenants.models import School
from tests.notifications.conftest import all_sent, make_review, wait_for

pytestmark = pytest.mark.worker


def inbox(schema: str, user) -> list[InboxItem]:
    with schema_context(schema):
        return list(InboxItem.objects.filter(user_id=user.pk))


def subject_of(mail: str) -> str:
    message = email.message_from_string(mail)
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def test_a_school_event_is_delivered_by_the_worker_to_the_dcpo_only(notifications_worker, committed_school,
                                                                   committed_user, db_access):
    school = committed_school()
    dcpo, staff = committed_user(Role.DCPO, school), committed_user(Role.STAFF, school)
    with schema_context(school.schema_name), transaction.atomic():
        notify_roles(event=Event.SERAT_COMPLETED, roles=[Role.DCPO], link="/cases/young-people/1/")
    wait_for(lambda: all_sent(school.schema_name), message="the delivery")
    assert len(inbox(school.schema_name, dcpo)) == 1 and inbox(school.schema_name, staff) == []
    [mail] = wait_for(lambda: notifications_worker.emails_to(dcpo), message="the email")
    assert "A SERAT was completed" in mail
    assert f"http://{school.slug}.localhost:8000/cases/young-people/1/" in mail


def test_fan_outs_cross_between_the_portal_and_a_school_through_the_worker(notifications_worker, committed_school,
                                                                           committed_user, db_access):
    school = committed_school()
    dcpo, officer = committed_user(Role.DCPO, school), committed_user(Role.SCU_OFFICER)
    manager = committed_user(Role.SCU_MANAGER)
    with transaction.atomic():  # the SCU answers, in the central portal's request
        notify_school_roles(school=school, event=Event.SCU_ANSWER, roles=[Role.DCPO], link="/referrals/5/")
    with schema_context(school.schema_name), transaction.atomic():  # the school refers, urgently
        notify_roles(event=Event.REFERRAL_RECEIVED, roles=[Role.SCU_OFFICER, Role.SCU_MANAGER],
                     link="/scu/referrals/5/", urgent=True)
    wait_for(lambda: len(inbox(school.schema_name, dcpo)) == 1 and len(inbox("public", officer)) == 1
             and len(inbox("public", manager)) == 1, message="both fan-outs")
    wait_for(lambda: all_sent(school.schema_name) and all_sent("public"), message="every message sent")
    assert inbox("public", officer)[0].urgent is True
    [mail] = wait_for(lambda: notifications_worker.emails_to(officer), message="the urgent email")
    assert subject_of(mail) == f"Urgent: A referral or request was received from a school – {school.name}"


def test_the_sweep_sends_what_the_broker_never_got(notifications_worker, committed_school, committed_user,
                                                   db_access):
    school = committed_school()
    head = committed_user(Role.HEADTEACHER, school)
    with schema_context(school.schema_name):
        # Written and committed, but never handed to the broker (as if the process died at commit).
        message = message_for(event=Event.PLAN_AWAITING_AGREEMENT, recipient=head, link="/cases/plans/1/",
                              urgent=False, subject=subject_for(Event.PLAN_AWAITING_AGREEMENT, school.name))
        message.next_attempt_at = timezone.now() - timedelta(seconds=1)
        message.save()
        sweep.apply_async(headers={"_schema_name": school.schema_name})
        sweep.apply_async(headers={"_schema_name": school.schema_name})  # twice: still once
    wait_for(lambda: all_sent(school.schema_name), message="the sweep's delivery")
    assert len(inbox(school.schema_name, head)) == 1
    wait_for(lambda: notifications_worker.emails_to(head), message="the email")
    assert len(notifications_worker.emails_to(head)) == 1


def _half_made_school() -> School:
    school = School.objects.create(name="Being Provisioned", urn="990009", kind="academy", slug="being-provisioned",
                                   schema_name="school_being_provisioned")
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "school_being_provisioned"')
    return school


def test_beat_sends_the_daily_scans_to_every_school_and_skips_one_being_provisioned(
        notifications_worker, committed_school, committed_user, db_access, tmp_path):
    school = committed_school()
    staff, dcpo = committed_user(Role.STAFF, school), committed_user(Role.DCPO, school)
    head = committed_user(Role.HEADTEACHER, school)
    today = timezone.localdate()
    with schema_context(school.schema_name):
        make_review(assessed_by=staff, due_from=today + timedelta(days=3), overdue_after=today + timedelta(days=17))
        make_review(assessed_by=staff, due_from=today - timedelta(days=40), overdue_after=today - timedelta(days=20))
    half = _half_made_school()
    beat = PlatformScheduler(app=app, schedule_filename=str(tmp_path / "beat"))
    try:
        beat.merge_inplace(BEAT_SCHEDULE)
        scan = next(entry for name, entry in beat.schedule.items() if name.startswith("notifications-review-scan@"))
        beat.apply_entry(scan)
        beat.apply_entry(scan)  # beat ran twice (a restart, a second beat): nothing is sent twice
        wait_for(lambda: len(inbox(school.schema_name, head)) == 1 and len(inbox(school.schema_name, dcpo)) == 2
                 and len(inbox(school.schema_name, staff)) == 1, timeout=60, message="the scan's reminders")
        wait_for(lambda: all_sent(school.schema_name), message="every reminder sent")
        with schema_context(school.schema_name):
            assert OutboxMessage.objects.count() == 4
        TrainingRecord.objects.create(school=school, staff_email=staff.email, staff_name="Trained", course="Detailed",
                                      completed_on=today - timedelta(days=700), expires_on=today + timedelta(days=9))
        for name, entry in beat.schedule.items():
            if name.startswith(("notifications-sweep", "notifications-training-scan")):
                beat.apply_entry(entry)
        wait_for(lambda: [i.event for i in inbox(school.schema_name, staff)].count("training_expiring") == 1,
                 timeout=60, message="the training reminder")
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = %s",
                           [half.schema_name])
            assert cursor.fetchone()[0] == 0, "nothing was created in the school being provisioned"
        assert notifications_worker.process.poll() is None, "the worker is still up"
    finally:
        beat.close()
        with connection.cursor() as cursor:
            cursor.execute('DROP SCHEMA "school_being_provisioned" CASCADE')
        half.delete()


def test_a_real_beat_sweeps_the_portal_and_every_school(notifications_worker, committed_school, committed_user,
                                                        db_access, tmp_path):
    """Celery beat with the platform's scheduler: the central entry runs in the public schema, the
    every-school entry in each school, and their sweeps deliver what the broker never got."""
    school = committed_school()
    head, officer = committed_user(Role.HEADTEACHER, school), committed_user(Role.SCU_OFFICER)
    lost = []
    for schema, user, event, link in ((school.schema_name, head, Event.PLAN_AWAITING_AGREEMENT, "/cases/plans/2/"),
                                      ("public", officer, Event.MASE_SCHEDULED, "/scu/meetings/2/")):
        with schema_context(schema):
            message = message_for(event=event, recipient=user, link=link, urgent=False, subject=subject_for(event, "X"))
            message.next_attempt_at = timezone.now() - timedelta(seconds=1)
            message.save()
            lost.append(message)
    beat = subprocess.Popen([sys.executable, "tests/notifications/run_beat.py", "2", str(tmp_path / "beat")],
                            env=notifications_worker.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        wait_for(lambda: len(inbox(school.schema_name, head)) == 1 and len(inbox("public", officer)) == 1,
                 timeout=60, message="the beat's sweeps")
    finally:
        os.killpg(beat.pid, signal.SIGTERM)
        beat.wait(20)
    wait_for(lambda: notifications_worker.emails_to(head) and notifications_worker.emails_to(officer),
             message="the emails")
