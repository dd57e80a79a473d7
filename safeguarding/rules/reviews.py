"""When the SERAT is redone, and what the redone SERAT means (FRAMEWORK.md §3, "Review").

At very low, low and medium the SERAT is redone 6-8 weeks later, counted in term time. At high and
very high the next review date comes from the Safeguarding Children Unit or the MASE plan.

How term-time weeks are counted
-------------------------------
* Counting starts on the day after the assessment (the assessment day is day 0).
* Every calendar day that is not inside a holiday counts as one term-time day, weekends included.
  Holidays are inclusive ``(first_day, last_day)`` ranges from the school's term calendar; they may
  overlap or touch. A school without a calendar passes no holidays, so every day counts.
* A term-time week is 7 counted days. Week 6 ends on the day the 42nd term-time day is reached, week 8
  on the day the 56th is reached. Neither day can fall inside a holiday.
* The review is ``due`` from the end of week 6 (``due_from``, inclusive) and ``overdue`` on any day
  after the end of week 8 (``overdue_after``; that day itself is still ``due``).

So with no holidays the review is due 42 days and overdue 57 days after the assessment, and each
holiday day between them pushes both dates back by one day. A holiday entered Monday to Friday takes
out 5 days; enter it with its weekends to take out whole weeks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from .levels import Level

REVIEW_DUE_FROM_WEEKS = 6
REVIEW_OVERDUE_AFTER_WEEKS = 8
DAYS_PER_WEEK = 7

Holidays = Sequence[tuple[date, date]]
ReviewStatus = Literal["not_due", "due", "overdue"]
ReviewOutcome = Literal["escalated", "de_escalated", "unchanged"]


class ReviewBasis(StrEnum):
    """Who sets the next review: the term-time week count, or the SCU / MASE plan."""

    TERM_WEEKS = "term_weeks"
    SCU_OR_MASE = "scu_or_mase"


def review_basis(level: Level) -> ReviewBasis:
    return ReviewBasis.SCU_OR_MASE if Level(level) >= Level.HIGH else ReviewBasis.TERM_WEEKS


@dataclass(frozen=True, slots=True)
class ReviewWindow:
    due_from: date
    overdue_after: date


def _merged(holidays: Holidays) -> list[tuple[date, date]]:
    ranges: list[tuple[date, date]] = []
    for first, last in holidays:
        if first > last:
            raise ValueError(f"A holiday cannot end ({last}) before it starts ({first}).")
        ranges.append((first, last))
    ranges.sort()
    merged: list[tuple[date, date]] = []
    for first, last in ranges:
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _add_term_days(start: date, count: int, holidays: list[tuple[date, date]]) -> date:
    """The day on which the ``count``-th term-time day after ``start`` falls (merged holidays)."""
    day = start
    counted = 0
    index = 0
    while counted < count:
        day += timedelta(days=1)
        while index < len(holidays) and holidays[index][1] < day:
            index += 1
        if index < len(holidays) and holidays[index][0] <= day:
            day = holidays[index][1]  # jump to the holiday's last day; the next step leaves it
            continue
        counted += 1
    return day


def review_window(assessed_on: date, holidays: Holidays = ()) -> ReviewWindow:
    merged = _merged(holidays)
    return ReviewWindow(
        due_from=_add_term_days(assessed_on, REVIEW_DUE_FROM_WEEKS * DAYS_PER_WEEK, merged),
        overdue_after=_add_term_days(assessed_on, REVIEW_OVERDUE_AFTER_WEEKS * DAYS_PER_WEEK, merged),
    )


def review_window_for(level: Level, assessed_on: date, holidays: Holidays = ()) -> ReviewWindow | None:
    """The window for a SERAT at this level, or None where the SCU or the MASE plan sets the date."""
    if review_basis(level) is ReviewBasis.SCU_OR_MASE:
        return None
    return review_window(assessed_on, holidays)


def term_days_elapsed(assessed_on: date, today: date, holidays: Holidays = ()) -> int:
    """Term-time days counted from the day after ``assessed_on`` up to and including ``today``."""
    if today <= assessed_on:
        return 0
    days = (today - assessed_on).days
    for first, last in _merged(holidays):
        overlap_first = max(first, assessed_on + timedelta(days=1))
        overlap_last = min(last, today)
        if overlap_first <= overlap_last:
            days -= (overlap_last - overlap_first).days + 1
    return days


def term_weeks_elapsed(assessed_on: date, today: date, holidays: Holidays = ()) -> int:
    """Whole term-time weeks since the assessment, e.g. to show "week 5 of 6-8"."""
    return term_days_elapsed(assessed_on, today, holidays) // DAYS_PER_WEEK


def review_status(window: ReviewWindow, today: date) -> ReviewStatus:
    if today < window.due_from:
        return "not_due"
    if today <= window.overdue_after:
        return "due"
    return "overdue"


def review_outcome(previous_level: Level, new_level: Level) -> ReviewOutcome:
    """What the redone SERAT shows. On escalation the plan for the new level applies from then on."""
    previous_level, new_level = Level(previous_level), Level(new_level)
    if new_level > previous_level:
        return "escalated"
    if new_level < previous_level:
        return "de_escalated"
    return "unchanged"
