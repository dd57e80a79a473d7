"""The demo authority that `make run` seeds on every start: running it again changes nothing, and every
demo account signs in with the published password."""

from django.core.management import call_command
from django.db import connection

from safeguarding.rules.roles import Audience, roles_for
from tenants.demo import CENTRAL_DOMAIN, DEMO_PASSWORD, SCHOOLS, demo_email, school_email_domain
from tenants.models import School
from tests.conftest import HostClient


def row_counts(schemas: list[str]) -> dict[str, int]:
    """Rows in every table of these schemas, keyed schema.table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_schema, table_name FROM information_schema.tables "
                       "WHERE table_schema = ANY(%s) AND table_type = 'BASE TABLE'", [schemas])
        tables = cursor.fetchall()
        counts = {}
        for schema, table in tables:
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
            counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def demo_schemas() -> list[str]:
    slugs = [demo.slug for demo in SCHOOLS]
    return ["public", *School.objects.filter(slug__in=slugs).values_list("schema_name", flat=True)]


def test_seeding_the_demo_again_changes_no_row(db):
    call_command("seed_demo")
    schemas = demo_schemas()
    assert len(schemas) == 1 + len(SCHOOLS)
    first = row_counts(schemas)
    assert all(first[f"{schema}.accounts_user"] for schema in schemas)
    assert all(first[f"{schema}.safeguarding_youngperson"] for schema in schemas[1:])
    call_command("seed_demo")
    assert row_counts(schemas) == first


def signs_in(host: str, email: str) -> bool:
    client = HostClient(host)
    response = client.post("/accounts/sign-in/", {"username": email, "password": DEMO_PASSWORD})
    return response.status_code == 302 and client.get("/").status_code == 200


def test_every_demo_account_signs_in_with_the_demo_password(db):
    call_command("seed_demo")
    refused = [demo_email(role, CENTRAL_DOMAIN) for role in roles_for(Audience.CENTRAL)
               if not signs_in("localhost", demo_email(role, CENTRAL_DOMAIN))]
    for demo in SCHOOLS:
        email_domain = school_email_domain(demo.slug)
        refused += [demo_email(role, email_domain) for role in roles_for(Audience.SCHOOL)
                    if not signs_in(f"{demo.slug}.localhost", demo_email(role, email_domain))]
    assert refused == []
