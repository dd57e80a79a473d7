"""The answer every gate gives: allowed, or refused with the reasons in words school staff understand."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Decision:
    """``allowed`` is True exactly when there are no reasons; a refusal always says why."""

    allowed: bool
    reasons: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.reasons, tuple):
            object.__setattr__(self, "reasons", tuple(self.reasons))
        if self.allowed and self.reasons:
            raise ValueError("An allowed decision carries no reasons.")
        if not self.allowed and not self.reasons:
            raise ValueError("A refusal must say why.")
        if any(not isinstance(reason, str) or not reason.strip() for reason in self.reasons):
            raise ValueError("Every reason must be a non-empty sentence.")

    @classmethod
    def allow(cls) -> Decision:
        return cls(allowed=True)

    @classmethod
    def refuse(cls, *reasons: str) -> Decision:
        return cls(allowed=False, reasons=reasons)

    @classmethod
    def combine(cls, *decisions: Decision) -> Decision:
        """Allowed only if every decision is; otherwise every reason, once each, in order."""
        reasons: list[str] = []
        for decision in decisions:
            for reason in decision.reasons:
                if reason not in reasons:
                    reasons.append(reason)
        return cls.refuse(*reasons) if reasons else cls.allow()

    @classmethod
    def from_reasons(cls, reasons: list[str] | tuple[str, ...]) -> Decision:
        """Refuse with these reasons, or allow if there are none."""
        return cls.combine(*(cls.refuse(reason) for reason in reasons))

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def message(self) -> str:
        """The reasons as one paragraph, for a single error banner."""
        return " ".join(self.reasons)
