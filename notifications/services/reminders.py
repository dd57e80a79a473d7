"""Scheduled reminders, run in a school's schema: SERAT reviews coming due or overdue, and
training about to expire. Each reminder is sent at most once (recorded in `ReminderSent`), so a
scan can run twice, or twice at once, and tell no one twice.

When a review is due comes from the framework's rules (`safeguarding.rules.reviews`): the term-time
window the school's calendar gives (`due_from`, `overdue_after`), or, at high and very high, the date
the SCU or the MASE plan set on the school's referral, which then stands for both. This module adds only when to remind:

* due soon: from 7 days before the review is due, until it is overdue → the assessor and the DCPOs;
* overdue → the DCPOs; still overdue 7 days later → the headteacher as well;
* training that expires within 30 days → the member of staff (their account at the school, found
  by email) and the school's admins.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from cse_platform.accounts.models import User
from django.db import connection, transaction
from django.db.models import Q, Subquery
from django.db.models.functions import Lower
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from safeguarding.models import Review
from safeguarding.rules.reviews import ReviewWindow, review_status
from safeguarding.rules.roles import Role
from safeguarding.selectors.plans import assessment_plans_latest_first
from scu_portal.models import TrainingRecord
from scu_portal.selectors.answers import plans_scu_review_dates

from ..events import Event
from ..models import ReminderSent
from ..tenancy import current_schema, place_name, school_for_schema
from .outbox import message_for, messages_save, subject_for

logger = logging.getLogger(__name__)

DUE_SOON_DAYS = 7
ESCALATE_AFTER_DAYS = 7
TRAINING_NOTICE_DAYS = 30


class Kind:
    REVIEW_DUE_SOON = "review_due_soon"
    REVIEW_OVERDUE = "review_overdue"
    REVIEW_OVERDUE_HEADTEACHER = "review_overdue_headteacher"
    TRAINING_EXPIRING = "training_expiring"


@dataclass(frozen=True)
class Reminder:
    kind: str
    key: str
    event: Event
    recipients: tuple[int, ...]
    link: str


def school_url_path(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args, urlconf="cse_platform.urls_school")
    except NoReverseMatch:
        return None


def _active(role: Role) -> tuple[int, ...]:
    return tuple(User.objects.filter(role=role.value, is_active=True).values_list("pk", flat=True))


def review_window(review: dict, scu_date: date | None) -> ReviewWindow | None:
    """The review's window: the term-time window, or else the date the SCU or the MASE plan set."""
    if review["due_from"] is not None and review["overdue_after"] is not None:
        return ReviewWindow(due_from=review["due_from"], overdue_after=review["overdue_after"])
    if scu_date is not None:
        return ReviewWindow(due_from=scu_date, overdue_after=scu_date)
    return None


def review_reminders_due(*, today: date) -> list[Reminder]:
    """Every review reminder that is due today, whether or not it was sent before.

    A reminder's key names the date it reminds of, so a review the SCU or a calendar change moves is
    reminded of again for its new date.
    """
    school = school_for_schema(current_schema())
    if school is None:
        return []
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    reviews = list(Review.objects.filter(closed_at__isnull=True)
                   .filter(Q(due_from__lte=horizon) | Q(due_from__isnull=True))
                   .annotate(plan_id=Subquery(assessment_plans_latest_first().values("pk")[:1]))
                   .values("pk", "young_person_id", "due_from", "overdue_after", "plan_id",
                           "assessment__assessed_by_id"))
    scu_dates = plans_scu_review_dates(school=school,
                                       plan_ids=[r["plan_id"] for r in reviews if r["due_from"] is None])
    dcpos, heads = _active(Role.DCPO), _active(Role.HEADTEACHER)
    active = set(User.objects.filter(is_active=True).values_list("pk", flat=True))
    reminders = []
    for review in reviews:
        window = review_window(review, scu_dates.get(review["plan_id"]))
        if window is None:
            continue
        status = review_status(window, today)
        link = school_url_path("cases:young_person", review["young_person_id"]) or "/"
        key = f"{review['pk']}:{window.overdue_after.isoformat()}"
        if status == "overdue":
            reminders.append(Reminder(Kind.REVIEW_OVERDUE, key, Event.REVIEW_OVERDUE, dcpos, link))
            if today > window.overdue_after + timedelta(days=ESCALATE_AFTER_DAYS):
                reminders.append(Reminder(Kind.REVIEW_OVERDUE_HEADTEACHER, key, Event.REVIEW_OVERDUE, heads, link))
        elif window.due_from <= horizon:
            assessor = review["assessment__assessed_by_id"]
            assessor = (assessor,) if assessor in active else ()
            reminders.append(Reminder(Kind.REVIEW_DUE_SOON, key, Event.REVIEW_DUE_SOON, assessor + dcpos, link))
    return reminders


