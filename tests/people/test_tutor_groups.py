"""Tutor groups, kept by the school administrator: create, rename, year group, and the staff who work with each."""

from django_tenants.utils import schema_context

from safeguarding.models import TutorGroup
from safeguarding.rules.roles import Role
from tests.helpers import client_signed_in_as


def test_the_school_administrator_creates_a_tutor_group_with_staff(school_a, people, signed_in):
    s = people(school_a)
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = client.post("/young-people/tutor-groups/new/", {"name": "7C", "year_group": "7",
                                                               "staff": [s.unlinked.pk]})
    assert response.status_code == 302
    with schema_context(school_a.schema_name):
        group = TutorGroup.objects.get(name="7C")
        assert list(group.staff.all()) == [s.unlinked]
    page = client.get("/young-people/tutor-groups/")
    assert b"7C" in page.content and b"Una Linked" in page.content


def test_renaming_and_restaffing_a_tutor_group_changes_who_sees_its_young_people(school_a, people, signed_in):
    s = people(school_a)
    unlinked = client_signed_in_as(s.unlinked, school_a)
    admin, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = admin.patch(f"/api/tutor-groups/{s.group_9a.pk}/", {"name": "9 Amber", "staff": [s.unlinked.pk]},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "9 Amber"
    assert [u["id"] for u in response.json()["staff"]] == [s.unlinked.pk]
    rows = unlinked.get("/api/young-people/").json()["results"]
    assert {row["upn"] for row in rows} == {s.in_9a.upn, s.in_9a_too.upn}
    tutor = client_signed_in_as(s.tutor, school_a)
    assert tutor.get("/api/young-people/").json()["results"] == []


def test_tutor_group_names_are_unique_and_year_groups_7_to_14(school_a, people, signed_in):
    people(school_a)
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = client.post("/api/tutor-groups/", {"name": "9a", "year_group": 15}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"name", "year_group"}
    page = client.post("/young-people/tutor-groups/new/", {"name": "", "year_group": "9"})
    assert page.status_code == 200 and b"govuk-error-summary" in page.content
    with schema_context(school_a.schema_name):
        assert TutorGroup.objects.count() == 2


def test_the_edit_page_renames_a_group(school_a, people, signed_in):
    s = people(school_a)
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    assert client.get(f"/young-people/tutor-groups/{s.group_10b.pk}/").status_code == 200
    response = client.post(f"/young-people/tutor-groups/{s.group_10b.pk}/", {"name": "10 Blue", "year_group": "10"})
    assert response.status_code == 302
    with schema_context(school_a.schema_name):
        group = TutorGroup.objects.get(pk=s.group_10b.pk)
        assert group.name == "10 Blue"
        assert list(group.staff.all()) == []


def test_the_dcpo_reads_tutor_groups_but_cannot_change_them(school_a, people, signed_in):
    s = people(school_a)
    client, _ = signed_in(Role.DCPO, school_a)
    groups = client.get("/api/tutor-groups/").json()
    assert {g["name"]: g["young_people_count"] for g in groups} == {"9A": 2, "10B": 2}
    assert client.patch(f"/api/tutor-groups/{s.group_9a.pk}/", {"name": "X"},
                        content_type="application/json").status_code == 403


def test_a_deactivated_accounts_links_survive_an_edit(school_a, people, signed_in):
    from cse_platform.accounts.staff import staff_account_deactivate, staff_account_reactivate

    s = people(school_a)
    client, admin = signed_in(Role.SCHOOL_ADMIN, school_a)
    with schema_context(school_a.schema_name):
        staff_account_deactivate(actor=admin, user=s.tutor)
    client.post(f"/young-people/tutor-groups/{s.group_9a.pk}/", {"name": "9A", "year_group": "9",
                                                                 "staff": [s.unlinked.pk]})
    with schema_context(school_a.schema_name):
        staff_account_reactivate(actor=admin, user=s.tutor)
        assert set(TutorGroup.objects.get(pk=s.group_9a.pk).staff.all()) == {s.tutor, s.unlinked}
