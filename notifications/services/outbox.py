"""Writing to the outbox: what other areas call, inside their own transaction.

Every `notify*` function writes outbox rows in the caller's transaction and registers an
`on_commit` hook that hands them to Celery. Nothing is sent from inside the transaction, and if
the broker cannot be reached at commit the failure is logged and swallowed: the rows are already
committed, and the periodic sweep sends them. The user's action always succeeds.

A notification carries no child's name or details: only its kind, the school or portal, and a
link (a path on the recipients' own host, checked to be a plain path).
"""

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import timedelta
from functools import partial

from cse_platform.accounts.models import User
from cse_platform.accounts.schemas import current_audience
from cse_platform.celery import PUBLISH_RETRY_POLICY
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from safeguarding.rules.roles import Audience, Role
from tenants.models import School

from ..events import Event
from ..models import FanOut, OutboxMessage, OutboxStatus, new_key
from ..tenancy import current_schema, place_name, public_schema

logger = logging.getLogger(__name__)

# A message the broker took is usually delivered within seconds; the sweep looks at a pending
# message only once this long has passed, so it does not race the first delivery.
SWEEP_GRACE = timedelta(minutes=1)
# Messages written together (a scan's reminders, a sweep) go to the worker in batches of this many.
DELIVERY_BATCH = 25

# A path on the recipients' host, with no query string (nothing a name could travel in).
LINK_PATTERN = re.compile(r"^/(?!/)[A-Za-z0-9_\-./]*(#[A-Za-z0-9_\-]*)?$")


def _checked(event: Event | str, link: str, urgent: bool) -> tuple[Event, bool]:
    """The event, and whether the notice is urgent (only kinds that can be urgent ever are)."""
    event = Event(event)
    if not isinstance(link, str) or not LINK_PATTERN.match(link):
        raise ValueError(f"A notification's link must be a plain path on the recipients' host, not {link!r}.")
    if urgent and not event.can_be_urgent:
        logger.warning("A notice of the kind %s cannot be urgent; sent as not urgent.", event.value)
        urgent = False
    return event, bool(urgent)


def subject_for(event: Event, place: str) -> str:
    return f"{event.title} – {place}"


