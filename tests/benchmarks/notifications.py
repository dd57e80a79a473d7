"""Notifications: deliveries per second end to end through a real worker, and the daily review scan
for many schools with many open reviews each.

    make bench BENCH=notifications ARGS="--schools 100 --reviews 1000 --messages 2000 --concurrency 4"

1. Deliveries: one transaction writes --messages outbox rows (a notice to each of 50 DCPOs, repeated);
   from the commit until the worker has delivered every one (inbox item + email through Django's
   locmem backend), timed. Prints deliveries per second and the latency from commit to delivery.
2. Review scan: --schools schools cloned from the base schema, each seeded (bulk) with --reviews open
   reviews of SERATs assessed over the last 120 days, so that some are due within 7 days, some overdue,
   some overdue over a week. Timed: the first scan of every school in this process (writing each
   reminder's outbox rows and handing them to the broker), the second scan (nothing new: the cost of
   every later day), and the first scan again as the beat runs it, one task per school, through the worker.
"""

import sys
from pathlib import Path

# Run as a script, this folder comes first on the path, where a benchmark's name (e.g. queue.py)
# could shadow a module of Python's own: import from the repository root instead.
sys.path[:] = [str(Path(__file__).resolve().parents[2])] + [
    p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_platform.settings")

import django  # noqa: E402

django.setup()

from cse_platform.accounts.models import User  # noqa: E402
from cse_platform.accounts.services import user_create  # noqa: E402
from cse_platform.celery import app  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from notifications.beat import PlatformScheduler  # noqa: E402
from notifications.events import Event  # noqa: E402
from notifications.models import OutboxMessage, ReminderSent  # noqa: E402
from notifications.schedule import BEAT_SCHEDULE  # noqa: E402
from notifications.services import notify  # noqa: E402
from notifications.services.reminders import review_reminders_due, review_reminders_send  # noqa: E402
from safeguarding.instruments.models import InstrumentVersion  # noqa: E402
from safeguarding.models import Review, SeratAssessment, YoungPerson  # noqa: E402
from safeguarding.rules.reviews import review_window  # noqa: E402
from safeguarding.rules.roles import Role  # noqa: E402
from tenants.models import School  # noqa: E402
from tenants.services import platform_migrate, school_provision  # noqa: E402


def start_worker(concurrency: int) -> subprocess.Popen:
    env = {**os.environ, "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "LOG_LEVEL": "WARNING"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cse_platform", "worker", "--pool", "prefork", "--concurrency",
         str(concurrency), "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
         "--hostname", f"bench-{os.getpid()}@%h"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("The worker did not start.")
    return worker


def stop_worker(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, 15)
    worker.wait(30)


def wait_until(condition, timeout: float, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("Timed out.")
        time.sleep(step)


# 1. Deliveries ---------------------------------------------------------------------------------------

def bench_deliveries(messages: int, concurrency: int) -> None:
    school = school_provision(name="Bench Delivery", urn="790000", kind="academy", slug="bench-delivery")
    with schema_context(school.schema_name):
        dcpos = [user_create(email=f"dcpo{n}@bench.example", full_name=f"DCPO {n}", role=Role.DCPO)
                 for n in range(50)]
    worker = start_worker(concurrency)
    try:
        with schema_context(school.schema_name):
            started = time.perf_counter()
            with transaction.atomic():
                for n in range(0, messages, len(dcpos)):
                    notify(event=Event.SERAT_COMPLETED, recipients=dcpos[: messages - n],
                           link=f"/cases/young-people/{n}/")
                written = time.perf_counter()
            committed = time.perf_counter()  # after commit and the hand-over of every task to the broker
            wait_until(lambda: OutboxMessage.objects.filter(status="sent").count() == messages, timeout=600)
            done = time.perf_counter()
            latencies = sorted((sent - created).total_seconds() for created, sent in
                               OutboxMessage.objects.values_list("created_at", "sent_at"))
    finally:
        stop_worker(worker)
    total = done - started
    print(f"deliveries: {messages} messages, worker concurrency {concurrency}")
    print(f"  outbox rows written in the transaction: {(written - started) * 1000:.0f} ms; commit and hand-over of "
          f"{messages} tasks to the broker: {(committed - written) * 1000:.0f} ms (the worker starts meanwhile)")
    print(f"  end to end, first row written to last delivered: {total:.2f} s  ->  "
          f"{messages / total:.0f} deliveries per second")
    print(f"  latency from the notice to its delivery: median {statistics.median(latencies):.2f} s, "
          f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.2f} s (a queue of {messages} at once)")


# 2. Review scan ------------------------------------------------------------------------------------

def seed_school(n: int, reviews: int, serat: InstrumentVersion, today) -> School:
    school = school_provision(name=f"Bench School {n}", urn=f"{710000 + n:06d}", kind="high_school",
                              slug=f"bench-{n}")
    rng = random.Random(n)
    with schema_context(school.schema_name), transaction.atomic():
        staff = [User.objects.create_user(email=f"staff{k}@bench{n}.example", full_name=f"Staff {k}",
                                          role=Role.STAFF.value) for k in range(10)]
        for role in (Role.DCPO, Role.HEADTEACHER):
            User.objects.create_user(email=f"{role.value}@bench{n}.example", full_name=role.label, role=role.value)
        people = YoungPerson.objects.bulk_create([
            YoungPerson(upn=f"B{n:04d}{k:07d}X", first_name="Bench", last_name=f"Person{k}",
                        date_of_birth="2011-01-01", year_group=9) for k in range(reviews)])
        assessed_on = [today - timedelta(days=rng.randint(1, 120)) for _ in people]
        assessments = SeratAssessment.objects.bulk_create([
            SeratAssessment(young_person=person, instrument=serat, answers={}, total=15, level="low",
                            assessed_by=rng.choice(staff)) for person in people])
        windows = [review_window(day) for day in assessed_on]
        Review.objects.bulk_create([
            Review(young_person=person, assessment=assessment, due_from=window.due_from,
                   overdue_after=window.overdue_after)
            for person, assessment, window in zip(people, assessments, windows, strict=True)])
    connection.set_schema_to_public()
    return school


def reset(schools: list[School]) -> None:
    for school in schools:
        with schema_context(school.schema_name), connection.cursor() as cursor:
            cursor.execute("TRUNCATE notifications_inboxitem, notifications_outboxmessage, notifications_remindersent")
    app.control.purge()


def bench_review_scan(count: int, reviews: int, concurrency: int) -> None:
    serat = InstrumentVersion.objects.get(kind="serat", status="published", version=1)
    today = timezone.localdate()
    started = time.perf_counter()
    schools = [seed_school(n, reviews, serat, today) for n in range(count)]
    print(f"review scan: {count} schools x {reviews} open reviews (seeded in {time.perf_counter() - started:.0f} s)")
    expected = 0
    for school in schools:
        with schema_context(school.schema_name):
            expected += sum(1 for reminder in review_reminders_due(today=today) if reminder.recipients)

    for label in ("first scan (every reminder written)", "second scan (nothing new)"):
        per_school, messages = [], 0
        total_started = time.perf_counter()
        for school in schools:
            with schema_context(school.schema_name):
                one = time.perf_counter()
                messages += review_reminders_send(today=today)
                per_school.append(time.perf_counter() - one)
        total = time.perf_counter() - total_started
        print(f"  in process, {label}: total {total:.2f} s; per school median "
              f"{statistics.median(per_school) * 1000:.0f} ms, max {max(per_school) * 1000:.0f} ms; "
              f"{messages} messages")

    reset(schools)
    worker = start_worker(concurrency)
    try:
        beat = PlatformScheduler(app=app, schedule_filename=str(Path(os.environ.get("CSE_DATA_DIR", "/tmp"))
                                                                / "bench-beat"))
        beat.merge_inplace({"notifications-review-scan": BEAT_SCHEDULE["notifications-review-scan"]})
        [entry] = beat.schedule.values()
        sent = time.perf_counter()
        beat.apply_entry(entry)

        def recorded() -> int:
            done = 0
            for school in schools:
                with schema_context(school.schema_name):
                    done += ReminderSent.objects.count()
            connection.set_schema_to_public()
            return done

        wait_until(lambda: recorded() == expected, timeout=1800, step=0.5)
        total = time.perf_counter() - sent
        beat.close()
    finally:
        stop_worker(worker)
    print(f"  through the worker (beat sends one task per school, concurrency {concurrency}): total {total:.2f} s,"
          f" {total / count * 1000:.0f} ms per school; {expected} reminders")
    reset(schools)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--schools", type=int, default=100)
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--only", choices=["deliveries", "scan"])
    args = parser.parse_args()
    platform_migrate()
    print(f"machine: {os.cpu_count()} CPUs")
    if args.only != "scan":
        bench_deliveries(args.messages, args.concurrency)
    if args.only != "deliveries":
        bench_review_scan(args.schools, args.reviews, args.concurrency)


if __name__ == "__main__":
    main()
