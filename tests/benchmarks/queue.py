"""The SCU's triage queue as schools join: time and SQL queries of its first page, with and without filters.

    make bench BENCH=queue
    make bench BENCH=queue ARGS="--steps 20,100,200 --per-school 100 --runs 25 --explain"

Adds schools and gives each `--per-school` referrals (100 by default: 200 schools and 20,000 referrals), in
steps; after each step it times the first page of the queue, as the SCU officer's page (GET /scu/) and as
the API (GET /api/scu/referrals/), without and with filters: the whole request, the time spent in SQL, and
the number of queries. It checks that every query runs in the public schema and names no school's schema.

The queue reads public rows only, so by default the schools are tenant rows (with their domains) without
schemas of their own. `--provision` provisions each school for real, cloning the base schema: the same
figures, but much slower to seed, because each clone gets slower as the number of schemas grows.
"""

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on the path, and its name would shadow the standard
# library's `queue` (which Django imports): take the folder off, and put the project on.
HERE = Path(__file__).resolve().parent
sys.path[:] = [str(Path(__file__).resolve().parents[2])] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_platform.settings")

import django  # noqa: E402

django.setup()

from cse_platform.accounts.services import user_create  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from safeguarding.rules.levels import SERAT_BANDS, Level  # noqa: E402
from safeguarding.rules.referrals import ReferralKind, ReferralStatus  # noqa: E402
from safeguarding.rules.roles import Role  # noqa: E402
from scu_portal.models import Referral  # noqa: E402
from scu_portal.selectors.queue import DEFAULT_TARGET_HOURS, QueueFilters, queue_key, referral_queue  # noqa: E402
from tenants.models import Domain, School  # noqa: E402
from tenants.services import domain_for, platform_migrate, schema_name_for, school_provision  # noqa: E402

PASSWORD = "queue-benchmark-password-1"
KINDS = ["high_school", "academy", "college", "pupil_referral_unit"]
# Which referrals a level sends, and how often each level is referred.
LEVEL_KINDS = {
    Level.VERY_HIGH: [ReferralKind.MASE_REFERRAL],
    Level.HIGH: [ReferralKind.MASE_CONSULTATION, ReferralKind.MATERIAL_AGREEMENT, ReferralKind.MASE_REFERRAL],
    Level.MEDIUM: [ReferralKind.MASE_REFERRAL],
}
LEVEL_WEIGHTS = {Level.VERY_HIGH: 15, Level.HIGH: 55, Level.MEDIUM: 30}
S = ReferralStatus
STATUS_WEIGHTS = {S.RECEIVED: 8, S.ACKNOWLEDGED: 8, S.UNDER_REVIEW: 20, S.INFORMATION_REQUESTED: 5,
                  S.SCHOOL_REPLIED: 5, S.MASE_SCHEDULED: 8, S.OUTCOME_RECORDED: 6, S.CLOSED: 35, S.WITHDRAWN: 5}
