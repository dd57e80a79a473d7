"""The outbox: written in the caller's transaction, delivered after commit, exactly once, retried with
backoff, given up on visibly; a broker outage never fails the user's action."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context

from notifications.events import Event
from notifications.models import DeliveryFailure, EmailPreference, InboxItem, OutboxMessage
from notifications.services import notify_roles, notify_school_roles
from notifications.services.delivery import (
    MAX_ATTEMPTS,
    Outcome,
    _claim,
    backoff,
    fan_out_deliver,
    message_deliver,
    message_reopen,
    outbox_sweep,
)
from notifications.services.outbox import message_for, subject_for
from safeguarding.models import YoungPerson
from safeguarding.rules.roles import Role
from tenants.services import school_archive
from tests.notifications.conftest import point_celery_at

REFUSING = "tests.notifications.failing_email.RefusingBackend"
LINK = "/cases/young-people/7/"


@pytest.fixture
def dcpo(make_user, school_a):
    return make_user(Role.DCPO, school_a)


@pytest.fixture
def dead_broker(django_db_setup):
    """The test process's Celery app pointed at a port where no broker listens."""
    from cse_platform import devstack
    from cse_platform.celery import app

    previous = app.conf.broker_url
    point_celery_at(f"redis://127.0.0.1:{devstack.free_port()}/0")
    yield
    point_celery_at(previous)


def _notify(school, event=Event.SERAT_COMPLETED, link=LINK) -> list[OutboxMessage]:
    with schema_context(school.schema_name):
        return notify_roles(event=event, roles=[Role.DCPO], link=link)


def test_the_outbox_row_is_part_of_the_callers_transaction(dcpo, school_a, django_capture_on_commit_callbacks):
    with schema_context(school_a.schema_name):
        with pytest.raises(RuntimeError), transaction.atomic():
            notify_roles(event=Event.SERAT_COMPLETED, roles=[Role.DCPO], link=LINK)
            raise RuntimeError("the SERAT was refused")
        assert not OutboxMessage.objects.exists(), "a rolled-back change notifies no one"
        with django_capture_on_commit_callbacks() as callbacks:
            notify_roles(event=Event.SERAT_COMPLETED, roles=[Role.DCPO], link=LINK)
            assert OutboxMessage.objects.get().status == "pending"
        assert len(callbacks) == 1, "delivery is handed to Celery only once the transaction commits"
        assert not InboxItem.objects.exists()


def test_a_broker_outage_at_commit_is_swallowed_and_left_to_the_sweep(dcpo, school_a, dead_broker,
                                                                      django_capture_on_commit_callbacks):
    with schema_context(school_a.schema_name):
        with django_capture_on_commit_callbacks(execute=True):
            [message] = notify_roles(event=Event.SERAT_COMPLETED, roles=[Role.DCPO], link=LINK)
        message.refresh_from_db()
        assert message.status == "pending"
        assert message.next_attempt_at <= timezone.now(), "brought forward for the next sweep"
    with django_capture_on_commit_callbacks(execute=True):
        notify_school_roles(school=school_a, event=Event.SCU_ANSWER, roles=[Role.DCPO], link="/referrals/1/")
    fan_out = OutboxMessage.objects.get()
    assert fan_out.status == "pending" and fan_out.next_attempt_at <= timezone.now()


def test_delivery_is_exactly_once_however_often_it_runs(dcpo, school_a, mailoutbox):
    [message] = _notify(school_a)
    with schema_context(school_a.schema_name):
        assert message_deliver(message_id=message.pk).outcome == Outcome.SENT
        assert message_deliver(message_id=message.pk).outcome == Outcome.DONE
        assert message_deliver(message_id=message.pk + 10_000).outcome == Outcome.MISSING
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("sent", 1)
        assert message.sent_at and message.emailed_at
        assert InboxItem.objects.filter(user=dcpo).count() == 1
    assert len(mailoutbox) == 1


def test_a_message_held_by_another_attempt_is_left_alone(dcpo, school_a, mailoutbox):
    [message] = _notify(school_a)
    with schema_context(school_a.schema_name):
        _, held = _claim(message.pk, now=timezone.now(), fan_out=False)
        assert held.status == "sending"
        assert message_deliver(message_id=message.pk).outcome == Outcome.BUSY
    assert mailoutbox == []


def test_two_attempts_at_the_same_moment_deliver_once(committed_school, committed_user, db_access, mailoutbox):
    """Two workers given the same message at once (the sweep re-sent it as the first task ran), each on
    its own database connection: one delivers it, the other finds it taken or done."""
    school = committed_school()
    dcpo = committed_user(Role.DCPO, school)
    for _ in range(5):
        with schema_context(school.schema_name):
            message = message_for(event=Event.SERAT_COMPLETED, recipient=dcpo, link=LINK, urgent=False,
                                  subject=subject_for(Event.SERAT_COMPLETED, school.name))
            message.save()
        barrier, outcomes, errors = threading.Barrier(2), [], []

        def attempt(message_id=message.pk, barrier=barrier, outcomes=outcomes, errors=errors):
            try:
                with schema_context(school.schema_name):
                    connection.ensure_connection()
                    barrier.wait(timeout=30)
                    outcomes.append(message_deliver(message_id=message_id).outcome)
            except BaseException as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=attempt) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == [] and len(outcomes) == 2
        assert outcomes.count(Outcome.SENT) == 1
        assert set(outcomes) - {Outcome.SENT} <= {Outcome.BUSY, Outcome.DONE}, outcomes
        with schema_context(school.schema_name):
            message.refresh_from_db()
            assert (message.status, message.attempts) == ("sent", 1)
            assert InboxItem.objects.filter(message=message).count() == 1
    assert len(mailoutbox) == 5 and {tuple(mail.to) for mail in mailoutbox} == {(dcpo.email,)}


