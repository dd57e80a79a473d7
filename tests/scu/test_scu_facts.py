"""`plan_scu_facts`, the contract the school's gates read: every combination that matters, and each gate
that depends on the SCU opening only with the right answer."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from safeguarding.rules import gates
from safeguarding.rules.gates import ConsentStatus, Participant
from scu_portal.models import Referral, ScuAnswer
from scu_portal.selectors.answers import ScuFacts, plan_scu_facts
from scu_portal.services.mase import mase_meeting_create, mase_outcome_record
from scu_portal.services.referrals import referral_withdraw
from scu_portal.services.triage import referral_answer, referral_status_set
from tests.scu.conftest import phone_call, referral_row, send

TODAY = timezone.localdate()


def facts(school, plan) -> ScuFacts:
    return plan_scu_facts(school=school, plan_id=plan.pk)


def to_mase(referral, officer, material_use, review_in_days=28, agreed_level="high"):
    if referral.status in ("received",):
        referral_status_set(referral=referral, status="acknowledged", actor=officer)
        referral.refresh_from_db()
    if referral.status in ("acknowledged",):
        referral_status_set(referral=referral, status="under_review", actor=officer)
    meeting = mase_meeting_create(held_on=TODAY, agencies=["Police"], referrals=[referral], actor=officer)
    referral.refresh_from_db()
    return mase_outcome_record(meeting=meeting, referral=referral, agreed_level=agreed_level,
                               actions=[{"action": "Sessions 1:1", "owner": "DCPO"}], material_use=material_use,
                               next_review_on=TODAY + timedelta(days=review_in_days), actor=officer)


@pytest.fixture
def high(school_a, dcpo_a, case):
    """A high plan, agreed, consent refused, with a consultation, a material request and a MASE referral."""
    plan = case("high", agreed=True, consent="refused")
    consultation = send(school_a, plan, "mase_consultation", by=dcpo_a)
    request = send(school_a, plan, "material_agreement", by=dcpo_a)
    mase = send(school_a, plan, "mase_referral", by=dcpo_a)
    return plan, consultation, request, mase


def test_nothing_said_means_every_gate_stays_shut(school_a, case):
    plan = case("very_high")
    assert facts(school_a, plan) == ScuFacts(False, False, False, None)


def test_advice_opens_gate_5_at_very_high_and_nothing_else_does(school_a, dcpo_a, case, officer):
    plan = case("very_high")
    referral = send(school_a, plan, "mase_referral", by=dcpo_a, **phone_call())
    referral_answer(referral=referral, kind="information_request", text="Send the SERAT detail.", actor=officer)
    assert not facts(school_a, plan).advice_recorded
    assert not gates.very_high_teaching_decision(scu_advice_recorded=facts(school_a, plan).advice_recorded)
    with tenant_context(school_a):
        from scu_portal.services.referrals import referral_reply

        referral_reply(referral=referral, sender=dcpo_a, text="Attached as asked.")
    assert not facts(school_a, plan).advice_recorded
    referral_answer(referral=referral, kind="advice", text="Safety plan first; no group work.", actor=officer,
                    review_on=TODAY + timedelta(days=10))
    scu = facts(school_a, plan)
    assert scu.advice_recorded and scu.review_on == TODAY + timedelta(days=10)
    assert gates.very_high_teaching_decision(scu_advice_recorded=scu.advice_recorded)
    assert not scu.material_agreed and not scu.mase_authorises_without_consent


def test_a_mase_outcome_is_advice_too(school_a, very_high_referral, officer):
    plan_id = very_high_referral.plan_ref
    to_mase(very_high_referral, officer, "not_authorised", agreed_level="very_high")
    scu = plan_scu_facts(school=school_a, plan_id=plan_id)
    assert scu.advice_recorded and not scu.material_agreed


def test_the_latest_word_on_the_material_stands(school_a, high, officer):
    plan, _, request, _ = high
    assert not facts(school_a, plan).material_agreed
    referral_answer(referral=request, kind="material_agreed", text="Agreed pending MASE.", actor=officer)
    assert facts(school_a, plan).material_agreed
    referral_answer(referral=request, kind="material_refused", text="Withdrawn: wait for MASE.", actor=officer)
    assert not facts(school_a, plan).material_agreed
    referral_answer(referral=request, kind="material_agreed", text="Agreed again.", actor=officer)
    assert facts(school_a, plan).material_agreed


@pytest.mark.parametrize(("use", "agreed", "without_consent"), [
    ("not_authorised", False, False),
    ("with_consent", True, False),
    ("without_consent", True, True),
])
def test_a_mase_outcome_after_the_scus_agreement_decides(school_a, high, officer, use, agreed, without_consent):
    plan, _, request, mase = high
    referral_answer(referral=request, kind="material_agreed", text="Agreed pending MASE.", actor=officer)
    to_mase(mase, officer, use)
    scu = facts(school_a, plan)
    assert (scu.material_agreed, scu.mase_authorises_without_consent) == (agreed, without_consent)
    assert scu.review_on == TODAY + timedelta(days=28)


def test_gate_4_opens_where_consent_was_refused_only_with_a_mase_plan_that_authorises_it(school_a, high, officer):
    plan, _, request, mase = high

    def decision():
        scu = facts(school_a, plan)
        return gates.high_session_decision(
            headteacher_agreed=True, scu_agreed=scu.material_agreed, staff_confirmed_preview=True,
            participants=[Participant("Jordan", ConsentStatus.REFUSED,
                                      mase_plan_authorises=scu.mase_authorises_without_consent)])

    assert not decision()
    referral_answer(referral=request, kind="material_agreed", text="Agreed pending MASE.", actor=officer)
    refused = decision()
    assert not refused and any("no MASE plan" in reason for reason in refused.reasons)
    to_mase(mase, officer, "without_consent")
    assert decision()


def test_a_later_refusal_or_outcome_closes_gate_4_again(school_a, high, officer):
    plan, _, request, mase = high
    first = to_mase(mase, officer, "without_consent")
    assert facts(school_a, plan).material_agreed
    referral_answer(referral=request, kind="material_refused", text="New information: stop.", actor=officer)
    scu = facts(school_a, plan)
    assert not scu.material_agreed and scu.mase_authorises_without_consent
    assert not gates.high_session_decision(headteacher_agreed=True, scu_agreed=scu.material_agreed,
                                           staff_confirmed_preview=True)
    mase.refresh_from_db()
    second = to_mase(mase, officer, "not_authorised", review_in_days=40)
    assert second.recorded_at > first.recorded_at
    scu = facts(school_a, plan)
    assert not scu.material_agreed and not scu.mase_authorises_without_consent
    assert scu.review_on == TODAY + timedelta(days=40)


def test_on_the_same_instant_a_refusal_wins(school_a, high, officer):
    plan, _, request, _ = high
    agreed = referral_answer(referral=request, kind="material_agreed", text="Yes.", actor=officer)
    refused = referral_answer(referral=request, kind="material_refused", text="No.", actor=officer)
    ScuAnswer.objects.filter(pk=refused.pk).update(at=agreed.at)
    assert not facts(school_a, plan).material_agreed
    ScuAnswer.objects.filter(pk=agreed.pk).update(at=agreed.at + timedelta(seconds=1))
    assert facts(school_a, plan).material_agreed


def test_a_withdrawn_referrals_answers_count_for_nothing(school_a, dcpo_a, high, officer):
    plan, consultation, request, _ = high
    referral_answer(referral=request, kind="material_agreed", text="Yes.", actor=officer)
    referral_answer(referral=consultation, kind="advice", text="Refer to MASE.", actor=officer)
    with tenant_context(school_a):
        referral_withdraw(referral=request, sender=dcpo_a, reason="Sent in error.")
    scu = facts(school_a, plan)
    assert scu.advice_recorded and not scu.material_agreed


def test_facts_are_per_school_and_per_plan(school_a, school_b, case, officer):
    plan = case("very_high")
    elsewhere = referral_row(school_b, kind="mase_referral", level="very_high")
    other_plan = referral_row(school_a, kind="mase_referral", level="very_high")
    Referral.objects.filter(pk=elsewhere.pk).update(plan_ref=plan.pk)
    Referral.objects.filter(pk=other_plan.pk).update(plan_ref=plan.pk + 1000)
    for referral in (elsewhere, other_plan):
        referral_answer(referral=referral, kind="advice", text="Not about this plan.", actor=officer)
    assert facts(school_a, plan) == ScuFacts()
    assert plan_scu_facts(school=school_b, plan_id=plan.pk).advice_recorded


def test_facts_read_public_rows_only_in_two_queries_without_accounts(school_a, high, officer):
    plan, _, request, _ = high
    referral_answer(referral=request, kind="material_agreed", text="Yes.", actor=officer)
    with schema_context(school_a.schema_name), CaptureQueriesContext(connection) as queries:
        assert plan_scu_facts(school=school_a, plan_id=plan.pk).material_agreed
    selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2
    sql = " ".join(selects)
    assert "accounts_user" not in sql and "safeguarding_" not in sql


def test_the_schools_gates_read_the_scus_answers(school_a, dcpo_a, case, officer, make_user):
    """End to end through the school's own gate check (safeguarding.selectors.plans.session_decision)."""
    from safeguarding.selectors.plans import session_decision

    plan = case("very_high", agreed=True)
    referral = send(school_a, plan, "mase_referral", by=dcpo_a, **phone_call())
    with tenant_context(school_a):
        before = session_decision(plan=plan, delivered_by=dcpo_a, option=None, participants=[], held_on=TODAY,
                                  preview_confirmed=False)
    assert gates.SCU_ADVICE_NOT_RECORDED in before.reasons
    referral_answer(referral=referral, kind="advice", text="A CEOP session 1:1 is fine.", actor=officer)
    with tenant_context(school_a):
        after = session_decision(plan=plan, delivered_by=dcpo_a, option=None, participants=[], held_on=TODAY,
                                 preview_confirmed=False)
    assert gates.SCU_ADVICE_NOT_RECORDED not in after.reasons
