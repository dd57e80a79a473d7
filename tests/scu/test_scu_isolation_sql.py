"""The central portal never reads or writes a school's schema: every query of its SCU pages and API, reads and
writes, runs on the public schema and names no school schema; and the queue's query count does not grow with
the number of schools."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from safeguarding.rules.roles import Role
from scu_portal.forms import TargetsForm
from scu_portal.selectors.queue import target_table
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


def test_every_scu_write_of_the_pages_and_the_api_runs_on_the_public_schema_only(signed_in, school_a, school_b,
                                                                                   busy, officer):
    referrals, meeting = busy
    scheduled, moved_on, to_close, to_answer, to_meet, to_close_api = referrals
    extra = [referral_row(school, level="very_high", kind="mase_referral", status="under_review")
             for school in (school_a, school_b, school_a)]
    client, _ = signed_in(Role.SCU_MANAGER)
    today = timezone.localdate()
    targets = {TargetsForm.name_for(row.kind, row.level): row.hours for row in target_table()}
    outcome = {"agreed_level": "very_high", "material_use": "not_authorised",
               "next_review_on": (today + timedelta(days=14)).isoformat()}
    page_writes = [
        (f"/scu/referrals/{to_close.pk}/status/", {"status": "closed"}),  # tells the school
        (f"/scu/referrals/{moved_on.pk}/status/", {"status": "under_review"}),
        (f"/scu/referrals/{to_answer.pk}/assign/", {"officer": officer.pk}),
        (f"/scu/referrals/{to_answer.pk}/answer/", {"kind": "advice", "text": "Advice."}),
        ("/scu/targets/", {**targets, TargetsForm.name_for("mase_referral", "very_high"): 3}),
        ("/scu/meetings/new/", {"held_on": today.isoformat(), "agencies": "Police", "referrals": [to_meet.pk]}),
        (f"/scu/meetings/{meeting.pk}/", {"referral": extra[0].pk}),
        (f"/scu/meetings/{meeting.pk}/", {"referral": moved_on.pk}),  # back on the agenda
        (f"/scu/meetings/{meeting.pk}/referrals/{extra[0].pk}/outcome/",
         {**outcome, "action_1": "Strategy meeting", "owner_1": "Police"}),
    ]
    for url, data in page_writes:
        with queries_seen() as seen:
            response = client.post(url, data)
            assert response.status_code == 302, (url, response.content[:2000])
        assert_public_only(seen)
    api_writes = [
        (f"/api/scu/referrals/{to_close_api.pk}/status/", {"status": "closed"}, 200),
        (f"/api/scu/referrals/{to_answer.pk}/assign/", {"officer": None}, 200),
        (f"/api/scu/referrals/{to_answer.pk}/answers/", {"kind": "information_request", "text": "Who?"}, 201),
        ("/api/scu/targets/", {"kind": "mase_referral", "level": "high", "hours": 30}, 200),
        ("/api/scu/meetings/", {"held_on": today.isoformat(), "agencies": ["Police"], "referrals": [extra[1].pk]},
         201),
        (f"/api/scu/meetings/{meeting.pk}/agenda/", {"referral": extra[2].pk}, 200),
        (f"/api/scu/meetings/{meeting.pk}/outcomes/",
         {**outcome, "referral": scheduled.pk, "actions": [{"action": "Disruption", "owner": "Police"}]}, 201),
    ]
    for url, data, expected in api_writes:
        with queries_seen() as seen:
            response = client.post(url, data, content_type="application/json")
            assert response.status_code == expected, (url, response.content[:2000])
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
