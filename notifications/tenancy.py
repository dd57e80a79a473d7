"""Which schema work runs in, and whether a school's schema is ready for it.

A school's schema that is missing or half made is dangerous as well as useless: PostgreSQL skips
a missing schema in the search path, so unqualified table names would silently resolve to the
public schema's tables (the central portal's accounts and outbox). Work for a school therefore
checks, before it reads anything, that every table it needs exists in that school's own schema.
"""

from collections.abc import Iterable

from cse_platform.context import CENTRAL_PORTAL_NAME
from django.db import connection
from django_tenants.utils import get_public_schema_name

from tenants.models import School
from tenants.services import central_url, school_url


def public_schema() -> str:
    return get_public_schema_name()


def current_schema() -> str:
    return connection.schema_name


def school_for_schema(schema_name: str) -> School | None:
    """The school whose schema this is (None for the public schema or an unknown one)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, School) and tenant.schema_name == schema_name:
        return tenant
    if schema_name == public_schema():
        return None
    return School.objects.filter(schema_name=schema_name).first()


_UNSET = object()


def place_name(schema_name: str | None = None, *, school=_UNSET) -> str:
    """What a notification calls the place it comes from: the school's name, or the central portal."""
    if school is _UNSET:
        school = school_for_schema(schema_name or current_schema())
    return school.name if school is not None else CENTRAL_PORTAL_NAME


def site_url(schema_name: str | None = None, *, school=_UNSET) -> str:
    """The address (ending in /) of the school or portal that serves this schema."""
    if school is _UNSET:
        school = school_for_schema(schema_name or current_schema())
    return school_url(school.slug) if school is not None else central_url()


def tables_missing(schema_name: str, tables: Iterable[str]) -> list[str]:
    """Which of these tables do not exist in the schema itself (never looking in public)."""
    tables = list(tables)
    if not tables:
        return []
    qualified = [f'"{schema_name}"."{table}"' for table in tables]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(["to_regclass(%s) IS NOT NULL"] * len(qualified)), qualified)
        present = cursor.fetchone()
    return [table for table, exists in zip(tables, present, strict=True) if not exists]


def school_schema_ready(schema_name: str, tables: Iterable[str]) -> bool:
    """Whether a school's schema exists, belongs to an active school, and has all these tables."""
    school = School.objects.filter(schema_name=schema_name).first()
    if school is None or not school.is_active:
        return False
    return not tables_missing(schema_name, tables)
