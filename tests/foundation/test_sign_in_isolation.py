"""A user of one school cannot sign in at another; central and school accounts stay apart."""

import pytest

from safeguarding.rules.roles import Audience, Role, roles_for
from tests.conftest import PASSWORD, sign_in


def signed_in_as(client) -> bool:
    return client.get("/").status_code == 200


@pytest.mark.parametrize("role", roles_for(Audience.SCHOOL))
def test_school_user_signs_in_at_own_school(client_for, make_user, school_a, role):
    user = make_user(role, school_a)
    client = client_for(school_a)
    assert sign_in(client, user).status_code == 302
    assert signed_in_as(client)


@pytest.mark.parametrize("role", roles_for(Audience.SCHOOL))
def test_school_user_cannot_sign_in_at_another_school(client_for, make_user, school_a, school_b, role):
    user = make_user(role, school_a)
    client = client_for(school_b)
    response = sign_in(client, user)
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.content
    assert not signed_in_as(client)


@pytest.mark.parametrize("role", roles_for(Audience.SCHOOL))
def test_school_user_cannot_sign_in_centrally(client_for, make_user, school_a, role):
    user = make_user(role, school_a)
    client = client_for(None)
    assert sign_in(client, user).status_code == 200
    assert not signed_in_as(client)


@pytest.mark.parametrize("role", roles_for(Audience.CENTRAL))
def test_central_user_signs_in_centrally_but_not_at_a_school(client_for, make_user, school_a, role):
    user = make_user(role)
    central = client_for(None)
    assert sign_in(central, user).status_code == 302
    assert signed_in_as(central)
    school = client_for(school_a)
    assert sign_in(school, user).status_code == 200
    assert not signed_in_as(school)


def test_a_school_session_cookie_is_worthless_at_another_school(client_for, signed_in, school_b, school_a):
    client_a, _ = signed_in(Role.DCPO, school_a)
    stolen = client_a.cookies["sessionid"].value
    client_b = client_for(school_b)
    client_b.cookies["sessionid"] = stolen
    assert client_b.get("/").status_code == 302
    assert client_b.get("/api/me/").status_code == 401


def test_a_school_session_cookie_is_worthless_centrally(client_for, signed_in, school_a):
    client_a, _ = signed_in(Role.HEADTEACHER, school_a)
    central = client_for(None)
    central.cookies["sessionid"] = client_a.cookies["sessionid"].value
    assert central.get("/").status_code == 302


def test_a_central_session_cookie_is_worthless_at_a_school(client_for, signed_in, school_a):
    central, _ = signed_in(Role.SCU_OFFICER)
    school = client_for(school_a)
    school.cookies["sessionid"] = central.cookies["sessionid"].value
    assert school.get("/").status_code == 302


def test_same_email_in_two_schools_are_two_accounts(client_for, make_user, school_a, school_b):
    from cse_platform.accounts.services import user_create
    from django_tenants.utils import schema_context

    for school, password in ((school_a, "alpha-password-long"), (school_b, "bravo-password-long")):
        with schema_context(school.schema_name):
            user_create(email="shared@example.org", full_name="Shared", role=Role.STAFF, password=password)
    client = client_for(school_b)
    response = client.post("/accounts/sign-in/", {"username": "shared@example.org", "password": "alpha-password-long"})
    assert response.status_code == 200
    response = client.post("/accounts/sign-in/", {"username": "shared@example.org", "password": "bravo-password-long"})
    assert response.status_code == 302


def test_an_archived_school_keeps_its_data_and_stops_logins(client_for, signed_in, make_user, school_a):
    from cse_platform.accounts.models import User
    from django_tenants.utils import schema_context

    from tenants.services import school_archive

    client, user = signed_in(Role.DCPO, school_a)
    school_archive(school=school_a)
    assert client.get("/").status_code == 403
    fresh = client_for(school_a)
    assert sign_in(fresh, user).status_code == 403
    with schema_context(school_a.schema_name):
        assert User.objects.filter(pk=user.pk).exists()


def test_a_session_from_before_the_schema_check_is_refused(client_for, signed_in, school_a):
    """A session is bound to the schema that issued it, even inside that schema's table."""
    from django.contrib.sessions.backends.db import SessionStore
    from django_tenants.utils import schema_context

    client, _ = signed_in(Role.STAFF, school_a)
    key = client.cookies["sessionid"].value
    with schema_context(school_a.schema_name):
        session = SessionStore(session_key=key)
        session["cse_schema"] = "school_bravo"
        session.save()
    assert client.get("/").status_code == 302


# The audience check (accounts.backends.AudienceBackend) on its own. Schema separation already stops every
# account made through `user_create` from reaching another audience, so these make the rows directly.


def direct_user(schema: str, role: Role):
    """An account row of `role` made in `schema` without `user_create`, which would refuse it."""
    from cse_platform.accounts.models import User
    from django_tenants.utils import schema_context

    with schema_context(schema):
        return User.objects.create_user(email=f"{role.value}@misplaced.test", password=PASSWORD,
                                        full_name="Misplaced", role=role.value)


@pytest.mark.parametrize("role", roles_for(Audience.CENTRAL))
def test_a_central_role_in_a_schools_schema_cannot_sign_in_there(client_for, school_a, role):
    user = direct_user(school_a.schema_name, role)
    client = client_for(school_a)
    response = sign_in(client, user)
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.content
    assert not signed_in_as(client)


@pytest.mark.parametrize("role", roles_for(Audience.SCHOOL))
def test_a_school_role_in_the_public_schema_cannot_sign_in_centrally(client_for, db, role):
    user = direct_user("public", role)
    client = client_for(None)
    response = sign_in(client, user)
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.content
    assert not signed_in_as(client)


@pytest.mark.parametrize(("school_role", "central_role"), [(Role.DCPO, Role.SCU_OFFICER),
                                                            (Role.SCHOOL_ADMIN, Role.AUTHORITY_ADMIN)])
def test_a_valid_session_whose_account_has_the_wrong_audience_is_signed_out(signed_in, school_a, school_role,
                                                                            central_role):
    from cse_platform.accounts.models import User
    from django_tenants.utils import schema_context

    client, user = signed_in(school_role, school_a)
    assert signed_in_as(client)
    with schema_context(school_a.schema_name):
        User.objects.filter(pk=user.pk).update(role=central_role.value)
    assert not signed_in_as(client)
    assert client.get("/api/me/").status_code == 401


def test_a_central_session_whose_account_has_a_school_role_is_signed_out(signed_in):
    from cse_platform.accounts.models import User

    client, user = signed_in(Role.SCU_MANAGER)
    assert signed_in_as(client)
    User.objects.filter(pk=user.pk).update(role=Role.HEADTEACHER.value)
    assert not signed_in_as(client)


def test_a_token_of_an_account_with_the_wrong_audience_is_refused(client_for, school_a):
    from django_tenants.utils import schema_context
    from rest_framework.authtoken.models import Token

    user = direct_user(school_a.schema_name, Role.SCU_OFFICER)
    with schema_context(school_a.schema_name):
        key = Token.objects.create(user=user).key
    assert client_for(school_a).get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
