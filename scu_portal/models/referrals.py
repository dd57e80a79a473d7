"""What schools send the SCU and what the SCU answers, in the public schema (DESIGN.md).

A referral carries the minimum the SCU needs, copied from the school's records in the same
transaction. The school finds the SCU's answers through `school` and `plan_ref`.

Public rows point at public accounts (SCU officers). School-side code must never join them
(`select_related` on a user field): inside a school's schema the unqualified accounts table
is the school's own. Answers therefore keep the answering officer's name as text.

The kinds, statuses, consent states and answer kinds are the framework's (safeguarding.rules.referrals);
the choices below are made from them, so they are written down once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguarding.rules import referrals as rules
from safeguarding.rules.levels import Level

LEVEL_CHOICES = [(level.value, level.label) for level in Level]


def _choices(name: str, enum) -> type[models.TextChoices]:
    return models.TextChoices(name, [(member.name, (member.value, member.label)) for member in enum])


ReferralKind = _choices("ReferralKind", rules.ReferralKind)
ReferralStatus = _choices("ReferralStatus", rules.ReferralStatus)
ConsentState = _choices("ConsentState", rules.ConsentState)
ScuAnswerKind = _choices("ScuAnswerKind", rules.AnswerKind)

CLOSED_STATUS_VALUES = sorted(status.value for status in rules.CLOSED_STATUSES)
OPEN = ~Q(status__in=CLOSED_STATUS_VALUES)


class Referral(models.Model):
    school = models.ForeignKey("tenants.School", on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(max_length=32, choices=ReferralKind.choices)
    status = models.CharField(max_length=32, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED)
    urgent = models.BooleanField(default=False)
    # The school's own identifiers, so the school finds its answers; they mean nothing elsewhere.
    young_person_ref = models.BigIntegerField()
    plan_ref = models.BigIntegerField()
    # Who the young person is.
    young_person_name = models.CharField(max_length=201)
    date_of_birth = models.DateField()
    year_group = models.PositiveSmallIntegerField()
    # Levels and scores.
    serat_total = models.PositiveSmallIntegerField()
    serat_level = models.CharField(max_length=16, choices=LEVEL_CHOICES)
    quiz_total = models.PositiveSmallIntegerField(null=True, blank=True)
    quiz_level = models.CharField(max_length=16, choices=LEVEL_CHOICES, blank=True)
    quiz_declined = models.BooleanField(default=False)
    effective_level = models.CharField(max_length=16, choices=LEVEL_CHOICES)
    # Why, and the state of things at the school.
    reasons = models.TextField()
    consent_state = models.CharField(max_length=16, choices=ConsentState.choices)
    plan_state = models.JSONField(default=dict, help_text="The plan's checklist and agreement, as sent.")
    # The phone call that must come first at very high risk.
    phoned_at = models.DateTimeField(null=True, blank=True)
    phoned_to = models.CharField(max_length=150, blank=True)
    phone_summary = models.TextField(blank=True)
    # The DCPO to contact.
    dcpo_name = models.CharField(max_length=150)
    dcpo_email = models.EmailField()
    dcpo_phone = models.CharField(max_length=40, blank=True)

    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="assigned_referrals")
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The queue's order as one indexed number: very high (urgent) first, newest first, as negative
    # microseconds since the epoch; then the rest oldest first, as positive ones.
    queue_key = models.BigIntegerField(default=0)
    # The SCU's target for its first answer (ReferralTarget), and when it first answered.
    due_at = models.DateTimeField(null=True, blank=True)
    first_answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queue_key", "id"]
        indexes = [
            models.Index(fields=["school", "plan_ref"]),
            # Covers the queue's counts (open, overdue, not assigned, very high) as well as its order.
            models.Index(fields=["queue_key", "id"], condition=OPEN, name="referral_queue_open",
                         include=["urgent", "assigned_to", "due_at", "first_answered_at"]),
            models.Index(fields=["school", "queue_key", "id"], name="referral_queue_school"),
            models.Index(fields=["status", "queue_key", "id"], name="referral_queue_status"),
            models.Index(fields=["effective_level", "queue_key", "id"], name="referral_queue_level"),
            models.Index(fields=["kind", "queue_key", "id"], name="referral_queue_kind"),
            models.Index(fields=["assigned_to", "queue_key", "id"], name="referral_queue_officer"),
            models.Index(fields=["due_at"], condition=OPEN & Q(first_answered_at=None),
                         name="referral_awaiting_answer"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.school_id} ({self.received_at:%d %b %Y})"

    @property
    def is_open(self) -> bool:
        return rules.ReferralStatus(self.status).open


class ReferralStatusChange(models.Model):
    """Every move of a referral's status, by whom and on which side, so none is lost."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=32, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=ReferralStatus.choices)
    side = models.CharField(max_length=8, choices=[(side.value, side.value) for side in rules.Side])
    by_name = models.CharField(max_length=150)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Referral {self.referral_id}: {self.from_status or '-'} to {self.to_status}"


class ReferralTarget(models.Model):
    """The SCU manager's target time for the SCU's first answer, per kind and level."""

    kind = models.CharField(max_length=32, choices=ReferralKind.choices)
    level = models.CharField(max_length=16, choices=LEVEL_CHOICES)
    hours = models.PositiveIntegerField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "level"]
        constraints = [models.UniqueConstraint(fields=["kind", "level"], name="one_target_per_kind_level")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.level}: {self.hours} h"


class ScuAnswer(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="answers")
    kind = models.CharField(max_length=32, choices=ScuAnswerKind.choices)
    text = models.TextField()
    conditions = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True, help_text="The next SERAT review date the SCU sets.")
    by_name = models.CharField(max_length=150)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on referral {self.referral_id}"


class MaseMeeting(models.Model):
    held_on = models.DateField()
    agencies = models.TextField(help_text="The agencies attending, one a line.")
    referrals = models.ManyToManyField(Referral, related_name="mase_meetings", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"MASE meeting {self.held_on:%d %b %Y}"

    @property
    def agency_list(self) -> list[str]:
        return [line.strip() for line in self.agencies.splitlines() if line.strip()]


class MaterialUse(models.TextChoices):
    NOT_AUTHORISED = "not_authorised", "Material may not be used"
    WITH_CONSENT = "with_consent", "Material may be used with parental consent"
    WITHOUT_CONSENT = "without_consent", "Material may be used, including without parental consent"


class MaseOutcome(models.Model):
    meeting = models.ForeignKey(MaseMeeting, on_delete=models.PROTECT, related_name="outcomes")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="mase_outcomes")
    agreed_level = models.CharField(max_length=16, choices=LEVEL_CHOICES)
    actions = models.JSONField(default=list, help_text="[{'action': ..., 'owner': ...}, ...]")
    material_use = models.CharField(max_length=16, choices=MaterialUse.choices)
    next_review_on = models.DateField()
    recorded_by_name = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "referral"], name="one_outcome_per_referral_meeting")]

    def __str__(self) -> str:
        return f"MASE outcome for referral {self.referral_id}"
