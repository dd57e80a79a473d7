"""Need-to-know: staff see only the young people they work with (directly or through a tutor group); the DCPO and
the headteacher see all; the school administrator sees identity but no case content; a governor sees none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from safeguarding.rules.roles import Role
from safeguarding.selectors.people import current_level, young_people_visible_to, young_people_with_levels
from tests.helpers import client_signed_in_as


def upns(response) -> set[str]:
    return {row["upn"] for row in response.json()["results"]}


def test_staff_see_only_who_they_work_with(school_a, people):
    s = people(school_a)
    tutor = client_signed_in_as(s.tutor, school_a)
    assert upns(tutor.get("/api/young-people/")) == {s.in_9a.upn, s.in_9a_too.upn}
    mentor = client_signed_in_as(s.mentor, school_a)
    assert upns(mentor.get("/api/young-people/")) == {s.direct.upn}
    unlinked = client_signed_in_as(s.unlinked, school_a)
    assert upns(unlinked.get("/api/young-people/")) == set()


def test_a_member_of_staff_linked_twice_sees_the_young_person_once(school_a, people):
    s = people(school_a)
    with schema_context(school_a.schema_name):
        s.in_9a.staff.add(s.tutor)
    rows = client_signed_in_as(s.tutor, school_a).get("/api/young-people/").json()["results"]
    assert sorted(row["upn"] for row in rows) == sorted([s.in_9a.upn, s.in_9a_too.upn])


def test_staff_cannot_read_a_young_person_they_do_not_work_with(school_a, people):
    s = people(school_a)
    tutor = client_signed_in_as(s.tutor, school_a)
    assert tutor.get(f"/api/young-people/{s.in_9a.pk}/").status_code == 200
    response = tutor.get(f"/api/young-people/{s.in_10b.pk}/")
    assert response.status_code == 404
    assert s.in_10b.last_name.encode() not in response.content


def test_the_list_page_shows_staff_only_their_young_people(school_a, people):
    s = people(school_a)
    page = client_signed_in_as(s.tutor, school_a).get("/young-people/")
    assert page.status_code == 200
    assert b"Nadeem" in page.content and b"Osei" in page.content
    assert b"Price" not in page.content and b"Quinn" not in page.content


@pytest.mark.parametrize("role", [Role.DCPO, Role.HEADTEACHER])
def test_dcpo_and_headteacher_see_everyone(school_a, people, signed_in, role):
    s = people(school_a)
    client, _ = signed_in(role, school_a)
    assert upns(client.get("/api/young-people/")) == {s.in_9a.upn, s.in_9a_too.upn, s.in_10b.upn, s.direct.upn}
    page = client.get("/young-people/")
    for name in (b"Nadeem", b"Osei", b"Price", b"Quinn"):
        assert name in page.content


def test_case_readers_see_the_current_level_and_the_quiz_can_raise_it(school_a, people, signed_in, assess):
    s = people(school_a)
    client, dcpo = signed_in(Role.DCPO, school_a)
    assess(school_a, s.in_9a, "very_low", dcpo)
    assess(school_a, s.in_9a, "medium", dcpo)  # the latest counts
    assess(school_a, s.in_10b, "medium", dcpo, quiz_level="high")
    rows = {row["upn"]: row for row in client.get("/api/young-people/").json()["results"]}
    assert rows[s.in_9a.upn]["current_level"] == "medium"
    assert rows[s.in_10b.upn]["current_level"] == "high"
    assert rows[s.direct.upn]["current_level"] is None
    page = client.get("/young-people/")
    assert b'data-level="medium"' in page.content and b'data-level="high"' in page.content


def test_a_quiz_never_lowers_the_level(school_a, people, signed_in, assess):
    s = people(school_a)
    client, dcpo = signed_in(Role.DCPO, school_a)
    assess(school_a, s.in_9a, "high", dcpo, quiz_level="low")
    rows = {row["upn"]: row for row in client.get("/api/young-people/").json()["results"]}
    assert rows[s.in_9a.upn]["current_level"] == "high"


def test_levels_are_read_in_one_query(school_a, people, make_user, assess):
    s = people(school_a)
    dcpo = make_user(Role.DCPO, school_a)
    for person in (s.in_9a, s.in_9a_too, s.in_10b, s.direct):
        assess(school_a, person, "low", dcpo)
    with schema_context(school_a.schema_name), CaptureQueriesContext(connection) as queries:
        levels = [current_level(p) for p in young_people_with_levels(young_people_visible_to(dcpo))]
    assert levels == ["low"] * 4
    assert len([q for q in queries if not q["sql"].startswith("SET search_path")]) == 1


def test_the_school_administrator_sees_identity_but_no_case_content(school_a, people, signed_in, assess, make_user):
    s = people(school_a)
    assess(school_a, s.in_9a, "very_high", make_user(Role.DCPO, school_a))
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    rows = client.get("/api/young-people/").json()["results"]
    assert {row["upn"] for row in rows} == {s.in_9a.upn, s.in_9a_too.upn, s.in_10b.upn, s.direct.upn}
    assert all("current_level" not in row for row in rows)
    detail = client.get(f"/api/young-people/{s.in_9a.pk}/").json()
    assert "current_level" not in detail and detail["upn"] == s.in_9a.upn
    page = client.get("/young-people/")
    assert page.status_code == 200
    assert b"Nadeem" in page.content
    assert b"data-level" not in page.content and b"Very High" not in page.content
    assert b"/cases/" not in page.content
    assert b'data-testid="identity-only"' in page.content


def test_the_school_administrator_cannot_reach_case_content_with_the_selector(school_a, people, make_user):
    people(school_a)
    admin = make_user(Role.SCHOOL_ADMIN, school_a)
    with schema_context(school_a.schema_name):
        assert not young_people_visible_to(admin).exists()


def test_a_governor_sees_no_young_people(school_a, people, signed_in):
    s = people(school_a)
    client, _ = signed_in(Role.GOVERNOR, school_a)
    assert client.get("/api/young-people/").status_code == 403
    assert client.get(f"/api/young-people/{s.in_9a.pk}/").status_code == 403
    assert client.get("/young-people/").status_code == 403


def test_search_by_name_upn_tutor_group_and_year(school_a, people, signed_in):
    s = people(school_a)
    client, _ = signed_in(Role.DCPO, school_a)
    assert upns(client.get("/api/young-people/", {"q": "amira nad"})) == {s.in_9a.upn}
    assert upns(client.get("/api/young-people/", {"q": s.in_10b.upn.lower()})) == {s.in_10b.upn}
    assert upns(client.get("/api/young-people/", {"tutor_group": s.group_9a.pk})) == {s.in_9a.upn, s.in_9a_too.upn}
    assert upns(client.get("/api/young-people/", {"year_group": 10})) == {s.in_10b.upn, s.direct.upn}
    page = client.get("/young-people/", {"q": "Quinn", "year_group": "10"})
    assert b"Quinn" in page.content and b"Price" not in page.content
    partial = client.get("/young-people/", {"q": "Price"}, HTTP_HX_REQUEST="true")
    assert b"Price" in partial.content and b"<html" not in partial.content


def test_search_never_widens_need_to_know(school_a, people):
    s = people(school_a)
    tutor = client_signed_in_as(s.tutor, school_a)
    assert upns(tutor.get("/api/young-people/", {"q": "Price"})) == set()
    assert upns(tutor.get("/api/young-people/", {"tutor_group": s.group_10b.pk})) == set()
    page = tutor.get("/young-people/", {"tutor_group": s.group_10b.pk})
    assert b"Price" not in page.content


def test_the_case_link_appears_only_when_the_case_page_exists(school_a, people, signed_in):
    from django.urls import NoReverseMatch, reverse

    s = people(school_a)
    client, _ = signed_in(Role.DCPO, school_a)
    page = client.get("/young-people/")
    try:
        url = reverse("cases:young_person", kwargs={"pk": s.in_9a.pk})
    except NoReverseMatch:
        url = None
    if url:
        assert f'href="{url}"'.encode() in page.content
    else:
        assert b"/cases/" not in page.content


def test_listing_is_audited(school_a, people):
    from cse_platform.audit.models import AuditEvent

    s = people(school_a)
    client_signed_in_as(s.tutor, school_a).get("/young-people/")
    with schema_context(school_a.schema_name):
        event = AuditEvent.objects.filter(action="young_people.list").latest("id")
        assert sorted(event.detail["shown"]) == sorted([s.in_9a.pk, s.in_9a_too.pk])
        assert event.actor_id == s.tutor.pk
