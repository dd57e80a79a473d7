"""Governors' understanding of the framework (FRAMEWORK.md §4, gate 6), in the public schema.

The authority publishes versions of the framework; the one in force is the latest published. Each
school records its governors' acknowledgement of the version in force. Governors are school accounts,
which live in the school's schema, so an acknowledgement names the governor by name and email as text
and never points at an account.
"""

from django.db import models
from django.db.models.functions import Lower


class FrameworkVersion(models.Model):
    version = models.CharField(max_length=20, unique=True, help_text='A label such as "2026.1".')
    title = models.CharField(max_length=250)
    summary = models.TextField(help_text="What the framework is for, in plain words, shown above its levels.")
    published_at = models.DateTimeField(null=True, blank=True, help_text="Empty while the version is a draft.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"Framework {self.version}"


class GovernorAcknowledgement(models.Model):
    school = models.ForeignKey("tenants.School", on_delete=models.PROTECT, related_name="governor_acknowledgements")
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    governor_name = models.CharField(max_length=150)
    governor_email = models.EmailField()
    statement = models.TextField(help_text="The words the governor acknowledged, as shown to them.")
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(
                "school", "framework_version", Lower("governor_email"),
                name="one_acknowledgement_per_governor_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.governor_name} acknowledged {self.framework_version} for school {self.school_id}"