SCORES = {band.level: (band.minimum + band.maximum) // 2 for band in SERAT_BANDS}


def schools_add(start: int, stop: int, *, provision: bool) -> list[School]:
    made = []
    for n in range(start, stop):
        slug = f"bench-{n:03d}"
        if not provision:
            school = School.objects.create(name=f"Bench School {n:03d}", urn=f"{600000 + n:06d}",
                                           kind=KINDS[n % 4], slug=slug, schema_name=schema_name_for(slug))
            Domain.objects.create(domain=domain_for(slug), tenant=school, is_primary=True)
        else:
            school = school_provision(name=f"Bench School {n:03d}", urn=f"{600000 + n:06d}", kind=KINDS[n % 4],
                                      slug=slug)
        made.append(school)
    return made


def referrals_add(schools: list[School], per_school: int, officers: list, rng: random.Random) -> int:
    now = timezone.now()
    rows = []
    levels, level_weights = zip(*LEVEL_WEIGHTS.items(), strict=True)
    statuses, status_weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    for school in schools:
        for n in range(per_school):
            level = rng.choices(levels, level_weights)[0]
            kind = rng.choice(LEVEL_KINDS[level])
            status = rng.choices(statuses, status_weights)[0]
            received_at = now - timedelta(minutes=rng.randint(5, 365 * 24 * 60))
            urgent = level is Level.VERY_HIGH
            answered = status not in (S.RECEIVED, S.ACKNOWLEDGED) or rng.random() < 0.3
            rows.append(Referral(
                school=school, kind=kind, status=status, urgent=urgent, young_person_ref=n + 1, plan_ref=n + 1,
                young_person_name=f"Young Person {school.pk}-{n}", date_of_birth="2010-01-01", year_group=9,
                serat_total=SCORES[level], serat_level=level, effective_level=level,
                reasons="Concerns raised by staff and a disclosure.", consent_state="not_requested",
                plan_state={"level": level.value, "agreed": True, "agreed_on": None, "option": "",
                            "items_done": [], "made_on": received_at.date().isoformat()},
                dcpo_name="A DCPO", dcpo_email=f"dcpo@{school.slug}.example", received_at=received_at,
                queue_key=queue_key(urgent=urgent, received_at=received_at),
                due_at=received_at + timedelta(hours=DEFAULT_TARGET_HOURS[level]),
                first_answered_at=received_at + timedelta(hours=1) if answered else None,
                assigned_to=rng.choice(officers) if rng.random() < 0.6 else None,
            ))
    Referral.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


class QueriesSeen:
    """Every query of a request, with the schema it ran in."""

    def __init__(self):
        self.seen: list[tuple[str, str]] = []
        self.sql_seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        self.seen.append((context["connection"].schema_name, sql))
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sql_seconds += time.perf_counter() - started


def measure(client: Client, url: str, runs: int, school_schemas: list[str]) -> tuple[float, ...]:
    """Fastest, median and 90th percentile of the whole request; median time spent in SQL; query count.
    On a shared machine the fastest is the least disturbed by other work."""
    client.get(url)  # warm
    timings, sql_timings = [], []
    counts = set()
    for _ in range(runs):
        seen = QueriesSeen()
        with connection.execute_wrapper(seen):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        sql_timings.append(seen.sql_seconds)
        assert response.status_code == 200, (url, response.status_code)
        for schema, sql in seen.seen:
            assert schema == "public", f"{url} ran a query in {schema}"
            assert not any(name in sql for name in school_schemas), f"{url} named a school schema: {sql}"
        counts.add(len(seen.seen))
    timings.sort()
    return (timings[0], statistics.median(timings), timings[int(len(timings) * 0.9) - 1],
            statistics.median(sql_timings), max(counts))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", default="20,100,200", help="numbers of schools to measure at")
    parser.add_argument("--per-school", type=int, default=100, help="referrals per school")
    parser.add_argument("--runs", type=int, default=25, help="requests timed per view and step")
    parser.add_argument("--provision", action="store_true", help="give each school its schema (much slower)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--explain", action="store_true", help="print the query plans of the first page at the end")
    args = parser.parse_args()
    steps = [int(step) for step in args.steps.split(",")]
    rng = random.Random(args.seed)

    platform_migrate()
    officers = [user_create(email=f"officer{n}@authority.example", full_name=f"Officer {n}", role=Role.SCU_OFFICER,
                            password=PASSWORD) for n in range(10)]
    client = Client(HTTP_HOST="localhost")
    signed_in = client.post("/accounts/sign-in/", {"username": officers[0].email, "password": PASSWORD})
    assert signed_in.status_code == 302, "the benchmark's officer could not sign in"

    schools: list[School] = []
    print("Schools " + ("provisioned with their own schemas" if args.provision else
                        "as tenant rows (the queue reads no school schema; --provision to make them)"))
    print(f"{'schools':>7} {'referrals':>9}  {'request':<34} {'min ms':>7} {'median ms':>9} {'p90 ms':>7} "
          f"{'SQL ms':>7} {'queries':>7}")
    for step in steps:
        started = time.perf_counter()
        new = schools_add(len(schools), step, provision=args.provision)
        referrals_add(new, args.per_school, officers, rng)
        schools += new
        with connection.cursor() as cursor:  # as autovacuum would have done on a live system
            cursor.execute("VACUUM ANALYZE")
        seeded = time.perf_counter() - started
        middle, officer = schools[len(schools) // 2], officers[3]
        school_schemas = [school.schema_name for school in schools]
        views = [
            ("page, no filter", "/scu/"),
            ("page, one school", f"/scu/?school={middle.pk}"),
            ("page, very high + under review", "/scu/?level=very_high&status=under_review"),
            ("page, type + officer", f"/scu/?kind=mase_consultation&officer={officer.pk}"),
            ("page, overdue only", "/scu/?overdue=on"),
            ("API, no filter", "/api/scu/referrals/"),
            ("API, one school", f"/api/scu/referrals/?school={middle.slug}"),
            ("API, high + not assigned", "/api/scu/referrals/?level=high&officer=none"),
        ]
        total = Referral.objects.count()
        for label, url in views:
            fastest, median, p90, sql, queries = measure(client, url, args.runs, school_schemas)
            print(f"{len(schools):>7} {total:>9}  {label:<34} {fastest * 1000:>7.1f} {median * 1000:>9.1f} "
                  f"{p90 * 1000:>7.1f} {sql * 1000:>7.1f} {queries:>7}")
        print(f"        (seeding {len(new)} schools and their referrals took {seeded:.1f} s)")
    print("Every query of every request ran in the public schema and named no school's schema.")
    if args.explain:
        for label, filters in (("no filter", QueueFilters()), ("one school", QueueFilters(school=middle.pk)),
                               ("overdue only", QueueFilters(overdue=True))):
            print(f"\nThe first page's plan, {label}:")
            print(referral_queue(filters=filters)[:50].explain(analyze=True))
        with CaptureQueriesContext(connection) as counted:
            referral_queue().count()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + counted.captured_queries[-1]["sql"])
            print("\nThe count of the open queue (for its pages):")
            print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
