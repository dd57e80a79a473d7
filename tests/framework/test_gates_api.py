"""Every gate of FRAMEWORK.md §4 through the API: refused with its reason and nothing changed, then allowed
once the right fact is recorded."""

from datetime import date

import pytest
from django_tenants.utils import schema_context

from safeguarding.models import PlanItemRecord
from safeguarding.rules.gates import PREVIEW_NOT_CONFIRMED, SCU_NOT_AGREED
from scu_portal.models import MaseMeeting, MaseOutcome, Referral
from tests.framework.conftest import (
    TODAY,
    consent,
    plan_agreed_in_a_tutor_group,
    plan_of,
    scu_answer,
    session,
    sessions_recorded,
)
from tests.helpers import train

# --- gate 1 ------------------------------------------------------------------------------------------

def test_gate_1_no_action_of_a_plan_before_the_headteacher_agrees(team, young_person, school_a):
    plan = plan_of(team, young_person(), 25)
    response = team.dcpo.post(f"/api/plans/{plan}/complete-item/", {"code": "consider_caf_tac", "note": "Done"},
                              content_type="application/json")
    assert response.status_code == 409
    assert response.json()["reasons"] == ["The headteacher has not agreed this plan."]
    with schema_context(school_a.schema_name):
        assert not PlanItemRecord.objects.filter(plan_id=plan, code="consider_caf_tac").exists()
    assert team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json").status_code == 200
    response = team.dcpo.post(f"/api/plans/{plan}/complete-item/", {"code": "consider_caf_tac", "note": "Done"},
                              content_type="application/json")
    assert response.status_code == 200


def test_gate_1_safeguarding_duties_never_wait_for_agreement(team, young_person):
    plan = plan_of(team, young_person(), 40)
    response = team.dcpo.post(f"/api/plans/{plan}/complete-item/",
                              {"code": "consult_scu_mase", "note": "Phoned SCU"}, content_type="application/json")
    assert response.status_code == 200


def test_gate_1_a_session_needs_agreement(team, young_person, school_a):
    person = young_person()
    plan = plan_of(team, person, 5)
    response = session(team.dcpo, plan, group="whole_tutor_group", participants=[person.pk])
    assert response.status_code in (400, 409)
    train(school_a, team.dcpo_user)
    response = session(team.dcpo, plan, group="small_tutor_group", participants=[person.pk])
    assert "The headteacher has not agreed this plan." in response.json()["reasons"]
    assert sessions_recorded(school_a, plan) == 0


def test_only_the_headteacher_agrees(team, young_person):
    plan = plan_of(team, young_person(), 25)
    for client in (team.dcpo, team.staff, team.governor, team.admin):
        assert client.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json").status_code == 403
    assert team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json").status_code == 200
    assert team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json").status_code == 409


# --- gate 2 ------------------------------------------------------------------------------------------

def medium_ready(team, person, school):
    plan = plan_of(team, person, 25)
    team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json")
    team.dcpo.post(f"/api/plans/{plan}/choose-option/", {"option": "option_1_leanne_liam"},
                   content_type="application/json")
    assert consent(team.dcpo, plan, person).status_code == 201
    return plan


def test_gate_2_untrained_staff_cannot_deliver_medium_material(team, young_person, school_a):
    person = young_person()
    plan = medium_ready(team, person, school_a)
    response = session(team.dcpo, plan, participants=[person.pk])
    assert response.status_code == 409
    assert any("detailed training" in reason for reason in response.json()["reasons"])
    assert sessions_recorded(school_a, plan) == 0
    train(school_a, team.dcpo_user)
    assert session(team.dcpo, plan, participants=[person.pk]).status_code == 201


UNTRAINED_FOR_THE_PACK = ("The member of staff delivering this session has not completed the authority's detailed "
                          "training, which is needed for My Dangerous Lover Boy materials.")


