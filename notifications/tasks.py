"""Celery tasks: delivery, fan-out, the outbox sweep and the daily scans. Thin: they call services.

Every task runs in the schema sent with it (tenant-schemas-celery's `_schema_name` header), and
first checks that it really is there: if the school was not found the switch does not happen,
and a school's schema that is missing or half made would silently read public tables. A task
that is not where it should be, or whose school is not ready (still being provisioned, archived),
does nothing and says so in the log.

All are idempotent, acknowledged late and re-queued if their worker is lost.
"""

import logging
import time

from cse_platform.celery import PUBLISH_RETRY_POLICY, app
from django.db import connection
from tenant_schemas_celery.app import get_schema_name_from_task

from safeguarding.models import Review, SeratAssessment

from .models import DeliveryFailure, EmailPreference, InboxItem, OutboxMessage, ReminderSent
from .services.delivery import TASK_TIME_LIMIT, Outcome, fan_out_deliver, message_deliver, message_reopen, outbox_sweep
from .services.outbox import deliveries_enqueue
from .services.reminders import review_reminders_send, training_reminders_send
from .tenancy import public_schema, school_schema_ready

logger = logging.getLogger(__name__)

RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}
DELIVERY_LIMITS = {"time_limit": TASK_TIME_LIMIT, "soft_time_limit": TASK_TIME_LIMIT - 30}
# A batch stops taking new messages after this long; one message may then still take up to its own
# limit (the mail server's timeout), which keeps the batch inside BATCH_TIME_LIMIT, itself inside a
# claim's lease (SENDING_LEASE, 5 minutes).
BATCH_BUDGET = 90
BATCH_TIME_LIMIT = 240


def _table(model) -> str:
    return model._meta.db_table


OUTBOX_TABLES = ("accounts_user", *(_table(m) for m in (OutboxMessage, InboxItem, EmailPreference, ReminderSent)),
                 _table(DeliveryFailure))
SCAN_TABLES = (*OUTBOX_TABLES, _table(Review), _table(SeratAssessment))


# Schools found ready for deliveries, remembered by this worker process for a minute (deliveries
# are many; a school being archived stops receiving them within the minute).
_ready_until: dict[str, float] = {}
READY_FOR = 60.0


def schema_ready(task, tables=OUTBOX_TABLES, *, remember: bool = False) -> str | None:
    """The schema this task runs in, if it is the one it was sent to and ready; else None."""
    expected = get_schema_name_from_task(task, {}) or public_schema()
    if connection.schema_name != expected:
        logger.error("%s was sent to %s but runs in %s; skipped.", task.name, expected, connection.schema_name)
        return None
    if expected == public_schema() or (remember and _ready_until.get(expected, 0) > time.monotonic()):
        return expected
    if not school_schema_ready(expected, tables):
        logger.warning("%s skipped %s: the school is not ready (being provisioned, incomplete or archived).",
                       task.name, expected)
        return None
    if remember:
        _ready_until[expected] = time.monotonic() + READY_FOR
    return expected


def _retry_later(task, args, countdown: float, schema: str) -> None:
    """Ask for the next attempt at its time; if the broker cannot take it, the sweep will."""
    try:
        task.apply_async(args, countdown=countdown, headers={"_schema_name": schema}, retry=True,
                         retry_policy=PUBLISH_RETRY_POLICY)
    except Exception as error:
        logger.warning("Could not schedule a retry of %s%s (%s); the sweep will.", task.name, args, error)


@app.task(name="notifications.deliver", bind=True, **RELIABLE, **DELIVERY_LIMITS)
def deliver(self, message_id: int) -> str:
    """Deliver one outbox message of this schema: inbox item and email, exactly once."""
    schema = schema_ready(self, remember=True)
    if schema is None:
        return "skipped"
    result = message_deliver(message_id=message_id)
    if result.outcome == Outcome.RETRY:
        _retry_later(deliver, (message_id,), result.retry_in.total_seconds(), schema)
    return result.outcome.value


@app.task(name="notifications.deliver_batch", bind=True, **RELIABLE, time_limit=BATCH_TIME_LIMIT,
          soft_time_limit=BATCH_TIME_LIMIT - 30)
def deliver_batch(self, message_ids: list[int]) -> dict:
    """Deliver several messages of this schema, one after another, each exactly once. A batch that
    has run for BATCH_BUDGET seconds hands the rest on to a new batch, so that no message waits on
    a slow mail server for long and the task stays well inside its time limit (and every claim's lease)."""
    schema = schema_ready(self, remember=True)
    if schema is None:
        return {"skipped": len(message_ids)}
    started = time.monotonic()
    outcomes: dict[str, int] = {}
    for index, message_id in enumerate(message_ids):
        if time.monotonic() - started > BATCH_BUDGET:
            rest = list(message_ids[index:])
            deliveries_enqueue(rest, schema)
            outcomes["handed on"] = len(rest)
            break
        result = message_deliver(message_id=message_id)
        if result.outcome == Outcome.RETRY:
            _retry_later(deliver, (message_id,), result.retry_in.total_seconds(), schema)
        outcomes[result.outcome.value] = outcomes.get(result.outcome.value, 0) + 1
    return outcomes


@app.task(name="notifications.fan_out", bind=True, **RELIABLE, **DELIVERY_LIMITS)
def fan_out(self, source_schema: str, message_id: int) -> str:
    """Sent with the schema of the place a fan-out message goes to: tell the holders of its roles there."""
    schema = schema_ready(self, remember=True)
    if schema is None:
        return "skipped"
    result = fan_out_deliver(source_schema=source_schema, message_id=message_id)
    if result.outcome == Outcome.RETRY:
        _retry_later(fan_out, (source_schema, message_id), result.retry_in.total_seconds(), schema)
    return result.outcome.value


@app.task(name="notifications.sweep", bind=True, **RELIABLE)
def sweep(self, stale_after_seconds: float | None = None) -> dict:
    """Re-send what this schema's outbox still holds undelivered (every minute, every schema)."""
    from datetime import timedelta

    if schema_ready(self) is None:
        return {"skipped": True}
    options = {} if stale_after_seconds is None else {"stale_after": timedelta(seconds=stale_after_seconds)}
    report = outbox_sweep(**options)
    return {"released": report.released, "enqueued": report.enqueued}


@app.task(name="notifications.review_scan", bind=True, **RELIABLE)
def review_scan(self) -> dict:
    """Daily, in every school: reviews due within 7 days, overdue, and overdue a week later."""
    if connection.schema_name == public_schema() or schema_ready(self, SCAN_TABLES) is None:
        return {"skipped": True}
    return {"messages": review_reminders_send()}


@app.task(name="notifications.training_scan", bind=True, **RELIABLE)
def training_scan(self) -> dict:
    """Daily, in every school: training of its staff that expires within 30 days."""
    if connection.schema_name == public_schema() or schema_ready(self, SCAN_TABLES) is None:
        return {"skipped": True}
    return {"messages": training_reminders_send()}


@app.task(name="notifications.redeliver", bind=True, **RELIABLE)
def redeliver(self, message_id: int) -> bool:
    """An authority admin's retry of a failed delivery, run in the message's own schema."""
    if schema_ready(self) is None:
        return False
    return message_reopen(message_id=message_id)
