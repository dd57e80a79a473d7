"""What schools send the SCU and what the SCU answers, in the public schema (DESIGN.md).

A referral carries the minimum the SCU needs, copied from the school's records in the same
transaction. The school finds the SCU's answers through `school` and `plan_ref`.

Public rows point at public accounts (SCU officers). School-side code must never join them
(`select_related` on a user field): inside a school's schema the unqualified accounts table
is the school's own. Answers therefore keep the answering officer's name as text.
"""

from django.conf import settings
from django.db import models

from safeguarding.rules.levels import Level

LEVEL_CHOICES = [(level.value, level.label) for level in Level]


class ReferralKind(models.TextChoices):
    MASE_REFERRAL = "mase_referral", "MASE referral"
    MASE_CONSULTATION = "mase_consultation", "Consultation about a MASE referral"
    MATERIAL_AGREEMENT = "material_agreement", "Request for agreement to use high-level material pending MASE"


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    UNDER_REVIEW = "under_review", "Under review"
    INFORMATION_REQUESTED = "information_requested", "More information requested"
    SCHOOL_REPLIED = "school_replied", "School replied"
    MASE_SCHEDULED = "mase_scheduled", "MASE scheduled"
    OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn by the school"


class ConsentState(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed at this level"
    NOT_SOUGHT = "not_sought", "Not sought (very high risk)"
    NOT_REQUESTED = "not_requested", "Not yet asked"
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


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
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["school", "plan_ref"]),
            models.Index(fields=["status", "effective_level", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.school_id} ({self.received_at:%d %b %Y})"


class ScuAnswerKind(models.TextChoices):
    ADVICE = "advice", "Advice"
    MATERIAL_AGREED = "material_agreed", "Agreement to use the material pending MASE"
    MATERIAL_REFUSED = "material_refused", "Refusal to use the material"
    INFORMATION_REQUEST = "information_request", "Request for more information"
    SCHOOL_REPLY = "school_reply", "The school's reply"
    OUTCOME = "outcome", "MASE outcome"


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
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"MASE meeting {self.held_on:%d %b %Y}"


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
        ordering = ["recorded_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "referral"], name="one_outcome_per_referral_meeting")]

    def __str__(self) -> str:
        return f"MASE outcome for referral {self.referral_id}"
