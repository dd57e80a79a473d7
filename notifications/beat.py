"""Celery beat for the platform: tenant-schemas-celery's scheduler, plus the central portal.

`TenantAwarePersistentScheduler` sends an entry with `tenant_schemas` to those tenants' rows, and
an entry without to every tenant row. The central portal is the public schema, which has no tenant
row, so an entry for it would go nowhere; this scheduler sends such entries in the public schema.
It sends the every-school entries to active schools only (an archived school needs no reminders);
a school still being provisioned is skipped by the tasks themselves.
"""

import logging

from django_tenants.utils import get_public_schema_name, schema_context
from tenant_schemas_celery.scheduler import TenantAwarePersistentScheduler

from tenants.models import School, SchoolStatus

logger = logging.getLogger(__name__)


class PlatformScheduler(TenantAwarePersistentScheduler):
    @classmethod
    def get_queryset(cls):
        return School.objects.filter(status=SchoolStatus.ACTIVE)

    def apply_entry(self, entry, producer=None):
        headers = entry.options.setdefault("headers", {})
        if headers.get("_all_tenants_only") or headers.get("_schema_name") != get_public_schema_name():
            return super().apply_entry(entry, producer=producer)
        logger.info("PlatformScheduler: sending due task %s (%s) to the central portal", entry.name, entry.task)
        with schema_context(get_public_schema_name()):
            try:
                self.apply_async(entry, producer=producer, advance=False)
            except Exception as error:
                logger.exception(error)
        return None
