"""SERAT through the API: scores, levels at every band edge, refused input, and the plan §3 requires."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from safeguarding.models import Plan, Review, SeratAssessment
from safeguarding.rules.instruments import InstrumentKind
from safeguarding.rules.reviews import ReviewWindow, review_window
from tests.framework.conftest import answers_for, submit_serat

EDGES = [(0, "very_low"), (11, "very_low"), (12, "low"), (22, "low"), (23, "medium"), (33, "medium"),
         (34, "high"), (44, "high"), (45, "very_high"), (55, "very_high")]


@pytest.mark.parametrize(("total", "level"), EDGES)
def test_every_band_edge_gives_its_level(team, young_person, school_a, total, level):
    person = young_person()
    response = submit_serat(team.dcpo, person, total)
    assert response.status_code == 201, response.content
    assert (response.json()["total"], response.json()["level"]) == (total, level)
    with schema_context(school_a.schema_name):
        plan = Plan.objects.get(young_person=person, status="active")
        assert plan.level == level


def test_the_assessment_keeps_the_instrument_version(team, young_person, school_a):
    response = submit_serat(team.dcpo, young_person(), 20)
    assert response.json()["instrument_version"] == 1


def test_a_missing_item_is_refused_naming_it_and_nothing_is_saved(team, young_person, school_a):
    person = young_person()
    answers = answers_for(20)
    missing = next(iter(answers))
    del answers[missing]
    response = team.dcpo.post("/api/serat-assessments/", {"young_person": person.pk, "answers": answers},
                              content_type="application/json")
    assert response.status_code == 400
    assert missing in response.json()
    with schema_context(school_a.schema_name):
        assert not SeratAssessment.objects.filter(young_person=person).exists()
        assert not Plan.objects.filter(young_person=person).exists()


@pytest.mark.parametrize("bad", [6, -1, "3", None, 2.5])
def test_an_item_outside_its_allowed_scores_is_refused_naming_it(team, young_person, school_a, bad):
    person = young_person()
    answers = answers_for(0)
    code = list(answers)[3]
    answers[code] = bad
    response = team.dcpo.post("/api/serat-assessments/", {"young_person": person.pk, "answers": answers},
                              content_type="application/json")
    assert response.status_code == 400
    assert code in response.json()
    with schema_context(school_a.schema_name):
        assert not SeratAssessment.objects.filter(young_person=person).exists()


def test_an_unknown_item_is_refused(team, young_person):
    answers = answers_for(0) | {"not_an_item": 1}
    response = team.dcpo.post("/api/serat-assessments/", {"young_person": young_person().pk, "answers": answers},
                              content_type="application/json")
    assert response.status_code == 400
    assert "not_an_item" in response.json()


def test_quiz_answers_cannot_be_sent_as_a_serat(team, young_person):
    response = team.dcpo.post("/api/serat-assessments/",
                              {"young_person": young_person().pk,
                               "answers": answers_for(10, InstrumentKind.PERSONAL_QUIZ)},
                              content_type="application/json")
    assert response.status_code == 400


# --- FRAMEWORK.md §3: what each level requires --------------------------------------------------------

NOT_NEEDED = "Parental consent is not needed: this is part of the relationships education curriculum."
ROWS = {
    "very_low": {"group": "whole_tutor_group", "options": ["ceop_resource_discussion"], "consent": NOT_NEEDED,
                 "review": True},
    "low": {"group": "whole_tutor_group", "options": ["me_jenny_and_kate"], "consent": NOT_NEEDED, "review": True},
    "medium": {"group": "small_tutor_group", "options": ["option_1_leanne_liam", "option_2_be_wise"],
               "consent": "Parental consent is required for every participant, because of the explicit nature of "
                          "the materials.",
               "review": True},
    "high": {"group": "one_to_one_or_small_group", "options": ["mdlb_full_film"],
             "consent": "Parental consent is required for every participant.", "review": False},
    "very_high": {"group": "none", "options": [],
                  "consent": "Parental consent is not sought: this is now at the threshold of a risk of significant "
                             "harm.",
                  "review": False},
}
TOTAL = {"very_low": 5, "low": 15, "medium": 25, "high": 40, "very_high": 50}
CONSENT_SOUGHT = {"medium", "high"}


@pytest.mark.parametrize("level", list(ROWS))
def test_the_plan_is_the_row_of_section_3_for_its_level(team, young_person, school_a, level):
    person = young_person()
    assessment = submit_serat(team.dcpo, person, TOTAL[level]).json()
    plan = team.dcpo.get(f"/api/plans/{assessment['plan']}/").json()
    row = ROWS[level]
    assert plan["level"] == level
    assert plan["group"] == row["group"]
    assert plan["options"] == row["options"]
    assert plan["consent_rule"] == row["consent"]
    consent = team.dcpo.post(f"/api/plans/{assessment['plan']}/consents/", {
        "young_person": person.pk, "decision": "given", "given_by": "Pat Parent", "relationship": "Mother",
        "method": "phone", "decided_on": date.today().isoformat()}, content_type="application/json")
    assert consent.status_code == (201 if level in CONSENT_SOUGHT else 409)


@pytest.mark.parametrize("level", list(ROWS))
def test_the_review_window_is_6_to_8_term_time_weeks_or_set_by_the_scu(team, young_person, school_a, level):
    assessment = submit_serat(team.dcpo, young_person(), TOTAL[level]).json()
    with schema_context(school_a.schema_name):
        review = Review.objects.select_related("assessment").get(assessment_id=assessment["id"])
        assessed_on = timezone.localdate(review.assessment.assessed_at)
    if not ROWS[level]["review"]:
        assert (review.due_from, review.overdue_after) == (None, None)
        return
    # Alpha School has no holidays, so every calendar week counts.
    assert (review.due_from, review.overdue_after) == (assessed_on + timedelta(weeks=6),
                                                       assessed_on + timedelta(weeks=8))
    assert review_window(assessed_on) == ReviewWindow(review.due_from, review.overdue_after)


CHECKLISTS = {
    "very_low": [("inform_dcpo", "required"), ("return_questionnaire", "required"), ("notes_of_concern", "required")],
    "low": [("notes_of_concern", "required"), ("return_questionnaire", "required")],
    "medium": [("consider_caf_tac", "consider"), ("consider_pace", "consider"),
               ("show_resource_to_parents", "consider")],
    "high": [("consult_scu_mase", "required"), ("seek_scu_agreement", "required")],
    "very_high": [("phone_scu", "required"), ("mase_referral", "required")],
}


@pytest.mark.parametrize("level", list(CHECKLISTS))
def test_the_other_processes_of_each_level_are_the_checklist(team, young_person, level):
    assessment = submit_serat(team.dcpo, young_person(), TOTAL[level]).json()
    checklist = team.dcpo.get(f"/api/plans/{assessment['plan']}/").json()["checklist"]
    assert [(row["code"], row["expectation"]) for row in checklist] == CHECKLISTS[level]


def test_a_new_serat_replaces_the_plan_closes_the_review_and_records_escalation(team, young_person, school_a):
    person = young_person()
    first = submit_serat(team.dcpo, person, 5).json()
    second = submit_serat(team.dcpo, person, 15).json()
    assert second["reviews"] == first["id"]
    assert second["review_outcome"] == "escalated"
    third = submit_serat(team.dcpo, person, 3).json()
    assert third["review_outcome"] == "de_escalated"
    with schema_context(school_a.schema_name):
        assert Review.objects.get(assessment_id=first["id"]).closed_by_id == second["id"]
        assert Plan.objects.filter(young_person=person, status="active").count() == 1
        assert Plan.objects.get(young_person=person, status="active").assessment_id == third["id"]