def training_reminders_due(*, today: date) -> list[Reminder]:
    """Training of this school's staff that expires within 30 days and has not been renewed."""
    school = school_for_schema(current_schema())
    if school is None:
        return []
    horizon = today + timedelta(days=TRAINING_NOTICE_DAYS)
    records = list(TrainingRecord.objects.filter(school=school, expires_on__gte=today, expires_on__lte=horizon)
                   .values("pk", "staff_email", "expires_on"))
    if not records:
        return []
    emails = {record["staff_email"].lower() for record in records}
    renewed = {
        email.lower()
        for email in TrainingRecord.objects.filter(school=school)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=horizon))
        .filter(completed_on__lte=today).values_list("staff_email", flat=True)
        if email.lower() in emails
    }
    staff = dict(User.objects.filter(is_active=True).annotate(lower_email=Lower("email"))
                 .filter(lower_email__in=emails).values_list("lower_email", "pk"))
    admins = _active(Role.SCHOOL_ADMIN)
    reminders = []
    for record in records:
        email = record["staff_email"].lower()
        if email in renewed:
            continue
        key = f"{record['pk']}:{record['expires_on'].isoformat()}"
        member = (staff[email],) if email in staff else ()
        reminders.append(Reminder(Kind.TRAINING_EXPIRING, key, Event.TRAINING_EXPIRING, member + admins, "/"))
    return reminders


def reminders_send(reminders: list[Reminder], *, scan: str) -> int:
    """Send the reminders not sent before; returns how many messages were written.

    Under a transaction-scoped advisory lock per schema and scan, so two scans at once wait for
    each other and the second finds everything already recorded.
    """
    if not reminders:
        return 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"notifications:{scan}:{current_schema()}"])
        sent = set(ReminderSent.objects.filter(kind__in={r.kind for r in reminders},
                                               key__in={r.key for r in reminders}).values_list("kind", "key"))
        # A reminder with no one to tell yet is not recorded, so it goes once someone holds the role.
        new = [r for r in reminders if (r.kind, r.key) not in sent and r.recipients]
        ReminderSent.objects.bulk_create([ReminderSent(kind=r.kind, key=r.key) for r in new], ignore_conflicts=True)
        place = place_name()
        messages = [
            message_for(event=r.event, recipient=user_id, link=r.link, urgent=False,
                        subject=subject_for(r.event, place), key=f"reminder:{r.kind}:{r.key}:{user_id}")
            for r in new for user_id in dict.fromkeys(r.recipients)
        ]
        messages_save(messages)
    return len(messages)


def review_reminders_send(*, today: date | None = None) -> int:
    """The daily review scan of the current school."""
    return reminders_send(review_reminders_due(today=today or timezone.localdate()), scan="reviews")


def training_reminders_send(*, today: date | None = None) -> int:
    """The daily training scan of the current school."""
    return reminders_send(training_reminders_due(today=today or timezone.localdate()), scan="training")
