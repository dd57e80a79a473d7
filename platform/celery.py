"""The Celery app: tasks carry the schema they were sent from (tenant-schemas-celery)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cse_platform.settings")

# Handing a task to the broker inside a user's request must not hold the request up when the broker is
# down: a few quick tries, then the caller's fallback (the outbox sweep, or a link already on the page).
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.2}

app = CeleryApp("cse_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
