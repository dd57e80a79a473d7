"""Which audience the current database schema serves."""

from django.db import connection
from django_tenants.utils import get_public_schema_name

from safeguarding.rules.roles import Audience


def current_audience() -> Audience:
    return Audience.CENTRAL if connection.schema_name == get_public_schema_name() else Audience.SCHOOL
