"""What the platform must refuse (FRAMEWORK.md §4), as decisions over plain facts.

Each gate takes keyword-only facts and returns a Decision; a refusal says why in words a member of
school staff understands. Facts default to "not done", so a fact left out refuses. Services call
``session_decision`` before recording a teaching session; it gathers every reason that applies.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .decision import Decision
from .levels import Level
from .plans import (
    PLAN_ITEMS,
    RESOURCES,
    TEACHING_OPTIONS,
    ConsentRequirement,
    Group,
    Pack,
    PlanRequirements,
    TeachingOption,
    plan_for,
)

HEADTEACHER_NOT_AGREED = "The headteacher has not agreed this plan."
SCU_ADVICE_NOT_RECORDED = (
    "At Very High Risk no teaching action can be recorded until the Safeguarding Children Unit's advice "
    "has been recorded."
)
SCU_NOT_AGREED = (
    "The Safeguarding Children Unit has not agreed that using the full film is appropriate pending a MASE "
    "meeting."
)
PREVIEW_NOT_CONFIRMED = (
    "The member of staff has not confirmed that they watched the film first and planned where to pause it."
)
NO_PARTICIPANTS = "Record who is taking part: parental consent has to be checked for each of them."
NO_PARTICIPANTS_MASE = "Record who is taking part: a MASE plan has to say the film may be used with each of them."


class ConsentStatus(StrEnum):
    NOT_REQUESTED = "not_requested"
    REQUESTED = "requested"
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def refused(self) -> bool:
        """Refused, or given and then withdrawn: either way the parent has said no."""
        return self in (ConsentStatus.REFUSED, ConsentStatus.WITHDRAWN)


@dataclass(frozen=True, slots=True)
class Participant:
    """A young person taking part in a session, as the gates need them.

    ``name`` is how reasons name them to school staff. ``mase_plan_authorises`` is True only when a MASE
    plan (outcome) for this young person authorises use of the material without parental consent.
    """

    name: str
    consent: ConsentStatus = ConsentStatus.NOT_REQUESTED
    mase_plan_authorises: bool = False


def _packs(packs: Sequence[Pack]) -> str:
    names = [pack.label for pack in packs]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


# --- gate 1: the headteacher's agreement -----------------------------------------------------------


def plan_action_decision(*, action: str, headteacher_agreed: bool = False) -> Decision:
    """No action of a plan is carried out without the headteacher's agreement to that plan.

    ``action`` is a teaching option code or a plan item code. Safeguarding duties (informing the DCPO,
    notes of concern, contacting the SCU, referring to MASE) never wait for the agreement.
    """
    if action in TEACHING_OPTIONS:
        needs_agreement = True
    elif action in PLAN_ITEMS:
        needs_agreement = PLAN_ITEMS[action].needs_headteacher_agreement
    else:
        raise ValueError(f"{action!r} is not an action of any plan.")
    if needs_agreement and not headteacher_agreed:
        return Decision.refuse(HEADTEACHER_NOT_AGREED)
    return Decision.allow()


# --- gate 2: materials only for trained staff ------------------------------------------------------


def materials_view_decision(*, resource: str, staff_trained: bool = False) -> Decision:
    """Can this member of staff see this resource (its guidance, files or link)?"""
    found = RESOURCES.get(resource)
    if found is None:
        raise ValueError(f"{resource!r} is not a known resource.")
    if found.restricted and not staff_trained:
        return Decision.refuse(
            f"{found.title} is part of {found.pack.label}, which only staff who have completed the "
            "authority's detailed training can see."
        )
    return Decision.allow()


# --- gates 3 and 4: consent ------------------------------------------------------------------------


def consent_required(level: Level) -> bool:
    """Whether every participant's parental consent must be given before a session at this level."""
    return plan_for(level).consent.needed


