from django.conf import settings
from django.db import models

from .choices import GROUP_CHOICES, OPTION_CHOICES
from .people import TutorGroup, YoungPerson
from .plans import Plan


class TeachingSession(models.Model):
    """A teaching action carried out under a plan, with who took part."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="sessions")
    option = models.CharField(max_length=40, choices=OPTION_CHOICES)
    group = models.CharField(max_length=32, choices=GROUP_CHOICES)
    tutor_group = models.ForeignKey(TutorGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    participants = models.ManyToManyField(YoungPerson, related_name="sessions")
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    preview_confirmed = models.BooleanField(
        default=False, help_text="High: the member of staff watched the film first and planned the pauses."
    )
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Session {self.option} on {self.held_on:%d %b %Y}"
