"""Faults (issue 5, item 5), on a Redis and a worker of this module's own:

* Redis is down when a SERAT is saved, then comes back → the DCPO is told exactly once;
* the worker is killed in the middle of a delivery → delivered exactly once after it restarts.

`make faults` runs both 20 times in a row.
"""

import time
from datetime import date

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from notifications.events import Event
from notifications.models import InboxItem, OutboxMessage
from notifications.tasks import sweep
from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.models import SeratAssessment, YoungPerson
from safeguarding.rules.instruments import InstrumentKind, answers_totalling
from safeguarding.rules.roles import Role
from safeguarding.services.assessments import serat_submit
from tests.notifications.conftest import all_sent, wait_for

pytestmark = pytest.mark.worker


def inbox_events(schema: str, user) -> list[str]:
    with schema_context(schema):
        return list(InboxItem.objects.filter(user_id=user.pk).values_list("event", flat=True))


def the_serat_notice(schema: str) -> OutboxMessage:
    with schema_context(schema):
        return OutboxMessage.objects.get(event=Event.SERAT_COMPLETED)


def save_a_serat(school, assessor) -> None:
    """A member of staff submits a SERAT for a young person they work with, through the real service,
    which writes the SERAT, its plan and their notices in one transaction."""
    with tenant_context(school):
        young_person = YoungPerson.objects.create(upn="F900000000001", first_name="Fault", last_name="Test",
                                                  date_of_birth=date(2011, 1, 1), year_group=9)
        young_person.staff.add(assessor)
        items = instrument_in_force(kind=InstrumentKind.SERAT).as_instrument().items
        serat_submit(young_person=young_person, answers=answers_totalling(items, 30), assessor=assessor)


def test_redis_stopped_when_a_serat_is_saved_then_restarted_tells_the_dcpo_exactly_once(
        notifications_broker, notifications_worker, committed_school, committed_user, db_access):
    school = committed_school()
    dcpo, staff = committed_user(Role.DCPO, school), committed_user(Role.STAFF, school)
    head = committed_user(Role.HEADTEACHER, school)

    notifications_broker.stop()
    started = time.monotonic()
    save_a_serat(school, staff)  # succeeds although the broker is down
    assert time.monotonic() - started < 10, "the user's action was not held up by the outage"
    message = the_serat_notice(school.schema_name)
    assert (message.status, message.recipient_id) == ("pending", dcpo.pk)
    assert message.next_attempt_at <= timezone.now(), "brought forward for the next sweep"
    with schema_context(school.schema_name):
        assert SeratAssessment.objects.count() == 1, "the SERAT itself was saved"

    notifications_broker.start()
    notifications_worker.wait_ready()
    sweep.apply_async(headers={"_schema_name": school.schema_name})
    wait_for(lambda: all_sent(school.schema_name), timeout=60, message="the deliveries")
    wait_for(lambda: notifications_worker.emails_to(dcpo) and notifications_worker.emails_to(head),
             message="the emails")
    for _ in range(2):  # more sweeps (beat runs every minute) change nothing
        sweep.apply_async(headers={"_schema_name": school.schema_name})
    notifications_worker.run_queued(school.schema_name)
    assert inbox_events(school.schema_name, dcpo) == ["serat_completed"]
    assert inbox_events(school.schema_name, head) == ["plan_awaiting_agreement"], "the plan's notice, nothing else"
    assert inbox_events(school.schema_name, staff) == []
    [mail] = notifications_worker.emails_to(dcpo)
    assert "A SERAT was completed" in mail
    assert len(notifications_worker.emails_to(head)) == 1
    assert notifications_worker.emails_to(staff) == []


def test_a_worker_killed_in_the_middle_of_a_delivery_delivers_exactly_once_after_restart(
        notifications_broker, notifications_worker, committed_school, committed_user, db_access):
    school = committed_school()
    dcpo, staff = committed_user(Role.DCPO, school), committed_user(Role.STAFF, school)
    hold, started = notifications_worker.hold_dir / "hold", notifications_worker.hold_dir / "started"
    started.unlink(missing_ok=True)
    hold.touch()
    try:
        save_a_serat(school, staff)
        wait_for(started.exists, timeout=30, message="the worker to start sending the email")
        notifications_worker.kill()  # SIGKILL to the worker and its pool, mid-send
    finally:
        hold.unlink(missing_ok=True)
    message = the_serat_notice(school.schema_name)
    assert (message.status, message.attempts) == ("sending", 1), "the worker died holding the message"
    assert inbox_events(school.schema_name, dcpo) == ["serat_completed"]
    assert notifications_worker.emails_to(dcpo) == []

    notifications_worker.start()
    # The lease of a claim (5 minutes) is what the beat's sweep waits for; here it is not waited out.
    sweep.apply_async((0,), headers={"_schema_name": school.schema_name})
    wait_for(lambda: the_serat_notice(school.schema_name).status == "sent", timeout=60, message="the redelivery")
    wait_for(lambda: notifications_worker.emails_to(dcpo), message="the email")
    sweep.apply_async((0,), headers={"_schema_name": school.schema_name})
    notifications_worker.run_queued(school.schema_name)
    assert the_serat_notice(school.schema_name).attempts == 2
    assert inbox_events(school.schema_name, dcpo) == ["serat_completed"]
    assert len(notifications_worker.emails_to(dcpo)) == 1
