"""Provisioning: a school is made by cloning a fully migrated base schema."""

from cse_platform.accounts.services import api_tokens_end
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_context, schema_exists

from .models import Domain, School, SchoolStatus

BASE_SCHEMA = settings.TENANT_BASE_SCHEMA


def schema_name_for(slug: str) -> str:
    return "school_" + slug.replace("-", "_")


def domain_for(slug: str) -> str:
    return f"{slug}.{settings.BASE_HOST}"


def school_url(slug: str) -> str:
    return f"{settings.SITE_SCHEME}://{slug}.{settings.BASE_DOMAIN}/"


def central_url() -> str:
    return f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}/"


def schema_unapplied_migrations(schema_name: str) -> list[tuple[str, str]]:
    """Tenant-app migrations not yet applied in a schema."""
    with schema_context(schema_name):
        executor = MigrationExecutor(connection)
        targets = executor.loader.graph.leaf_nodes()
        plan = executor.migration_plan(targets)
    tenant_labels = {app.rsplit(".", 1)[-1] for app in settings.TENANT_APPS}
    return [(m.app_label, m.name) for m, _ in plan if m.app_label in tenant_labels]


def base_schema_ensure(*, verbosity: int = 0) -> None:
    """Create the base schema if needed and bring it up to every migration."""
    if not schema_exists(BASE_SCHEMA):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{BASE_SCHEMA}"')
    call_command("migrate_schemas", tenant=True, schema_name=BASE_SCHEMA, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()


def platform_migrate(*, verbosity: int = 0) -> None:
    """Public schema, then the base schema, then every school."""
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
    base_schema_ensure(verbosity=verbosity)
    if School.objects.exists():
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=verbosity)


def _school_clean(school: School) -> None:
    """The model's own checks, and a slug whose schema would be the base schema schools are cloned from (even
    before it exists) or any schema already in the database (a school's, or one left behind). The public
    schema needs no check of its own: every school's schema name starts "school_"."""
    try:
        school.full_clean()
        errors = {}
    except ValidationError as error:
        errors = error.message_dict
    if "slug" not in errors:
        if school.schema_name == BASE_SCHEMA:
            errors["slug"] = [f'"{school.slug}" is reserved by the platform: choose another.']
        elif schema_exists(school.schema_name, case_sensitive=False):
            errors["slug"] = [f'The database already has a schema for "{school.slug}": choose another.']
    if errors:
        raise ValidationError(errors)


def _schema_clone(schema_name: str) -> None:
    """Copy the base schema, with its rows, into a new schema.

    DATA copies the base schema's django_migrations rows too, so the fake migrate django-tenants would run
    after it has nothing to record. NOACL skips copying privileges: the platform's one database role owns
    every table, so there are none to copy, and reading them (information_schema, across every school's
    tables) is half of what makes each clone slower as schools are added. Called as django-tenants'
    clone_schema calls it, with that one option more.
    """
    cloner = CloneSchema()
    cloner._create_clone_schema_function()
    with connection.cursor() as cursor:
        cursor.execute("SELECT clone_schema(%s, %s, 'DATA', 'NOACL')", [BASE_SCHEMA, schema_name])


def school_provision(*, name: str, urn: str, kind: str, slug: str, clone: bool = True) -> School:
    """Create a school, its domain and its schema, all or nothing.

    With clone=False the schema is built by running every migration instead (kept
    for the benchmark that compares the two).
    """
    school = School(name=name, urn=urn, kind=kind, slug=slug, schema_name=schema_name_for(slug))
    _school_clean(school)
    if clone and schema_unapplied_migrations(BASE_SCHEMA):
        base_schema_ensure()
    with transaction.atomic():
        school.save()
        Domain.objects.create(domain=domain_for(slug), tenant=school, is_primary=True)
        if clone:
            _schema_clone(school.schema_name)
        else:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{school.schema_name}"')
            call_command(
                "migrate_schemas", tenant=True, schema_name=school.schema_name, interactive=False, verbosity=0
            )
    connection.set_schema_to_public()
    return school


def school_archive(*, school: School) -> School:
    """Keep the school's data; end its sessions and API tokens and stop its logins."""
    with transaction.atomic():
        school.status = SchoolStatus.ARCHIVED
        school.archived_at = timezone.now()
        school.save(update_fields=["status", "archived_at"])
        with schema_context(school.schema_name):
            Session.objects.all().delete()
            api_tokens_end()
    return school


def school_reinstate(*, school: School) -> School:
    school.status = SchoolStatus.ACTIVE
    school.archived_at = None
    school.save(update_fields=["status", "archived_at"])
    return school
