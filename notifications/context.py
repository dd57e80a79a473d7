"""The unread count every page shows next to "Inbox"."""

from .selectors import unread_count


def unread(request) -> dict:
    """`{"unread_count": n}`: one count query for a signed-in user, none otherwise."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_count": 0}
    return {"unread_count": unread_count(user=user)}
