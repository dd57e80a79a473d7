from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from safeguarding.models import YoungPerson
from tenants.models import Domain, School
from tenants.services import BASE_SCHEMA, schema_name_for, schema_unapplied_migrations, school_provision


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


def test_a_slug_whose_schema_is_the_base_schema_is_refused_on_the_slug(db):
    slug = BASE_SCHEMA.removeprefix("school_")
    assert schema_name_for(slug) == BASE_SCHEMA
    with pytest.raises(ValidationError) as error:
        school_provision(name="Template School", urn="923457", kind="academy", slug=slug)
    assert "reserved" in " ".join(error.value.message_dict["slug"])
    assert not School.objects.filter(slug=slug).exists()
    assert schema_unapplied_migrations(BASE_SCHEMA) == []


def test_a_slug_whose_schema_is_already_in_the_database_is_refused_on_the_slug(db):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "school_leftover"')
    with pytest.raises(ValidationError) as error:
        school_provision(name="Leftover School", urn="923458", kind="academy", slug="leftover")
    assert "slug" in error.value.message_dict
    assert not School.objects.filter(slug="leftover").exists()
    assert tables_of("school_leftover") == set()


def test_the_command_provisions_a_school(db):
    out = StringIO()
    call_command("school_provision", name="Golf Academy", urn="934568", kind="academy", slug="golf", stdout=out)
    assert "Provisioned Golf Academy at golf.localhost" in out.getvalue()
    school = School.objects.get(slug="golf")
    assert schema_unapplied_migrations(school.schema_name) == []


def test_the_command_names_the_field_of_a_refused_slug(db):
    slug = BASE_SCHEMA.removeprefix("school_")
    with pytest.raises(CommandError) as error:
        call_command("school_provision", name="Template School", urn="934569", kind="academy", slug=slug)
    assert str(error.value).startswith("slug: ")
    assert not School.objects.filter(slug=slug).exists()


def test_the_command_reports_an_error_that_names_no_field(db, monkeypatch):
    """django-tenants' clone refuses a schema that appeared after the checks with such an error."""
    from tenants.management.commands import school_provision as command

    def refuse(**_):
        raise ValidationError("New schema name already exists")

    monkeypatch.setattr(command, "school_provision", refuse)
    with pytest.raises(CommandError) as error:
        call_command("school_provision", name="Hotel High", urn="934570", kind="high_school", slug="hotel")
    assert str(error.value) == "New schema name already exists"


def test_a_fresh_clone_has_no_accounts_and_no_case_records(db):
    school = school_provision(name="India College", urn="934571", kind="college", slug="india")
    tables = sorted(t for t in tables_of(school.schema_name)
                    if t == "accounts_user" or t.startswith("safeguarding_"))
    assert "accounts_user" in tables and "safeguarding_youngperson" in tables
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{school.schema_name}"."{table}"')
            counts[table] = cursor.fetchone()[0]
    assert counts == dict.fromkeys(tables, 0)


def test_a_fresh_clones_id_sequences_are_its_own(db):
    school = school_provision(name="Juliet Academy", urn="934572", kind="academy", slug="juliet")
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.columns "
                       "WHERE table_schema = %s AND column_name = 'id'", [school.schema_name])
        tables = [row[0] for row in cursor.fetchall()]
        assert "accounts_user" in tables and "safeguarding_youngperson" in tables
        sequences = {}
        for table in tables:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{school.schema_name}"."{table}"'])
            sequences[table] = cursor.fetchone()[0]
    assert all(sequence and sequence.startswith(f"{school.schema_name}.") for sequence in sequences.values()), sequences
