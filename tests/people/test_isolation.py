"""Every page and endpoint of this area, tried from another school, from the central portal, anonymously, and by
each role that must not use it."""

from datetime import date

import pytest
from cse_platform.accounts.models import User
from django_tenants.utils import schema_context

from safeguarding.models import TutorGroup, YoungPerson
from safeguarding.rules.roles import Audience, Role, roles_for
from tenants.models import TermHoliday
from tests.conftest import sign_in
from tests.people.conftest import born_for_year

# Ids no other schema reaches, so that "not found at another school" cannot be another school's own row.
FAR = 987_654

ALL_SCHOOL_ROLES = set(roles_for(Audience.SCHOOL))
READERS = {Role.STAFF, Role.DCPO, Role.HEADTEACHER, Role.SCHOOL_ADMIN}
MANAGERS = {Role.DCPO, Role.SCHOOL_ADMIN}
ADMINS = {Role.SCHOOL_ADMIN}


@pytest.fixture
def in_a(school_a, make_user):
    """A young person, a tutor group, an account and a holiday of school A, with far-off ids."""
    with schema_context(school_a.schema_name):
        group = TutorGroup.objects.create(pk=FAR, name="11Z", year_group=11)
        person = YoungPerson.objects.create(pk=FAR, upn="Z999999999999", first_name="Zed", last_name="Secretname",
                                            date_of_birth=born_for_year(11), year_group=11, tutor_group=group)
    account = make_user(Role.STAFF, school_a, name="Alpha Onlyone")
    with schema_context(school_a.schema_name):
        User.objects.filter(pk=account.pk).update(id=FAR)
    holiday = TermHoliday.objects.create(school=school_a, name="Alpha half term", starts_on=date(2026, 10, 26),
                                         ends_on=date(2026, 11, 1))
    return {"person": person.pk, "group": group.pk, "account": FAR, "holiday": holiday.pk}


# (path, roles that may use it) for GET
PAGES = [
    ("/young-people/", READERS),
    ("/young-people/new/", MANAGERS),
    ("/young-people/import/", MANAGERS),
    ("/young-people/{person}/edit/", MANAGERS),
    ("/young-people/{person}/staff/", MANAGERS),
    ("/young-people/tutor-groups/", ADMINS),
    ("/young-people/tutor-groups/new/", ADMINS),
    ("/young-people/tutor-groups/{group}/", ADMINS),
    ("/school/staff/", ADMINS),
    ("/school/staff/new/", ADMINS),
    ("/school/staff/{account}/", ADMINS),
    ("/school/calendar/", ADMINS),
    ("/school/calendar/{holiday}/", ADMINS),
    ("/school/calendar/{holiday}/delete/", ADMINS),
]
ENDPOINTS = [
    ("/api/young-people/", READERS),
    ("/api/young-people/{person}/", READERS),
    ("/api/young-people/{person}/staff/", MANAGERS),
    ("/api/tutor-groups/", {Role.SCHOOL_ADMIN, Role.DCPO}),
    ("/api/tutor-groups/{group}/", {Role.SCHOOL_ADMIN, Role.DCPO}),
    ("/api/linkable-staff/", MANAGERS),
    ("/api/staff-accounts/", ADMINS),
    ("/api/staff-accounts/{account}/", ADMINS),
    ("/api/term-holidays/", {Role.SCHOOL_ADMIN, Role.STAFF, Role.DCPO, Role.HEADTEACHER}),
    ("/api/term-holidays/{holiday}/", {Role.SCHOOL_ADMIN, Role.STAFF, Role.DCPO, Role.HEADTEACHER}),
]
# (method, path, roles that may use it) for writes
WRITES = [
    ("post", "/young-people/new/", MANAGERS),
    ("post", "/young-people/import/", MANAGERS),
    ("post", "/young-people/{person}/edit/", MANAGERS),
    ("post", "/young-people/{person}/staff/", MANAGERS),
    ("post", "/young-people/tutor-groups/new/", ADMINS),
    ("post", "/young-people/tutor-groups/{group}/", ADMINS),
    ("post", "/school/staff/new/", ADMINS),
    ("post", "/school/staff/{account}/", ADMINS),
    ("post", "/school/staff/{account}/deactivate/", ADMINS),
    ("post", "/school/staff/{account}/reactivate/", ADMINS),
    ("post", "/school/staff/{account}/set-password-link/", ADMINS),
    ("post", "/school/calendar/", ADMINS),
    ("post", "/school/calendar/{holiday}/", ADMINS),
    ("post", "/school/calendar/{holiday}/delete/", ADMINS),
    ("post", "/api/young-people/", MANAGERS),
    ("post", "/api/young-people/import/", MANAGERS),
    ("patch", "/api/young-people/{person}/", MANAGERS),
    ("put", "/api/young-people/{person}/staff/", MANAGERS),
    ("post", "/api/tutor-groups/", ADMINS),
    ("patch", "/api/tutor-groups/{group}/", ADMINS),
    ("post", "/api/staff-accounts/", ADMINS),
    ("patch", "/api/staff-accounts/{account}/", ADMINS),
    ("post", "/api/staff-accounts/{account}/deactivate/", ADMINS),
    ("post", "/api/staff-accounts/{account}/reactivate/", ADMINS),
    ("post", "/api/staff-accounts/{account}/set-password-link/", ADMINS),
    ("post", "/api/term-holidays/", ADMINS),
    ("patch", "/api/term-holidays/{holiday}/", ADMINS),
    ("delete", "/api/term-holidays/{holiday}/", ADMINS),
]
SECRETS = (b"Secretname", b"Z999999999999", b"Alpha Onlyone", b"Alpha half term", b"11Z")


