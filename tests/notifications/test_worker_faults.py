"""Faults (issue 5, item 5), on a Redis and a worker of this module's own:

* Redis is down when a SERAT is saved, then comes back → the DCPO is told exactly once;
* the worker is killed in the middle of a delivery → delivered exactly once after it restarts.
"""

import time
from datetime import date

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from notifications.events import Event
from notifications.models import InboxItem, OutboxMessage
from notifications.services import notify_roles
from notifications.tasks import sweep
from safeguarding.instruments.models import InstrumentVersion
from safeguarding.models import SeratAssessment, YoungPerson
from safeguarding.rules.roles import Role
from tests.notifications.conftest import wait_for

pytestmark = pytest.mark.worker


@pytest.fixture
def db_access(django_db_blocker):
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


def inbox_count(schema: str, user) -> int:
    with schema_context(schema):
        return InboxItem.objects.filter(user_id=user.pk).count()


def emails_to(worker, user) -> int:
    return sum(1 for text in worker.emails() if f"To: {user.email}" in text)


def the_message(schema: str) -> OutboxMessage:
    with schema_context(schema):
        return OutboxMessage.objects.get()


def save_a_serat(school, assessor) -> None:
    """A SERAT saved in the school, with its notice to the DCPO, in one transaction."""
    with schema_context(school.schema_name), transaction.atomic():
        young_person = YoungPerson.objects.create(upn="F900000000001", first_name="Fault", last_name="Test",
                                                  date_of_birth=date(2011, 1, 1), year_group=9)
        SeratAssessment.objects.create(
            young_person=young_person, answers={}, total=30, level="medium", assessed_by=assessor,
            instrument=InstrumentVersion.objects.get(kind="serat", status="published", version=1))
        notify_roles(event=Event.SERAT_COMPLETED, roles=[Role.DCPO], link=f"/cases/young-people/{young_person.pk}/")


def test_redis_stopped_when_a_serat_is_saved_then_restarted_tells_the_dcpo_exactly_once(
        notifications_broker, notifications_worker, committed_school, committed_user, db_access):
    school = committed_school()
    dcpo, staff = committed_user(Role.DCPO, school), committed_user(Role.STAFF, school)
    head = committed_user(Role.HEADTEACHER, school)

    notifications_broker.stop()
    started = time.monotonic()
    save_a_serat(school, staff)  # succeeds although the broker is down
    assert time.monotonic() - started < 10, "the user's action was not held up by the outage"
    message = the_message(school.schema_name)
    assert message.status == "pending" and message.next_attempt_at <= timezone.now()
    with schema_context(school.schema_name):
        assert SeratAssessment.objects.count() == 1, "the SERAT itself was saved"

    notifications_broker.start()
    notifications_worker.wait_ready()
    sweep.apply_async(headers={"_schema_name": school.schema_name})
    wait_for(lambda: the_message(school.schema_name).status == "sent", timeout=60, message="the delivery")
    wait_for(lambda: emails_to(notifications_worker, dcpo) >= 1, message="the email")
    for _ in range(2):  # more sweeps (beat runs every minute) change nothing
        sweep.apply_async(headers={"_schema_name": school.schema_name})
    time.sleep(1.5)
    assert inbox_count(school.schema_name, dcpo) == 1
    assert emails_to(notifications_worker, dcpo) == 1
    assert inbox_count(school.schema_name, staff) == inbox_count(school.schema_name, head) == 0
    assert emails_to(notifications_worker, staff) == emails_to(notifications_worker, head) == 0


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
    message = the_message(school.schema_name)
    assert (message.status, message.attempts) == ("sending", 1), "the worker died holding the message"
    assert inbox_count(school.schema_name, dcpo) == 1 and emails_to(notifications_worker, dcpo) == 0

    notifications_worker.start()
    # The lease of a claim (5 minutes) is what the beat's sweep waits for; here it is not waited out.
    sweep.apply_async((0,), headers={"_schema_name": school.schema_name})
    wait_for(lambda: the_message(school.schema_name).status == "sent", timeout=60, message="the redelivery")
    wait_for(lambda: emails_to(notifications_worker, dcpo) >= 1, message="the email")
    sweep.apply_async((0,), headers={"_schema_name": school.schema_name})
    time.sleep(1.5)
    assert the_message(school.schema_name).attempts == 2
    assert inbox_count(school.schema_name, dcpo) == 1
    assert emails_to(notifications_worker, dcpo) == 1