def _consent_reasons(
    level: Level, participants: Sequence[Participant], material: PlanRequirements | None = None
) -> list[str]:
    """``material`` is the plan that prescribes the session's material: at very high, another level's."""
    rule = plan_for(level).consent
    if rule.requirement is ConsentRequirement.NOT_SOUGHT and material and material.consent.mase_plan_can_authorise:
        return _mase_plan_reasons(level, participants)
    if not rule.needed:
        return []
    if not participants:
        return [NO_PARTICIPANTS]
    reasons: list[str] = []
    for participant in participants:
        name, status = participant.name, participant.consent
        if status is ConsentStatus.GIVEN:
            continue
        if not status.refused:
            reasons.append(f"Parental consent for {name} has not been recorded as given.")
            continue
        said_no = "refused" if status is ConsentStatus.REFUSED else "withdrew"
        if rule.mase_plan_can_authorise:
            if not participant.mase_plan_authorises:
                reasons.append(
                    f"{name}'s parent or carer {said_no} consent, and no MASE plan says the film may be "
                    f"used with {name}."
                )
        else:
            reasons.append(
                f"{name}'s parent or carer {said_no} consent, so {name} cannot take part. Contact the "
                "Safeguarding Children Unit for a referral to MASE."
            )
    return reasons


def _mase_plan_reasons(level: Level, participants: Sequence[Participant]) -> list[str]:
    # Consent is not sought at this level, so it can never be given: where the material's own level lets
    # only a MASE plan stand in for consent (the full film), only a MASE plan can authorise it here.
    if not participants:
        return [NO_PARTICIPANTS_MASE]
    return [
        f"Parental consent is not sought at {Level(level).label}, so the film may be used with {p.name} only "
        "if a MASE plan says so."
        for p in participants
        if not p.mase_plan_authorises
    ]


def consent_decision(*, level: Level, participants: Sequence[Participant] = ()) -> Decision:
    """Consent for a session at this level: not needed, or needed from every participant's parent.

    At high, a refusal (or withdrawal) can be overridden only by a MASE plan that authorises the use;
    at medium nothing overrides it. A MASE plan does not stand in for consent that was never asked.
    """
    return Decision.from_reasons(_consent_reasons(level, participants))


def medium_consent_decision(*, participants: Sequence[Participant] = ()) -> Decision:
    """Gate 3: a medium session cannot take place until every participant's consent is given."""
    return consent_decision(level=Level.MEDIUM, participants=participants)


def high_session_decision(
    *,
    headteacher_agreed: bool = False,
    scu_agreed: bool = False,
    staff_confirmed_preview: bool = False,
    participants: Sequence[Participant] = (),
) -> Decision:
    """Gate 4: a high session needs the headteacher's agreement, the SCU's agreement pending MASE, the
    member of staff's confirmation that they watched the film first and planned the pauses, and
    consent (or, where refused, a MASE plan that authorises it)."""
    reasons: list[str] = []
    if not headteacher_agreed:
        reasons.append(HEADTEACHER_NOT_AGREED)
    if not scu_agreed:
        reasons.append(SCU_NOT_AGREED)
    if not staff_confirmed_preview:
        reasons.append(PREVIEW_NOT_CONFIRMED)
    reasons += _consent_reasons(Level.HIGH, participants)
    return Decision.from_reasons(reasons)


# --- gate 5: very high waits for SCU advice --------------------------------------------------------


def very_high_teaching_decision(*, scu_advice_recorded: bool = False) -> Decision:
    if not scu_advice_recorded:
        return Decision.refuse(SCU_ADVICE_NOT_RECORDED)
    return Decision.allow()


# --- everything about recording a teaching session -------------------------------------------------


