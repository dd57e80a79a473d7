"""The accounts' Celery task: a new member of staff's set-password email, sent in their school's schema."""

import logging
from smtplib import SMTPException

from cse_platform.celery import app
from django.db import connection
from tenant_schemas_celery.app import get_schema_name_from_task

from safeguarding.rules.roles import Audience

from .schemas import current_audience
from .staff import set_password_email_send

logger = logging.getLogger(__name__)


@app.task(name="accounts.set_password_email", bind=True, acks_late=True, reject_on_worker_lost=True,
          autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_backoff_max=1800, max_retries=8,
          time_limit=120, soft_time_limit=90)
def set_password_email(self, user_id: int) -> str:
    # An account id means something only in the school it was sent from: never look it up anywhere else.
    expected = get_schema_name_from_task(self, {})
    if connection.schema_name != expected or current_audience() != Audience.SCHOOL:
        logger.error("%s was sent to %s but runs in %s, not a school; skipped.", self.name, expected,
                     connection.schema_name)
        return "skipped"
    return "sent" if set_password_email_send(user_id=user_id) else "no active account"
