from django.conf import settings
from django.db import models

from .people import YoungPerson


class ConcernSource(models.TextChoices):
    STAFF = "staff", "Observed by staff"
    PUPIL = "pupil", "Raised by the pupil"
    PEER_COUNSELLING = "peer_counselling", "Through peer counselling"
    PASTORAL = "pastoral", "Raised with pastoral staff"
    FRIEND = "friend", "Raised on behalf of a friend"


class NoteOfConcern(models.Model):
    """An early identification record; it reaches the DCPO (FRAMEWORK.md §3, very low and low)."""

    young_person = models.ForeignKey(YoungPerson, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="notes_of_concern")
    about = models.CharField(max_length=200, blank=True,
                             help_text="Who the concern is about, when they are not yet identified.")
    source = models.CharField(max_length=32, choices=ConcernSource.choices)
    concern = models.TextField()
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(auto_now_add=True, db_index=True)
    seen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-logged_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(young_person=None, about=""),
                                   name="concern_names_who_it_is_about"),
        ]

    def __str__(self) -> str:
        return f"Note of concern {self.pk} ({self.logged_at:%d %b %Y})"
