"""What a school may send the Safeguarding Children Unit, and how a referral moves (FRAMEWORK.md §3, §4).

Which kinds a level allows is read from the level's plan (``plan_for``), never restated:

* a consultation about a MASE referral where the plan says the DCPO consults the SCU (high);
* a request for the SCU's agreement to use the material pending MASE where the plan says the DCPO seeks
  it (high);
* a MASE referral where the plan makes one (very high, after the phone call to the SCU has been recorded),
  where a refused consent leads to one (medium), or, where the plan says to consult first, once the
  consultation has been sent (high).

A referral's status follows a fixed table of transitions, each made by one side (the SCU or the school).
A MASE outcome is recorded for a referral on the meeting's agenda while it is scheduled; one that moved on
since it was put on the agenda (under review, more information asked for, the school's reply) is put back
on that agenda first, by the same step of the table.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import StrEnum
from types import MappingProxyType

from .decision import Decision
from .gates import ConsentStatus
from .levels import Level
from .plans import (
    CONSENT_REFUSED_MASE_REFERRAL,
    CONSULT_SCU_MASE,
    MASE_REFERRAL,
    PHONE_SCU,
    SEEK_SCU_AGREEMENT,
    ConsentRequirement,
    plan_for,
)


class ReferralKind(StrEnum):
    MASE_REFERRAL = "mase_referral"
    MASE_CONSULTATION = "mase_consultation"
    MATERIAL_AGREEMENT = "material_agreement"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ReferralKind.MASE_REFERRAL: "MASE referral",
    ReferralKind.MASE_CONSULTATION: "Consultation about a MASE referral",
    ReferralKind.MATERIAL_AGREEMENT: "Request for agreement to use high-level material pending MASE",
}


class ReferralStatus(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    UNDER_REVIEW = "under_review"
    INFORMATION_REQUESTED = "information_requested"
    SCHOOL_REPLIED = "school_replied"
    MASE_SCHEDULED = "mase_scheduled"
    OUTCOME_RECORDED = "outcome_recorded"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def open(self) -> bool:
        """Still with the SCU or the school: neither closed nor withdrawn."""
        return self not in CLOSED_STATUSES


_STATUS_LABELS = {
    ReferralStatus.RECEIVED: "Received",
    ReferralStatus.ACKNOWLEDGED: "Acknowledged",
    ReferralStatus.UNDER_REVIEW: "Under review",
    ReferralStatus.INFORMATION_REQUESTED: "More information requested",
    ReferralStatus.SCHOOL_REPLIED: "School replied",
    ReferralStatus.MASE_SCHEDULED: "MASE scheduled",
    ReferralStatus.OUTCOME_RECORDED: "Outcome recorded",
    ReferralStatus.CLOSED: "Closed",
    ReferralStatus.WITHDRAWN: "Withdrawn by the school",
}
CLOSED_STATUSES: frozenset[ReferralStatus] = frozenset({ReferralStatus.CLOSED, ReferralStatus.WITHDRAWN})


class ConsentState(StrEnum):
    """Parental consent as the SCU is told it when a referral is sent."""

    NOT_NEEDED = "not_needed"
    NOT_SOUGHT = "not_sought"
    NOT_REQUESTED = "not_requested"
    REQUESTED = "requested"
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _CONSENT_LABELS[self]

    @property
    def refused(self) -> bool:
        return self in (ConsentState.REFUSED, ConsentState.WITHDRAWN)


_CONSENT_LABELS = {
    ConsentState.NOT_NEEDED: "Not needed at this level",
    ConsentState.NOT_SOUGHT: "Not sought (very high risk)",
    ConsentState.NOT_REQUESTED: "Not yet asked",
    ConsentState.REQUESTED: "Asked, no answer yet",
    ConsentState.GIVEN: "Given",
    ConsentState.REFUSED: "Refused",
    ConsentState.WITHDRAWN: "Withdrawn",
}


class AnswerKind(StrEnum):
    """What the SCU writes back on a referral (and the school's reply to a request for information)."""

    ADVICE = "advice"
    MATERIAL_AGREED = "material_agreed"
    MATERIAL_REFUSED = "material_refused"
    INFORMATION_REQUEST = "information_request"
    SCHOOL_REPLY = "school_reply"
    OUTCOME = "outcome"

    @property
    def label(self) -> str:
        return _ANSWER_LABELS[self]


_ANSWER_LABELS = {
    AnswerKind.ADVICE: "Advice",
    AnswerKind.MATERIAL_AGREED: "Agreement to use the material pending MASE",
    AnswerKind.MATERIAL_REFUSED: "Refusal to use the material",
    AnswerKind.INFORMATION_REQUEST: "Request for more information",
    AnswerKind.SCHOOL_REPLY: "The school's reply",
    AnswerKind.OUTCOME: "MASE outcome",
}


class Side(StrEnum):
    SCU = "scu"
    SCHOOL = "school"


# --- what a school may send ------------------------------------------------------------------------


def referral_consent_state(level: Level, latest: ConsentStatus | str | None) -> ConsentState:
    """Consent as the referral reports it: by the level's rule, then the latest decision on the plan."""
    requirement = plan_for(level).consent.requirement
    if requirement is ConsentRequirement.NOT_NEEDED:
        return ConsentState.NOT_NEEDED
    if requirement is ConsentRequirement.NOT_SOUGHT:
        return ConsentState.NOT_SOUGHT
    if latest is None:
        return ConsentState.NOT_REQUESTED
    return ConsentState(ConsentStatus(latest).value)


def phone_call_required(level: Level) -> bool:
    """Where the plan says to phone the SCU (very high), the call is recorded before a MASE referral."""
    return plan_for(level).process(PHONE_SCU.code) is not None


def referral_urgent(level: Level | str) -> bool:
    """At very high, the threshold of risk of significant harm, the referral is urgent: first in the SCU's
    queue, and its notices are marked urgent."""
    return Level(level) is Level.VERY_HIGH


def _kind_reasons(kind: ReferralKind, level: Level, consent: ConsentState, consultation_sent: bool,
                  phone_recorded: bool) -> list[str]:
    plan = plan_for(level)
    name = plan.level.label
    if kind is ReferralKind.MASE_CONSULTATION:
        if plan.process(CONSULT_SCU_MASE.code) is None:
            return [f"At {name} the framework does not ask for a consultation about a MASE referral."]
        return []
    if kind is ReferralKind.MATERIAL_AGREEMENT:
        if plan.process(SEEK_SCU_AGREEMENT.code) is None:
            return [f"At {name} there is no high-level material to ask the Safeguarding Children Unit to agree to."]
        return []
    # A MASE referral.
    if plan.process(MASE_REFERRAL.code) is not None:
        if phone_call_required(level) and not phone_recorded:
            return [f"At {name}, phone the Safeguarding Children Unit first, and record the call: when, "
                    "to whom, and what was said."]
        return []
    if plan.process(CONSULT_SCU_MASE.code) is not None:
        if not consultation_sent:
            return [f"At {name}, consult the Safeguarding Children Unit about a MASE referral first."]
        return []
    if plan.consent.if_refused_action == CONSENT_REFUSED_MASE_REFERRAL.code:
        if not consent.refused:
            return [f"At {name} a MASE referral is made when a parent or carer has refused (or withdrawn) "
                    "consent, and it has not been refused."]
        return []
    return [f"At {name} the framework does not refer a young person to MASE."]


def referral_decision(
    *,
    kind: ReferralKind | str,
    level: Level | str,
    consent: ConsentState | str = ConsentState.NOT_REQUESTED,
    consultation_sent: bool = False,
    phone_recorded: bool = False,
    plan_active: bool = True,
    open_kinds: Collection[ReferralKind | str] = (),
    may_send: bool = True,
) -> Decision:
    """Can the school send this kind of referral or request, on a plan at this (effective) level?

    ``consultation_sent``: a consultation about MASE was already sent on this plan (and not withdrawn).
    ``open_kinds``: the kinds of this plan's referrals that are still open with the SCU; a second one of
    the same kind is refused (reply to, or withdraw, the first). ``may_send``: the sender's role allows it.
    """
    kind, level, consent = ReferralKind(kind), Level(level), ConsentState(consent)
    reasons: list[str] = []
    if not may_send:
        reasons.append("Only the designated child protection officer sends referrals and requests to the "
                       "Safeguarding Children Unit.")
    if not plan_active:
        reasons.append("This plan has been replaced by a newer one: send from the young person's current plan.")
    reasons += _kind_reasons(kind, level, consent, consultation_sent, phone_recorded)
    if kind in {ReferralKind(k) for k in open_kinds}:
        reasons.append(f"A {kind.label.lower()} on this plan is already with the Safeguarding Children Unit: "
                       "follow it up, or withdraw it, rather than sending another.")
    return Decision.from_reasons(reasons)


def referral_kinds_allowed(
    *,
    level: Level | str,
    consent: ConsentState | str = ConsentState.NOT_REQUESTED,
    consultation_sent: bool = False,
    open_kinds: Collection[ReferralKind | str] = (),
) -> tuple[ReferralKind, ...]:
    """The kinds the school can send on this plan now (a MASE referral at very high once the call is
    recorded, which the sending form asks for first)."""
    return tuple(
        kind for kind in ReferralKind
        if referral_decision(kind=kind, level=level, consent=consent, consultation_sent=consultation_sent,
                             phone_recorded=True, open_kinds=open_kinds)
    )


# --- how a referral moves --------------------------------------------------------------------------

_S = ReferralStatus
SCU, SCHOOL = Side.SCU, Side.SCHOOL
TRANSITIONS: Mapping[ReferralStatus, Mapping[ReferralStatus, Side]] = MappingProxyType({
    _S.RECEIVED: {_S.ACKNOWLEDGED: SCU, _S.WITHDRAWN: SCHOOL},
    _S.ACKNOWLEDGED: {_S.UNDER_REVIEW: SCU, _S.INFORMATION_REQUESTED: SCU, _S.CLOSED: SCU, _S.WITHDRAWN: SCHOOL},
    _S.UNDER_REVIEW: {_S.INFORMATION_REQUESTED: SCU, _S.MASE_SCHEDULED: SCU, _S.CLOSED: SCU, _S.WITHDRAWN: SCHOOL},
    _S.INFORMATION_REQUESTED: {_S.SCHOOL_REPLIED: SCHOOL, _S.CLOSED: SCU, _S.WITHDRAWN: SCHOOL},
    _S.SCHOOL_REPLIED: {_S.UNDER_REVIEW: SCU, _S.INFORMATION_REQUESTED: SCU, _S.MASE_SCHEDULED: SCU,
                        _S.CLOSED: SCU, _S.WITHDRAWN: SCHOOL},
    _S.MASE_SCHEDULED: {_S.OUTCOME_RECORDED: SCU, _S.UNDER_REVIEW: SCU, _S.INFORMATION_REQUESTED: SCU,
                        _S.WITHDRAWN: SCHOOL},
    _S.OUTCOME_RECORDED: {_S.MASE_SCHEDULED: SCU, _S.CLOSED: SCU},
    _S.CLOSED: {},
    _S.WITHDRAWN: {},
})

# Statuses the SCU sets by saying so; the others follow from an action that carries more than a status
# (a request for information, the school's reply, a MASE agenda, an outcome, a withdrawal).
PLAIN_STATUSES: frozenset[ReferralStatus] = frozenset({_S.ACKNOWLEDGED, _S.UNDER_REVIEW, _S.CLOSED})

_WHO = {SCU: "the Safeguarding Children Unit", SCHOOL: "the school"}


def referral_transition_decision(*, current: ReferralStatus | str, target: ReferralStatus | str,
                                 side: Side | str) -> Decision:
    """Can ``side`` move a referral from ``current`` to ``target``? A refusal says why in plain words."""
    current, target, side = ReferralStatus(current), ReferralStatus(target), Side(side)
    if current in CLOSED_STATUSES:
        return Decision.refuse(f"This referral is {current.label.lower()}: its status can no longer change.")
    if target == current:
        return Decision.refuse(f"This referral is already {current.label.lower()}.")
    allowed = TRANSITIONS[current]
    if target not in allowed:
        return Decision.refuse(
            f"A referral that is {current.label.lower()} cannot become {target.label.lower()}."
        )
    if allowed[target] is not side:
        return Decision.refuse(f"Only {_WHO[allowed[target]]} can make this referral "
                               f"{target.label.lower()}.")
    return Decision.allow()


def referral_next_statuses(current: ReferralStatus | str, side: Side | str) -> tuple[ReferralStatus, ...]:
    """The statuses ``side`` may move the referral to next, in the table's order."""
    return tuple(target for target, who in TRANSITIONS[ReferralStatus(current)].items() if who is Side(side))


# --- what the SCU may answer -----------------------------------------------------------------------


def answer_decision(*, referral_kind: ReferralKind | str, answer: AnswerKind | str,
                    status: ReferralStatus | str) -> Decision:
    """Can the SCU write this kind of answer on this referral now?

    Agreement or refusal answers a request for agreement to use the material; a MASE outcome is recorded
    at a meeting, and the school's reply comes from the school. Any answer to a referral still "received"
    acknowledges it.
    """
    referral_kind, answer, status = ReferralKind(referral_kind), AnswerKind(answer), ReferralStatus(status)
    if status in CLOSED_STATUSES:
        return Decision.refuse(f"This referral is {status.label.lower()}: nothing more can be added to it.")
    if answer in (AnswerKind.MATERIAL_AGREED, AnswerKind.MATERIAL_REFUSED) and \
            referral_kind is not ReferralKind.MATERIAL_AGREEMENT:
        return Decision.refuse("Agreement or refusal to use the material answers a request for that agreement.")
    if answer is AnswerKind.OUTCOME:
        return Decision.refuse("A MASE outcome is recorded at the MASE meeting.")
    if answer is AnswerKind.SCHOOL_REPLY:
        return Decision.refuse("Only the school replies to a request for more information.")
    if answer is AnswerKind.INFORMATION_REQUEST:
        # An answer to a referral still "received" acknowledges it first.
        current = ReferralStatus.ACKNOWLEDGED if status is ReferralStatus.RECEIVED else status
        return referral_transition_decision(current=current, target=ReferralStatus.INFORMATION_REQUESTED, side=SCU)
    return Decision.allow()


def answer_kinds_allowed(*, referral_kind: ReferralKind | str, status: ReferralStatus | str) -> tuple[AnswerKind, ...]:
    return tuple(kind for kind in AnswerKind
                 if answer_decision(referral_kind=referral_kind, answer=kind, status=status))


def mase_agenda_decision(*, referral_kind: ReferralKind | str, status: ReferralStatus | str) -> Decision:
    """Can this referral go on a MASE meeting's agenda? MASE referrals and consultations about one can."""
    if ReferralKind(referral_kind) is ReferralKind.MATERIAL_AGREEMENT:
        return Decision.refuse("A request for agreement to use the material is answered by the SCU, not put "
                               "to MASE: put the young person's MASE referral on the agenda.")
    return referral_transition_decision(current=status, target=ReferralStatus.MASE_SCHEDULED, side=SCU)


def mase_outcome_decision(*, status: ReferralStatus | str) -> Decision:
    """Can the outcome of a MASE meeting be recorded for a referral on its agenda now? While it is scheduled.

    One that moved on since it was put on the agenda goes back on it first (the SCU's step to "MASE
    scheduled"); one waiting for the school's reply waits for it.
    """
    status = ReferralStatus(status)
    decision = referral_transition_decision(current=status, target=ReferralStatus.OUTCOME_RECORDED, side=SCU)
    if decision or not status.open:
        return decision
    if referral_transition_decision(current=status, target=ReferralStatus.MASE_SCHEDULED, side=SCU):
        return Decision.refuse(f"Since it was put on the agenda this referral has moved on ({status.label.lower()}): "
                               "put it back on the meeting's agenda, then record its outcome.")
    if ReferralStatus.SCHOOL_REPLIED in referral_next_statuses(status, SCHOOL):
        return Decision.refuse("The Safeguarding Children Unit asked the school for more information: once the "
                               "school has replied, put the referral back on the meeting's agenda, then record its "
                               "outcome.")
    return decision


def referral_plan_items(kind: ReferralKind | str, level: Level | str) -> tuple[str, ...]:
    """The items of the level's plan that sending this kind carries out (the phone call and the MASE
    referral at very high; the consultation, or the request for agreement, at high)."""
    plan = plan_for(level)
    codes = {
        ReferralKind.MASE_CONSULTATION: (CONSULT_SCU_MASE.code,),
        ReferralKind.MATERIAL_AGREEMENT: (SEEK_SCU_AGREEMENT.code,),
        ReferralKind.MASE_REFERRAL: (PHONE_SCU.code, MASE_REFERRAL.code),
    }[ReferralKind(kind)]
    return tuple(code for code in codes if plan.process(code) is not None)
