"""The status workflow, as the services enforce it from both sides, and the answers of each kind."""

from datetime import timedelta

import pytest
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from safeguarding.rules.roles import Role
from scu_portal.models import Referral, ScuAnswer
from scu_portal.models.referrals import ReferralStatusChange
from scu_portal.services.referrals import referral_reply, referral_withdraw
from scu_portal.services.triage import referral_answer, referral_assign, referral_status_set
from tests.scu.conftest import send


def status(referral) -> str:
    return Referral.objects.get(pk=referral.pk).status


@pytest.fixture
def consultation(school_a, dcpo_a, case):
    return send(school_a, case("high"), "mase_consultation", by=dcpo_a)


def test_received_acknowledged_under_review_closed(consultation, officer):
    referral_status_set(referral=consultation, status="acknowledged", actor=officer)
    referral_status_set(referral=consultation, status="under_review", actor=officer, note="Reading it now.")
    referral_status_set(referral=consultation, status="closed", actor=officer)
    moves = list(ReferralStatusChange.objects.filter(referral=consultation).values_list("to_status", "side",
                                                                                          "by_name"))
    assert moves == [("received", "school", "Dee Cee-Pio"), ("acknowledged", "scu", "Olu Officer"),
                     ("under_review", "scu", "Olu Officer"), ("closed", "scu", "Olu Officer")]


@pytest.mark.parametrize("target", ["under_review", "closed"])
def test_transitions_that_make_no_sense_are_refused_and_change_nothing(consultation, officer, target):
    with pytest.raises(ActionRefused):
        referral_status_set(referral=consultation, status=target, actor=officer)
    assert status(consultation) == "received"
    assert ReferralStatusChange.objects.filter(referral=consultation).count() == 1


@pytest.mark.parametrize("target", ["received", "information_requested", "mase_scheduled", "outcome_recorded",
                                    "withdrawn", "school_replied", "nonsense"])
def test_statuses_that_follow_from_an_action_are_not_set_by_hand(consultation, officer, target):
    with pytest.raises(ValidationError) as error:
        referral_status_set(referral=consultation, status=target, actor=officer)
    assert "status" in error.value.message_dict
    assert status(consultation) == "received"


@pytest.mark.parametrize("role", [Role.AUTHORITY_ADMIN, Role.ANALYST])
def test_central_roles_other_than_scu_cannot_triage(consultation, make_user, role):
    user = make_user(role)
    with pytest.raises(ActionRefused):
        referral_status_set(referral=consultation, status="acknowledged", actor=user)
    with pytest.raises(ActionRefused):
        referral_answer(referral=consultation, kind="advice", text="No.", actor=user)
    assert status(consultation) == "received" and not ScuAnswer.objects.exists()


def test_more_information_requested_and_the_school_replies(school_a, dcpo_a, consultation, officer):
    referral_status_set(referral=consultation, status="acknowledged", actor=officer)
    referral_answer(referral=consultation, kind="information_request", text="Who is the older man?", actor=officer)
    assert status(consultation) == "information_requested"
    with pytest.raises(ActionRefused):  # the SCU cannot reply for the school
        referral_status_set(referral=consultation, status="under_review", actor=officer)
    with tenant_context(school_a):
        reply = referral_reply(referral=consultation, sender=dcpo_a, text="A man of about 25 called Vic.")
    assert reply.kind == "school_reply" and reply.by_id is None and reply.by_name == "Dee Cee-Pio"
    assert status(consultation) == "school_replied"
    with tenant_context(school_a), pytest.raises(ActionRefused):  # nothing to reply to now
        referral_reply(referral=consultation, sender=dcpo_a, text="And more.")
    referral_answer(referral=consultation, kind="information_request", text="And his car?", actor=officer)
    assert status(consultation) == "information_requested"


def test_the_school_withdraws_but_not_once_decided_and_not_another_schools(school_a, school_b, dcpo_a, dcpo_b,
                                                                          consultation, officer):
    with tenant_context(school_b), pytest.raises(Referral.DoesNotExist):
        referral_withdraw(referral=consultation, sender=dcpo_b, reason="Not ours.")
    with tenant_context(school_a), pytest.raises(ValidationError):
        referral_withdraw(referral=consultation, sender=dcpo_a, reason="")
    with tenant_context(school_a):
        referral_withdraw(referral=consultation, sender=dcpo_a, reason="Sent by mistake.")
    assert status(consultation) == "withdrawn"
    with pytest.raises(ActionRefused, match="can no longer change"):
        referral_status_set(referral=consultation, status="acknowledged", actor=officer)
    with pytest.raises(ActionRefused):
        referral_answer(referral=consultation, kind="advice", text="Too late.", actor=officer)


