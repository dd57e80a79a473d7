"""Delivering outbox messages exactly once, retrying with backoff, and giving up visibly.

Delivery is at least once (a task can run twice: the sweep re-sends, a worker dies and its task
comes back), so every step here is idempotent:

1. Claim: lock the row (`select_for_update(skip_locked)`); skip it if it is delivered, failed or
   held by another attempt; otherwise mark it `sending`, count the attempt, note the claim and,
   in the same transaction, create the recipient's inbox item (unique per message, so a second
   attempt finds it there). Committed before anything leaves the platform.
2. Email, if the recipient wants it (urgent ones always): sent with a Message-ID made from the
   message's idempotency key.
3. Finish: mark the row `sent`, only if this attempt still holds the claim.

If the worker dies between 1 and 3 the row stays `sending`; after the lease the sweep returns it
to `pending` and another attempt delivers it. The inbox item is never doubled. The email is
sent again only if the worker died after the mail server accepted it and before step 3 committed
(milliseconds); that copy has the same Message-ID, which mail systems use to drop duplicates.
A claim's lease is longer than a task may run (its hard time limit), so a slow but living
attempt is never overtaken.

After MAX_ATTEMPTS the message is marked failed with its reason, and a de-identified
`DeliveryFailure` row is written in the public schema for the authority's admins. So is a fan-out to
an archived school, by the first sweep that finds it due: no task runs in an archived school's schema,
so the sweep would otherwise re-send it for ever.
"""

import logging
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from cse_platform.accounts.models import User
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django_tenants.utils import schema_context

from safeguarding.rules.roles import Role
from tenants.models import SchoolStatus

from ..events import Event
from ..models import DeliveryFailure, EmailPreference, FanOut, InboxItem, OutboxMessage, OutboxStatus
from ..tenancy import current_schema, place_name, public_schema, school_for_schema, site_url
from .outbox import SWEEP_GRACE, deliveries_enqueue, fan_outs_enqueue, message_for, messages_save

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MOST = timedelta(hours=1)
# A claim older than this is abandoned (its worker died): longer than a delivery task may run.
SENDING_LEASE = timedelta(minutes=5)
TASK_TIME_LIMIT = 150  # seconds; the delivery tasks' hard limit, well inside the lease
EMAIL_TIMEOUT = 30  # seconds, for SMTP when settings give none
SWEEP_BATCH = 2000
SCHOOL_ARCHIVED = "The school is archived."

EMAIL_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")


class Outcome(StrEnum):
    SENT = "sent"  # delivered now
    DONE = "done"  # delivered or given up on before
    BUSY = "busy"  # another attempt holds it
    MISSING = "missing"
    RETRY = "retry"  # failed this time; will be tried again
    FAILED = "failed"  # given up on now


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    retry_in: timedelta | None = None


def backoff(attempts: int) -> timedelta:
    """How long to wait after the attempts so far: 30 s, 1 min, 2 min, ... at most an hour."""
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MOST)


def reason_of(error: BaseException) -> str:
    """A failure's reason as the admins see it: no addresses (or anything else naming a person)."""
    text = f"{type(error).__name__}: {error}".strip()
    return EMAIL_ADDRESS.sub("[address]", text)[:500]


# 1. Claim ------------------------------------------------------------------------------------

