"""A user's own inbox and email preferences. Every function acts on the given user's rows only."""

from collections.abc import Mapping

from cse_platform.accounts.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..events import Event, events_for
from ..models import EmailPreference, InboxItem


def inbox_item_open(*, user: User, item_id: int) -> InboxItem:
    """Open one of the user's own items, marking it read (the first time it was read is kept).
    Another user's item, or one that does not exist, raises InboxItem.DoesNotExist."""
    item = InboxItem.objects.get(pk=item_id, user=user)
    if item.read_at is None:
        item.read_at = timezone.now()
        InboxItem.objects.filter(pk=item.pk, read_at__isnull=True).update(read_at=item.read_at)
    return item


def inbox_mark_all_read(*, user: User) -> int:
    return InboxItem.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def email_preferences_set(*, user: User, email_on: Mapping[Event | str, bool]) -> None:
    """Turn email on or off per kind of event. Only kinds this user may receive; urgent notices
    of a kind are emailed whatever its preference."""
    allowed = set(events_for(user.role_enum))
    choices: dict[Event, bool] = {}
    for key, value in email_on.items():
        try:
            event = Event(key)
        except ValueError:
            raise ValidationError({"event": [f"There is no kind of notification called {key!r}."]}) from None
        if event not in allowed:
            raise ValidationError({"event": [f"Your role does not receive “{event.title}”."]})
        if not isinstance(value, bool):
            raise ValidationError({"email_on": ["Say true or false."]})
        choices[event] = value
    with transaction.atomic():
        for event, value in choices.items():
            EmailPreference.objects.update_or_create(user=user, event=event.value, defaults={"email_on": value})
