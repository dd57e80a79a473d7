"""Levels of risk, the SERAT score bands, and how the young person's own quiz combines with SERAT.

Source: the framework's table (FRAMEWORK.md §1 and §2). Bands are points on a 0-55 scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from .decision import Decision


class Level(StrEnum):
    """A level of risk, ordered from lowest to highest: ``<``, ``max`` and ``sorted`` follow the risk.

    Comparison with a plain string converts it first (``Level.HIGH > "medium"``), so a value read from
    the database compares by risk, never alphabetically; an unknown string raises ValueError.
    """

    VERY_LOW = "very_low"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"

    @property
    def rank(self) -> int:
        """0 for very low up to 4 for very high."""
        return _ORDER.index(self)

    @property
    def label(self) -> str:
        """The source's name for the level, e.g. "Medium/Some Risk"."""
        return _LABELS[self]

    @property
    def colour(self) -> str:
        return _COLOURS[self]

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs, lowest risk first, for form and model choices."""
        return [(level.value, level.label) for level in cls]

    def _other_rank(self, other: object) -> int:
        if isinstance(other, Level):
            return other.rank
        if isinstance(other, str):
            return Level(other).rank
        raise TypeError(f"Cannot compare a level with {type(other).__name__}.")

    def __lt__(self, other: object) -> bool:
        return self.rank < self._other_rank(other)

    def __le__(self, other: object) -> bool:
        return self.rank <= self._other_rank(other)

    def __gt__(self, other: object) -> bool:
        return self.rank > self._other_rank(other)

    def __ge__(self, other: object) -> bool:
        return self.rank >= self._other_rank(other)


_ORDER: tuple[Level, ...] = tuple(Level)

_LABELS = {
    Level.VERY_LOW: "Very Low Risk",
    Level.LOW: "Low Risk",
    Level.MEDIUM: "Medium/Some Risk",
    Level.HIGH: "High Risk",
    Level.VERY_HIGH: "Very High Risk",
}

_COLOURS = {
    Level.VERY_LOW: "light green",
    Level.LOW: "green",
    Level.MEDIUM: "amber",
    Level.HIGH: "light red",
    Level.VERY_HIGH: "red",
}


@dataclass(frozen=True, slots=True)
class Band:
    """The scores (inclusive) that put a young person at ``level``."""

    level: Level
    minimum: int
    maximum: int

    def __contains__(self, score: object) -> bool:
        return _is_int(score) and self.minimum <= score <= self.maximum  # type: ignore[operator]


SERAT_MAX = 55
SERAT_BANDS: tuple[Band, ...] = (
    Band(Level.VERY_LOW, 0, 11),
    Band(Level.LOW, 12, 22),
    Band(Level.MEDIUM, 23, 33),
    Band(Level.HIGH, 34, 44),
    Band(Level.VERY_HIGH, 45, 55),
)
# The personal quiz has its own thresholds, owned by the authority; by default the same as SERAT's.
DEFAULT_QUIZ_BANDS: tuple[Band, ...] = SERAT_BANDS


class ScoreOutOfRange(ValueError):
    """A total that is not a whole number inside the bands (0-55 for SERAT)."""


class BandsInvalid(ValueError):
    """A set of thresholds that does not give exactly one level to every score in its range."""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def bands_problems(bands: Sequence[Band]) -> tuple[str, ...]:
    """Why these thresholds cannot be used, in plain English; empty if they can.

    Thresholds must give one band to each of the five levels, lowest first, starting at 0, with no gap
    and no overlap, so that every score from 0 to the top maps to exactly one level.
    """
    problems: list[str] = []
    levels = [band.level for band in bands]
    if levels != list(_ORDER):
        problems.append(
            "There must be one band for each level, from Very Low Risk to Very High Risk, in that order."
        )
    for band in bands:
        if not (_is_int(band.minimum) and _is_int(band.maximum)):
            problems.append(f"The band for {band.level.label} must start and end on whole numbers.")
        elif band.minimum > band.maximum:
            problems.append(f"The band for {band.level.label} starts above where it ends.")
    if problems:
        return tuple(problems)
    if bands[0].minimum != 0:
        problems.append("The lowest band must start at 0.")
    for lower, upper in pairwise(bands):
        if upper.minimum != lower.maximum + 1:
            problems.append(
                f"The band for {upper.level.label} must start at {lower.maximum + 1}, "
                f"straight after the band for {lower.level.label}."
            )
    return tuple(problems)


def bands_valid(bands: Sequence[Band]) -> Decision:
    return Decision.from_reasons(bands_problems(bands))


def bands_maximum(bands: Sequence[Band] = SERAT_BANDS) -> int:
    """The highest score the thresholds cover (55 for SERAT)."""
    return bands[-1].maximum


def level_for_score(score: int, bands: Sequence[Band] = SERAT_BANDS) -> Level:
    problems = bands_problems(bands)
    if problems:
        raise BandsInvalid(" ".join(problems))
    top = bands_maximum(bands)
    if not _is_int(score):
        raise ScoreOutOfRange(f"The score must be a whole number from 0 to {top}; {score!r} is not.")
    for band in bands:
        if score in band:
            return band.level
    raise ScoreOutOfRange(f"The score must be from 0 to {top}; {score} is outside that range.")


def effective_level(serat_level: Level, quiz_level: Level | None) -> Level:
    """The higher of the staff SERAT level and the young person's quiz level.

    ``quiz_level`` is None when no quiz was asked or the young person declined it: the staff level
    stands. The quiz can raise the level, never lower it.
    """
    serat_level = Level(serat_level)
    if quiz_level is None:
        return serat_level
    return max(serat_level, Level(quiz_level))


def quiz_required(level: Level) -> bool:
    """At medium and high the young person is asked to complete the personal quiz."""
    return Level(level) in (Level.MEDIUM, Level.HIGH)


def awaits_scu_advice(level: Level) -> bool:
    """At very high no quiz and no teaching: the case waits for the Safeguarding Children Unit's advice."""
    return Level(level) is Level.VERY_HIGH
