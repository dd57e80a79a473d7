"""Instruments as data: publishing a SERAT or quiz version, and scoring a response (FRAMEWORK.md §1, §2)."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safeguarding.rules import (
    DEFAULT_NOTICE,
    DEFAULT_QUIZ,
    DEFAULT_QUIZ_BANDS,
    DEFAULT_QUIZ_ITEMS,
    DEFAULT_SERAT,
    DEFAULT_SERAT_ITEMS,
    SERAT_BANDS,
    Band,
    Instrument,
    InstrumentInvalid,
    InstrumentKind,
    Item,
    Level,
    ResponseInvalid,
    answers_totalling,
    instrument_max_total,
    instrument_publishable,
    items_from_data,
    items_to_data,
    level_for_score,
    quiz_publishable,
    score_response,
    serat_publishable,
)

FIVE = (0, 1, 2, 3, 4, 5)


def serat(*maxima: int) -> tuple[Item, ...]:
    return tuple(
        Item(f"item_{n}", f"Indicator {n}", tuple(range(m + 1)), f"Area {n}") for n, m in enumerate(maxima)
    )


def refused_with(decision, words: str) -> bool:
    return not decision and any(words in reason for reason in decision.reasons)


# --- the defaults ---------------------------------------------------------------------------------


def test_default_serat_is_eleven_areas_scored_0_to_5_totalling_55():
    assert len(DEFAULT_SERAT_ITEMS) == 11
    assert all(item.allowed_scores == FIVE for item in DEFAULT_SERAT_ITEMS)
    assert instrument_max_total(DEFAULT_SERAT_ITEMS) == 55
    assert serat_publishable(DEFAULT_SERAT_ITEMS)
    assert instrument_publishable(DEFAULT_SERAT)


def test_default_serat_covers_the_warning_signs():
    titles = " | ".join(item.title.lower() for item in DEFAULT_SERAT_ITEMS)
    for sign in (
        "missing",
        "older",
        "money",
        "online",
        "absence",
        "drug",
        "sexual health",
        "self-harm",
        "family",
        "peers",
        "vehicles",
    ):
        assert sign in titles, sign


def test_default_serat_has_guidance_for_every_score_from_no_concern_to_serious():
    for item in DEFAULT_SERAT_ITEMS:
        assert [score for score, _ in item.guidance] == list(FIVE)
        assert item.guidance_for(0) == "No concern."
        assert item.guidance_for(5).startswith("Serious or confirmed concern")
        assert item.guidance_for(6) is None


def test_default_quiz_is_the_young_persons_own_view_totalling_55():
    assert instrument_max_total(DEFAULT_QUIZ_ITEMS) == 55
    assert quiz_publishable(DEFAULT_QUIZ_ITEMS, DEFAULT_QUIZ_BANDS)
    assert instrument_publishable(DEFAULT_QUIZ)
    assert DEFAULT_QUIZ.kind is InstrumentKind.PERSONAL_QUIZ
    for item in DEFAULT_QUIZ_ITEMS:
        assert " you" in f" {item.text.lower()}", item.text  # asked of the young person, about themselves
        assert item.text.endswith("?")
        assert all(item.guidance_for(score) for score in item.allowed_scores)  # an answer to pick for each


def test_defaults_say_they_are_defaults():
    assert "to be replaced by the authority's approved items" in DEFAULT_NOTICE
    assert DEFAULT_SERAT.is_default and DEFAULT_QUIZ.is_default
    assert not dataclasses.replace(DEFAULT_SERAT, notice="").is_default


def test_default_codes_are_unique_and_stable_looking():
    for items in (DEFAULT_SERAT_ITEMS, DEFAULT_QUIZ_ITEMS):
        codes = [item.code for item in items]
        assert len(set(codes)) == len(codes)


# --- publishing a SERAT version -------------------------------------------------------------------


@pytest.mark.parametrize("maxima", [(5,) * 10 + (4,), (5,) * 10 + (6,), (5,) * 10, (55,), (5,) * 12])
def test_serat_must_total_exactly_55(maxima):
    total = sum(maxima)
    decision = serat_publishable(serat(*maxima))
    assert bool(decision) is (total == 55)
    if total != 55:
        assert refused_with(decision, f"highest possible total is {total}")


def test_a_55_point_serat_of_any_shape_is_publishable():
    assert serat_publishable(serat(55))
    assert serat_publishable(serat(10, 10, 10, 10, 15))


def test_serat_refuses_duplicate_codes():
    items = serat(*(5,) * 11)
    items = (*items[:-1], dataclasses.replace(items[-1], code="item_0"))
    assert refused_with(serat_publishable(items), 'uses the code "item_0", already used by item 1')


def test_serat_refuses_an_item_with_no_allowed_scores():
    items = (*serat(*(5,) * 11), Item("empty", "Nothing", (), "Empty"))
    assert refused_with(serat_publishable(items), 'Item 12, "Empty" has no allowed scores')


@pytest.mark.parametrize(
    ("item", "words"),
    [
        (Item("Bad Code", "Text", (0, 1)), "needs a code"),
        (Item("", "Text", (0, 1)), "needs a code"),
        (Item("blank", "  ", (0, 1)), "has no text"),
        (Item("negative", "Text", (-1, 0, 1)), "below 0"),
        (Item("fraction", "Text", (0, 0.5)), "not a whole number"),
        (Item("boolean", "Text", (0, True)), "not a whole number"),
        (Item("repeat", "Text", (0, 1, 1)), "lists the score 1 more than once"),
        (Item("guided", "Text", (0, 1), guidance=((2, "Too high"),)), "guidance for 2"),
        (Item("no_zero", "Text", (1, 2), "No zero"), "must allow 0"),
    ],
)
def test_serat_refuses_malformed_items(item, words):
    assert refused_with(serat_publishable((item,)), words)


def test_serat_refuses_no_items():
    assert refused_with(serat_publishable(()), "no items")


def test_serat_reports_every_problem_at_once():
    items = (Item("a", "", ()), Item("a", "Text", (0, -1)))
    decision = serat_publishable(items)
    assert len(decision.reasons) >= 3


def test_a_serat_must_use_the_framework_bands():
    other = (Band(Level.VERY_LOW, 0, 10), *SERAT_BANDS[1:])
    assert refused_with(instrument_publishable(dataclasses.replace(DEFAULT_SERAT, bands=other)), "bands")


@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=15))
def test_serat_publishable_exactly_when_total_is_55(maxima):
    items = serat(*maxima)
    assert instrument_max_total(items) == sum(maxima)
    assert bool(serat_publishable(items)) is (sum(maxima) == 55)


def test_max_total_of_a_malformed_instrument_is_refused():
    with pytest.raises(InstrumentInvalid):
        instrument_max_total((Item("a", "Text", ()),))


# --- publishing a quiz version --------------------------------------------------------------------

SMALL_BANDS = (
    Band(Level.VERY_LOW, 0, 1),
    Band(Level.LOW, 2, 3),
    Band(Level.MEDIUM, 4, 5),
    Band(Level.HIGH, 6, 7),
    Band(Level.VERY_HIGH, 8, 10),
)


def test_quiz_total_must_match_its_own_thresholds():
    assert quiz_publishable(serat(5, 5), SMALL_BANDS)
    assert refused_with(quiz_publishable(serat(5, 4), SMALL_BANDS), "must total exactly 10")
    assert refused_with(quiz_publishable(serat(5, 5)), "must total exactly 55")


def test_quiz_refuses_invalid_thresholds():
    assert refused_with(quiz_publishable(serat(5, 5), SMALL_BANDS[:4]), "one band for each level")


# --- scoring a response ---------------------------------------------------------------------------


def full_answers(items, score=0):
    return {item.code: score for item in items}


def test_scores_a_complete_response():
    answers = full_answers(DEFAULT_SERAT_ITEMS, 2)
    assert score_response(DEFAULT_SERAT_ITEMS, answers) == 22
    answers["going_missing"] = 5
    assert score_response(DEFAULT_SERAT_ITEMS, answers) == 25


def test_all_zero_and_all_five():
    assert score_response(DEFAULT_SERAT_ITEMS, full_answers(DEFAULT_SERAT_ITEMS, 0)) == 0
    assert score_response(DEFAULT_SERAT_ITEMS, full_answers(DEFAULT_SERAT_ITEMS, 5)) == 55


@given(st.lists(st.sampled_from(FIVE), min_size=11, max_size=11))
def test_any_valid_serat_response_totals_its_scores_and_has_a_level(scores):
    answers = {item.code: score for item, score in zip(DEFAULT_SERAT_ITEMS, scores, strict=True)}
    total = score_response(DEFAULT_SERAT_ITEMS, answers)
    assert total == sum(scores)
    assert level_for_score(total) in Level


@given(st.lists(st.sampled_from((0, 1, 3, 5)), min_size=11, max_size=11))
def test_any_valid_quiz_response_has_a_level(scores):
    answers = {item.code: score for item, score in zip(DEFAULT_QUIZ_ITEMS, scores, strict=True)}
    assert level_for_score(score_response(DEFAULT_QUIZ_ITEMS, answers), DEFAULT_QUIZ_BANDS) in Level


def errors_for(items, answers) -> dict[str, str]:
    with pytest.raises(ResponseInvalid) as caught:
        score_response(items, answers)
    return caught.value.errors


def test_a_missing_item_is_named():
    answers = full_answers(DEFAULT_SERAT_ITEMS)
    del answers["going_missing"]
    errors = errors_for(DEFAULT_SERAT_ITEMS, answers)
    assert set(errors) == {"going_missing"}
    assert errors["going_missing"] == 'Item 1, "Going missing" has no score. Choose a score from 0 to 5.'


def test_none_counts_as_missing():
    answers = full_answers(DEFAULT_SERAT_ITEMS) | {"sexual_health": None}
    assert "has no score" in errors_for(DEFAULT_SERAT_ITEMS, answers)["sexual_health"]


def test_an_unknown_item_is_refused():
    answers = full_answers(DEFAULT_SERAT_ITEMS) | {"horoscope": 3}
    errors = errors_for(DEFAULT_SERAT_ITEMS, answers)
    assert errors == {"horoscope": '"horoscope" is not an item of this questionnaire.'}


@pytest.mark.parametrize("value", ["3", 3.0, True, False, [3]])
def test_a_score_that_is_not_a_whole_number_is_refused(value):
    answers = full_answers(DEFAULT_SERAT_ITEMS) | {"drugs_or_alcohol": value}
    errors = errors_for(DEFAULT_SERAT_ITEMS, answers)
    assert set(errors) == {"drugs_or_alcohol"}
    assert errors["drugs_or_alcohol"].startswith('Item 6, "Drug or alcohol misuse": ')
    assert "is not a whole number" in errors["drugs_or_alcohol"]


@pytest.mark.parametrize("value", [6, -1, 55])
def test_a_score_outside_the_items_allowed_values_is_refused(value):
    answers = full_answers(DEFAULT_SERAT_ITEMS) | {"family_breakdown_or_abuse": value}
    errors = errors_for(DEFAULT_SERAT_ITEMS, answers)
    assert errors == {
        "family_breakdown_or_abuse": f'Item 9, "Family breakdown or abuse": {value} is not an allowed score. '
        "Choose a score from 0 to 5."
    }


def test_a_quiz_answer_between_allowed_values_is_refused():
    answers = full_answers(DEFAULT_QUIZ_ITEMS) | {"older_friends": 2}
    errors = errors_for(DEFAULT_QUIZ_ITEMS, answers)
    assert errors["older_friends"].endswith("Choose a score 0, 1, 3 or 5.")


def test_every_problem_is_reported_at_once():
    answers = full_answers(DEFAULT_SERAT_ITEMS)
    del answers["going_missing"]
    answers |= {"sexual_health": "x", "drugs_or_alcohol": 9, "unknown": 1}
    errors = errors_for(DEFAULT_SERAT_ITEMS, answers)
    assert set(errors) == {"going_missing", "sexual_health", "drugs_or_alcohol", "unknown"}
    assert all(isinstance(message, str) and message for message in errors.values())


@given(st.dictionaries(st.sampled_from([i.code for i in DEFAULT_SERAT_ITEMS]), st.integers(-3, 8)))
def test_a_response_is_scored_only_when_every_item_has_an_allowed_score(answers):
    complete = set(answers) == {item.code for item in DEFAULT_SERAT_ITEMS}
    valid = complete and all(0 <= value <= 5 for value in answers.values())
    if valid:
        assert score_response(DEFAULT_SERAT_ITEMS, answers) == sum(answers.values())
    else:
        bad = {i.code for i in DEFAULT_SERAT_ITEMS if not 0 <= answers.get(i.code, -1) <= 5}
        assert set(errors_for(DEFAULT_SERAT_ITEMS, answers)) == bad


def test_response_invalid_is_a_value_error_with_a_summary():
    error = ResponseInvalid({"a": "First.", "b": "Second."})
    assert isinstance(error, ValueError)
    assert str(error) == "First. Second."


def test_scoring_against_a_malformed_instrument_is_refused():
    with pytest.raises(InstrumentInvalid):
        score_response((Item("a", "Text", (0, 1)), Item("a", "Text", (0, 1))), {"a": 1})


# --- storing items as data ------------------------------------------------------------------------


def test_items_round_trip_through_data():
    for items in (DEFAULT_SERAT_ITEMS, DEFAULT_QUIZ_ITEMS):
        assert items_from_data(items_to_data(items)) == items


def test_data_is_json_shaped():
    import json

    data = items_to_data(DEFAULT_SERAT_ITEMS)
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("not a list", "must be a list"),
        ([1], "not a set of fields"),
        ([{"code": "a", "text": "T", "allowed_scores": "012"}], "must be a list"),
        ([{"code": "a", "text": "T", "allowed_scores": [0], "colour": "red"}], "unknown fields: colour"),
        ([{"code": "a", "text": "T", "allowed_scores": [0], "guidance": {"zero": "x"}}], "not a score"),
        ([{"code": "a", "text": "T", "allowed_scores": [0], "guidance": ["x"]}], "map scores to text"),
    ],
)
def test_badly_shaped_data_is_refused(data, words):
    with pytest.raises(InstrumentInvalid) as caught:
        items_from_data(data)
    assert any(words in problem for problem in caught.value.problems)


def test_an_instrument_carries_its_kind_and_bands():
    quiz = Instrument(InstrumentKind.PERSONAL_QUIZ, "Short quiz", serat(5, 5), SMALL_BANDS)
    assert instrument_publishable(quiz)
    assert quiz.max_total == 10
    assert not quiz.is_default


@given(st.integers(min_value=0, max_value=55))
def test_answers_totalling_adds_up_on_the_default_serat(total):
    answers = answers_totalling(DEFAULT_SERAT_ITEMS, total)
    assert sum(answers.values()) == total
    assert score_response(DEFAULT_SERAT_ITEMS, answers) == total


def test_answers_totalling_refuses_a_total_out_of_reach():
    with pytest.raises(ValueError):
        answers_totalling(DEFAULT_SERAT_ITEMS, 56)