def _claim(message_id: int, *, now: datetime, fan_out: bool) -> tuple[Result | None, OutboxMessage | None]:
    """Take the message for this attempt, in its own committed transaction."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None:
            exists = OutboxMessage.objects.filter(pk=message_id).exists()
            return Result(Outcome.BUSY if exists else Outcome.MISSING), None
        if (message.fan_out != FanOut.NONE) != fan_out:
            logger.error("Outbox message %s in %s was sent to the wrong task.", message_id, current_schema())
            return Result(Outcome.MISSING), None
        if message.status in (OutboxStatus.SENT, OutboxStatus.FAILED):
            return Result(Outcome.DONE), None
        if message.status == OutboxStatus.SENDING:
            return Result(Outcome.BUSY), None
        if message.attempts >= MAX_ATTEMPTS:
            _give_up(message, message.last_error or f"The delivery was interrupted {message.attempts} times.")
            return Result(Outcome.FAILED), None
        message.status = OutboxStatus.SENDING
        message.attempts += 1
        message.claimed_at = now
        message.claim = uuid.uuid4().hex
        message.save(update_fields=["status", "attempts", "claimed_at", "claim"])
        if message.fan_out == FanOut.NONE:
            InboxItem.objects.bulk_create(
                [InboxItem(user_id=message.recipient_id, message=message, event=message.event, title=message.subject,
                           link=message.link, urgent=message.urgent, created_at=message.created_at)],
                ignore_conflicts=True,
            )
        return None, message


def _finish(message: OutboxMessage, *, emailed: bool) -> bool:
    now = timezone.now()
    fields = {"status": OutboxStatus.SENT, "sent_at": now, "claim": "", "last_error": ""}
    if emailed:
        fields["emailed_at"] = now
    done = OutboxMessage.objects.filter(pk=message.pk, claim=message.claim,
                                        status=OutboxStatus.SENDING).update(**fields)
    if not done:
        logger.error("Outbox message %s in %s was taken over before this attempt finished.",
                     message.pk, current_schema())
    return bool(done)


def _attempt_failed(message: OutboxMessage, error: BaseException) -> Result:
    """Record a failed attempt: back to pending with a later time, or failed after the last."""
    reason = reason_of(error)
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update().filter(pk=message.pk).first()
        if row is None or row.claim != message.claim or row.status != OutboxStatus.SENDING:
            return Result(Outcome.BUSY)
        if row.attempts >= MAX_ATTEMPTS:
            _give_up(row, reason)
            return Result(Outcome.FAILED)
        delay = backoff(row.attempts)
        row.status = OutboxStatus.PENDING
        row.last_error = reason
        row.next_attempt_at = timezone.now() + delay
        row.claim = ""
        row.save(update_fields=["status", "last_error", "next_attempt_at", "claim"])
    logger.warning("Outbox message %s in %s failed (attempt %d): %s; retrying in %s.",
                   message.pk, current_schema(), row.attempts, reason, delay)
    return Result(Outcome.RETRY, delay)


def _give_up(message: OutboxMessage, reason: str) -> None:
    """Mark the message failed and tell the authority's admins, in the public schema (no names)."""
    schema = current_schema()
    message.status = OutboxStatus.FAILED
    message.last_error = reason[:500]
    message.claim = ""
    message.save(update_fields=["status", "last_error", "claim"])
    role = ""
    if message.recipient_id:
        role = User.objects.filter(pk=message.recipient_id).values_list("role", flat=True).first() or ""
    elif message.roles:
        role = message.roles[0]
    school = school_for_schema(schema)
    if message.fan_out == FanOut.SCHOOL:
        school = message.school
    with schema_context(public_schema()):
        DeliveryFailure.objects.update_or_create(
            schema_name=schema, message_id=message.pk,
            defaults={"school": school, "event": message.event, "recipient_role": role, "urgent": message.urgent,
                      "attempts": message.attempts, "reason": message.last_error, "failed_at": timezone.now(),
                      "retried_at": None},
        )
    logger.error("Outbox message %s in %s failed for good after %d attempts: %s",
                 message.pk, schema, message.attempts, reason)


# 2. Deliver -----------------------------------------------------------------------------------

def recipient_with_preference(message: OutboxMessage) -> User:
    """The recipient, with `email_on` set to their preference for this kind (None: never chosen)."""
    preference = EmailPreference.objects.filter(user_id=OuterRef("pk"), event=message.event).values("email_on")[:1]
    return User.objects.annotate(email_on=Subquery(preference)).get(pk=message.recipient_id)


def wants_email(message: OutboxMessage, recipient: User) -> bool:
    if not recipient.is_active or not recipient.email:
        return False
    if message.urgent:
        return True
    return getattr(recipient, "email_on", None) is not False


def email_for(message: OutboxMessage, recipient: User) -> EmailMessage:
    """The email: that there is something to see, where, and a link. Nothing about a child."""
    event = Event(message.event)
    school = school_for_schema(current_schema())
    base = site_url(school=school)
    context = {"event_title": event.title, "place": place_name(school=school), "url": base.rstrip("/") + message.link,
               "urgent": message.urgent, "site": base}
    subject = ("Urgent: " if message.urgent else "") + message.subject
    body = render_to_string("notifications/email/notification.txt", context)
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or EMAIL_TIMEOUT
    return EmailMessage(
        subject=subject, body=body, to=[recipient.email], connection=get_connection(timeout=timeout),
        headers={"Message-ID": f"<{message.idempotency_key}.notification@{settings.BASE_HOST}>",
                 "Auto-Submitted": "auto-generated"},
    )


def message_deliver(*, message_id: int) -> Result:
    """Deliver one message of the current schema to its recipient: inbox item, then email."""
    claimed, message = _claim(message_id, now=timezone.now(), fan_out=False)
    if message is None:
        return claimed
    emailed = False
    try:
        recipient = recipient_with_preference(message)
        if message.emailed_at is None and wants_email(message, recipient):
            email_for(message, recipient).send()
            emailed = True
    except Exception as error:
        return _attempt_failed(message, error)
    _finish(message, emailed=emailed)
    return Result(Outcome.SENT)


