from datetime import timedelta

import pytest
from cse_platform.accounts.services import RoleNotHere, user_create
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from safeguarding.rules.roles import Role
from tests.conftest import sign_in


def test_sessions_expire_after_30_minutes_idle(settings, signed_in, school_a):
    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client, _ = signed_in(Role.STAFF, school_a)
    assert client.get("/").status_code == 200
    with schema_context(school_a.schema_name):
        session = Session.objects.get(session_key=client.cookies["sessionid"].value)
        assert session.expire_date - timezone.now() > timedelta(minutes=29)
        session.expire_date = timezone.now() - timedelta(seconds=1)
        session.save()
    assert client.get("/").status_code == 302


def test_activity_extends_the_session(signed_in, school_a):
    from django.contrib.sessions.models import Session

    client, _ = signed_in(Role.STAFF, school_a)
    key = client.cookies["sessionid"].value
    with schema_context(school_a.schema_name):
        Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/").status_code == 200
    with schema_context(school_a.schema_name):
        assert Session.objects.get(session_key=key).expire_date > timezone.now() + timedelta(minutes=29)


def test_repeated_failures_lock_the_account_out(settings, client_for, make_user, school_a):
    user = make_user(Role.DCPO, school_a)
    client = client_for(school_a)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/sign-in/", {"username": user.email, "password": "wrong-password-123"})
    response = sign_in(client, user)
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert client.get("/").status_code == 302


def test_a_lockout_at_one_school_does_not_lock_another(settings, client_for, make_user, school_a, school_b):
    user_a = make_user(Role.DCPO, school_a)
    client_a = client_for(school_a)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client_a.post("/accounts/sign-in/", {"username": user_a.email, "password": "wrong-password-123"})
    with schema_context(school_b.schema_name):
        user_create(email=user_a.email, full_name="Namesake", role=Role.DCPO, password="another-good-password")
    response = client_for(school_b).post("/accounts/sign-in/",
                                         {"username": user_a.email, "password": "another-good-password"})
    assert response.status_code == 302


@pytest.mark.parametrize("password", ["short", "password123456", "12345678901234"])
def test_weak_passwords_are_refused(db, school_a, password):
    with schema_context(school_a.schema_name), pytest.raises(ValidationError):
        user_create(email="weak@example.org", full_name="Weak", role=Role.STAFF, password=password)


def test_password_validators_are_djangos(settings):
    names = {v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {"UserAttributeSimilarityValidator", "MinimumLengthValidator",
                     "CommonPasswordValidator", "NumericPasswordValidator"}
    with pytest.raises(ValidationError):
        validate_password("abc")


def test_roles_are_created_only_in_their_own_audience(db, school_a):
    with schema_context(school_a.schema_name), pytest.raises(RoleNotHere):
        user_create(email="o@example.org", full_name="Officer", role=Role.SCU_OFFICER, password="long-enough-pass")
    with pytest.raises(RoleNotHere):
        user_create(email="d@example.org", full_name="Dana", role=Role.DCPO, password="long-enough-pass")


def test_sign_out_ends_the_session(signed_in, school_a):
    client, _ = signed_in(Role.STAFF, school_a)
    assert client.post("/accounts/sign-out/").status_code == 302
    assert client.get("/").status_code == 302
