"""Who may open each case page: roles without the capability get 403, need-to-know and other schools 404,
and the central portal has none of these pages."""

import pytest
from django_tenants.utils import schema_context

from safeguarding.models import NoteOfConcern, Plan, SeratAssessment
from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Role
from safeguarding.services.concerns import concern_log
from tests.helpers import client_signed_in_as


@pytest.fixture
def world(school_a, make_user, cases):
    """A tutor's young person at medium, with a plan and a note of concern the tutor logged."""
    tutor = make_user(Role.STAFF, school_a)
    group = cases.tutor_group(school_a, staff=[tutor])
    person = cases.young_person(school_a, tutor_group=group)
    assessment = cases.serat(school_a, person, tutor, Level.MEDIUM)
    plan = cases.plan(school_a, person)
    with cases.in_school(school_a):
        note = concern_log(author=tutor, source="staff", concern="Seen getting into a car.", young_person=person)
    return {"tutor": tutor, "person": person, "assessment": assessment, "plan": plan, "note": note}


def page_urls(w) -> dict[str, str]:
    p, a, plan, n = w["person"].pk, w["assessment"].pk, w["plan"].pk, w["note"].pk
    return {
        "young_person": f"/cases/young-people/{p}/",
        "serat": f"/cases/young-people/{p}/serat/",
        "quiz": f"/cases/assessments/{a}/quiz/",
        "plan": f"/cases/plans/{plan}/",
        "plan_agree": f"/cases/plans/{plan}/agree/",
        "plan_option": f"/cases/plans/{plan}/option/",
        "plan_item": f"/cases/plans/{plan}/processes/consider_caf_tac/",
        "consent": f"/cases/plans/{plan}/consent/",
        "session_new": f"/cases/plans/{plan}/sessions/new/",
        "plans_awaiting": "/cases/plans/awaiting-agreement/",
        "concerns": "/cases/concerns/",
        "concern": f"/cases/concerns/{n}/",
    }


# Pages whose object is a young person's case (need-to-know applies), and who may open each.
FORM_PAGES = ("serat", "quiz", "plan_agree", "plan_option", "plan_item", "consent", "session_new", "concerns",
              "concern")
CASE_OBJECT_PAGES = ("young_person", "serat", "quiz", "plan", "plan_agree", "plan_option", "plan_item", "consent",
                     "session_new")
ALLOWED = {
    "young_person": {Role.STAFF, Role.DCPO, Role.HEADTEACHER},
    "serat": {Role.STAFF, Role.DCPO},
    "quiz": {Role.STAFF, Role.DCPO},
    "plan": {Role.STAFF, Role.DCPO, Role.HEADTEACHER},
    "plan_agree": {Role.HEADTEACHER},
    "plan_option": {Role.DCPO},
    "plan_item": {Role.DCPO},
    "consent": {Role.DCPO},
    "session_new": {Role.STAFF, Role.DCPO},
    "plans_awaiting": {Role.HEADTEACHER},
    "concerns": {Role.STAFF, Role.DCPO, Role.HEADTEACHER, Role.GOVERNOR},
    # The note is linked to the young person: the headteacher reads every case. Its author (the tutor) is tested
    # below; others get 404, not 403.
    "concern": {Role.DCPO, Role.HEADTEACHER},
}


def test_every_page_is_named_in_the_cases_namespace(world):
    from django.urls import reverse

    p, a, plan, n = world["person"].pk, world["assessment"].pk, world["plan"].pk, world["note"].pk
    kwargs = {
        "young_person": {"pk": p}, "serat": {"pk": p}, "quiz": {"pk": a}, "plan": {"pk": plan},
        "plan_agree": {"pk": plan}, "plan_option": {"pk": plan}, "plan_item": {"pk": plan, "code": "consider_caf_tac"},
        "consent": {"pk": plan}, "session_new": {"pk": plan}, "plans_awaiting": None, "concerns": None,
        "concern": {"pk": n},
    }
    for name, url in page_urls(world).items():
        assert reverse(f"cases:{name}", urlconf="cse_platform.urls_school", kwargs=kwargs[name]) == url, name


