from datetime import datetime

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.password_validation import validate_password
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from safeguarding.rules.roles import Role

from .middleware import SESSION_SCHEMA_KEY
from .models import User
from .schemas import current_audience


class RoleNotHere(ValueError):
    pass


def user_create(*, email: str, full_name: str, role: Role | str, password: str | None = None) -> User:
    """Create an account in the current schema; the role must belong to its audience."""
    role = Role(role)
    if role.audience != current_audience():
        raise RoleNotHere(f"A {role.label} account cannot be created here.")
    user = User(email=email.lower(), full_name=full_name, role=role.value)
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


def session_start(*, request: HttpRequest, user: User) -> None:
    login(request, user)
    request.session[SESSION_SCHEMA_KEY] = connection.schema_name


def api_token_expires_at(token: Token) -> datetime:
    return token.created + settings.API_TOKEN_MAX_AGE


def api_token_issue(*, user: User) -> Token:
    """The account's API token in the current schema: the one it holds while that has not expired, else a
    new one (an expired token is never handed out again)."""
    token = Token.objects.filter(user=user).first()
    if token is not None and api_token_expires_at(token) > timezone.now():
        return token
    api_tokens_end(user=user)
    return Token.objects.create(user=user)


def api_tokens_end(*, user: User | None = None) -> int:
    """Delete this account's API token in the current schema, or with no account given every token there.
    Returns how many ended; the owners get a new one from /api/token/ if they may still sign in."""
    tokens = Token.objects.all() if user is None else Token.objects.filter(user=user)
    ended, _ = tokens.delete()
    return ended