def test_answering_a_received_referral_acknowledges_it_and_records_the_first_answer(very_high_referral, officer):
    answer = referral_answer(referral=very_high_referral, kind="advice", text="Keep her close; no sessions.",
                             actor=officer, review_on=timezone.localdate() + timedelta(days=14))
    referral = Referral.objects.get(pk=very_high_referral.pk)
    assert referral.status == "acknowledged" and referral.first_answered_at == answer.at
    assert answer.by_name == "Olu Officer" and answer.by == officer


def test_answers_of_each_kind_with_their_conditions(school_a, dcpo_a, case, officer):
    request = send(school_a, case("high", agreed=True), "material_agreement", by=dcpo_a)
    agreed = referral_answer(referral=request, kind="material_agreed", text="Agreed pending MASE.", actor=officer,
                             conditions="Only 1:1, with the DCPO present.")
    assert agreed.conditions == "Only 1:1, with the DCPO present."
    referral_answer(referral=request, kind="material_refused", text="On reflection, not until MASE.", actor=officer)
    with pytest.raises(ValidationError) as error:
        referral_answer(referral=request, kind="advice", text="x", actor=officer, conditions="Not with advice.")
    assert "conditions" in error.value.message_dict
    consultation = send(school_a, case("high"), "mase_consultation", by=dcpo_a)
    with pytest.raises(ActionRefused, match="answers a request for that agreement"):
        referral_answer(referral=consultation, kind="material_agreed", text="Yes.", actor=officer)
    with pytest.raises(ActionRefused, match="recorded at the MASE meeting"):
        referral_answer(referral=consultation, kind="outcome", text="Yes.", actor=officer)
    with pytest.raises(ValidationError) as error:
        referral_answer(referral=consultation, kind="advice", text=" ", actor=officer,
                        review_on=timezone.localdate() - timedelta(days=1))
    assert set(error.value.message_dict) == {"text", "review_on"}


def test_a_manager_assigns_an_officer_and_an_officer_cannot(consultation, officer, manager, make_user, school_a):
    referral_assign(referral=consultation, officer=officer, actor=manager)
    assert Referral.objects.get(pk=consultation.pk).assigned_to == officer
    with pytest.raises(ActionRefused, match="Only an SCU manager"):
        referral_assign(referral=consultation, officer=manager, actor=officer)
    with pytest.raises(ValidationError):
        referral_assign(referral=consultation, officer=make_user(Role.ANALYST), actor=manager)
    referral_assign(referral=consultation, officer=None, actor=manager)
    assert Referral.objects.get(pk=consultation.pk).assigned_to is None


def test_the_school_sees_the_answer_on_its_referral_and_the_young_persons_chronology(school_a, dcpo_a,
                                                                                   very_high_referral, officer):
    from scu_portal.selectors.answers import school_referral, school_referrals
    from tests.helpers import client_signed_in_as

    advice = "No teaching yet; strategy meeting Friday."
    referral_answer(referral=very_high_referral, kind="advice", text=advice, actor=officer)
    with schema_context(school_a.schema_name):
        seen = school_referral(school=school_a, pk=very_high_referral.pk)
        assert [(a.kind, a.by_name) for a in seen.answers.all()] == [("advice", "Olu Officer")]
        assert list(school_referrals(school=school_a, young_person_id=very_high_referral.young_person_ref)) == [seen]
    client = client_signed_in_as(dcpo_a, school_a)
    entries = client.get(f"/api/chronologies/{very_high_referral.young_person_ref}/").json()
    answers = [(entry["title"], entry["detail"], entry["by"]) for entry in entries if entry["kind"] == "scu_answer"]
    assert answers == [("SCU: Advice", advice, "Olu Officer")]
    kinds = [entry["kind"] for entry in entries]
    assert kinds.index("scu_answer") < kinds.index("referral")  # newest first: the answer came after the referral
    case_page = client.get(f"/cases/young-people/{very_high_referral.young_person_ref}/").content.decode()
    assert advice in case_page.split('data-testid="chronology"')[1]