def test_gate_2_untrained_staff_cannot_deliver_the_full_film_at_high(team, young_person, tutor_group, school_a):
    plan, person = plan_agreed_in_a_tutor_group(team, young_person, tutor_group, school_a, 40)
    consent(team.dcpo, plan, person)
    scu_answer(school_a, plan, "material_agreed")
    response = session(team.staff, plan, group="one_to_one_or_small_group", participants=[person.pk],
                       preview_confirmed=True)
    assert response.status_code == 409
    assert response.json()["reasons"] == [UNTRAINED_FOR_THE_PACK]
    assert sessions_recorded(school_a, plan) == 0
    train(school_a, team.staff_user)
    response = session(team.staff, plan, group="one_to_one_or_small_group", participants=[person.pk],
                       preview_confirmed=True)
    assert response.status_code == 201, response.content


def test_gate_2_covers_the_restricted_pack_at_low(team, young_person, tutor_group, school_a):
    # docs/decisions.md: the activity used at low comes from the My Dangerous Lover Boy pack.
    plan, _ = plan_agreed_in_a_tutor_group(team, young_person, tutor_group, school_a, 15)
    response = session(team.staff, plan, group="whole_tutor_group", tutor_group=tutor_group.pk)
    assert response.status_code == 409
    assert response.json()["reasons"] == [UNTRAINED_FOR_THE_PACK]
    assert sessions_recorded(school_a, plan) == 0
    train(school_a, team.staff_user)
    assert session(team.staff, plan, group="whole_tutor_group", tutor_group=tutor_group.pk).status_code == 201


def test_gate_2_untrained_staff_do_not_see_the_material(team, young_person, school_a):
    person = young_person()
    plan = plan_of(team, person, 25)
    reasons = team.dcpo.get(f"/api/plans/{plan}/").json()["session_blocked_reasons"]
    assert any("detailed training" in reason for reason in reasons)


# --- the DCPO's choice of option at medium ------------------------------------------------------------

def test_a_medium_session_waits_for_the_dcpo_to_choose_the_option(team, young_person, school_a):
    person = young_person()
    plan = plan_of(team, person, 25)
    team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json")
    assert consent(team.dcpo, plan, person).status_code == 201
    train(school_a, team.dcpo_user)
    for option in ("option_2_be_wise", ""):
        response = session(team.dcpo, plan, participants=[person.pk], option=option)
        assert response.status_code == 409
        assert response.json()["reasons"] == [
            "The designated child protection officer has not yet chosen Option 1 or Option 2 for this plan."]
    assert sessions_recorded(school_a, plan) == 0
    assert team.dcpo.post(f"/api/plans/{plan}/choose-option/", {"option": "option_1_leanne_liam"},
                          content_type="application/json").status_code == 200
    response = session(team.dcpo, plan, participants=[person.pk], option="option_2_be_wise")
    assert response.status_code == 409
    assert response.json()["reasons"] == ["The designated child protection officer chose Option 1: Leanne/Liam "
                                          "activities, then the music video for this plan."]
    assert sessions_recorded(school_a, plan) == 0
    response = session(team.dcpo, plan, participants=[person.pk])
    assert response.status_code == 201, response.content
    assert response.json()["option"] == "option_1_leanne_liam"


# --- gate 3 ------------------------------------------------------------------------------------------

def test_gate_3_a_medium_session_needs_every_participants_consent(team, young_person, school_a):
    person, friend = young_person(), young_person()
    plan = medium_ready(team, person, school_a)
    train(school_a, team.dcpo_user)
    response = session(team.dcpo, plan, participants=[person.pk, friend.pk])
    assert response.status_code == 409
    assert any(friend.full_name in reason for reason in response.json()["reasons"])
    assert sessions_recorded(school_a, plan) == 0
    assert consent(team.dcpo, plan, friend).status_code == 201
    assert session(team.dcpo, plan, participants=[person.pk, friend.pk]).status_code == 201


def test_gate_3_refused_or_withdrawn_consent_blocks_a_medium_session(team, young_person, school_a):
    person = young_person()
    plan = medium_ready(team, person, school_a)
    train(school_a, team.dcpo_user)
    assert consent(team.dcpo, plan, person, "withdrawn").status_code == 201
    assert session(team.dcpo, plan, participants=[person.pk]).status_code == 409


