"""Provisioning: a school is made by cloning a fully migrated base schema."""

from django.conf import settings
from django.contrib.sessions.models import Session
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


def school_provision(*, name: str, urn: str, kind: str, slug: str, clone: bool = True) -> School:
    """Create a school, its domain and its schema, all or nothing.

    With clone=False the schema is built by running every migration instead (kept
    for the benchmark that compares the two).
    """
    school = School(name=name, urn=urn, kind=kind, slug=slug, schema_name=schema_name_for(slug))
    school.full_clean()
    if clone and schema_unapplied_migrations(BASE_SCHEMA):
        base_schema_ensure()
    with transaction.atomic():
        school.save()
        Domain.objects.create(domain=domain_for(slug), tenant=school, is_primary=True)
        if clone:
            # DATA mode copies the base schema's django_migrations rows too, so the
            # fake migrate django-tenants would run after it has nothing to record.
            CloneSchema().clone_schema(BASE_SCHEMA, school.schema_name, "DATA")
        else:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{school.schema_name}"')
            call_command(
                "migrate_schemas", tenant=True, schema_name=school.schema_name, interactive=False, verbosity=0
            )
    connection.set_schema_to_public()
    return school


def school_archive(*, school: School) -> School:
    """Keep the school's data; end its sessions and stop its logins."""
    with transaction.atomic():
        school.status = SchoolStatus.ARCHIVED
        school.archived_at = timezone.now()
        school.save(update_fields=["status", "archived_at"])
        with schema_context(school.schema_name):
            Session.objects.all().delete()
    return school


def school_reinstate(*, school: School) -> School:
    school.status = SchoolStatus.ACTIVE
    school.archived_at = None
    school.save(update_fields=["status", "archived_at"])
    return school