def request(client, method: str, path: str):
    kwargs = {"content_type": "application/json", "data": {}} if path.startswith("/api/") and method != "get" else {}
    return getattr(client, method)(path, **kwargs)


@pytest.mark.parametrize(("path", "allowed"), PAGES + ENDPOINTS)
def test_a_role_that_may_not_use_it_gets_403(school_a, in_a, signed_in, path, allowed):
    for role in ALL_SCHOOL_ROLES - allowed:
        client, _ = signed_in(role, school_a)
        response = client.get(path.format(**in_a))
        assert response.status_code == 403, (role, path)
        assert not any(secret in response.content for secret in SECRETS), (role, path)


@pytest.mark.parametrize(("method", "path", "allowed"), WRITES)
def test_a_role_that_may_not_write_gets_403_and_nothing_changes(school_a, in_a, signed_in, method, path, allowed):
    for role in ALL_SCHOOL_ROLES - allowed:
        client, _ = signed_in(role, school_a)
        assert request(client, method, path.format(**in_a)).status_code == 403, (role, path)
    with schema_context(school_a.schema_name):
        assert YoungPerson.objects.get(pk=FAR).last_name == "Secretname"
        assert User.objects.get(pk=FAR).is_active
    assert TermHoliday.objects.filter(pk=in_a["holiday"]).exists()


@pytest.mark.parametrize(("path", "allowed"), PAGES + ENDPOINTS)
def test_the_roles_that_may_use_it_can(school_a, in_a, signed_in, path, allowed):
    for role in allowed:
        client, _ = signed_in(role, school_a)
        expected = 404 if role == Role.STAFF and "{person}" in path else 200  # not linked to this young person
        assert client.get(path.format(**in_a)).status_code == expected, (role, path)


@pytest.mark.parametrize(("path", "allowed"), PAGES + ENDPOINTS)
def test_another_schools_objects_are_not_found(school_a, school_b, in_a, signed_in, path, allowed):
    for role in allowed:
        client, _ = signed_in(role, school_b)
        response = client.get(path.format(**in_a))
        if "{" in path:
            assert response.status_code == 404, (role, path)
        else:
            assert response.status_code == 200, (role, path)
        assert not any(secret in response.content for secret in SECRETS), (role, path)


@pytest.mark.parametrize(("method", "path", "allowed"), [w for w in WRITES if "{" in w[1]])
def test_another_schools_objects_cannot_be_changed(school_a, school_b, in_a, signed_in, method, path, allowed):
    for role in allowed:
        client, _ = signed_in(role, school_b)
        assert request(client, method, path.format(**in_a)).status_code == 404, (role, path)
    with schema_context(school_a.schema_name):
        assert YoungPerson.objects.get(pk=FAR).last_name == "Secretname"
        assert User.objects.get(pk=FAR).is_active
    assert TermHoliday.objects.filter(pk=in_a["holiday"]).exists()


@pytest.mark.parametrize("path", [p for p, _ in PAGES + ENDPOINTS])
def test_nothing_of_this_area_exists_at_the_central_portal(in_a, signed_in, client_for, path):
    for role in (Role.AUTHORITY_ADMIN, Role.SCU_MANAGER):
        client, _ = signed_in(role)
        response = client.get(path.format(**in_a))
        assert response.status_code == 404, (role, path)
        assert not any(secret in response.content for secret in SECRETS)
    assert client_for(None).get(path.format(**in_a)).status_code == 404


@pytest.mark.parametrize("path", [p for p, _ in PAGES + ENDPOINTS])
def test_anonymous_visitors_are_sent_to_sign_in(school_a, in_a, client_for, path):
    response = client_for(school_a).get(path.format(**in_a))
    if path.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_a_school_administrators_session_is_worthless_at_another_school(school_a, school_b, in_a, signed_in,
                                                                        client_for):
    client_a, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    client_b = client_for(school_b)
    client_b.cookies["sessionid"] = client_a.cookies["sessionid"].value
    assert client_b.get("/school/staff/").status_code == 302
    assert client_b.get("/api/young-people/").status_code == 401


def test_a_school_account_cannot_sign_in_at_another_school_to_reach_it(school_a, school_b, make_user, client_for):
    admin = make_user(Role.SCHOOL_ADMIN, school_a)
    client = client_for(school_b)
    assert sign_in(client, admin).status_code == 200
    assert client.get("/school/staff/").status_code == 302
