from django.db import connection
from django.db.models import QuerySet

from .models import School, SchoolStatus


def school_list(*, include_archived: bool = False) -> QuerySet[School]:
    schools = School.objects.all()
    if not include_archived:
        schools = schools.filter(status=SchoolStatus.ACTIVE)
    return schools


def current_school() -> School:
    """The school whose schema the connection is on: in a request, a Celery task or a test alike
    (`schema_context` sets only a stand-in tenant, so look the school up by its schema)."""
    tenant = connection.tenant
    if isinstance(tenant, School):
        return tenant
    return School.objects.get(schema_name=connection.schema_name)
