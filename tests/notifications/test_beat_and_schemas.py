"""The beat schedule, tenant-aware; tasks that run only where they should; a school still being
provisioned (schema missing or half made), archived or unknown is skipped and breaks nothing."""

from datetime import timedelta

import pytest
from cse_platform.celery import app
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from notifications.beat import PlatformScheduler
from notifications.events import Event
from notifications.models import OutboxMessage, ReminderSent
from notifications.schedule import BEAT_SCHEDULE
from notifications.services import notify_roles
from notifications.tasks import review_scan, sweep, training_scan
from safeguarding.rules.roles import Role
from scu_portal.models import TrainingRecord
from tenants.models import School, SchoolStatus
from tests.notifications.conftest import make_review


def test_the_schedule_names_real_tasks_at_sensible_times():
    assert set(BEAT_SCHEDULE) == {"notifications-sweep", "notifications-sweep-central", "notifications-review-scan",
                                  "notifications-training-scan"}
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
    assert BEAT_SCHEDULE["notifications-sweep"]["schedule"] == 60.0
    assert BEAT_SCHEDULE["notifications-sweep-central"]["tenant_schemas"] == ["public"]
    assert "tenant_schemas" not in BEAT_SCHEDULE["notifications-review-scan"], "every school"
    review_time = BEAT_SCHEDULE["notifications-review-scan"]["schedule"]
    assert review_time.hour == {7} and review_time.minute == {0}


@pytest.fixture
def scheduler(tmp_path, monkeypatch):
    """The platform's beat scheduler with the notifications schedule, recording what it sends."""
    beat = PlatformScheduler(app=app, schedule_filename=str(tmp_path / "beat"))
    beat.merge_inplace(BEAT_SCHEDULE)
    sent = []

    def record(entry, producer=None, advance=True, **kwargs):
        sent.append((entry.task, connection.schema_name))
        return type("Sent", (), {"id": "recorded"})()

    monkeypatch.setattr(beat, "apply_async", record)
    beat.sent = sent
    yield beat
    beat.close()


def test_every_school_entries_go_to_each_active_school_and_central_ones_to_the_portal(scheduler, school_a, school_b):
    archived = School.objects.create(name="Old School", urn="990001", kind="academy", slug="old-school",
                                     schema_name="school_old_school", status=SchoolStatus.ARCHIVED)
    entries = {name.split("@")[0]: entry for name, entry in scheduler.schedule.items()}
    scheduler.apply_entry(entries["notifications-sweep"])
    scheduler.apply_entry(entries["notifications-sweep-central"])
    scheduler.apply_entry(entries["notifications-review-scan"])
    schools = set(School.objects.filter(status="active").values_list("schema_name", flat=True))
    assert {school_a.schema_name, school_b.schema_name} <= schools
    assert archived.schema_name not in schools
    assert sorted(scheduler.sent) == sorted(
        [("notifications.sweep", s) for s in schools] + [("notifications.sweep", "public")]
        + [("notifications.review_scan", s) for s in schools])


def _run(task, schema: str, **kwargs):
    """Run a task in this process as the worker would, sent with `schema` on it."""
    result = task.apply(kwargs=kwargs, headers={"_schema_name": schema}).get()
    connection.set_schema_to_public()
    return result


@pytest.fixture
def half_made_school(db):
    """A school whose schema exists but has none of its tables yet (provisioning under way)."""
    school = School.objects.create(name="Half School", urn="990002", kind="academy", slug="half-school",
                                   schema_name="school_half_school")
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "school_half_school"')
    return school


@pytest.fixture
def schemaless_school(db):
    """A school row whose schema is not there at all."""
    return School.objects.create(name="Ghost School", urn="990003", kind="academy", slug="ghost-school",
                                 schema_name="school_ghost_school")


def test_a_school_being_provisioned_is_skipped_and_never_reads_public_tables(
        half_made_school, schemaless_school, make_user, school_a):
    officer = make_user(Role.SCU_OFFICER)
    # Were the scan to run in a half-made schema, unqualified tables would be the public ones:
    # this training record names a central account's address.
    for school in (half_made_school, schemaless_school):
        TrainingRecord.objects.create(school=school, staff_email=officer.email, staff_name="X",
                                      completed_on=timezone.localdate() - timedelta(days=700),
                                      expires_on=timezone.localdate() + timedelta(days=3))
    [central] = notify_roles(event=Event.MASE_SCHEDULED, roles=[Role.SCU_OFFICER], link="/scu/meetings/1/")
    OutboxMessage.objects.filter(pk=central.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=5))
    before = OutboxMessage.objects.get(pk=central.pk).next_attempt_at
    for school in (half_made_school, schemaless_school):
        for task in (sweep, review_scan, training_scan):
            assert _run(task, school.schema_name) == {"skipped": True}
    assert OutboxMessage.objects.count() == 1, "nothing written in public"
    assert OutboxMessage.objects.get(pk=central.pk).next_attempt_at == before, "public outbox untouched"
    assert not ReminderSent.objects.exists()


def test_a_task_for_an_unknown_or_archived_school_does_nothing(school_a, make_user):
    assert _run(review_scan, "school_nowhere") == {"skipped": True}
    School.objects.filter(pk=school_a.pk).update(status=SchoolStatus.ARCHIVED)
    assert _run(review_scan, school_a.schema_name) == {"skipped": True}
    assert _run(review_scan, "public") == {"skipped": True}, "the scans are for schools"


def test_scans_run_twice_in_a_row_send_once(school_a, make_user, deliver_all, notifications_broker):
    staff, dcpo = make_user(Role.STAFF, school_a), make_user(Role.DCPO, school_a)
    today = timezone.localdate()
    with schema_context(school_a.schema_name):
        make_review(assessed_by=staff, due_from=today + timedelta(days=2), overdue_after=today + timedelta(days=16))
    assert _run(review_scan, school_a.schema_name) == {"messages": 2}
    assert _run(review_scan, school_a.schema_name) == {"messages": 0}
    assert _run(sweep, school_a.schema_name) == {"released": 0, "enqueued": 0}, "nothing due yet"
    with schema_context(school_a.schema_name):
        assert set(OutboxMessage.objects.values_list("recipient_id", flat=True)) == {staff.pk, dcpo.pk}
