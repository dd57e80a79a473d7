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
