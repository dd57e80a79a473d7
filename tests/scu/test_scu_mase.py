"""MASE meetings: date, agencies, agenda; per referral an outcome the school then sees."""

from datetime import timedelta

import pytest
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguarding.rules.roles import Role
from scu_portal.models import MaseOutcome, Referral, ScuAnswer
from scu_portal.services.mase import mase_agenda_add, mase_meeting_create, mase_outcome_record
from scu_portal.services.triage import referral_answer, referral_status_set
from tests.scu.conftest import referral_row, send

TODAY = timezone.localdate()
ACTIONS = [{"action": "Police to visit the address", "owner": "Police CSE team"},
           {"action": "1:1 sessions with the film", "owner": "School DCPO"}]


def under_review(referral, officer):
    referral_status_set(referral=referral, status="acknowledged", actor=officer)
    referral_status_set(referral=referral, status="under_review", actor=officer)
    return Referral.objects.get(pk=referral.pk)


def outcome(meeting, referral, officer, **overrides):
    values = {"agreed_level": "high", "actions": ACTIONS, "material_use": "without_consent",
              "next_review_on": TODAY + timedelta(days=28), **overrides}
    return mase_outcome_record(meeting=meeting, referral=referral, actor=officer, **values)


def test_a_meeting_with_agencies_and_agenda_schedules_its_referrals(very_high_referral, officer, school_a):
    referral = under_review(very_high_referral, officer)
    meeting = mase_meeting_create(held_on=TODAY, agencies="Police\nHealth\n\n Police \nChildren's social care",
                                  referrals=[referral], actor=officer)
    assert meeting.agency_list == ["Police", "Health", "Children's social care"]
    assert list(meeting.referrals.all()) == [referral]
    assert Referral.objects.get(pk=referral.pk).status == "mase_scheduled"


def test_only_referrals_under_review_and_not_material_requests_go_on_the_agenda(school_a, officer):
    received = referral_row(school_a, kind="mase_referral", level="very_high")
    material = referral_row(school_a, kind="material_agreement", status="under_review")
    with pytest.raises(ActionRefused):
        mase_meeting_create(held_on=TODAY, agencies=["Police"], referrals=[received], actor=officer)
    meeting = mase_meeting_create(held_on=TODAY, agencies=["Police"], actor=officer)
    with pytest.raises(ActionRefused, match="answered by the SCU, not put to MASE"):
        mase_agenda_add(meeting=meeting, referral=material, actor=officer)
    with pytest.raises(ValidationError) as error:
        mase_meeting_create(held_on=TODAY, agencies="  \n ", actor=officer)
    assert "agencies" in error.value.message_dict


def test_recording_an_outcome(very_high_referral, officer, school_a):
    referral = under_review(very_high_referral, officer)
    meeting = mase_meeting_create(held_on=TODAY, agencies=["Police", "Health"], referrals=[referral], actor=officer)
    recorded = outcome(meeting, referral, officer)
    assert recorded.actions == ACTIONS and recorded.recorded_by_name == "Olu Officer"
    referral.refresh_from_db()
    assert referral.status == "outcome_recorded" and referral.first_answered_at is not None
    answer = ScuAnswer.objects.get(referral=referral, kind="outcome")
    assert "Police to visit the address (Police CSE team)" in answer.text
    assert answer.review_on == TODAY + timedelta(days=28)
    with pytest.raises(ActionRefused, match="already been recorded"):
        outcome(meeting, referral, officer)
    # a follow-up meeting, then closing
    follow_up = mase_meeting_create(held_on=TODAY, agencies=["Police"], referrals=[referral], actor=officer)
    outcome(follow_up, referral, officer, material_use="not_authorised")
    referral_status_set(referral=referral, status="closed", actor=officer)
    assert MaseOutcome.objects.filter(referral=referral).count() == 2


def test_an_outcome_is_checked_and_refused_with_reasons(very_high_referral, officer, school_a, make_user):
    referral = under_review(very_high_referral, officer)
    meeting = mase_meeting_create(held_on=TODAY, agencies=["Police"], referrals=[referral], actor=officer)
    with pytest.raises(ValidationError) as error:
        outcome(meeting, referral, officer, agreed_level="extreme", actions=[{"action": "x", "owner": ""}],
                next_review_on=TODAY - timedelta(days=1))
    assert set(error.value.message_dict) == {"agreed_level", "actions", "next_review_on"}
    with pytest.raises(ValidationError) as error:  # at medium nothing overrides a refusal of consent
        outcome(meeting, referral, officer, agreed_level="medium", material_use="without_consent")
    assert "cannot authorise the material without parental consent" in error.value.message_dict["material_use"][0]
    other = referral_row(school_a, kind="mase_referral", level="very_high", status="under_review")
    with pytest.raises(ActionRefused, match="not on the meeting's agenda"):
        outcome(meeting, other, officer)
    with pytest.raises(ActionRefused, match="Only SCU officers and managers"):
        outcome(meeting, referral, make_user(Role.AUTHORITY_ADMIN))
    assert not MaseOutcome.objects.exists()


