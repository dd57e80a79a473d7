import subprocess
import sys

from django.conf import settings

from tests.conftest import database_env_for_children


def run_check(extra_env):
    env = {**database_env_for_children(), "CSE_PROFILE": "production", **extra_env}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, cwd=settings.BASE_DIR, capture_output=True, text=True)


def test_production_profile_passes_check_deploy_with_no_warnings():
    result = run_check({"SECRET_KEY": "a-real-secret-" + "k" * 50, "BASE_DOMAIN": "cse.example.gov.uk"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_secret_key():
    result = run_check({"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def get_in_production(path: str, host: str) -> str:
    """The status (and any Location) of a plain-HTTP GET, as compose's health check sends it, in the
    production profile."""
    script = (f"from django.test import Client; r = Client().get({path!r}, HTTP_HOST={host!r}); "
              "print(r.status_code, r.get('Location', ''))")
    env = {**database_env_for_children(), "CSE_PROFILE": "production", "SECRET_KEY": "a-real-secret-" + "k" * 50,
           "BASE_DOMAIN": host}
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", script], env=env,
                            cwd=settings.BASE_DIR, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def test_health_check_answers_over_plain_http_on_the_base_domain_in_production(django_db_setup):
    assert get_in_production("/healthz", "cse.example.gov.uk") == "200"


def test_everything_else_still_redirects_to_https_in_production(django_db_setup):
    assert get_in_production("/accounts/sign-in/", "cse.example.gov.uk") == (
        "301 https://cse.example.gov.uk/accounts/sign-in/")