def test_consent_is_not_recorded_where_it_is_not_sought(team, young_person, school_a):
    person = young_person()
    for total in (5, 15, 50):
        plan = plan_of(team, person, total)
        response = consent(team.dcpo, plan, person)
        assert response.status_code == 409 and "not sought" in response.json()["reasons"][0]


def test_bad_consent_input_names_the_field(team, young_person):
    person = young_person()
    plan = plan_of(team, person, 25)
    response = team.dcpo.post(f"/api/plans/{plan}/consents/", {"young_person": person.pk, "decision": "maybe",
                                                              "given_by": "", "relationship": "Mother",
                                                              "method": "phone", "decided_on": TODAY},
                              content_type="application/json")
    assert response.status_code == 400
    assert {"decision", "given_by"} <= set(response.json())


# --- gate 4 ------------------------------------------------------------------------------------------

def high_session(team, plan, person, **fields):
    return session(team.dcpo, plan, group="one_to_one_or_small_group", participants=[person.pk], **fields)


def test_gate_4_a_high_session_needs_agreement_scu_preview_and_consent(team, young_person, school_a):
    person = young_person()
    plan = plan_of(team, person, 40)
    train(school_a, team.dcpo_user)
    reasons = high_session(team, plan, person).json()["reasons"]
    assert "The headteacher has not agreed this plan." in reasons
    assert any("Safeguarding Children Unit" in r and "agree" in r for r in reasons)
    assert any("watched" in r for r in reasons)
    assert any("consent" in r.lower() for r in reasons)
    team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json")
    consent(team.dcpo, plan, person)
    assert high_session(team, plan, person, preview_confirmed=True).status_code == 409  # still no SCU agreement
    scu_answer(school_a, plan, "material_agreed")
    assert high_session(team, plan, person, preview_confirmed=False).status_code == 409  # no preview
    assert high_session(team, plan, person, preview_confirmed=True).status_code == 201


def test_gate_4_an_scu_refusal_after_agreement_closes_it_again(team, young_person, school_a):
    person = young_person()
    plan = plan_of(team, person, 40)
    train(school_a, team.dcpo_user)
    team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json")
    consent(team.dcpo, plan, person)
    scu_answer(school_a, plan, "material_agreed")
    scu_answer(school_a, plan, "material_refused")
    assert high_session(team, plan, person, preview_confirmed=True).status_code == 409


def test_gate_4_refused_consent_needs_a_mase_plan_that_authorises_it(team, young_person, school_a):
    person = young_person()
    plan = plan_of(team, person, 40)
    train(school_a, team.dcpo_user)
    team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json")
    consent(team.dcpo, plan, person, "refused")
    scu_answer(school_a, plan, "material_agreed")
    assert high_session(team, plan, person, preview_confirmed=True).status_code == 409
    meeting = MaseMeeting.objects.create(held_on=date.today(), agencies="Police\nHealth")
    referral = Referral.objects.get(school=school_a, plan_ref=plan)
    MaseOutcome.objects.create(meeting=meeting, referral=referral, agreed_level="high", material_use="with_consent",
                               next_review_on=date.today(), recorded_by_name="Officer")
    assert high_session(team, plan, person, preview_confirmed=True).status_code == 409
    MaseOutcome.objects.create(meeting=MaseMeeting.objects.create(held_on=date.today(), agencies="Police"),
                               referral=referral, agreed_level="high", material_use="without_consent",
                               next_review_on=date.today(), recorded_by_name="Officer")
    assert high_session(team, plan, person, preview_confirmed=True).status_code == 201


def mase_outcome(school, plan, material_use):
    MaseOutcome.objects.create(meeting=MaseMeeting.objects.create(held_on=date.today(), agencies="Police"),
                               referral=Referral.objects.get(school=school, plan_ref=plan), agreed_level="very_high",
                               material_use=material_use, next_review_on=date.today(), recorded_by_name="Officer")


