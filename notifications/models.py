"""Outbox, inbox, email preferences and reminders: in the public schema and in every school's.

Each schema has its own accounts, so its own outbox and inbox: a school's notifications never
leave the school's schema. Nothing here holds a young person's name or details: a notification
is its kind (`Event`), the school or portal, and a link.

`DeliveryFailure` is read in the public schema only (the authority's admins see every failed
delivery there); the table exists in school schemas too, because the app is in both, and stays
empty there.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from safeguarding.rules.roles import Role

from .events import EVENT_CHOICES, Event

ROLE_CHOICES = [(role.value, role.label) for role in Role]


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be delivered"
    SENDING = "sending", "Being delivered"
    SENT = "sent", "Delivered"
    FAILED = "failed", "Failed"


class FanOut(models.TextChoices):
    """Where a message goes: one account here, or the holders of `roles` in another schema."""

    NONE = "", "One account in this schema"
    SCHOOL = "school", "The holders of roles at a school (from the central portal)"
    CENTRAL = "central", "The holders of roles at the central portal (from a school)"


def new_key() -> str:
    return uuid.uuid4().hex


class OutboxMessage(models.Model):
    """One notification to deliver, written in the same transaction as the change it reports.

    Most are addressed to one `recipient` of this schema. A fan-out message (`fan_out` set) is
    addressed to the holders of `roles` in another schema (a school's, from the central portal,
    or the central portal's, from a school); its delivery creates their messages there.
    """

    event = models.CharField(max_length=40, choices=EVENT_CHOICES)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    fan_out = models.CharField(max_length=8, choices=FanOut.choices, blank=True, default=FanOut.NONE)
    school = models.ForeignKey("tenants.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               help_text="Fan-out to a school: the school.")
    roles = models.JSONField(default=list, blank=True, help_text="Fan-out: the roles told.")
    urgent = models.BooleanField(default=False)
    subject = models.CharField(max_length=200)
    link = models.CharField(max_length=300)
    status = models.CharField(max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, help_text="The attempt that holds the message.")
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=120, unique=True, default=new_key)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="outbox_pending_due"),
            models.Index(fields=["claimed_at"], condition=models.Q(status="sending"), name="outbox_sending_since"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(fan_out="", recipient__isnull=False)
                           | (~models.Q(fan_out="") & models.Q(recipient__isnull=True))),
                name="outbox_one_recipient_or_a_fan_out",
            ),
            models.CheckConstraint(condition=~models.Q(fan_out="school") | models.Q(school__isnull=False),
                                   name="outbox_school_fan_out_names_the_school"),
        ]

    def __str__(self) -> str:
        return f"{Event(self.event).title} ({self.get_status_display()})"

    @property
    def event_enum(self) -> Event:
        return Event(self.event)


class InboxItem(models.Model):
    """What a user sees in their inbox: one per delivered message, never two."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items")
    message = models.OneToOneField(OutboxMessage, on_delete=models.CASCADE, related_name="inbox_item")
    event = models.CharField(max_length=40, choices=EVENT_CHOICES)
    title = models.CharField(max_length=200)
    link = models.CharField(max_length=300)
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="inbox_user_newest"),
            models.Index(fields=["user"], condition=models.Q(read_at__isnull=True), name="inbox_user_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def event_enum(self) -> Event:
        return Event(self.event)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailPreference(models.Model):
    """Whether a user is emailed about one kind of event; no row means yes. Urgent ones are always emailed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    event = models.CharField(max_length=40, choices=EVENT_CHOICES)
    email_on = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="one_email_preference_per_event")]

    def __str__(self) -> str:
        return f"{self.event}: {'on' if self.email_on else 'off'}"


class ReminderSent(models.Model):
    """A scheduled reminder already sent, so that each is sent once however often the scan runs."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=120)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="reminder_sent_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class DeliveryFailure(models.Model):
    """A delivery given up on, de-identified, for the authority's admins (public schema).

    Says where (the school, or none for the central portal), what kind, to which role, and why:
    never a name. Written by the delivery task when it gives up.
    """

    school = models.ForeignKey("tenants.School", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    schema_name = models.CharField(max_length=63)
    message_id = models.BigIntegerField(help_text="The outbox message, in that schema.")
    event = models.CharField(max_length=40, choices=EVENT_CHOICES)
    recipient_role = models.CharField(max_length=32, choices=ROLE_CHOICES, blank=True)
    urgent = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField(max_length=500)
    failed_at = models.DateTimeField(default=timezone.now)
    retried_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-failed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["schema_name", "message_id"], name="one_failure_per_message")]

    def __str__(self) -> str:
        return f"{Event(self.event).title}: {self.reason}"

    @property
    def event_enum(self) -> Event:
        return Event(self.event)
