"""What a school may send the SCU, and how a referral moves: examples for each level, then properties."""

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from safeguarding.rules import ConsentStatus, Level
from safeguarding.rules.referrals import (
    CLOSED_STATUSES,
    PLAIN_STATUSES,
    TRANSITIONS,
    AnswerKind,
    ConsentState,
    ReferralKind,
    ReferralStatus,
    Side,
    answer_decision,
    answer_kinds_allowed,
    mase_agenda_decision,
    mase_outcome_decision,
    phone_call_required,
    referral_consent_state,
    referral_decision,
    referral_kinds_allowed,
    referral_next_statuses,
    referral_plan_items,
    referral_transition_decision,
    referral_urgent,
)

VL, L, M, H, VH = Level.VERY_LOW, Level.LOW, Level.MEDIUM, Level.HIGH, Level.VERY_HIGH
MASE, CONSULT, MATERIAL = ReferralKind.MASE_REFERRAL, ReferralKind.MASE_CONSULTATION, ReferralKind.MATERIAL_AGREEMENT
S = ReferralStatus

levels = st.sampled_from(list(Level))
kinds = st.sampled_from(list(ReferralKind))
consents = st.sampled_from(list(ConsentState))
statuses = st.sampled_from(list(ReferralStatus))
sides = st.sampled_from(list(Side))


def mentions(decision, words: str) -> bool:
    return any(words in reason for reason in decision.reasons)


# --- which kinds each level allows -----------------------------------------------------------------


def test_very_low_and_low_send_nothing():
    for level in (VL, L):
        for kind in ReferralKind:
            decision = referral_decision(kind=kind, level=level, consent=ConsentState.REFUSED,
                                         consultation_sent=True, phone_recorded=True)
            assert not decision and decision.reasons
        assert referral_kinds_allowed(level=level, consent=ConsentState.REFUSED, consultation_sent=True) == ()


def test_medium_refers_to_mase_only_when_consent_was_refused_or_withdrawn():
    for consent in (ConsentState.NOT_REQUESTED, ConsentState.REQUESTED, ConsentState.GIVEN):
        decision = referral_decision(kind=MASE, level=M, consent=consent)
        assert not decision and mentions(decision, "refused")
    for consent in (ConsentState.REFUSED, ConsentState.WITHDRAWN):
        assert referral_decision(kind=MASE, level=M, consent=consent)
    assert not referral_decision(kind=CONSULT, level=M, consent=ConsentState.REFUSED)
    assert not referral_decision(kind=MATERIAL, level=M, consent=ConsentState.REFUSED)
    assert referral_kinds_allowed(level=M, consent=ConsentState.REFUSED) == (MASE,)


def test_high_consults_first_then_refers_and_asks_for_agreement():
    assert referral_decision(kind=CONSULT, level=H)
    assert referral_decision(kind=MATERIAL, level=H)
    before = referral_decision(kind=MASE, level=H, consultation_sent=False)
    assert not before and mentions(before, "consult the Safeguarding Children Unit about a MASE referral first")
    assert referral_decision(kind=MASE, level=H, consultation_sent=True)
    assert referral_kinds_allowed(level=H) == (CONSULT, MATERIAL)
    assert referral_kinds_allowed(level=H, consultation_sent=True) == (MASE, CONSULT, MATERIAL)


def test_very_high_phones_first_and_makes_a_mase_referral_only():
    assert phone_call_required(VH) and not any(phone_call_required(level) for level in (VL, L, M, H))
    without_call = referral_decision(kind=MASE, level=VH, consent=ConsentState.NOT_SOUGHT)
    assert not without_call and mentions(without_call, "phone the Safeguarding Children Unit first")
    assert referral_decision(kind=MASE, level=VH, consent=ConsentState.NOT_SOUGHT, phone_recorded=True)
    assert not referral_decision(kind=CONSULT, level=VH, phone_recorded=True)
    assert not referral_decision(kind=MATERIAL, level=VH, phone_recorded=True)


def test_only_very_high_is_urgent():
    assert referral_urgent(VH) and referral_urgent("very_high")
    assert not any(referral_urgent(level) for level in (VL, L, M, H))


def test_the_sender_the_plan_and_an_open_one_of_the_same_kind_are_refused_with_every_reason():
    decision = referral_decision(kind=CONSULT, level=H, may_send=False, plan_active=False, open_kinds=[CONSULT])
    assert not decision
    assert mentions(decision, "Only the designated child protection officer")
    assert mentions(decision, "replaced by a newer one")
    assert mentions(decision, "already with the Safeguarding Children Unit")
    assert referral_decision(kind=CONSULT, level=H, open_kinds=[MATERIAL])


