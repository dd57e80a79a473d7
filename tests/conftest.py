"""Shared fixtures: schools cloned once per session, every test rolled back.

School schemas are cloned from the base schema once per session (alpha and bravo);
each test runs inside a transaction that is rolled back. Tests that need data
committed for another process (a Celery worker, a browser against a server) make
their own school with `committed_school`.
"""

import itertools

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from cse_platform.accounts.services import user_create
from safeguarding.rules.roles import Role
from tenants.models import School
from tenants.services import base_schema_ensure, school_provision

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing(django_test_environment):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        base_schema_ensure()
        for slug, urn, kind in (("alpha", "900001", "high_school"), ("bravo", "900002", "academy")):
            school_provision(name=f"{slug.title()} School", urn=urn, kind=kind, slug=slug)


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
def committed_school(django_db_blocker):
    """committed_school() → a new school whose rows are committed, for tests where another
    process (a worker, a browser's server) reads them. The test database is thrown away."""

    def make(kind: str = "high_school") -> School:
        n = next(_slugs)
        with django_db_blocker.unblock():
            return school_provision(name=f"Committed School {n}", urn=f"{800000 + n:06d}", kind=kind,
                                    slug=f"committed-{n}")

    return make
