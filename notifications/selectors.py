"""Reads: a user's inbox and preferences, and the authority's list of failed deliveries."""

from dataclasses import dataclass

from cse_platform.accounts.models import User
from django.db.models import Case, IntegerField, QuerySet, Value, When

from .events import Event, events_for
from .models import DeliveryFailure, EmailPreference, InboxItem


def inbox_items_for(*, user: User) -> QuerySet[InboxItem]:
    """The user's own items, unread first, then newest first."""
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    return InboxItem.objects.filter(user=user).order_by(unread_first, "-created_at", "-id")


def unread_count(*, user: User) -> int:
    return InboxItem.objects.filter(user=user, read_at__isnull=True).count()


@dataclass(frozen=True)
class PreferenceRow:
    event: Event
    title: str
    email_on: bool
    urgent_always_emailed: bool


def email_preferences_for(*, user: User) -> list[PreferenceRow]:
    """One row per kind of notification the user's role may receive."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("event", "email_on"))
    return [PreferenceRow(event=event, title=event.title, email_on=chosen.get(event.value, True),
                          urgent_always_emailed=event.can_be_urgent)
            for event in events_for(user.role_enum)]


def delivery_failures() -> QuerySet[DeliveryFailure]:
    """Every delivery given up on, newest first (public schema; no names)."""
    return DeliveryFailure.objects.select_related("school").order_by("-failed_at", "-id")
