"""The beat schedule of notifications, for `CELERY_BEAT_SCHEDULE` (tenant-schemas-celery format).

An entry without `tenant_schemas` runs once in every school's schema; `tenant_schemas: ["public"]`
runs in the central portal's (which needs `notifications.beat.PlatformScheduler`: the public schema
has no tenant row, so tenant-schemas-celery's own scheduler would send such an entry nowhere).

Settings: `CELERY_BEAT_SCHEDULE = {**BEAT_SCHEDULE}` and
`CELERY_BEAT_SCHEDULER = "notifications.beat:PlatformScheduler"`.

Every task here is idempotent, so an entry run twice (two beats, a restart) changes nothing; a school
still being provisioned is skipped by the task itself.
"""

from celery.schedules import crontab

# Settings import this module, before Django is set up: nothing here may import Django models.
PUBLIC_SCHEMA = "public"
MINUTE = 60.0

BEAT_SCHEDULE = {
    # The outbox sweep, every minute, in every school and in the central portal. A sweep that could
    # not run within the minute is dropped (the next one does its work).
    "notifications-sweep": {
        "task": "notifications.sweep",
        "schedule": MINUTE,
        "options": {"expires": MINUTE - 5},
    },
    "notifications-sweep-central": {
        "task": "notifications.sweep",
        "schedule": MINUTE,
        "options": {"expires": MINUTE - 5},
        "tenant_schemas": [PUBLIC_SCHEMA],
    },
    # The daily scans, in every school, before the school day.
    "notifications-review-scan": {
        "task": "notifications.review_scan",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 12 * 3600},
    },
    "notifications-training-scan": {
        "task": "notifications.training_scan",
        "schedule": crontab(hour=7, minute=15),
        "options": {"expires": 12 * 3600},
    },
}
