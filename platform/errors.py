"""Errors that services raise and every interface turns into a clear answer."""

from collections.abc import Iterable


class ActionRefused(Exception):
    """A framework gate (or a role) refused the action; nothing was changed."""

    def __init__(self, reasons: Iterable[str]):
        self.reasons = tuple(reasons)
        super().__init__(" ".join(self.reasons))
