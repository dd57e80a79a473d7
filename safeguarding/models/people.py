from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

upn_validator = RegexValidator(
    r"^[A-Z]\d{11}[0-9A-Z]$", "A UPN is a capital letter, eleven digits, then a digit or capital letter."
)


class TutorGroup(models.Model):
    name = models.CharField(max_length=40, unique=True)
    year_group = models.PositiveSmallIntegerField(validators=[MinValueValidator(7), MaxValueValidator(14)])
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="tutor_groups")

    class Meta:
        ordering = ["year_group", "name"]

    def __str__(self) -> str:
        return self.name


class YoungPerson(models.Model):
    upn = models.CharField("UPN", max_length=13, unique=True, validators=[upn_validator])
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    year_group = models.PositiveSmallIntegerField(validators=[MinValueValidator(7), MaxValueValidator(14)])
    tutor_group = models.ForeignKey(TutorGroup, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="young_people")
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="young_people",
                                   help_text="Staff who work with this young person directly.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "young person"
        verbose_name_plural = "young people"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
