from django.db import models

from .assessments import SeratAssessment
from .people import YoungPerson


class Review(models.Model):
    """The SERAT due again after an assessment (FRAMEWORK.md §3). The next SERAT closes it.

    At very low, low and medium the window is counted in term time from the school's calendar;
    at high and very high the date comes from the SCU or the MASE plan, which the school reads from its
    referral (`scu_portal.selectors.answers`), so it is not kept here.
    """

    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="reviews")
    assessment = models.OneToOneField(SeratAssessment, on_delete=models.PROTECT, related_name="review")
    due_from = models.DateField(null=True, blank=True)
    overdue_after = models.DateField(null=True, blank=True)
    closed_by = models.OneToOneField(SeratAssessment, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="closed_review")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_from"]
        indexes = [models.Index(fields=["closed_at", "due_from"])]

    def __str__(self) -> str:
        return f"Review of assessment {self.assessment_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