def test_an_outcome_waits_for_the_meeting(very_high_referral, officer):
    referral = under_review(very_high_referral, officer)
    meeting = mase_meeting_create(held_on=TODAY + timedelta(days=7), agencies=["Police"], referrals=[referral],
                                  actor=officer)
    with pytest.raises(ActionRefused, match="once it has taken place"):
        outcome(meeting, referral, officer, next_review_on=TODAY + timedelta(days=30))


def test_a_withdrawn_referral_cannot_be_decided(school_a, dcpo_a, very_high_referral, officer):
    from django_tenants.utils import tenant_context

    from scu_portal.services.referrals import referral_withdraw

    referral = under_review(very_high_referral, officer)
    meeting = mase_meeting_create(held_on=TODAY, agencies=["Police"], referrals=[referral], actor=officer)
    with tenant_context(school_a):
        referral_withdraw(referral=referral, sender=dcpo_a, reason="Moved out of the area.")
    with pytest.raises(ActionRefused):
        outcome(meeting, referral, officer)


def test_a_consultation_can_go_to_mase(school_a, dcpo_a, case, officer):
    consultation = under_review(send(school_a, case("high"), "mase_consultation", by=dcpo_a), officer)
    meeting = mase_meeting_create(held_on=TODAY, agencies=["Police"], referrals=[consultation], actor=officer)
    assert outcome(meeting, consultation, officer).agreed_level == "high"


def test_a_scheduled_referral_that_moved_on_goes_back_on_its_meetings_agenda_and_gets_its_outcome_there(
        school_a, dcpo_a, very_high_referral, officer):
    from django_tenants.utils import tenant_context

    from scu_portal.services.referrals import referral_reply

    referral = under_review(very_high_referral, officer)
    meeting = mase_meeting_create(held_on=TODAY, agencies=["Police"], referrals=[referral], actor=officer)
    referral_answer(referral=referral, kind="information_request", text="Which car does he drive?", actor=officer)
    assert Referral.objects.get(pk=referral.pk).status == "information_requested"
    with pytest.raises(ActionRefused, match="once the school has replied"):
        outcome(meeting, referral, officer)
    with pytest.raises(ActionRefused, match="cannot become mase scheduled"):
        mase_agenda_add(meeting=meeting, referral=referral, actor=officer)
    with tenant_context(school_a):
        referral_reply(referral=referral, sender=dcpo_a, text="A silver hatchback, seen twice at the gates.")
    with pytest.raises(ActionRefused, match="put it back on the meeting's agenda"):
        outcome(meeting, referral, officer)

    mase_agenda_add(meeting=meeting, referral=referral, actor=officer)
    referral.refresh_from_db()
    assert referral.status == "mase_scheduled" and list(meeting.referrals.all()) == [referral]
    back = referral.status_changes.order_by("at", "id").last()
    assert (back.from_status, back.to_status) == ("school_replied", "mase_scheduled")
    assert back.note.startswith("Back on the agenda of the MASE meeting of")
    with pytest.raises(ActionRefused, match="already on the meeting's agenda"):
        mase_agenda_add(meeting=meeting, referral=referral, actor=officer)

    assert outcome(meeting, referral, officer).meeting == meeting
    assert Referral.objects.get(pk=referral.pk).status == "outcome_recorded"
    with pytest.raises(ActionRefused, match="already been recorded"):
        mase_agenda_add(meeting=meeting, referral=referral, actor=officer)


def test_a_referral_taken_back_under_review_returns_to_its_meeting_through_the_api(signed_in, school_a, officer):
    referral = referral_row(school_a, kind="mase_referral", level="very_high", status="under_review")
    meeting = mase_meeting_create(held_on=TODAY, agencies=["Police"], referrals=[referral], actor=officer)
    referral_status_set(referral=referral, status="under_review", actor=officer)
    client, _ = signed_in(Role.SCU_OFFICER)
    body = {"referral": referral.pk, "agreed_level": "very_high", "actions": ACTIONS[:1],
            "material_use": "not_authorised", "next_review_on": (TODAY + timedelta(days=14)).isoformat()}
    refused = client.post(f"/api/scu/meetings/{meeting.pk}/outcomes/", body, content_type="application/json")
    assert refused.status_code == 409 and "put it back on the meeting's agenda" in refused.json()["reasons"][0]
    back = client.post(f"/api/scu/meetings/{meeting.pk}/agenda/", {"referral": referral.pk},
                       content_type="application/json")
    assert back.status_code == 200 and back.json()["referrals"] == [
        {**back.json()["referrals"][0], "id": referral.pk, "status": "mase_scheduled"}]
    recorded = client.post(f"/api/scu/meetings/{meeting.pk}/outcomes/", body, content_type="application/json")
    assert recorded.status_code == 201, recorded.content