def test_consent_state_follows_the_levels_rule_then_the_latest_decision():
    assert referral_consent_state(VL, "refused") is ConsentState.NOT_NEEDED
    assert referral_consent_state(L, None) is ConsentState.NOT_NEEDED
    assert referral_consent_state(VH, "given") is ConsentState.NOT_SOUGHT
    assert referral_consent_state(M, None) is ConsentState.NOT_REQUESTED
    assert referral_consent_state(H, ConsentStatus.WITHDRAWN) is ConsentState.WITHDRAWN
    assert referral_consent_state(M, "given") is ConsentState.GIVEN


def test_sending_carries_out_the_plans_matching_items():
    assert referral_plan_items(MASE, VH) == ("phone_scu", "mase_referral")
    assert referral_plan_items(CONSULT, H) == ("consult_scu_mase",)
    assert referral_plan_items(MATERIAL, H) == ("seek_scu_agreement",)
    assert referral_plan_items(MASE, M) == ()
    assert referral_plan_items(MASE, H) == ()


@given(kind=kinds, level=levels, consent=consents, consultation_sent=st.booleans(), phone=st.booleans(),
       active=st.booleans(), may_send=st.booleans())
def test_a_refusal_always_says_why_and_an_allowance_needs_every_fact(kind, level, consent, consultation_sent, phone,
                                                                   active, may_send):
    decision = referral_decision(kind=kind, level=level, consent=consent, consultation_sent=consultation_sent,
                                 phone_recorded=phone, plan_active=active, may_send=may_send)
    assert decision.allowed == (not decision.reasons)
    if decision:
        assert active and may_send
        assert level in (M, H, VH)
        if level is VH:
            assert phone and kind is MASE
        if kind is MASE and level is H:
            assert consultation_sent
        if kind is MASE and level is M:
            assert consent.refused


@given(level=levels, consent=consents, consultation_sent=st.booleans())
def test_kinds_allowed_are_exactly_those_the_decision_allows(level, consent, consultation_sent):
    allowed = referral_kinds_allowed(level=level, consent=consent, consultation_sent=consultation_sent)
    for kind in ReferralKind:
        decision = referral_decision(kind=kind, level=level, consent=consent, consultation_sent=consultation_sent,
                                     phone_recorded=True)
        assert (kind in allowed) == decision.allowed


# --- the workflow ----------------------------------------------------------------------------------


def test_the_main_path_is_allowed_one_step_at_a_time():
    path = [S.RECEIVED, S.ACKNOWLEDGED, S.UNDER_REVIEW, S.MASE_SCHEDULED, S.OUTCOME_RECORDED, S.CLOSED]
    for current, target in pairwise(path):
        assert referral_transition_decision(current=current, target=target, side=Side.SCU)


def test_steps_that_make_no_sense_are_refused():
    for current, target in [(S.RECEIVED, S.MASE_SCHEDULED), (S.RECEIVED, S.OUTCOME_RECORDED),
                            (S.ACKNOWLEDGED, S.OUTCOME_RECORDED), (S.UNDER_REVIEW, S.RECEIVED),
                            (S.OUTCOME_RECORDED, S.UNDER_REVIEW), (S.RECEIVED, S.SCHOOL_REPLIED)]:
        decision = referral_transition_decision(current=current, target=target, side=Side.SCU)
        assert not decision and mentions(decision, "cannot become")


def test_information_requested_and_school_replied_go_back_and_forth_each_by_its_side():
    assert referral_transition_decision(current=S.UNDER_REVIEW, target=S.INFORMATION_REQUESTED, side=Side.SCU)
    assert referral_transition_decision(current=S.INFORMATION_REQUESTED, target=S.SCHOOL_REPLIED, side=Side.SCHOOL)
    assert referral_transition_decision(current=S.SCHOOL_REPLIED, target=S.INFORMATION_REQUESTED, side=Side.SCU)
    refused = referral_transition_decision(current=S.INFORMATION_REQUESTED, target=S.SCHOOL_REPLIED, side=Side.SCU)
    assert not refused and mentions(refused, "Only the school")
    assert not referral_transition_decision(current=S.UNDER_REVIEW, target=S.INFORMATION_REQUESTED,
                                            side=Side.SCHOOL)


def test_only_the_school_withdraws_and_never_once_decided():
    for status in (S.RECEIVED, S.ACKNOWLEDGED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.SCHOOL_REPLIED,
                   S.MASE_SCHEDULED):
        assert referral_transition_decision(current=status, target=S.WITHDRAWN, side=Side.SCHOOL)
        assert not referral_transition_decision(current=status, target=S.WITHDRAWN, side=Side.SCU)
    assert not referral_transition_decision(current=S.OUTCOME_RECORDED, target=S.WITHDRAWN, side=Side.SCHOOL)


