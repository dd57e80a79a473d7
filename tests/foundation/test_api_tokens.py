"""API tokens: locked out by the same failures as the sign-in page, and ended by age and by archiving.
(A token of an account of another audience: test_sign_in_isolation.)"""

import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token

from safeguarding.rules.roles import Role
from tests.conftest import PASSWORD, database_env_for_children, sign_in


def obtain(client, email: str, password: str = PASSWORD):
    return client.post("/api/token/", {"username": email, "password": password})


def me(client, key: str):
    return client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}")


def test_the_token_endpoint_locks_out_after_the_failure_limit(settings, client_for, make_user, school_a):
    user = make_user(Role.DCPO, school_a)
    client = client_for(school_a)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert obtain(client, user.email, "wrong-password-123").status_code == 400
    assert obtain(client, user.email, "wrong-password-123").status_code == 429
    response = obtain(client, user.email)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many failed sign-in attempts")
    assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    with schema_context(school_a.schema_name):
        assert not Token.objects.filter(user_id=user.pk).exists()
    assert sign_in(client, user).status_code == 429


def test_failures_on_the_sign_in_page_lock_the_token_endpoint_too(settings, client_for, make_user, school_a):
    user = make_user(Role.STAFF, school_a)
    client = client_for(school_a)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/sign-in/", {"username": user.email, "password": "wrong-password-123"})
    assert obtain(client, user.email).status_code == 429


def test_failures_below_the_limit_do_not_stop_a_token(settings, client_for, make_user, school_a):
    user = make_user(Role.STAFF, school_a)
    client = client_for(school_a)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert obtain(client, user.email, "wrong-password-123").status_code == 400
    assert me(client, obtain(client, user.email).json()["token"]).status_code == 200


def age_token(schema: str, key: str, age: timedelta) -> None:
    with schema_context(schema):
        Token.objects.filter(key=key).update(created=timezone.now() - age)


def test_a_token_ends_at_its_maximum_age_and_a_new_one_can_be_had(settings, client_for, make_user, school_a):
    user = make_user(Role.STAFF, school_a)
    client = client_for(school_a)
    key = obtain(client, user.email).json()["token"]
    age_token(school_a.schema_name, key, settings.API_TOKEN_MAX_AGE - timedelta(minutes=1))
    assert me(client, key).status_code == 200
    age_token(school_a.schema_name, key, settings.API_TOKEN_MAX_AGE + timedelta(seconds=1))
    response = me(client, key)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    with schema_context(school_a.schema_name):
        assert not Token.objects.filter(key=key).exists()
    fresh = obtain(client, user.email).json()["token"]
    assert fresh != key
    assert me(client, fresh).status_code == 200


def test_the_endpoint_says_when_a_token_ends_and_never_hands_out_an_expired_one(settings, client_for, make_user,
                                                                              school_a):
    user = make_user(Role.STAFF, school_a)
    client = client_for(school_a)
    first = obtain(client, user.email).json()
    expires_at = datetime.fromisoformat(first["expires_at"])
    assert abs(expires_at - (timezone.now() + settings.API_TOKEN_MAX_AGE)) < timedelta(minutes=1)
    assert obtain(client, user.email).json() == first, "the token in force is handed out again"
    age_token(school_a.schema_name, first["token"], settings.API_TOKEN_MAX_AGE + timedelta(seconds=1))
    second = obtain(client, user.email).json()  # expired, but never presented since
    assert second["token"] != first["token"] and me(client, second["token"]).status_code == 200


def token_max_age_seconds(**env: str) -> subprocess.CompletedProcess:
    script = "from django.conf import settings; print(settings.API_TOKEN_MAX_AGE.total_seconds())"
    environment = {key: value for key, value in database_env_for_children().items() if key != "API_TOKEN_HOURS"}
    return subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
                          env={**environment, **env}, cwd=settings.BASE_DIR, capture_output=True, text=True)


def test_the_token_age_is_a_working_day_unless_the_environment_says_otherwise():
    assert token_max_age_seconds().stdout.strip() == str(8 * 3600.0)
    assert token_max_age_seconds(API_TOKEN_HOURS="1.5").stdout.strip() == str(1.5 * 3600)


@pytest.mark.parametrize("hours", ["0", "-1", "nan", "inf"])
def test_a_token_age_that_would_never_end_or_never_work_is_refused(hours):
    result = token_max_age_seconds(API_TOKEN_HOURS=hours)
    assert result.returncode != 0
    assert "API_TOKEN_HOURS must be" in result.stderr


def test_archiving_a_school_ends_its_tokens(client_for, make_user, school_a):
    from tenants.services import school_archive, school_reinstate

    key = obtain(client_for(school_a), make_user(Role.DCPO, school_a).email).json()["token"]
    school_archive(school=school_a)
    with schema_context(school_a.schema_name):
        assert not Token.objects.exists()
    school_reinstate(school=school_a)
    assert me(client_for(school_a), key).status_code == 401

