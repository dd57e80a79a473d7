"""The authority's view of deliveries given up on, across the portal and every school."""

import logging

from ..models import DeliveryFailure

logger = logging.getLogger(__name__)


class RetryNotQueued(Exception):
    """The broker could not take the retry; nothing changed, the admin may try again."""


def delivery_failure_retry(*, failure: DeliveryFailure) -> None:
    """Ask the failed message's own schema to try it again (a task with that schema on it).

    The request stays in the public schema: the task reopens the message where it lives and
    notes the retry on this row. Nothing changes here if the broker cannot take the task.
    """
    from ..tasks import redeliver

    try:
        redeliver.apply_async((failure.message_id,), headers={"_schema_name": failure.schema_name},
                              retry=True, retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2})
    except Exception as error:
        logger.warning("Could not queue the retry of %s in %s: %s", failure.message_id, failure.schema_name, error)
        raise RetryNotQueued from error
