from django.conf import settings
from django.db import models

from .assessments import SeratAssessment
from .choices import CONSENT_DECISIONS, LEVEL_CHOICES, OPTION_CHOICES, PLAN_ITEM_CHOICES
from .people import YoungPerson


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUPERSEDED = "superseded", "Superseded"


class Plan(models.Model):
    """What the effective level requires for one young person (FRAMEWORK.md §3)."""

    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="plans")
    assessment = models.ForeignKey(SeratAssessment, on_delete=models.PROTECT, related_name="plans")
    level = models.CharField(max_length=16, choices=LEVEL_CHOICES, help_text="The effective level.")
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    option = models.CharField(max_length=40, choices=OPTION_CHOICES, blank=True,
                              help_text="At medium, the option the DCPO chose.")
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreement_note = models.TextField(blank=True)
    superseded_by = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="supersedes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["young_person"], condition=models.Q(status="active"),
                                    name="one_active_plan_per_young_person"),
        ]

    def __str__(self) -> str:
        return f"Plan ({self.level}) for {self.young_person_id}"

    @property
    def is_agreed(self) -> bool:
        return self.agreed_at is not None


class PlanItemRecord(models.Model):
    """One item of the plan's checklist of other processes, done with a note."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="item_records")
    code = models.CharField(max_length=40, choices=PLAN_ITEM_CHOICES)
    note = models.TextField()
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="plan_item_done_once")]

    def __str__(self) -> str:
        return f"{self.code} done on plan {self.plan_id}"


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    LETTER = "letter", "By letter or form"
    EMAIL = "email", "By email"


class Consent(models.Model):
    """A parent's or carer's decision for one young person on one plan. The latest one stands."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="consents")
    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="consents")
    decision = models.CharField(max_length=16, choices=CONSENT_DECISIONS)
    given_by = models.CharField("name of parent or carer", max_length=150)
    relationship = models.CharField(max_length=60)
    method = models.CharField(max_length=16, choices=ConsentMethod.choices)
    decided_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["plan", "young_person", "-recorded_at"])]

    def __str__(self) -> str:
        return f"Consent {self.decision} for {self.young_person_id} on plan {self.plan_id}"
