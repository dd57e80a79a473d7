from django.conf import settings
from django.db import models

from .choices import LEVEL_CHOICES
from .people import YoungPerson


class ReviewOutcome(models.TextChoices):
    ESCALATED = "escalated", "Escalated"
    DE_ESCALATED = "de_escalated", "De-escalated"
    UNCHANGED = "unchanged", "Unchanged"


class SeratAssessment(models.Model):
    """A SERAT completed by staff: item scores, total and level, on the instrument version used."""

    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="assessments")
    instrument = models.ForeignKey("instruments.InstrumentVersion", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField()
    total = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=16, choices=LEVEL_CHOICES)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # A review: the assessment this one reviews, and what changed.
    reviews = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="reviewed_by")
    review_outcome = models.CharField(max_length=16, choices=ReviewOutcome.choices, blank=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]

    def __str__(self) -> str:
        return f"SERAT {self.total} ({self.level}) for {self.young_person_id}"


class QuizStatus(models.TextChoices):
    COMPLETED = "completed", "Completed"
    DECLINED = "declined", "Declined"


class QuizResponse(models.Model):
    """The young person's own view (FRAMEWORK.md §2), asked at medium and high."""

    assessment = models.OneToOneField(SeratAssessment, on_delete=models.PROTECT, related_name="quiz")
    status = models.CharField(max_length=16, choices=QuizStatus.choices)
    instrument = models.ForeignKey("instruments.InstrumentVersion", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    answers = models.JSONField(default=dict, blank=True)
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    level = models.CharField(max_length=16, choices=LEVEL_CHOICES, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Personal quiz {self.status} for assessment {self.assessment_id}"