def test_the_inbox_item_is_unique_per_message_in_the_database(dcpo, school_a):
    [message] = _notify(school_a)
    with schema_context(school_a.schema_name):
        message_deliver(message_id=message.pk)
        with pytest.raises(IntegrityError), transaction.atomic():
            InboxItem.objects.create(user=dcpo, message=message, event=message.event, title="again", link=LINK)


def test_a_worker_that_died_mid_delivery_is_finished_by_the_sweep_once(dcpo, school_a, mailoutbox,
                                                                       notifications_broker):
    [message] = _notify(school_a)
    with schema_context(school_a.schema_name):
        _claim(message.pk, now=timezone.now(), fan_out=False)  # ... and the worker died here
        assert InboxItem.objects.count() == 1, "the inbox item came with the claim"
        assert outbox_sweep().released == 0, "a claim inside its lease is not taken away"
        report = outbox_sweep(now=timezone.now() + timedelta(minutes=6))
        assert report.released == 1 and report.enqueued == 1
        assert message_deliver(message_id=message.pk).outcome == Outcome.SENT
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("sent", 2)
        assert InboxItem.objects.count() == 1
    assert len(mailoutbox) == 1


def test_the_sweep_is_safe_to_run_twice(dcpo, school_a, notifications_broker):
    messages = _notify(school_a) + _notify(school_a, Event.CONCERN_LOGGED)
    later = timezone.now() + timedelta(minutes=2)
    with schema_context(school_a.schema_name):
        assert outbox_sweep(now=later).enqueued == len(messages)
        assert outbox_sweep(now=later).enqueued == 0, "handed over a moment ago: not again"
        for message in messages:
            message_deliver(message_id=message.pk)
        assert outbox_sweep(now=later + timedelta(minutes=5)).enqueued == 0, "nothing left"
        assert InboxItem.objects.count() == len(messages)


@override_settings(EMAIL_BACKEND=REFUSING)
def test_failing_email_is_retried_with_backoff_then_failed_and_shown_to_the_authority(dcpo, school_a):
    [message] = _notify(school_a)
    delays = []
    with schema_context(school_a.schema_name):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            result = message_deliver(message_id=message.pk)
            message.refresh_from_db()
            assert message.attempts == attempt
            if attempt < MAX_ATTEMPTS:
                assert result.outcome == Outcome.RETRY and message.status == "pending"
                assert message.next_attempt_at > timezone.now() + result.retry_in - timedelta(seconds=5)
                delays.append(result.retry_in)
        assert result.outcome == Outcome.FAILED and message.status == "failed"
        assert dcpo.email not in message.last_error and "[address]" in message.last_error
        assert InboxItem.objects.filter(user=dcpo).count() == 1, "the inbox item stands whatever email does"
        assert message_deliver(message_id=message.pk).outcome == Outcome.DONE
    assert delays == [backoff(n) for n in range(1, MAX_ATTEMPTS)]
    assert delays[0] == timedelta(seconds=30) and delays[1] == timedelta(minutes=1) and delays[-1] <= timedelta(hours=1)
    failure = DeliveryFailure.objects.get()
    assert (failure.school, failure.event, failure.recipient_role, failure.attempts) == (
        school_a, "serat_completed", "dcpo", MAX_ATTEMPTS)
    assert "SMTPRecipientsRefused" in failure.reason and dcpo.email not in failure.reason
    assert dcpo.full_name not in failure.reason


def test_an_admins_retry_reopens_the_failed_message(dcpo, school_a, mailoutbox):
    [message] = _notify(school_a)
    with schema_context(school_a.schema_name), override_settings(EMAIL_BACKEND=REFUSING):
        for _ in range(MAX_ATTEMPTS):
            message_deliver(message_id=message.pk)
    with schema_context(school_a.schema_name):
        assert message_reopen(message_id=message.pk) is True
        assert message_reopen(message_id=message.pk) is False, "only a failed message is reopened"
        assert message_deliver(message_id=message.pk).outcome == Outcome.SENT
    assert DeliveryFailure.objects.get().retried_at is not None
    assert len(mailoutbox) == 1


