"""Creating and editing young people (DCPO and school administrator only), and linking staff to them."""

import pytest
from cse_platform.audit.models import AuditEvent
from django_tenants.utils import schema_context

from safeguarding.models import YoungPerson
from safeguarding.rules.roles import Role
from tests.helpers import client_signed_in_as
from tests.people.conftest import born_for_year, upn


def identity(**changes) -> dict:
    return {"upn": upn(42), "first_name": "Eve", "last_name": "Stone",
            "date_of_birth": born_for_year(8).isoformat(), "year_group": 8, **changes}


@pytest.mark.parametrize("role", [Role.DCPO, Role.SCHOOL_ADMIN])
def test_dcpo_and_school_administrator_create_a_young_person(school_a, people, signed_in, role):
    s = people(school_a)
    client, user = signed_in(role, school_a)
    response = client.post("/api/young-people/", identity(tutor_group=s.group_9a.pk), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["tutor_group_name"] == "9A"
    with schema_context(school_a.schema_name):
        person = YoungPerson.objects.get(upn=upn(42))
        event = AuditEvent.objects.get(action="young_person.create")
        assert (event.young_person_id, event.actor_id) == (person.pk, user.pk)


@pytest.mark.parametrize("role", [Role.STAFF, Role.HEADTEACHER, Role.GOVERNOR])
def test_other_roles_cannot_create_young_people(school_a, signed_in, role):
    client, _ = signed_in(role, school_a)
    assert client.post("/api/young-people/", identity(), content_type="application/json").status_code == 403
    assert client.post("/young-people/new/", identity()).status_code == 403
    with schema_context(school_a.schema_name):
        assert not YoungPerson.objects.exists()


def test_bad_identity_is_refused_naming_each_field(school_a, people, signed_in):
    s = people(school_a)
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = client.post("/api/young-people/", identity(upn="nope", first_name=" ", year_group=6,
                                                          date_of_birth="1990-01-01"),
                           content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"upn", "first_name", "year_group", "date_of_birth"}
    duplicate = client.post("/api/young-people/", identity(upn=s.in_9a.upn), content_type="application/json")
    assert duplicate.status_code == 400
    assert "already recorded" in duplicate.json()["upn"][0]


def test_the_create_page_adds_a_young_person_and_shows_errors(school_a, signed_in):
    client, _ = signed_in(Role.DCPO, school_a)
    page = client.post("/young-people/new/", identity(upn="bad"))
    assert page.status_code == 200
    assert b"is not a UPN" in page.content and b"govuk-error-summary" in page.content
    page = client.post("/young-people/new/", identity(date_of_birth="31/02/2012"))
    assert b"Enter the date of birth as a real date" in page.content
    response = client.post("/young-people/new/", identity(date_of_birth=born_for_year(8).strftime("%d/%m/%Y")))
    assert response.status_code == 302
    with schema_context(school_a.schema_name):
        assert YoungPerson.objects.get(upn=upn(42)).date_of_birth == born_for_year(8)


def test_lower_case_upns_are_stored_in_capitals(school_a, signed_in):
    client, _ = signed_in(Role.DCPO, school_a)
    assert client.post("/api/young-people/", identity(upn=upn(42).lower()),
                       content_type="application/json").status_code == 201
    with schema_context(school_a.schema_name):
        assert YoungPerson.objects.filter(upn=upn(42)).exists()


def test_editing_a_young_person_by_page_and_api(school_a, people, signed_in):
    s = people(school_a)
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    page = client.get(f"/young-people/{s.in_9a.pk}/edit/")
    assert page.status_code == 200 and s.in_9a.upn.encode() in page.content
    response = client.post(f"/young-people/{s.in_9a.pk}/edit/", {
        "upn": s.in_9a.upn, "first_name": "Amira", "last_name": "Nadeem-Khan",
        "date_of_birth": s.in_9a.date_of_birth.strftime("%d/%m/%Y"), "year_group": "10",
        "tutor_group": s.group_10b.pk})
    assert response.status_code == 302
    api = client.patch(f"/api/young-people/{s.in_9a.pk}/", {"first_name": "Amirah"}, content_type="application/json")
    assert api.status_code == 200, api.content
    with schema_context(school_a.schema_name):
        person = YoungPerson.objects.get(pk=s.in_9a.pk)
        assert (person.first_name, person.last_name, person.year_group, person.tutor_group_id) == (
            "Amirah", "Nadeem-Khan", 10, s.group_10b.pk)
        event = AuditEvent.objects.filter(action="young_person.update").latest("id")
        assert event.detail == {"changed": ["first_name"]}


def test_editing_cannot_take_another_young_persons_upn(school_a, people, signed_in):
    s = people(school_a)
    client, _ = signed_in(Role.DCPO, school_a)
    response = client.patch(f"/api/young-people/{s.in_9a.pk}/", {"upn": s.in_10b.upn},
                            content_type="application/json")
    assert response.status_code == 400 and "upn" in response.json()
    with schema_context(school_a.schema_name):
        assert YoungPerson.objects.get(pk=s.in_9a.pk).upn == s.in_9a.upn


def test_linking_staff_to_a_young_person_lets_them_see_them(school_a, people, signed_in):
    s = people(school_a)
    unlinked = client_signed_in_as(s.unlinked, school_a)
    assert unlinked.get(f"/api/young-people/{s.in_10b.pk}/").status_code == 404
    dcpo, _ = signed_in(Role.DCPO, school_a)
    response = dcpo.put(f"/api/young-people/{s.in_10b.pk}/staff/", {"staff": [s.unlinked.pk]},
                        content_type="application/json")
    assert response.status_code == 200
    assert [u["id"] for u in response.json()["staff"]] == [s.unlinked.pk]
    assert unlinked.get(f"/api/young-people/{s.in_10b.pk}/").status_code == 200
    admin, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    page = admin.post(f"/young-people/{s.in_10b.pk}/staff/", {"staff": []})
    assert page.status_code == 302
    assert unlinked.get(f"/api/young-people/{s.in_10b.pk}/").status_code == 404


def test_only_members_of_staff_can_be_linked(school_a, people, signed_in, make_user):
    s = people(school_a)
    governor = make_user(Role.GOVERNOR, school_a)
    client, _ = signed_in(Role.DCPO, school_a)
    response = client.put(f"/api/young-people/{s.in_9a.pk}/staff/", {"staff": [governor.pk]},
                          content_type="application/json")
    assert response.status_code == 400 and "staff" in response.json()
    with schema_context(school_a.schema_name):
        assert not YoungPerson.objects.get(pk=s.in_9a.pk).staff.exists()


def test_the_staff_page_shows_who_works_with_a_young_person(school_a, people, signed_in):
    s = people(school_a)
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    page = client.get(f"/young-people/{s.in_9a.pk}/staff/")
    assert page.status_code == 200
    assert b'data-testid="group-staff"' in page.content and b"Tara Tutor" in page.content
    assert b"/cases/" not in page.content


def test_the_services_refuse_roles_that_may_not_change_records(school_a, people, make_user):
    from cse_platform.errors import ActionRefused

    from safeguarding.services.imports import mis_import
    from safeguarding.services.people import tutor_group_create, young_person_create, young_person_staff_set

    s = people(school_a)
    for role in (Role.STAFF, Role.HEADTEACHER, Role.GOVERNOR):
        user = make_user(role, school_a)
        with schema_context(school_a.schema_name):
            with pytest.raises(ActionRefused):
                young_person_create(actor=user, **identity(date_of_birth=born_for_year(8)))
            with pytest.raises(ActionRefused):
                young_person_staff_set(actor=user, young_person=s.in_9a, staff=[])
            with pytest.raises(ActionRefused):
                mis_import(actor=user, content=b"UPN\n", filename="x.csv")
    dcpo = make_user(Role.DCPO, school_a)
    with schema_context(school_a.schema_name), pytest.raises(ActionRefused):
        tutor_group_create(actor=dcpo, name="7Z", year_group=7)
