"""The young person's own view (FRAMEWORK.md §2): it can raise the level, never lower it."""

import pytest
from django_tenants.utils import schema_context

from safeguarding.models import Plan, QuizResponse
from safeguarding.rules.instruments import InstrumentKind
from tests.framework.conftest import answers_for, submit_serat


def record_quiz(client, assessment_id, total):
    return client.post(f"/api/serat-assessments/{assessment_id}/quiz/",
                       {"answers": answers_for(total, InstrumentKind.PERSONAL_QUIZ)}, content_type="application/json")


def test_a_quiz_that_raises_medium_to_high_brings_the_high_plan(team, young_person, school_a):
    person = young_person()
    assessment = submit_serat(team.dcpo, person, 25).json()
    response = record_quiz(team.dcpo, assessment["id"], 40)
    assert response.status_code == 201, response.content
    assert response.json()["quiz"]["level"] == "high"
    with schema_context(school_a.schema_name):
        active = Plan.objects.get(young_person=person, status="active")
        assert active.level == "high"
        old = Plan.objects.get(young_person=person, status="superseded")
        assert old.level == "medium" and old.superseded_by == active


@pytest.mark.parametrize(("serat", "quiz"), [(25, 0), (25, 30), (40, 10), (40, 44)])
def test_a_quiz_at_or_below_the_staff_level_changes_nothing(team, young_person, school_a, serat, quiz):
    person = young_person()
    assessment = submit_serat(team.dcpo, person, serat).json()
    assert record_quiz(team.dcpo, assessment["id"], quiz).status_code == 201
    with schema_context(school_a.schema_name):
        assert Plan.objects.filter(young_person=person).count() == 1
        assert Plan.objects.get(young_person=person).level == assessment["level"]


def test_a_declined_quiz_leaves_the_staff_level_and_is_recorded(team, young_person, school_a):
    person = young_person()
    assessment = submit_serat(team.dcpo, person, 30).json()
    response = team.dcpo.post(f"/api/serat-assessments/{assessment['id']}/decline-quiz/", {"note": "Did not want to"},
                              content_type="application/json")
    assert response.status_code == 201
    assert response.json()["quiz"]["status"] == "declined"
    with schema_context(school_a.schema_name):
        assert QuizResponse.objects.get(assessment_id=assessment["id"]).note == "Did not want to"
        assert Plan.objects.get(young_person=person, status="active").level == "medium"


@pytest.mark.parametrize("total", [5, 15, 50])
def test_no_quiz_is_asked_at_very_low_low_or_very_high(team, young_person, school_a, total):
    assessment = submit_serat(team.dcpo, young_person(), total).json()
    response = record_quiz(team.dcpo, assessment["id"], 40)
    assert response.status_code == 409
    assert "only asked at medium and high" in response.json()["reasons"][0]
    with schema_context(school_a.schema_name):
        assert not QuizResponse.objects.filter(assessment_id=assessment["id"]).exists()


def test_the_quiz_is_recorded_once(team, young_person):
    assessment = submit_serat(team.dcpo, young_person(), 25).json()
    assert record_quiz(team.dcpo, assessment["id"], 10).status_code == 201
    assert record_quiz(team.dcpo, assessment["id"], 40).status_code == 409


def test_bad_quiz_answers_name_the_item_and_save_nothing(team, young_person, school_a):
    assessment = submit_serat(team.dcpo, young_person(), 25).json()
    answers = answers_for(10, InstrumentKind.PERSONAL_QUIZ)
    code = next(iter(answers))
    answers[code] = 2  # the quiz's allowed scores are 0, 1, 3, 5
    response = team.dcpo.post(f"/api/serat-assessments/{assessment['id']}/quiz/", {"answers": answers},
                              content_type="application/json")
    assert response.status_code == 400 and code in response.json()
    with schema_context(school_a.schema_name):
        assert not QuizResponse.objects.filter(assessment_id=assessment["id"]).exists()
