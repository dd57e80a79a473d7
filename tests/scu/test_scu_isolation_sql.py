"""The central portal never reads a school's schema: every query of its SCU pages and API runs on the public
schema and names no school schema; and the queue's query count does not grow with the number of schools."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.utils import timezone

from safeguarding.rules.roles import Role
from scu_portal.services.mase import mase_meeting_create
from tenants.models import School
from tenants.services import school_provision
from tests.scu.conftest import referral_row


@contextmanager
def queries_seen():
    """Every query run, with the schema the connection was on when it ran."""
    seen: list[tuple[str, str]] = []

    def wrapper(execute, sql, params, many, context):
        seen.append((context["connection"].schema_name, sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


def school_schemas() -> list[str]:
    return [*School.objects.values_list("schema_name", flat=True), "school_template"]


def assert_public_only(seen):
    schemas = school_schemas()
    assert seen, "the request ran no query"
    for schema, sql in seen:
        assert schema == "public", sql
        assert not any(name in sql for name in schemas), sql
        if "search_path" in sql.lower():
            assert sql.strip() == 'SET search_path = "public"', sql


@pytest.fixture
def busy(school_a, school_b, officer):
    referrals = [referral_row(school, level=level, kind=kind, status="under_review")
                 for school in (school_a, school_b)
                 for level, kind in (("very_high", "mase_referral"), ("high", "mase_consultation"),
                                     ("medium", "mase_referral"))]
    meeting = mase_meeting_create(held_on=timezone.localdate(), agencies=["Police"], referrals=referrals[:2],
                                  actor=officer)
    return referrals, meeting


def test_every_scu_page_and_endpoint_runs_on_the_public_schema_only(signed_in, busy):
    referrals, meeting = busy
    client, _ = signed_in(Role.SCU_MANAGER)
    urls = ["/scu/", "/scu/?level=very_high&overdue=on", f"/scu/referrals/{referrals[0].pk}/", "/scu/targets/",
            "/scu/meetings/", "/scu/meetings/new/", f"/scu/meetings/{meeting.pk}/",
            f"/scu/meetings/{meeting.pk}/referrals/{referrals[0].pk}/outcome/",
            "/api/scu/referrals/", f"/api/scu/referrals/{referrals[0].pk}/", "/api/scu/meetings/",
            f"/api/scu/meetings/{meeting.pk}/", "/api/scu/targets/"]
    for url in urls:
        with queries_seen() as seen:
            assert client.get(url).status_code == 200, url
        assert_public_only(seen)
    with queries_seen() as seen:
        response = client.post(f"/api/scu/referrals/{referrals[2].pk}/answers/",
                               {"kind": "advice", "text": "Advice."}, content_type="application/json")
        assert response.status_code == 201
    assert_public_only(seen)


def queue_queries(client, url) -> list[str]:
    with queries_seen() as seen:
        assert client.get(url).status_code == 200
    assert_public_only(seen)
    return [sql for _, sql in seen]


def test_the_queues_query_count_is_the_same_for_one_school_and_five(signed_in, school_a):
    client, _ = signed_in(Role.SCU_OFFICER)
    for n in range(10):
        referral_row(school_a, level=("very_high", "high", "medium")[n % 3], kind="mase_referral")
    urls = ["/scu/", "/scu/?kind=mase_referral&level=high", "/api/scu/referrals/",
            "/api/scu/referrals/?overdue=true"]
    one = {url: len(queue_queries(client, url)) for url in urls}
    for n in range(4):
        school = school_provision(name=f"Extra {n}", urn=f"91000{n}", kind="college", slug=f"extra-{n}")
        for k in range(10):
            referral_row(school, level=("very_high", "high", "medium")[k % 3], kind="mase_referral")
    assert School.objects.count() >= 5
    five = {url: len(queue_queries(client, url)) for url in urls}
    assert one == five
