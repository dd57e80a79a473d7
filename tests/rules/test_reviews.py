"""When the SERAT is redone: 6-8 weeks counted in term time (FRAMEWORK.md §3, Review)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.rules import (
    Level,
    ReviewBasis,
    ReviewWindow,
    review_basis,
    review_outcome,
    review_status,
    review_window,
    review_window_for,
    term_days_elapsed,
    term_weeks_elapsed,
)

MON_6_OCT = date(2025, 10, 6)
HALF_TERM_MON_FRI = (date(2025, 10, 27), date(2025, 10, 31))
levels = st.sampled_from(list(Level))
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def holiday_calendars(draw):
    start = draw(days)
    ranges = []
    for _ in range(draw(st.integers(0, 6))):
        first = start + timedelta(days=draw(st.integers(-30, 150)))
        ranges.append((first, first + timedelta(days=draw(st.integers(0, 45)))))
    return start, ranges


def holiday_days_in(first: date, last: date, holidays) -> int:
    """Days in (first, last] inside any holiday, counted naively day by day."""
    count, day = 0, first + timedelta(days=1)
    while day <= last:
        count += any(a <= day <= b for a, b in holidays)
        day += timedelta(days=1)
    return count


def test_without_a_calendar_weeks_are_calendar_weeks():
    window = review_window(MON_6_OCT, ())
    assert window == ReviewWindow(due_from=date(2025, 11, 17), overdue_after=date(2025, 12, 1))
    assert window.due_from - MON_6_OCT == timedelta(weeks=6)
    assert window.overdue_after - MON_6_OCT == timedelta(weeks=8)


def test_a_holiday_entered_monday_to_friday_takes_out_five_days():
    window = review_window(MON_6_OCT, [HALF_TERM_MON_FRI])
    assert window == ReviewWindow(due_from=date(2025, 11, 22), overdue_after=date(2025, 12, 6))


def test_a_holiday_week_with_its_weekend_takes_out_a_whole_week():
    window = review_window(MON_6_OCT, [(date(2025, 10, 27), date(2025, 11, 2))])
    assert window == ReviewWindow(due_from=date(2025, 11, 24), overdue_after=date(2025, 12, 8))


def test_holidays_outside_the_window_do_not_count():
    before = (date(2025, 7, 23), date(2025, 9, 2))
    after = (date(2025, 12, 20), date(2026, 1, 4))
    assert review_window(MON_6_OCT, [before, after]) == review_window(MON_6_OCT, ())


def test_a_holiday_between_due_and_overdue_moves_only_overdue():
    window = review_window(MON_6_OCT, [(date(2025, 11, 20), date(2025, 11, 23))])
    assert window.due_from == date(2025, 11, 17)
    assert window.overdue_after == date(2025, 12, 5)


def test_the_assessment_day_itself_never_counts():
    # Assessed on the last day of term: counting starts after the holiday.
    window = review_window(date(2025, 12, 19), [(date(2025, 12, 20), date(2026, 1, 4))])
    assert window.due_from == date(2026, 1, 4) + timedelta(days=42)


def test_an_assessment_inside_a_holiday_counts_from_the_first_day_of_term():
    window = review_window(date(2025, 12, 22), [(date(2025, 12, 20), date(2026, 1, 4))])
    assert window.due_from == date(2026, 1, 4) + timedelta(days=42)


def test_overlapping_and_touching_holidays_count_once():
    split = [
        (date(2025, 10, 27), date(2025, 10, 29)),
        (date(2025, 10, 28), date(2025, 10, 30)),
        (date(2025, 10, 31), date(2025, 10, 31)),
    ]
    assert review_window(MON_6_OCT, split) == review_window(MON_6_OCT, [HALF_TERM_MON_FRI])


def test_a_holiday_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        review_window(MON_6_OCT, [(date(2025, 10, 31), date(2025, 10, 27))])


@given(holiday_calendars())
def test_holidays_never_make_the_window_shorter_than_calendar_weeks(calendar):
    start, holidays = calendar
    window = review_window(start, holidays)
    assert window.due_from >= start + timedelta(weeks=6)
    assert window.overdue_after >= start + timedelta(weeks=8)
    assert window.overdue_after >= window.due_from + timedelta(weeks=2)


@given(holiday_calendars())
def test_the_window_is_exactly_6_and_8_term_time_weeks(calendar):
    start, holidays = calendar
    window = review_window(start, holidays)
    assert (window.due_from - start).days - holiday_days_in(start, window.due_from, holidays) == 42
    assert (window.overdue_after - start).days - holiday_days_in(start, window.overdue_after, holidays) == 56
    assert term_days_elapsed(start, window.due_from, holidays) == 42
    assert term_days_elapsed(start, window.overdue_after, holidays) == 56
    for edge in (window.due_from, window.overdue_after):
        assert not any(a <= edge <= b for a, b in holidays)  # the week ends on a term-time day


@given(holiday_calendars(), st.integers(0, 200), st.integers(0, 30))
def test_adding_a_holiday_never_brings_the_review_forward(calendar, offset, length):
    start, holidays = calendar
    first = start + timedelta(days=offset)
    before = review_window(start, holidays)
    after = review_window(start, [*holidays, (first, first + timedelta(days=length))])
    assert after.due_from >= before.due_from
    assert after.overdue_after >= before.overdue_after


@given(holiday_calendars(), st.integers(0, 400))
def test_term_days_elapsed_matches_a_naive_count(calendar, offset):
    start, holidays = calendar
    today = start + timedelta(days=offset)
    expected = offset - holiday_days_in(start, today, holidays)
    assert term_days_elapsed(start, today, holidays) == expected
    assert term_weeks_elapsed(start, today, holidays) == expected // 7


def test_term_weeks_elapsed():
    assert term_weeks_elapsed(MON_6_OCT, MON_6_OCT) == 0
    assert term_weeks_elapsed(MON_6_OCT, MON_6_OCT - timedelta(days=3)) == 0
    assert term_weeks_elapsed(MON_6_OCT, date(2025, 11, 3)) == 4
    assert term_weeks_elapsed(MON_6_OCT, date(2025, 11, 3), [HALF_TERM_MON_FRI]) == 3


# --- status ---------------------------------------------------------------------------------------

WINDOW = review_window(MON_6_OCT, ())


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (MON_6_OCT, "not_due"),
        (WINDOW.due_from - timedelta(days=1), "not_due"),
        (WINDOW.due_from, "due"),
        (WINDOW.overdue_after, "due"),
        (WINDOW.overdue_after + timedelta(days=1), "overdue"),
        (date(2026, 6, 1), "overdue"),
    ],
)
def test_review_status_edges(today, status):
    assert review_status(WINDOW, today) == status


@given(holiday_calendars(), st.integers(-10, 400))
def test_status_follows_term_time_weeks(calendar, offset):
    start, holidays = calendar
    today = start + timedelta(days=offset)
    elapsed = term_days_elapsed(start, today, holidays)
    window = review_window(start, holidays)
    status = review_status(window, today)
    if elapsed < 42:
        assert status == "not_due"
    elif elapsed > 56 or (elapsed == 56 and today != window.overdue_after):  # holiday after week 8
        assert status == "overdue"
    else:
        assert status == "due"


# --- which levels are reviewed this way -----------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "basis"),
    [
        (Level.VERY_LOW, ReviewBasis.TERM_WEEKS),
        (Level.LOW, ReviewBasis.TERM_WEEKS),
        (Level.MEDIUM, ReviewBasis.TERM_WEEKS),
        (Level.HIGH, ReviewBasis.SCU_OR_MASE),
        (Level.VERY_HIGH, ReviewBasis.SCU_OR_MASE),
    ],
)
def test_review_basis_per_level(level, basis):
    assert review_basis(level) is basis
    window = review_window_for(level, MON_6_OCT, [HALF_TERM_MON_FRI])
    if basis is ReviewBasis.TERM_WEEKS:
        assert window == review_window(MON_6_OCT, [HALF_TERM_MON_FRI])
    else:
        assert window is None


# --- outcome --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "new", "outcome"),
    [
        (Level.LOW, Level.MEDIUM, "escalated"),
        (Level.VERY_LOW, Level.VERY_HIGH, "escalated"),
        (Level.MEDIUM, Level.LOW, "de_escalated"),
        (Level.MEDIUM, Level.MEDIUM, "unchanged"),
        ("high", "low", "de_escalated"),
    ],
)
def test_review_outcome_examples(previous, new, outcome):
    assert review_outcome(previous, new) == outcome


@given(levels, levels)
def test_review_outcome_follows_the_order_of_levels(previous, new):
    outcome = review_outcome(previous, new)
    assert (outcome == "escalated") is (new.rank > previous.rank)
    assert (outcome == "de_escalated") is (new.rank < previous.rank)
    assert (outcome == "unchanged") is (new is previous)
