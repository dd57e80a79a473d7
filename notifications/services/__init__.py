"""What other areas call: `notify`, `notify_roles`, `notify_school_roles` (and `notify_central_roles`),
inside the transaction of the change they report."""

from .outbox import notify, notify_central_roles, notify_roles, notify_school_roles

__all__ = ["notify", "notify_central_roles", "notify_roles", "notify_school_roles"]