def _option_reasons(
    level: Level, option: str | None, chosen_option: str | None
) -> tuple[TeachingOption | None, list[str]]:
    plan = plan_for(level)
    if chosen_option is not None and plan.option(chosen_option) is None:
        raise ValueError(f"{chosen_option!r} is not a teaching option of the plan at {plan.level.label}.")
    if plan.awaits_scu_advice:
        # The SCU's advice says what is done; any known option may be recorded, or none named.
        if option is None:
            return None, []
        if option in TEACHING_OPTIONS:
            return TEACHING_OPTIONS[option], []
        return None, [f'"{option}" is not a teaching action of the framework.']
    if plan.choose_one_option:
        if chosen_option is None:
            titles = " or ".join(o.title.split(":")[0] for o in plan.teaching_options)
            return None, [f"The designated child protection officer has not yet chosen {titles} for this plan."]
        chosen = plan.option(chosen_option)
        if option is not None and option != chosen_option:
            return chosen, [f"The designated child protection officer chose {chosen.title} for this plan."]
        return chosen, []
    if option is None:
        return plan.teaching_options[0], []
    chosen = plan.option(option)
    if chosen is not None:
        return chosen, []
    if option in TEACHING_OPTIONS:
        return None, [f"{TEACHING_OPTIONS[option].title} is not part of the plan at {plan.level.label}."]
    return None, [f'"{option}" is not a teaching action of the framework.']


def _prescribing_plan(option: TeachingOption) -> PlanRequirements:
    return next(plan for plan in map(plan_for, Level) if option in plan.teaching_options)


def session_decision(
    *,
    level: Level,
    headteacher_agreed: bool = False,
    staff_trained: bool = False,
    participants: Sequence[Participant] = (),
    option: str | None = None,
    chosen_option: str | None = None,
    scu_agreed: bool = False,
    staff_confirmed_preview: bool = False,
    scu_advice_recorded: bool = False,
    group: Group | str | None = None,
) -> Decision:
    """Can this teaching session be recorded? Every reason that applies, not just the first.

    ``level`` is the young person's effective level; ``option`` is the teaching option code used (it
    may be left out where the plan has only one, or where the DCPO chose one). ``chosen_option`` is the
    option the DCPO chose for the plan, where the plan has several to choose from: until they choose,
    no session is recorded. ``staff_trained`` is about the member of staff who delivers it.

    The material brings the gates of the level that prescribes it, whatever the plan's level: at very
    high (once the SCU's advice is recorded) the full film still needs everything gate 4 asks, and any
    pack reserved for trained staff still needs the training.
    """
    level = Level(level)
    plan = plan_for(level)
    reasons: list[str] = []
    if plan.awaits_scu_advice and not scu_advice_recorded:
        reasons.append(SCU_ADVICE_NOT_RECORDED)
    chosen, option_reasons = _option_reasons(level, option, chosen_option)
    reasons += option_reasons
    if not headteacher_agreed:
        reasons.append(HEADTEACHER_NOT_AGREED)
    packs = chosen.restricted_packs if chosen else (() if plan.awaits_scu_advice else plan.restricted_packs)
    if packs and not staff_trained:
        reasons.append(
            "The member of staff delivering this session has not completed the authority's detailed "
            f"training, which is needed for {_packs(packs)} materials."
        )
    material = _prescribing_plan(chosen) if chosen else plan
    if material.scu_agreement_required and not scu_agreed:
        reasons.append(SCU_NOT_AGREED)
    if material.staff_preview_required and not staff_confirmed_preview:
        reasons.append(PREVIEW_NOT_CONFIRMED)
    reasons += _consent_reasons(level, participants, material)
    if group is not None:
        reasons += group_decision(level=level, group=group).reasons
    return Decision.from_reasons(reasons)


def group_decision(*, level: Level, group: Group | str) -> Decision:
    """The session is with the group the level prescribes (§3); at very high, the SCU's advice says."""
    plan = plan_for(Level(level))
    if plan.group is Group.NONE or Group(group) is plan.group:
        return Decision.allow()
    return Decision.refuse(f"At {plan.level.label} the teaching is with {plan.group.label.lower()}.")


# --- gate 6: governors -----------------------------------------------------------------------------


def governors_acknowledged(*, acknowledged_versions: Collection[str], version_in_force: str) -> bool:
    """Whether a school's governors have acknowledged the framework version now in force."""
    return version_in_force in acknowledged_versions