def _distinct_users(users: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        seen.setdefault(user.pk, user)
    return list(seen.values())


def _roles(roles: Iterable[Role | str]) -> list[Role]:
    return list(dict.fromkeys(Role(role) for role in roles))


def messages_save(messages: Sequence[OutboxMessage]) -> list[int]:
    """Write outbox messages, skipping any whose idempotency key is already written, and hand
    the new ones to Celery once the transaction commits. Returns the ids of the messages written
    now or earlier and still waiting to be delivered."""
    if not messages:
        return []
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
    keys = [message.idempotency_key for message in messages]
    rows = dict(OutboxMessage.objects.filter(idempotency_key__in=keys, status=OutboxStatus.PENDING)
                .values_list("idempotency_key", "id"))
    for message in messages:
        message.pk = message.id = rows.get(message.idempotency_key, message.pk)
    ids = list(rows.values())
    if ids:
        transaction.on_commit(partial(deliveries_enqueue, ids, current_schema()))
    return ids


def message_for(*, event: Event, recipient: User | int, link: str, urgent: bool, subject: str,
                key: str | None = None) -> OutboxMessage:
    now = timezone.now()
    recipient_id = recipient if isinstance(recipient, int) else recipient.pk
    return OutboxMessage(event=event.value, recipient_id=recipient_id, urgent=urgent, subject=subject, link=link,
                         created_at=now, next_attempt_at=now + SWEEP_GRACE, idempotency_key=key or new_key())


def notify(*, event: Event, recipients: Iterable[User], link: str, urgent: bool = False) -> list[OutboxMessage]:
    """Tell these accounts of the current schema about an event: one outbox row each.

    Call it inside the transaction of the change it reports. Each recipient is told once even if
    named twice. Recipients must be accounts of the current schema (a school's staff in a school,
    central officers in the public schema).
    """
    event, urgent = _checked(event, link, urgent)
    users = _distinct_users(recipients)
    audience = current_audience()
    for user in users:
        if user.audience != audience:
            raise ValueError(f"{user.role_enum.label} accounts do not belong to this schema; "
                             "use notify_school_roles or notify_roles with the role instead.")
    subject = subject_for(event, place_name())
    messages = [message_for(event=event, recipient=user, link=link, urgent=urgent, subject=subject)
                for user in users]
    messages_save(messages)
    return messages


def notify_roles(*, event: Event, roles: Iterable[Role], link: str, urgent: bool = False,
                 also: Iterable[User] = ()) -> list[OutboxMessage]:
    """Tell the active holders of these roles in the CURRENT schema, plus `also`, once each.

    From a school, central roles (the SCU) cannot be resolved in the school's schema: they are
    told through one fan-out row that a task delivers at the central portal (`notify_central_roles`),
    which is included in the list returned. From the central portal, school roles need a school:
    use `notify_school_roles`.
    """
    event, urgent = _checked(event, link, urgent)
    roles = _roles(roles)
    audience = current_audience()
    here = [role for role in roles if role.audience == audience]
    elsewhere = [role for role in roles if role.audience != audience]
    if elsewhere and audience == Audience.CENTRAL:
        raise ValueError("School roles are told from the central portal with notify_school_roles(school=...).")
    users = list(User.objects.filter(role__in=[role.value for role in here], is_active=True)) if here else []
    messages = notify(event=event, recipients=[*users, *also], link=link, urgent=urgent)
    if not messages and here and not elsewhere:
        logger.warning("No active %s here to tell of %s.", " or ".join(r.label for r in here), event.value)
    if elsewhere:
        messages.append(notify_central_roles(event=event, roles=elsewhere, link=link, urgent=urgent))
    return messages


def notify_school_roles(*, school: School, event: Event, roles: Iterable[Role], link: str,
                        urgent: bool = False) -> None:
    """From the central portal: tell the active holders of these roles at a school.

    Writes one public outbox row addressed to the school; a task sent with the school's schema
    resolves the school's accounts there and delivers to each. The request never leaves the
    public schema.
    """
    event, urgent = _checked(event, link, urgent)
    roles = _roles(roles)
    if current_audience() != Audience.CENTRAL:
        raise ValueError("notify_school_roles is called from the central portal; in a school use notify_roles.")
    if not roles or any(role.audience != Audience.SCHOOL for role in roles):
        raise ValueError("notify_school_roles tells school roles only.")
    _fan_out_save(OutboxMessage(event=event.value, fan_out=FanOut.SCHOOL, school=school,
                                roles=[role.value for role in roles], urgent=urgent,
                                subject=subject_for(event, school.name), link=link))


def notify_central_roles(*, event: Event, roles: Iterable[Role], link: str, urgent: bool = False) -> OutboxMessage:
    """From a school: tell the active holders of these central roles (e.g. the SCU) at the central portal.

    Writes one outbox row in the school's schema; a task sent with the public schema resolves the
    central accounts and delivers to each. `link` is a path on the central portal.
    """
    event, urgent = _checked(event, link, urgent)
    roles = _roles(roles)
    if current_audience() != Audience.SCHOOL:
        raise ValueError("notify_central_roles is called from a school; at the central portal use notify_roles.")
    if not roles or any(role.audience != Audience.CENTRAL for role in roles):
        raise ValueError("notify_central_roles tells central roles only.")
    return _fan_out_save(OutboxMessage(event=event.value, fan_out=FanOut.CENTRAL, roles=[r.value for r in roles],
                                       urgent=urgent, subject=subject_for(event, place_name()), link=link))


def _fan_out_save(message: OutboxMessage) -> OutboxMessage:
    now = timezone.now()
    message.created_at = now
    message.next_attempt_at = now + SWEEP_GRACE
    message.save()
    transaction.on_commit(partial(fan_outs_enqueue, [message.pk], current_schema()))
    return message


# Handing messages to Celery, after commit. Failures are logged and swallowed: the sweep re-sends.

def _target_schema(message_fan_out: str, school_schema: str | None) -> str:
    return school_schema if message_fan_out == FanOut.SCHOOL else public_schema()


def deliveries_enqueue(message_ids: Sequence[int], schema_name: str) -> int:
    """Hand messages of a schema to Celery, with the schema on each task: one message a task, or
    several to a batch task when many come at once (a scan, a sweep). Returns how many messages
    were handed over; the rest are left to the sweep."""
    from ..tasks import deliver, deliver_batch

    ids = list(message_ids)
    if len(ids) == 1:
        jobs = [(deliver, (ids[0],), schema_name, ids)]
    else:
        jobs = [(deliver_batch, (ids[n:n + DELIVERY_BATCH],), schema_name, ids[n:n + DELIVERY_BATCH])
                for n in range(0, len(ids), DELIVERY_BATCH)]
    return _publish(jobs, schema_name)


def fan_outs_enqueue(message_ids: Sequence[int], schema_name: str) -> int:
    """Send the fan-out task of each message, with the schema of the place it goes to."""
    from ..tasks import fan_out

    with schema_context(schema_name):
        targets = {
            pk: _target_schema(kind, school_schema)
            for pk, kind, school_schema in OutboxMessage.objects.filter(pk__in=message_ids)
            .values_list("pk", "fan_out", "school__schema_name")
        }
    return _publish([(fan_out, (schema_name, pk), targets[pk], [pk]) for pk in message_ids if pk in targets],
                    schema_name)


def _publish(jobs: list, schema_name: str) -> int:
    """Send (task, args, schema to run in, message ids it covers) jobs; returns the messages covered."""
    from cse_platform.celery import app

    covered = 0
    sent_jobs = 0
    try:
        with app.producer_or_acquire() as producer:
            for task, args, target_schema, ids in jobs:
                task.apply_async(args, headers={"_schema_name": target_schema}, producer=producer,
                                 retry=True, retry_policy=PUBLISH_RETRY_POLICY)
                sent_jobs += 1
                covered += len(ids)
    except Exception as error:  # the broker is down or refused: the sweep will send the rest
        unsent = [pk for _, _, _, ids in jobs[sent_jobs:] for pk in ids]
        logger.warning("Could not hand %d notification(s) in %s to the broker (%s); the sweep will send them.",
                       len(unsent), schema_name, error)
        _due_now(unsent, schema_name)
    return covered


def _due_now(message_ids: list[int], schema_name: str) -> None:
    """Bring unsent messages forward so that the next sweep sends them."""
    try:
        with schema_context(schema_name):
            OutboxMessage.objects.filter(pk__in=message_ids, status=OutboxStatus.PENDING).update(
                next_attempt_at=timezone.now())
    except Exception:  # the database is down too: the rows keep their original time, a minute away
        logger.exception("Could not bring %d notification(s) forward in %s.", len(message_ids), schema_name)
