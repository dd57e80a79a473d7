"""How the platform uses its broker: a silent broker cannot hold up a user's action, tasks are redelivered
if their worker dies, and never redelivered while a retry is still waiting for its time."""

import contextlib
import socket
import time

import pytest
from cse_platform.celery import app
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context
from kombu.transport.redis import Transport as RedisTransport

from notifications import tasks
from notifications.events import Event
from notifications.services import notify_roles
from notifications.services.delivery import BACKOFF_MOST, MAX_ATTEMPTS, backoff
from safeguarding.rules.roles import Role
from tests.notifications.conftest import point_celery_at

SILENCES = ["takes no new connection", "takes connections and never answers"]


@pytest.fixture(params=SILENCES)
def silent_broker(request, django_db_setup):
    """The test process's Celery app pointed at a Redis that has gone silent without closing anything:
    its listening socket's backlog is full (new connections are dropped unanswered, as behind a
    partition), or it accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=0)
    port = listener.getsockname()[1]
    waiting = []
    if request.param == SILENCES[0]:
        for _ in range(3):  # fill the backlog: further connection attempts get no answer
            client = socket.socket()
            client.setblocking(False)
            client.connect_ex(("127.0.0.1", port))
            waiting.append(client)
    previous = app.conf.broker_url
    point_celery_at(f"redis://127.0.0.1:{port}/0")
    yield
    point_celery_at(previous)
    for sock in (*waiting, listener):
        with contextlib.suppress(OSError):
            sock.close()


@pytest.mark.timeout(60)
def test_a_silent_broker_at_commit_does_not_hold_up_the_users_action(make_user, school_a, silent_broker,
                                                                     django_capture_on_commit_callbacks):
    make_user(Role.DCPO, school_a)
    with schema_context(school_a.schema_name):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            [message] = notify_roles(event=Event.SERAT_COMPLETED, roles=[Role.DCPO], link="/cases/young-people/1/")
        took = time.monotonic() - started
        message.refresh_from_db()
    assert took < 15, f"the publish gave up after {took:.1f} s"
    assert message.status == "pending" and message.next_attempt_at <= timezone.now(), "left to the next sweep"


NOTIFICATIONS_TASKS = {"notifications.deliver", "notifications.deliver_batch", "notifications.fan_out",
                       "notifications.sweep", "notifications.review_scan", "notifications.training_scan",
                       "notifications.redeliver"}


def test_every_notifications_task_is_acknowledged_late_and_requeued_if_its_worker_is_lost():
    registered = {name for name in app.tasks if name.startswith("notifications.")}
    assert registered >= NOTIFICATIONS_TASKS
    for name in sorted(registered):
        task = app.tasks[name]
        assert (task.acks_late, task.reject_on_worker_lost) == (True, True), name
    # ... and every other task too, by default.
    assert (settings.CELERY_TASK_ACKS_LATE, settings.CELERY_TASK_REJECT_ON_WORKER_LOST) == (True, True)
    assert (app.conf.task_acks_late, app.conf.task_reject_on_worker_lost) == (True, True)
    assert app.conf.worker_prefetch_multiplier == 1


def test_a_retry_waiting_for_its_time_is_never_handed_out_twice():
    """Redis hands an unacknowledged task out again after the visibility timeout: it must outlast the
    longest countdown a retry is given, plus the longest a delivery task may then run."""
    longest_countdown = max(backoff(attempt) for attempt in range(1, MAX_ATTEMPTS + 1))
    assert longest_countdown == BACKOFF_MOST
    longest_run = max(tasks.deliver.time_limit, tasks.deliver_batch.time_limit, tasks.fan_out.time_limit)
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    assert options["visibility_timeout"] > longest_countdown.total_seconds() + longest_run
    assert app.conf.broker_transport_options["visibility_timeout"] == options["visibility_timeout"]
    assert options["socket_timeout"] > RedisTransport.brpop_timeout, "a worker's idle BRPOP is not a dead broker"