def test_closed_and_withdrawn_are_final():
    for final in CLOSED_STATUSES:
        assert TRANSITIONS[final] == {}
        for target in ReferralStatus:
            for side in Side:
                decision = referral_transition_decision(current=final, target=target, side=side)
                assert not decision and mentions(decision, "can no longer change")


@given(current=statuses, target=statuses, side=sides)
def test_the_decision_follows_the_table(current, target, side):
    decision = referral_transition_decision(current=current, target=target, side=side)
    assert decision.allowed == (TRANSITIONS[current].get(target) is side)
    assert decision.allowed == (target in referral_next_statuses(current, side))


def test_every_status_but_the_final_ones_leads_somewhere_and_every_status_is_reachable():
    for status in ReferralStatus:
        assert bool(TRANSITIONS[status]) == status.open
    reachable = {S.RECEIVED}
    for targets in TRANSITIONS.values():
        reachable |= set(targets)
    assert reachable == set(ReferralStatus)
    assert reachable >= PLAIN_STATUSES


# --- answers and the MASE agenda -------------------------------------------------------------------


def test_material_answers_answer_only_a_request_for_agreement():
    for answer in (AnswerKind.MATERIAL_AGREED, AnswerKind.MATERIAL_REFUSED):
        assert answer_decision(referral_kind=MATERIAL, answer=answer, status=S.UNDER_REVIEW)
        assert not answer_decision(referral_kind=MASE, answer=answer, status=S.UNDER_REVIEW)
    assert answer_decision(referral_kind=MASE, answer=AnswerKind.ADVICE, status=S.RECEIVED)
    assert not answer_decision(referral_kind=MASE, answer=AnswerKind.OUTCOME, status=S.MASE_SCHEDULED)
    assert not answer_decision(referral_kind=MASE, answer=AnswerKind.SCHOOL_REPLY, status=S.INFORMATION_REQUESTED)
    assert not answer_decision(referral_kind=MASE, answer=AnswerKind.ADVICE, status=S.CLOSED)
    # an answer to a received referral acknowledges it first
    assert answer_decision(referral_kind=MASE, answer=AnswerKind.INFORMATION_REQUEST, status=S.RECEIVED)
    assert not answer_decision(referral_kind=MASE, answer=AnswerKind.INFORMATION_REQUEST,
                               status=S.INFORMATION_REQUESTED)
    assert answer_kinds_allowed(referral_kind=CONSULT, status=S.UNDER_REVIEW) == (
        AnswerKind.ADVICE, AnswerKind.INFORMATION_REQUEST)


def test_the_mase_agenda_takes_referrals_and_consultations_under_review():
    assert mase_agenda_decision(referral_kind=MASE, status=S.UNDER_REVIEW)
    assert mase_agenda_decision(referral_kind=CONSULT, status=S.SCHOOL_REPLIED)
    assert not mase_agenda_decision(referral_kind=MATERIAL, status=S.UNDER_REVIEW)
    assert not mase_agenda_decision(referral_kind=MASE, status=S.RECEIVED)


def test_an_outcome_is_recorded_while_scheduled_and_a_referral_that_moved_on_goes_back_on_the_agenda_first():
    assert mase_outcome_decision(status=S.MASE_SCHEDULED)
    for status in (S.UNDER_REVIEW, S.SCHOOL_REPLIED, S.OUTCOME_RECORDED):
        refused = mase_outcome_decision(status=status)
        assert not refused and mentions(refused, "put it back on the meeting's agenda")
    waiting = mase_outcome_decision(status=S.INFORMATION_REQUESTED)
    assert not waiting and mentions(waiting, "once the school has replied")
    for final in CLOSED_STATUSES:
        assert mentions(mase_outcome_decision(status=final), "can no longer change")
    # scheduled, more information asked for, the school's reply, scheduled again, the outcome
    path = [S.MASE_SCHEDULED, S.INFORMATION_REQUESTED, S.SCHOOL_REPLIED, S.MASE_SCHEDULED, S.OUTCOME_RECORDED]
    for current, target in pairwise(path):
        side = Side.SCHOOL if target is S.SCHOOL_REPLIED else Side.SCU
        assert referral_transition_decision(current=current, target=target, side=side)


@given(status=statuses)
def test_an_outcome_is_recorded_only_from_mase_scheduled_and_a_refusal_says_why(status):
    decision = mase_outcome_decision(status=status)
    assert decision.allowed == (status is S.MASE_SCHEDULED)
    assert decision.allowed == (not decision.reasons)
