"""A school's staff accounts, kept by its school administrator (FRAMEWORK.md §5).

A new account has no password. A worker emails its owner a set-password link (signed with Django's
PasswordResetTokenGenerator, valid for PASSWORD_RESET_TIMEOUT), and the administrator sees a link too, to give in
person if the email does not arrive; the owner chooses their own password on the school's set-password page. So
no password is ever seen by anyone but its owner. A link stops working once it has been used, when the account
is deactivated, and outside the school that made it.

A deactivated account cannot sign in, its sessions and API token end, and nothing it was linked to is lost:
reactivating it brings it all back.
"""

import logging
from functools import partial

from cse_platform.audit.services import audit_record
from cse_platform.celery import PUBLISH_RETRY_POLICY
from cse_platform.errors import ActionRefused
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from safeguarding.rules.roles import Audience, Capability, Role, roles_for
from tenants.selectors import current_school
from tenants.services import school_url

from .models import User
from .schemas import current_audience
from .services import api_tokens_end, user_create

logger = logging.getLogger(__name__)


class SetPasswordTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for a school's set-password links: bound to the school's schema and to the account being active,
    and spent once the password changes (its hash is part of the token)."""

    key_salt = "cse_platform.accounts.staff.SetPasswordTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}{connection.schema_name}"


set_password_tokens = SetPasswordTokenGenerator()

NOT_ALLOWED = "Only a school administrator can manage staff accounts."


def school_roles() -> tuple[Role, ...]:
    return roles_for(Audience.SCHOOL)


def _require_administrator(actor: User) -> None:
    if not (actor.is_authenticated and actor.can(Capability.SCHOOL_ADMINISTER)
            and current_audience() == Audience.SCHOOL):
        raise ActionRefused([NOT_ALLOWED])


def _role_clean(role: str) -> Role:
    try:
        role = Role(role)
    except ValueError:
        role = None
    if role not in school_roles():
        allowed = ", ".join(r.label for r in school_roles())
        raise ValidationError({"role": [f"Choose one of the school's roles: {allowed}."]})
    return role


# Selectors ------------------------------------------------------------------------------------------------


def staff_account_list(*, active: bool | None = None) -> QuerySet[User]:
    """The school's accounts (in a school's schema every account is a school account), by name."""
    accounts = User.objects.filter(role__in=[role.value for role in school_roles()])
    if active is not None:
        accounts = accounts.filter(is_active=active)
    return accounts.order_by("full_name", "email")


def set_password_path(user: User) -> str:
    """The path of a fresh set-password link for this account, at this school."""
    return reverse("school:set_password", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                                                  "token": set_password_tokens.make_token(user)})


# Services -------------------------------------------------------------------------------------------------


def staff_account_create(*, actor: User, email: str, full_name: str, role: str) -> User:
    """A new account with no password yet; give its owner a link from `set_password_path`."""
    _require_administrator(actor)
    errors: dict[str, list[str]] = {}
    email, full_name = (email or "").strip().lower(), (full_name or "").strip()
    if not full_name:
        errors["full_name"] = ["Enter the member of staff's full name."]
    if not email:
        errors["email"] = ["Enter the member of staff's email address."]
    elif User.objects.filter(email__iexact=email).exists():
        errors["email"] = [f"There is already an account for {email} at this school."]
    try:
        role = _role_clean(role)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user = user_create(email=email, full_name=full_name, role=role, password=None)
            audit_record(actor=actor, action="staff_account.create", subject=user, detail={"role": role.value})
    except IntegrityError:
        raise ValidationError({"email": [f"There is already an account for {email} at this school."]}) from None
    return user


def staff_account_update(*, actor: User, user: User, full_name: str, role: str) -> User:
    """Change a name or a role. An administrator cannot change their own role (and so lock themselves out)."""
    _require_administrator(actor)
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": ["Enter the member of staff's full name."]})
    role = _role_clean(role)
    if user.pk == actor.pk and role.value != user.role:
        raise ActionRefused(["You cannot change your own role: ask another school administrator."])
    changed = [name for name, value in (("full_name", full_name), ("role", role.value))
               if getattr(user, name) != value]
    with transaction.atomic():
        if changed:
            user.full_name, user.role = full_name, role.value
            user.save(update_fields=changed)
        audit_record(actor=actor, action="staff_account.update", subject=user,
                     detail={"changed": changed, "role": user.role})
    return user


def sessions_end(*, user: User) -> int:
    """End every session of this account in the current schema. Returns how many ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def staff_account_deactivate(*, actor: User, user: User) -> User:
    """The account can no longer sign in; its sessions and API token end now."""
    _require_administrator(actor)
    if user.pk == actor.pk:
        raise ActionRefused(["You cannot deactivate your own account: ask another school administrator."])
    with transaction.atomic():
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        ended = sessions_end(user=user)
        api_tokens_end(user=user)
        audit_record(actor=actor, action="staff_account.deactivate", subject=user, detail={"sessions_ended": ended})
    return user


def staff_account_reactivate(*, actor: User, user: User) -> User:
    _require_administrator(actor)
    with transaction.atomic():
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="staff_account.reactivate", subject=user)
    return user


def staff_account_set_password_link(*, actor: User, user: User) -> str:
    """A new set-password link (a path at this school) for an active account, e.g. when the first has expired
    or a password is forgotten. Earlier links keep working until used or expired."""
    _require_administrator(actor)
    if not user.is_active:
        raise ActionRefused(["This account is deactivated: reactivate it before giving it a set-password link."])
    audit_record(actor=actor, action="staff_account.set_password_link", subject=user)
    transaction.on_commit(partial(_set_password_email_publish, user.pk, connection.schema_name))
    return set_password_path(user)


def _set_password_email_publish(user_id: int, schema_name: str) -> None:
    """Hand the email to a worker. If the broker cannot take it, the administrator still has the link on the
    page they are shown, so the action stands and the failure is logged."""
    from .tasks import set_password_email

    try:
        set_password_email.apply_async((user_id,), headers={"_schema_name": schema_name}, retry=True,
                                       retry_policy=PUBLISH_RETRY_POLICY)
    except Exception as error:
        logger.warning("Could not hand the set-password email for account %s in %s to the broker (%s).",
                       user_id, schema_name, error)


def set_password_email_send(*, user_id: int) -> bool:
    """Email the owner of an active account at this school a fresh set-password link (the worker's half of
    `staff_account_set_password_link`). False when there is no one to send it to: the account was deactivated
    or removed meanwhile."""
    user = User.objects.filter(pk=user_id, is_active=True, role__in=[role.value for role in school_roles()]).first()
    if user is None:
        return False
    school = current_school()
    context = {"name": user.full_name, "school": school.name,
               "url": school_url(school.slug).rstrip("/") + set_password_path(user),
               "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)}
    EmailMessage(subject=f"Choose your password for the CSE Preventative Framework service at {school.name}",
                 body=render_to_string("accounts/email/set_password.txt", context), to=[user.email],
                 headers={"Auto-Submitted": "auto-generated"}).send()
    return True