def film_session(team, plan, person, **fields):
    return high_session(team, plan, person, option="mdlb_full_film", **fields)


def test_gate_4_applies_to_the_full_film_at_very_high(team, young_person, school_a):
    person = young_person()
    plan = plan_of(team, person, 50)
    train(school_a, team.dcpo_user)
    team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json")
    scu_answer(school_a, plan, "advice")
    mase_only = (f"Parental consent is not sought at Very High Risk, so the film may be used with {person.full_name} "
                 "only if a MASE plan says so.")
    response = film_session(team, plan, person)
    assert response.status_code == 409
    assert response.json()["reasons"] == [SCU_NOT_AGREED, PREVIEW_NOT_CONFIRMED, mase_only]
    assert film_session(team, plan, person, preview_confirmed=True).status_code == 409
    assert sessions_recorded(school_a, plan) == 0


@pytest.mark.parametrize("material_use", ["not_authorised", "with_consent"])
def test_gate_4_a_mase_outcome_that_does_not_authorise_the_film_keeps_it_closed_at_very_high(
        team, young_person, school_a, material_use):
    person = young_person()
    plan = plan_of(team, person, 50)
    train(school_a, team.dcpo_user)
    team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json")
    scu_answer(school_a, plan, "advice")
    mase_outcome(school_a, plan, material_use)
    response = film_session(team, plan, person, preview_confirmed=True)
    assert response.status_code == 409
    assert any("only if a MASE plan says so" in reason for reason in response.json()["reasons"])
    assert sessions_recorded(school_a, plan) == 0


def test_gate_4_at_very_high_the_film_needs_a_mase_plan_the_preview_and_the_headteacher(
        team, young_person, school_a):
    person = young_person()
    plan = plan_of(team, person, 50)
    scu_answer(school_a, plan, "advice")
    mase_outcome(school_a, plan, "without_consent")
    response = film_session(team, plan, person)
    assert response.status_code == 409
    reasons = response.json()["reasons"]
    assert "The headteacher has not agreed this plan." in reasons and PREVIEW_NOT_CONFIRMED in reasons
    assert any("detailed training" in reason for reason in reasons)
    assert sessions_recorded(school_a, plan) == 0
    train(school_a, team.dcpo_user)
    team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json")
    assert film_session(team, plan, person, preview_confirmed=True).status_code == 201


# --- gate 5 ------------------------------------------------------------------------------------------

def test_gate_5_no_teaching_at_very_high_until_scu_advice(team, young_person, school_a):
    person = young_person()
    plan = plan_of(team, person, 50)
    team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json")
    response = session(team.dcpo, plan, group="one_to_one_or_small_group", participants=[person.pk])
    assert response.status_code == 409
    assert any("advice" in reason for reason in response.json()["reasons"])
    assert sessions_recorded(school_a, plan) == 0
    scu_answer(school_a, plan, "advice")
    response = session(team.dcpo, plan, group="one_to_one_or_small_group", participants=[person.pk])
    assert response.status_code == 201, response.content


# --- who may record --------------------------------------------------------------------------------

def test_staff_record_only_sessions_for_young_people_they_work_with(team, young_person, tutor_group, school_a):
    person = young_person(tutor_group=tutor_group)
    plan = plan_of(team, person, 5)
    team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json")
    response = session(team.staff, plan, group="whole_tutor_group", tutor_group=tutor_group.pk)
    assert response.status_code == 404
    with schema_context(school_a.schema_name):
        tutor_group.staff.add(team.staff_user)
    response = session(team.staff, plan, group="whole_tutor_group", tutor_group=tutor_group.pk)
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("group", ["small_tutor_group", "one_to_one_or_small_group"])
def test_very_low_teaching_is_with_the_whole_tutor_group(team, young_person, tutor_group, school_a, group):
    person = young_person(tutor_group=tutor_group)
    plan = plan_of(team, person, 5)
    team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json")
    response = session(team.dcpo, plan, group=group, participants=[person.pk])
    assert response.status_code == 409
    assert any("whole tutor group" in reason for reason in response.json()["reasons"])
