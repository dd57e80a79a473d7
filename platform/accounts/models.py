"""Accounts live in the schema they belong to: a school's staff in the school's
schema, SCU and authority officers in the public schema (DESIGN.md)."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from safeguarding.rules.roles import Audience, Capability, Role, can

ROLE_CHOICES = [(role.value, role.label) for role in Role]


class UserManager(BaseUserManager):
    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An account needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=32, choices=ROLE_CHOICES)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name", "role"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.role_enum.label})"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def audience(self) -> Audience:
        return self.role_enum.audience

    def can(self, capability: Capability) -> bool:
        return self.is_active and can(self.role_enum, capability)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0]
