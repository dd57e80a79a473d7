"""The authority's instruments, versioned, in the public schema. Assessments keep their version."""

from django.db import models

from safeguarding.rules.instruments import Instrument, InstrumentKind, items_from_data
from safeguarding.rules.levels import Band, Level


class InstrumentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class InstrumentVersion(models.Model):
    kind = models.CharField(max_length=32, choices=[(k.value, k.label) for k in InstrumentKind])
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    items = models.JSONField(help_text="The items, as safeguarding.rules.instruments.items_to_data writes them.")
    bands = models.JSONField(help_text="Score-to-level thresholds: [[level, minimum, maximum], ...].")
    notice = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=InstrumentStatus.choices, default=InstrumentStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="instrument_kind_version_unique")]

    def __str__(self) -> str:
        return f"{InstrumentKind(self.kind).label} v{self.version}"

    def as_instrument(self) -> Instrument:
        return Instrument(
            kind=InstrumentKind(self.kind),
            title=self.title,
            items=items_from_data(self.items),
            bands=tuple(Band(Level(level), low, high) for level, low, high in self.bands),
            notice=self.notice,
        )