def test_a_fan_out_to_a_school_without_a_dcpo_fails_visibly(school_a, make_user):
    make_user(Role.HEADTEACHER, school_a)
    notify_school_roles(school=school_a, event=Event.SCU_ANSWER, roles=[Role.DCPO], link="/referrals/1/")
    source = OutboxMessage.objects.get()
    with schema_context(school_a.schema_name):
        for _ in range(MAX_ATTEMPTS):
            result = fan_out_deliver(source_schema="public", message_id=source.pk)
        assert not OutboxMessage.objects.exists()
    assert result.outcome == Outcome.FAILED
    source.refresh_from_db()
    assert source.status == "failed"
    failure = DeliveryFailure.objects.get()
    assert failure.school == school_a and failure.recipient_role == "dcpo"
    assert "No active Designated child protection officer" in failure.reason


def test_a_fan_out_to_an_archived_school_is_given_up_and_shown_to_the_authority(school_a, make_user, signed_in):
    make_user(Role.DCPO, school_a)
    notify_school_roles(school=school_a, event=Event.SCU_ANSWER, roles=[Role.DCPO], link="/referrals/1/")
    source = OutboxMessage.objects.get()
    school_archive(school=school_a)
    later = timezone.now() + timedelta(minutes=2)
    assert outbox_sweep(now=later).enqueued == 0, "not sent to the school"
    source.refresh_from_db()
    assert (source.status, source.last_error) == ("failed", "The school is archived.")
    assert outbox_sweep(now=later + timedelta(minutes=5)).enqueued == 0, "nor re-sent every minute"
    failure = DeliveryFailure.objects.get()
    assert (failure.school, failure.message_id, failure.event, failure.recipient_role, failure.reason) == (
        school_a, source.pk, "scu_answer", "dcpo", "The school is archived.")
    with schema_context(school_a.schema_name):
        assert not OutboxMessage.objects.exists()
    admin, _ = signed_in(Role.AUTHORITY_ADMIN)
    listed = admin.get("/inbox/failures/").content.decode()
    assert listed.count('data-testid="failure"') == 1 and "The school is archived." in listed


def test_email_preferences_are_respected_but_urgent_ones_always_email(make_user, school_a, mailoutbox, deliver_all):
    dcpo = make_user(Role.DCPO, school_a)
    officer = make_user(Role.SCU_OFFICER)
    with schema_context(school_a.schema_name):
        EmailPreference.objects.create(user=dcpo, event="serat_completed", email_on=False)
    EmailPreference.objects.create(user=officer, event="referral_received", email_on=False)
    _notify(school_a)
    with schema_context(school_a.schema_name):
        notify_roles(event=Event.REFERRAL_RECEIVED, roles=[Role.SCU_OFFICER], link="/scu/referrals/1/")
        notify_roles(event=Event.REFERRAL_RECEIVED, roles=[Role.SCU_OFFICER], link="/scu/referrals/2/", urgent=True)
    deliver_all()
    with schema_context(school_a.schema_name):
        assert InboxItem.objects.filter(user=dcpo).count() == 1, "in the inbox, not emailed"
    assert InboxItem.objects.filter(user=officer).count() == 2
    assert [(m.to, m.subject.startswith("Urgent")) for m in mailoutbox] == [([officer.email], True)]


def test_emails_say_there_is_something_to_see_and_nothing_about_the_child(dcpo, school_a, mailoutbox):
    with schema_context(school_a.schema_name):
        child = YoungPerson.objects.create(upn="A123456789012", first_name="Amelia", last_name="Hartley",
                                           date_of_birth="2011-04-05", year_group=9)
    [message] = _notify(school_a, link=f"/cases/young-people/{child.pk}/")
    with schema_context(school_a.schema_name):
        message_deliver(message_id=message.pk)
        item = InboxItem.objects.get()
    [mail] = mailoutbox
    text = mail.subject + mail.body + item.title
    for detail in ("Amelia", "Hartley", "A123456789012", "2011", "very_low", "low risk"):
        assert detail.lower() not in text.lower()
    assert mail.subject == "A SERAT was completed – Alpha School"
    assert f"http://alpha.localhost:8000/cases/young-people/{child.pk}/" in mail.body
    assert "something for you to see" in mail.body
    assert mail.extra_headers["Message-ID"] == f"<{message.idempotency_key}.notification@localhost>"
    assert mail.to == [dcpo.email]
    assert item.title == "A SERAT was completed – Alpha School" and item.link == f"/cases/young-people/{child.pk}/"


def test_a_batch_delivers_each_message_once_and_hands_on_what_it_has_no_time_for(
        make_user, school_a, mailoutbox, monkeypatch, notifications_broker):
    from notifications import tasks

    dcpos = [make_user(Role.DCPO, school_a) for _ in range(3)]
    ids = [m.pk for m in _notify(school_a)]
    assert len(ids) == len(dcpos)
    run = lambda: tasks.deliver_batch.apply((ids,), headers={"_schema_name": school_a.schema_name}).get()  # noqa: E731
    monkeypatch.setattr(tasks, "BATCH_BUDGET", -1)
    assert run() == {"handed on": 3}
    with schema_context(school_a.schema_name):
        assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}
    monkeypatch.setattr(tasks, "BATCH_BUDGET", 90)
    assert run() == {"sent": 3}
    assert run() == {"done": 3}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(d.email for d in dcpos)
