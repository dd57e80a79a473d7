"""A SERAT submission costs the same SQL whatever the young person's history (issue 3's measure).

The benchmark (tests/benchmarks/serat.py) reports the counts; this guards that they stay constant."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.framework.conftest import submit_serat


def statements_of_a_submission(client, person, total: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = submit_serat(client, person, total)
    assert response.status_code == 201, response.content
    return sum(1 for query in captured.captured_queries if not query["sql"].startswith("SET search_path"))


def test_a_submission_costs_the_same_queries_after_one_earlier_serat_or_many(team, young_person):
    counts = {}
    for history in (1, 8):
        person = young_person()
        for n in range(history):
            submit_serat(team.dcpo, person, (n * 7) % 56)
        counts[history] = statements_of_a_submission(team.dcpo, person, 25)
    assert counts[1] == counts[8], counts