@pytest.mark.parametrize("role", [Role.SCHOOL_ADMIN, Role.GOVERNOR])
def test_school_admin_and_governor_get_403_on_every_case_page(world, signed_in, school_a, role):
    """A governor may log notes of concern (and read their own), nothing else; a school administrator nothing."""
    client, _ = signed_in(role, school_a)
    for name, url in page_urls(world).items():
        if role in ALLOWED[name]:
            continue
        expected = 404 if name == "concern" and role is Role.GOVERNOR else 403
        assert client.get(url).status_code == expected, name
        if name in FORM_PAGES:
            assert client.post(url, {}).status_code == expected, name


@pytest.mark.parametrize("role", [Role.STAFF, Role.DCPO, Role.HEADTEACHER])
def test_each_role_opens_the_pages_its_capabilities_allow(world, signed_in, school_a, role):
    client, user = signed_in(role, school_a)
    if role is Role.STAFF:
        with schema_context(school_a.schema_name):
            world["person"].staff.add(user)
    for name, url in page_urls(world).items():
        # Everyone here may log notes of concern; only the DCPO (and the author) may read one: 404 for others.
        refused = 404 if name == "concern" else 403
        expected = 200 if role in ALLOWED[name] else refused
        assert client.get(url).status_code == expected, name


def test_the_author_reads_their_own_note(world, school_a):
    client = client_signed_in_as(world["tutor"], school_a)
    assert client.get(page_urls(world)["concern"]).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(world, client_for, school_a):
    client = client_for(school_a)
    for name, url in page_urls(world).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert "/accounts/sign-in/" in response["Location"], name


def test_staff_not_linked_to_the_young_person_get_404(world, signed_in, school_a):
    client, _ = signed_in(Role.STAFF, school_a)
    for name in CASE_OBJECT_PAGES:
        if Role.STAFF not in ALLOWED[name]:
            continue
        url = page_urls(world)[name]
        assert client.get(url).status_code == 404, name
        if name in FORM_PAGES:
            assert client.post(url, {}).status_code == 404, name


def test_staff_not_linked_cannot_log_a_concern_naming_the_young_person(world, signed_in, school_a):
    client, _ = signed_in(Role.STAFF, school_a)
    response = client.post("/cases/concerns/", {"young_person": world["person"].pk, "source": "staff",
                                                "concern": "Worried."})
    assert response.status_code == 200
    assert "Choose a young person you work with" in response.content.decode()
    with schema_context(school_a.schema_name):
        assert NoteOfConcern.objects.count() == 1


def test_another_schools_young_person_plan_and_assessment_are_404(school_a, school_b, make_user, signed_in, cases):
    dcpo_b = make_user(Role.DCPO, school_b)
    person_b = cases.young_person(school_b, unique_from=school_a)
    assessment_b = cases.serat(school_b, person_b, dcpo_b, Level.MEDIUM)
    plan_b = cases.plan(school_b, person_b)
    with cases.in_school(school_b):
        note_b = concern_log(author=dcpo_b, source="staff", concern="Worried.", young_person=person_b)
    with schema_context(school_a.schema_name):
        assert not Plan.objects.filter(pk=plan_b.pk).exists()
        assert not SeratAssessment.objects.filter(pk=assessment_b.pk).exists()
        assert not NoteOfConcern.objects.filter(pk=note_b.pk).exists()
    urls = page_urls({"person": person_b, "assessment": assessment_b, "plan": plan_b, "note": note_b})
    for role in (Role.DCPO, Role.HEADTEACHER):
        client, _ = signed_in(role, school_a)
        for name in (*CASE_OBJECT_PAGES, "concern"):
            if role in ALLOWED[name]:
                assert client.get(urls[name]).status_code == 404, (role, name)


@pytest.mark.parametrize("role", [None, Role.SCU_OFFICER, Role.AUTHORITY_ADMIN])
def test_the_central_portal_has_none_of_these_pages(world, signed_in, client_for, role):
    client = client_for(None) if role is None else signed_in(role)[0]
    for name, url in page_urls(world).items():
        assert client.get(url).status_code == 404, name
