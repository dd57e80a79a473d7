from django.conf import settings
from django.db import models


class TrainingRecord(models.Model):
    """The authority's record that a member of a school's staff completed the detailed training
    that `medium` and `high` materials need (FRAMEWORK.md §4, gate 2).

    Staff accounts live in their school's schema, so the register names them by school and email.
    """

    school = models.ForeignKey("tenants.School", on_delete=models.CASCADE, related_name="training_records")
    staff_email = models.EmailField()
    staff_name = models.CharField(max_length=150)
    course = models.CharField(max_length=200, default="Detailed training in the CSE framework's materials")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on"]
        indexes = [models.Index(fields=["school", "staff_email"])]

    def __str__(self) -> str:
        return f"{self.staff_name} ({self.school}) {self.completed_on:%d %b %Y}"