def fan_out_deliver(*, source_schema: str, message_id: int) -> Result:
    """Run in the schema a fan-out message goes to: write one message for each active holder of
    its roles here, and mark the source row sent, in one transaction (so exactly once)."""
    target_schema = current_schema()
    with schema_context(source_schema):
        claimed, source = _claim(message_id, now=timezone.now(), fan_out=True)
    if source is None:
        return claimed
    try:
        expected = source.school.schema_name if source.fan_out == FanOut.SCHOOL else public_schema()
        if source.fan_out == FanOut.NONE or expected != target_schema:
            raise RuntimeError(f"This fan-out goes to {expected}, not {target_schema}.")
        with transaction.atomic():
            roles = [Role(role).value for role in source.roles]
            recipients = list(User.objects.filter(role__in=roles, is_active=True).values_list("pk", flat=True))
            if not recipients:
                labels = " or ".join(Role(role).label for role in roles)
                raise LookupError(f"No active {labels} account here to tell.")
            event = Event(source.event)
            ids = messages_save([
                message_for(event=event, recipient=user_id, link=source.link, urgent=source.urgent,
                            subject=source.subject, key=f"fan-out:{source_schema}:{source.pk}:{user_id}")
                for user_id in recipients
            ])
            with schema_context(source_schema):
                if not _finish(source, emailed=False):
                    raise RuntimeError("The fan-out was taken over by another attempt.")
        logger.info("Fan-out %s from %s: %d message(s) in %s.", source.pk, source_schema, len(ids), target_schema)
        return Result(Outcome.SENT)
    except Exception as error:
        with schema_context(source_schema):
            return _attempt_failed(source, error)


# Sweep ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SweepReport:
    released: int
    enqueued: int


def outbox_sweep(*, now: datetime | None = None, stale_after: timedelta = SENDING_LEASE) -> SweepReport:
    """Re-send what is still undelivered in the current schema: pending messages whose time has
    come, and messages held by an attempt that has outlived its lease (its worker died). A fan-out
    to an archived school is given up on instead, for the authority's admins to see.

    Safe to run twice, or at once in two places: each message is delivered once whatever the
    number of tasks sent for it. A message handed to the broker is not handed again for a minute.
    """
    now = now or timezone.now()
    with transaction.atomic():
        stale = list(OutboxMessage.objects.select_for_update(skip_locked=True)
                     .filter(status=OutboxStatus.SENDING, claimed_at__lt=now - stale_after)
                     .values_list("pk", flat=True))
        released = OutboxMessage.objects.filter(pk__in=stale).update(
            status=OutboxStatus.PENDING, claim="", next_attempt_at=now,
            last_error="The delivery was interrupted before it finished.")
    due = list(OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", "fan_out", "school__status")[:SWEEP_BATCH])
    schema = current_schema()
    direct = [pk for pk, fan_out, _ in due if fan_out == FanOut.NONE]
    archived = [pk for pk, fan_out, school_status in due
                if fan_out != FanOut.NONE and school_status == SchoolStatus.ARCHIVED]
    fan_outs = [pk for pk, fan_out, school_status in due
                if fan_out != FanOut.NONE and school_status != SchoolStatus.ARCHIVED]
    given_up = _fan_outs_to_archived_schools_give_up(archived)
    enqueued = 0
    if direct:
        sent = deliveries_enqueue(direct, schema)
        _handed_over(direct[:sent], now)
        enqueued += sent
    if fan_outs:
        sent = fan_outs_enqueue(fan_outs, schema)
        _handed_over(fan_outs[:sent], now)
        enqueued += sent
    if released or enqueued or given_up:
        logger.info("Outbox sweep in %s: %d released, %d re-sent, %d given up on.", schema, released, enqueued,
                    given_up)
    return SweepReport(released=released, enqueued=enqueued)


def _fan_outs_to_archived_schools_give_up(message_ids: list[int]) -> int:
    """Fail these fan-outs to archived schools (those still pending), for the authority's admins to see."""
    given_up = 0
    for message_id in message_ids:
        with transaction.atomic():
            message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                       .filter(pk=message_id, status=OutboxStatus.PENDING).first())
            if message is not None:
                _give_up(message, SCHOOL_ARCHIVED)
                given_up += 1
    return given_up


def _handed_over(message_ids: list[int], now: datetime) -> None:
    OutboxMessage.objects.filter(pk__in=message_ids, status=OutboxStatus.PENDING).update(
        next_attempt_at=now + SWEEP_GRACE)


def message_reopen(*, message_id: int) -> bool:
    """An admin's retry of a failed message: back to pending with a fresh count, sent now."""
    with transaction.atomic():
        reopened = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING, attempts=0, claim="", next_attempt_at=timezone.now())
        schema = current_schema()
        with schema_context(public_schema()):
            DeliveryFailure.objects.filter(schema_name=schema, message_id=message_id, retried_at=None).update(
                retried_at=timezone.now())
        if reopened:
            kind = OutboxMessage.objects.filter(pk=message_id).values_list("fan_out", flat=True).first()
            enqueue = deliveries_enqueue if kind == FanOut.NONE else fan_outs_enqueue
            transaction.on_commit(lambda: enqueue([message_id], schema))
    return bool(reopened)

