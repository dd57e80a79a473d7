"""Levels, SERAT bands and the personal quiz's effect (FRAMEWORK.md §1, §2)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.rules import (
    DEFAULT_QUIZ_BANDS,
    SERAT_BANDS,
    SERAT_MAX,
    Band,
    BandsInvalid,
    Level,
    ScoreOutOfRange,
    awaits_scu_advice,
    bands_valid,
    effective_level,
    level_for_score,
    quiz_required,
)

VL, L, M, H, VH = Level.VERY_LOW, Level.LOW, Level.MEDIUM, Level.HIGH, Level.VERY_HIGH
levels = st.sampled_from(list(Level))
serat_scores = st.integers(min_value=0, max_value=SERAT_MAX)


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, VL), (11, VL), (12, L), (22, L), (23, M), (33, M), (34, H), (44, H), (45, VH), (55, VH)],
)
def test_band_edges(score, level):
    assert level_for_score(score) is level


@pytest.mark.parametrize("score", [-1, 56, -100, 1000])
def test_scores_just_outside_are_refused(score):
    with pytest.raises(ScoreOutOfRange, match="0 to 55"):
        level_for_score(score)


@pytest.mark.parametrize("score", [True, False, 3.0, "3", None, 11.5])
def test_non_whole_numbers_are_refused(score):
    with pytest.raises(ScoreOutOfRange, match="whole number"):
        level_for_score(score)


def test_score_out_of_range_is_a_value_error():
    assert issubclass(ScoreOutOfRange, ValueError)


def test_bands_are_the_frameworks():
    assert [(b.level, b.minimum, b.maximum) for b in SERAT_BANDS] == [
        (VL, 0, 11),
        (L, 12, 22),
        (M, 23, 33),
        (H, 34, 44),
        (VH, 45, 55),
    ]
    assert SERAT_MAX == 55
    assert DEFAULT_QUIZ_BANDS == SERAT_BANDS
    assert bands_valid(SERAT_BANDS)


@given(serat_scores)
def test_every_score_is_in_exactly_one_band(score):
    containing = [band for band in SERAT_BANDS if score in band]
    assert len(containing) == 1
    assert level_for_score(score) is containing[0].level


@given(serat_scores, serat_scores)
def test_level_is_monotonic_in_score(a, b):
    low, high = sorted((a, b))
    assert level_for_score(low) <= level_for_score(high)


@given(st.integers().filter(lambda s: s < 0 or s > SERAT_MAX))
def test_every_score_outside_is_refused(score):
    with pytest.raises(ScoreOutOfRange):
        level_for_score(score)


def test_every_level_is_reachable():
    assert {level_for_score(s) for s in range(SERAT_MAX + 1)} == set(Level)


# --- the Level type -------------------------------------------------------------------------------


def test_levels_order_by_risk_not_alphabet():
    assert sorted([H, VL, VH, M, L]) == [VL, L, M, H, VH]
    assert max(L, H, M) is H
    assert min(VH, M) is M
    assert L < M < H < VH and VL < L
    assert H > M and not M > H and M >= M and M <= M


def test_levels_compare_with_stored_strings_by_risk():
    assert H > "medium"  # alphabetically "high" < "medium"
    assert L < "medium"
    assert VL <= "very_low"


def test_levels_refuse_nonsense_comparisons():
    with pytest.raises(ValueError):
        _ = H > "severe"
    with pytest.raises(TypeError):
        _ = H > 3


@given(levels, levels)
def test_order_matches_rank(a, b):
    assert (a < b) == (a.rank < b.rank)
    assert (a >= b) == (a.rank >= b.rank)


@pytest.mark.parametrize(
    ("level", "value", "label", "colour"),
    [
        (VL, "very_low", "Very Low Risk", "light green"),
        (L, "low", "Low Risk", "green"),
        (M, "medium", "Medium/Some Risk", "amber"),
        (H, "high", "High Risk", "light red"),
        (VH, "very_high", "Very High Risk", "red"),
    ],
)
def test_names_and_colours_are_the_sources(level, value, label, colour):
    assert level.value == value
    assert Level(value) is level
    assert level.label == label
    assert level.colour == colour
    assert isinstance(level, str)


def test_choices_lowest_first():
    assert Level.choices()[0] == ("very_low", "Very Low Risk")
    assert Level.choices()[-1] == ("very_high", "Very High Risk")
    assert len(Level.choices()) == 5


# --- the personal quiz ----------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "asked"), [(VL, False), (L, False), (M, True), (H, True), (VH, False)])
def test_quiz_is_asked_at_medium_and_high_only(level, asked):
    assert quiz_required(level) is asked


@pytest.mark.parametrize(("level", "waits"), [(VL, False), (L, False), (M, False), (H, False), (VH, True)])
def test_only_very_high_awaits_scu_advice(level, waits):
    assert awaits_scu_advice(level) is waits


@pytest.mark.parametrize(
    ("serat", "quiz", "expected"),
    [
        (M, None, M),  # declined: the staff level stands
        (M, M, M),  # still amber: continue at this level
        (M, H, H),  # the quiz raises it
        (M, VH, VH),
        (M, L, M),  # the quiz never lowers it
        (H, VL, H),
        (H, VH, VH),
    ],
)
def test_effective_level_examples(serat, quiz, expected):
    assert effective_level(serat, quiz) is expected


@given(levels, st.one_of(st.none(), levels))
def test_effective_level_is_the_higher_and_never_lowers(serat, quiz):
    result = effective_level(serat, quiz)
    assert result >= serat
    if quiz is None:
        assert result is serat
    else:
        assert result >= quiz
        assert result in (serat, quiz)


@given(serat_scores, serat_scores)
def test_effective_level_never_below_serat_from_scores(serat_score, quiz_score):
    serat = level_for_score(serat_score)
    quiz = level_for_score(quiz_score, DEFAULT_QUIZ_BANDS)
    assert effective_level(serat, quiz) >= serat


# --- the quiz's own thresholds --------------------------------------------------------------------

QUIZ_BANDS = (Band(VL, 0, 3), Band(L, 4, 7), Band(M, 8, 11), Band(H, 12, 15), Band(VH, 16, 20))


@pytest.mark.parametrize(("score", "level"), [(0, VL), (3, VL), (4, L), (11, M), (12, H), (16, VH), (20, VH)])
def test_custom_thresholds(score, level):
    assert level_for_score(score, QUIZ_BANDS) is level


@pytest.mark.parametrize("score", [-1, 21])
def test_custom_thresholds_refuse_outside(score):
    with pytest.raises(ScoreOutOfRange, match="0 to 20"):
        level_for_score(score, QUIZ_BANDS)


@pytest.mark.parametrize(
    ("bands", "words"),
    [
        ((Band(VL, 1, 3), *QUIZ_BANDS[1:]), "start at 0"),
        ((QUIZ_BANDS[0], Band(L, 5, 7), *QUIZ_BANDS[2:]), "must start at 4"),  # a gap
        ((QUIZ_BANDS[0], Band(L, 3, 7), *QUIZ_BANDS[2:]), "must start at 4"),  # an overlap
        (QUIZ_BANDS[:4], "one band for each level"),
        ((QUIZ_BANDS[1], QUIZ_BANDS[0], *QUIZ_BANDS[2:]), "one band for each level"),
        ((QUIZ_BANDS[0], Band(L, 7, 4), *QUIZ_BANDS[2:]), "starts above where it ends"),
    ],
)
def test_invalid_thresholds_are_refused(bands, words):
    decision = bands_valid(bands)
    assert not decision
    assert any(words in reason for reason in decision.reasons)
    with pytest.raises(BandsInvalid):
        level_for_score(5, bands)


@given(st.lists(st.integers(min_value=1, max_value=15), min_size=5, max_size=5))
def test_any_contiguous_thresholds_give_one_level_per_score(widths):
    bands, start = [], 0
    for level, width in zip(Level, widths, strict=True):
        bands.append(Band(level, start, start + width - 1))
        start += width
    assert bands_valid(bands)
    seen = [level_for_score(score, bands) for score in range(start)]
    assert seen == sorted(seen)
    assert set(seen) == set(Level)
