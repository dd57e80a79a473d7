"""SERAT submission: SQL queries per request, whatever the young person's history, and requests per second
against a minimal authenticated endpoint of the same server, in one run.

    make bench BENCH=serat
    make bench BENCH=serat ARGS="--requests 400 --clients 4 --histories 0,10,50"

Queries are counted in process with Django's test client. Throughput is measured against gunicorn
(`--workers`, default 2) serving the same database, with `--clients` threads each holding a keep-alive
connection and a token: POST /api/serat-assessments/ versus GET /api/me/.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_platform.settings")

import django  # noqa: E402

django.setup()

from cse_platform import devstack  # noqa: E402
from cse_platform.accounts.services import user_create  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from safeguarding.instruments.selectors import instrument_in_force  # noqa: E402
from safeguarding.models import YoungPerson  # noqa: E402
from safeguarding.rules.instruments import InstrumentKind, answers_totalling  # noqa: E402
from safeguarding.rules.roles import Role  # noqa: E402
from safeguarding.services.assessments import serat_submit  # noqa: E402
from tenants.models import School  # noqa: E402
from tenants.services import platform_migrate, school_provision  # noqa: E402

HOST = "bench.localhost"


def setup() -> tuple[School, object, str]:
    platform_migrate()
    school = School.objects.filter(slug="bench").first() or school_provision(
        name="Bench School", urn="654321", kind="academy", slug="bench")
    with schema_context(school.schema_name):
        dcpo = user_create(email=f"dcpo{time.time_ns()}@bench.test", full_name="Bench DCPO", role=Role.DCPO,
                           password="bench-password-long")
        token = Token.objects.create(user=dcpo).key
        # A real school has a headteacher: each new plan writes the outbox row that tells them.
        user_create(email=f"head{time.time_ns()}@bench.test", full_name="Bench Headteacher", role=Role.HEADTEACHER,
                    password="bench-password-long")
    return school, dcpo, token


def young_person_with_history(school, dcpo, n: int, serats: int) -> YoungPerson:
    items = instrument_in_force(kind=InstrumentKind.SERAT).as_instrument().items
    with schema_context(school.schema_name):
        connection.set_tenant(school)
        person = YoungPerson.objects.create(upn=f"B{n:012d}", first_name="Bench", last_name=str(n),
                                            date_of_birth="2011-01-01", year_group=10)
        for i in range(serats):
            serat_submit(young_person=person, answers=answers_totalling(items, (i * 7) % 56), assessor=dcpo)
        connection.set_schema_to_public()
    return person


def queries_per_submission(school, token, people: dict[int, YoungPerson], answers: dict) -> dict[int, tuple[int, int]]:
    """Statements per submission: (queries, SET search_path). django-tenants sets the search path before each
    query; TENANT_LIMIT_SET_CALLS would save those round trips but can leave a stale search path after a
    savepoint rollback (django-tenants issue #1262), so the platform leaves it off."""
    client = Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Token {token}")
    counts = {}
    for history, person in people.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/api/serat-assessments/", {"young_person": person.pk, "answers": answers},
                                   content_type="application/json")
        assert response.status_code == 201, response.content
        connection.set_schema_to_public()
        statements = [query["sql"] for query in captured.captured_queries]
        search_paths = sum(1 for sql in statements if sql.startswith("SET search_path"))
        counts[history] = (len(statements) - search_paths, search_paths)
    return counts


def load(port: int, token: str, method: str, path: str, body: dict | None, requests: int, clients: int) -> float:
    """Requests per second with `clients` keep-alive connections sharing `requests` requests."""
    payload = json.dumps(body).encode() if body is not None else None
    headers = {"Host": f"{HOST}:{port}", "Authorization": f"Token {token}", "Content-Type": "application/json"}
    per_client = requests // clients
    failures = []

    def work():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(per_client):
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status >= 300:
                failures.append(response.status)
        conn.close()

    threads = [threading.Thread(target=work) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    assert not failures, f"{len(failures)} requests failed: {failures[:5]}"
    return per_client * clients / elapsed


def serve(workers: int) -> tuple[subprocess.Popen, int]:
    port = devstack.free_port()
    url = urlsplit(os.environ["DATABASE_URL"])
    env = {**os.environ, "DATABASE_URL": urlunsplit(url._replace(path=f"/{connection.settings_dict['NAME']}")),
           "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "cse_platform.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(workers), "--threads", "1"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz",
                                                                              headers={"Host": HOST})
            return server, port
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--histories", default="0,1,5,20,50", help="Earlier SERATs per young person")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    school, dcpo, token = setup()
    items = instrument_in_force(kind=InstrumentKind.SERAT).as_instrument().items
    answers = answers_totalling(items, 25)

    histories = [int(h) for h in args.histories.split(",")]
    people = {h: young_person_with_history(school, dcpo, i, h) for i, h in enumerate(histories)}
    counts = queries_per_submission(school, token, people, answers)
    print("SQL for one SERAT submission (POST /api/serat-assessments/), by earlier SERATs on record:")
    for history, (queries, search_paths) in counts.items():
        print(f"  {history:>4} earlier SERATs: {queries} queries (+ {search_paths} SET search_path)")
    reviewed = {counts[h] for h in histories if h > 0}
    print(f"  constant for every history of one or more SERATs: {'yes' if len(reviewed) == 1 else 'NO'} "
          "(a first SERAT has no review to close and no plan to replace)")

    target = young_person_with_history(school, dcpo, 999, 0)
    server, port = serve(args.workers)
    try:
        load(port, token, "GET", "/api/me/", None, 40, args.clients)  # warm up both
        load(port, token, "POST", "/api/serat-assessments/", {"young_person": target.pk, "answers": answers},
             20, args.clients)
        me, serat = [], []
        for _ in range(args.rounds):
            me.append(load(port, token, "GET", "/api/me/", None, args.requests, args.clients))
            serat.append(load(port, token, "POST", "/api/serat-assessments/",
                              {"young_person": target.pk, "answers": answers}, args.requests, args.clients))
    finally:
        server.terminate()
        server.wait(20)
    me_rate, serat_rate = statistics.median(me), statistics.median(serat)
    print(f"Throughput, gunicorn {args.workers} workers, {args.clients} keep-alive clients, "
          f"{args.requests} requests a round, median of {args.rounds} rounds:")
    print(f"  GET /api/me/ (minimal authenticated): {me_rate:8.1f} req/s")
    print(f"  POST /api/serat-assessments/:        {serat_rate:8.1f} req/s")
    print(f"  ratio SERAT / minimal: {serat_rate / me_rate:.2f}")


if __name__ == "__main__":
    main()
