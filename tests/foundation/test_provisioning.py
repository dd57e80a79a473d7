import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from safeguarding.models import YoungPerson
from tenants.models import Domain, School
from tenants.services import BASE_SCHEMA, schema_unapplied_migrations, school_provision


def tables_of(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def test_a_cloned_school_has_every_migration_applied(school_a):
    assert schema_unapplied_migrations(school_a.schema_name) == []
    assert schema_unapplied_migrations(BASE_SCHEMA) == []


def test_a_cloned_school_has_the_base_schemas_tables_and_works(school_a):
    assert tables_of(school_a.schema_name) == tables_of(BASE_SCHEMA)
    assert "safeguarding_youngperson" in tables_of(school_a.schema_name)
    with schema_context(school_a.schema_name):
        YoungPerson.objects.create(upn="A123456789012", first_name="Test", last_name="Person",
                                   date_of_birth="2012-01-01", year_group=9)
        assert YoungPerson.objects.count() == 1


def test_the_clone_starts_empty_of_another_schools_rows(school_a, school_b):
    with schema_context(school_a.schema_name):
        YoungPerson.objects.create(upn="A123456789012", first_name="Only", last_name="Alpha",
                                   date_of_birth="2012-01-01", year_group=9)
    with schema_context(school_b.schema_name):
        assert not YoungPerson.objects.filter(upn="A123456789012").exists()


def test_provisioning_makes_row_domain_and_schema(db):
    school = school_provision(name="Delta College", urn="912345", kind="college", slug="delta")
    assert Domain.objects.get(tenant=school).domain == "delta.localhost"
    assert school.schema_name == "school_delta"
    assert schema_exists("school_delta")
    assert schema_unapplied_migrations("school_delta") == []


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("urn", {"urn": "12345"}),
        ("urn", {"urn": "900001"}),  # alpha's
        ("slug", {"slug": "Bad Slug"}),
        ("slug", {"slug": "alpha"}),
        ("kind", {"kind": "primary"}),
        ("name", {"name": ""}),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(db, field, overrides):
    values = {"name": "Echo School", "urn": "923456", "kind": "academy", "slug": "echo"} | overrides
    schools_before = School.objects.count()
    with pytest.raises(ValidationError) as error:
        school_provision(**values)
    assert field in error.value.message_dict
    assert School.objects.count() == schools_before
    assert not schema_exists(f"school_{values['slug']}") or values["slug"] == "alpha"
