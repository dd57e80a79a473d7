"""Shared fixtures: schools cloned once per session, every test rolled back.

School schemas are cloned from the base schema once per session (alpha and bravo);
each test runs inside a transaction that is rolled back. Tests that need data
committed for another process (a Celery worker, a browser against a server) make
their own school with `committed_school`.
"""

import itertools
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from cse_platform import devstack
from cse_platform.accounts.services import user_create
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from safeguarding.rules.roles import Role
from tenants.models import School
from tenants.services import base_schema_ensure, school_provision

PASSWORD = "correct-horse-battery-staple"

# Playwright's sync API runs an event loop in the test thread, which Django's
# async-safety check would otherwise mistake for async code touching the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing(django_test_environment):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """The test database, always made (tests of other processes use it without `db`),
    with the base schema and two schools cloned from it."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        base_schema_ensure()
        for slug, urn, kind in (("alpha", "900001", "high_school"), ("bravo", "900002", "academy")):
            school_provision(name=f"{slug.title()} School", urn=urn, kind=kind, slug=slug)
    yield
    with django_db_blocker.unblock():
        # A worker's or server's last connection may outlive its process by a moment.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        teardown_databases(config, verbosity=0)


@pytest.fixture
def school_a(db) -> School:
    return School.objects.get(slug="alpha")


@pytest.fixture
def school_b(db) -> School:
    return School.objects.get(slug="bravo")


class HostClient(Client):
    """A test client bound to one host that leaves the connection's schema as it found it."""

    def __init__(self, host: str, **kwargs):
        super().__init__(HTTP_HOST=host, **kwargs)
        self.host = host

    def request(self, **request):
        tenant = connection.tenant
        try:
            return super().request(**request)
        finally:
            connection.set_tenant(tenant) if isinstance(tenant, School) else connection.set_schema_to_public()


def host_of(school: School | None) -> str:
    return "localhost" if school is None else f"{school.slug}.localhost"


@pytest.fixture
def client_for():
    """client_for(school) → a client at that school's host; client_for(None) → the central portal."""
    return lambda school: HostClient(host_of(school))


_emails = itertools.count()


@pytest.fixture
def make_user(db):
    """make_user(role, school=None) → a user in the school's schema (or public for central roles)."""

    def make(role: Role, school: School | None = None, *, password: str = PASSWORD, name: str = ""):
        email = f"{Role(role).value}{next(_emails)}@{school.slug if school else 'authority'}.test"
        schema = school.schema_name if school else "public"
        with schema_context(schema):
            return user_create(email=email, full_name=name or f"Test {Role(role).label}", role=role,
                               password=password)

    return make


def sign_in(client: HostClient, user, password: str = PASSWORD):
    return client.post("/accounts/sign-in/", {"username": user.email, "password": password})


@pytest.fixture
def signed_in(client_for, make_user):
    """signed_in(role, school=None) → (client, user): a fresh user of that role, signed in at its host."""

    def make(role: Role, school: School | None = None):
        user = make_user(role, school)
        client = client_for(school)
        response = sign_in(client, user)
        assert response.status_code == 302, response.content[:500]
        return client, user

    return make


_slugs = itertools.count(1)


@pytest.fixture
def committed_school(django_db_setup, django_db_blocker):
    """committed_school() → a new school whose rows are committed, for tests where another
    process (a worker, a browser's server) reads them. The test database is thrown away."""

    def make(kind: str = "high_school") -> School:
        n = next(_slugs)
        with django_db_blocker.unblock():
            return school_provision(name=f"Committed School {n}", urn=f"{800000 + n:06d}", kind=kind,
                                    slug=f"committed-{n}")

    return make


def database_env_for_children() -> dict[str, str]:
    """The environment another process needs to use this session's test database."""
    from django.db import connections

    url = urlsplit(os.environ["DATABASE_URL"])
    name = connections["default"].settings_dict["NAME"]
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, "DATABASE_URL": urlunsplit(url._replace(path=f"/{name}"))}


@pytest.fixture(scope="module")
def worker_mail_dir(tmp_path_factory) -> Path:
    """Where the `celery_worker` fixture's worker writes the emails it sends, one file each."""
    return tmp_path_factory.mktemp("worker-mail")


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, worker_mail_dir):
    """A real Celery worker (one prefork child) on the real broker, on the test database."""
    from cse_platform.celery import app

    env = {**database_env_for_children(), "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
           "EMAIL_FILE_PATH": str(worker_mail_dir)}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cse_platform", "worker", "--pool", "prefork",
         "--concurrency", "1", "--include", "tests.worker_probe", "--loglevel", "INFO",
         "--hostname", f"test-worker-{os.getpid()}@%h", "--without-gossip", "--without-mingle"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("The Celery worker did not start:\n" + process.stdout.read().decode())
    yield process
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The system Chromium. Missing: a skip on a developer's machine, a failure in CI."""
    path = os.environ.get("CHROMIUM_PATH") or next((p for p in CHROMIUM_PATHS if os.path.exists(p)), None)
    if path is None:
        message = "Chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{message}; browser tests may not skip in CI")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def live_server_url(django_db_setup):
    """The platform served by gunicorn in its own process, on the test database.

    Returns a function: live_server_url(school) → the school's address, None → the portal's.
    """
    port = devstack.free_port()
    env = {**database_env_for_children(), "BASE_DOMAIN": f"localhost:{port}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cse_platform.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--threads", "4"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("The web server did not start:\n" + process.stdout.read().decode()) from None
            time.sleep(0.1)
    yield lambda school: f"http://{host_of(school)}:{port}"
    process.terminate()
    process.wait(20)


@pytest.fixture
def committed_user(django_db_blocker):
    """committed_user(role, school=None) → a user committed for another process to see."""

    def make(role: Role, school: School | None = None):
        n = next(_emails)
        with django_db_blocker.unblock(), schema_context(school.schema_name if school else "public"):
            user = user_create(email=f"{Role(role).value}{n}@committed.test", full_name=f"{Role(role).label} {n}",
                               role=role, password=PASSWORD)
            # The server process keeps Django's real hashers, not this session's fast one.
            hasher = PBKDF2PasswordHasher()
            user.password = hasher.encode(PASSWORD, hasher.salt())
            user.save(update_fields=["password"])
            return user

    return make
