"""Tasks carry their school's schema; one worker process never leaks one task's schema into the next."""

import json
import uuid

import pytest
import redis
from django.conf import settings
from django_tenants.utils import schema_context

from safeguarding.models import YoungPerson
from tests.worker_probe import young_people_seen

pytestmark = pytest.mark.worker


def wait_for_reports(client, key, count, timeout=30):
    reports = []
    while len(reports) < count:
        item = client.blpop(key, timeout=timeout)
        assert item is not None, f"only {len(reports)} of {count} reports arrived"
        reports.append(json.loads(item[1]))
    return reports


def test_two_schools_tasks_back_to_back_in_one_worker_see_only_their_own_rows(
    celery_worker, committed_school, django_db_blocker
):
    first, second = committed_school(), committed_school()
    with django_db_blocker.unblock():
        for school, upn in ((first, "F100000000001"), (second, "S200000000002")):
            with schema_context(school.schema_name):
                YoungPerson.objects.create(upn=upn, first_name="Probe", last_name=school.slug,
                                           date_of_birth="2011-05-05", year_group=10)
    tag = uuid.uuid4().hex
    broker = redis.Redis.from_url(settings.REDIS_URL)
    with django_db_blocker.unblock():
        for school in (first, second, first, second):
            with schema_context(school.schema_name):
                young_people_seen.delay(tag)
    reports = wait_for_reports(broker, f"probe:{tag}", 4)

    assert len({report["pid"] for report in reports}) == 1, "one worker process ran every task"
    assert [r["schema"] for r in reports] == [first.schema_name, second.schema_name] * 2
    for report in reports:
        expected = ["F100000000001"] if report["schema"] == first.schema_name else ["S200000000002"]
        assert report["upns"] == expected
