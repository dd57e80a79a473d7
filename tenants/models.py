from django.core.validators import RegexValidator
from django.db import models
from django_tenants.models import DomainMixin, TenantMixin


class SchoolKind(models.TextChoices):
    HIGH_SCHOOL = "high_school", "High school"
    ACADEMY = "academy", "Academy"
    COLLEGE = "college", "College"
    PUPIL_REFERRAL_UNIT = "pupil_referral_unit", "Pupil referral unit"


class SchoolStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ARCHIVED = "archived", "Archived"


slug_validator = RegexValidator(
    r"^[a-z][a-z0-9-]{1,40}[a-z0-9]$",
    "Use 3 to 42 lower-case letters, digits and hyphens, starting with a letter.",
)
urn_validator = RegexValidator(r"^\d{6}$", "A DfE URN is six digits.")


class School(TenantMixin):
    """A school, academy, college or pupil referral unit: a tenant with its own schema."""

    name = models.CharField(max_length=200)
    urn = models.CharField("DfE URN", max_length=6, unique=True, validators=[urn_validator])
    kind = models.CharField(max_length=32, choices=SchoolKind.choices)
    slug = models.SlugField(max_length=42, unique=True, validators=[slug_validator])
    status = models.CharField(max_length=16, choices=SchoolStatus.choices, default=SchoolStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    # Provisioning creates the schema explicitly (tenants.services.school_provision).
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == SchoolStatus.ACTIVE


class Domain(DomainMixin):
    def __str__(self) -> str:
        return self.domain


class TermHoliday(models.Model):
    """A school holiday: weeks inside it do not count towards a SERAT review (FRAMEWORK.md §3)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="holidays")
    name = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="holiday_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%d %b %Y} to {self.ends_on:%d %b %Y})"
