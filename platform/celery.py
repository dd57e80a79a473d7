"""The Celery app: tasks carry the schema they were sent from (tenant-schemas-celery)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_platform.settings")

app = CeleryApp("cse_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
