"""What each level requires (FRAMEWORK.md §3): teaching, group, other processes, consent, review.

``plan_for(level)`` is the one place these requirements are written down. Codes (teaching options,
resources, plan items) are stable: records store them, so never rename one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from .levels import Level, awaits_scu_advice, quiz_required
from .reviews import REVIEW_DUE_FROM_WEEKS, REVIEW_OVERDUE_AFTER_WEEKS, ReviewBasis, review_basis


class Pack(StrEnum):
    CEOP = "ceop"
    MY_DANGEROUS_LOVER_BOY = "my_dangerous_lover_boy"
    BWISE_2 = "bwise_2"

    @property
    def label(self) -> str:
        return _PACK_LABELS[self]


_PACK_LABELS = {
    Pack.CEOP: "CEOP resources",
    Pack.MY_DANGEROUS_LOVER_BOY: "My Dangerous Lover Boy",
    Pack.BWISE_2: "BWise 2 Sexual Exploitation",
}

# "Staff will not be provided with the packs - 'My Dangerous Loverboy' and 'BWise 2 Sexual
# Exploitation' - until after they have received detailed training." The restriction follows the pack,
# so it covers every resource taken from these packs, at whatever level it is used.
RESTRICTED_PACKS: frozenset[Pack] = frozenset({Pack.MY_DANGEROUS_LOVER_BOY, Pack.BWISE_2})


@dataclass(frozen=True, slots=True)
class Resource:
    code: str
    title: str
    pack: Pack
    warning: str = ""

    @property
    def restricted(self) -> bool:
        """Only staff who have completed the authority's detailed training may deliver or see it."""
        return self.pack in RESTRICTED_PACKS


_RESOURCE_LIST = (
    Resource("ceop_resource", "An appropriate CEOP resource", Pack.CEOP),
    Resource(
        "me_jenny_and_kate", "Me, Jenny and Kate (animation) and its activity", Pack.MY_DANGEROUS_LOVER_BOY
    ),
    Resource(
        "friends_mate_activity",
        "Activity: I thought my friend's mate was my mate",
        Pack.MY_DANGEROUS_LOVER_BOY,
    ),
    Resource("leanne_liam_activities", "The Leanne/Liam activities", Pack.MY_DANGEROUS_LOVER_BOY),
    Resource("mdlb_music_video", "My Dangerous Lover Boy music video", Pack.MY_DANGEROUS_LOVER_BOY),
    Resource("be_wise", "Be Wise resource (BWise 2 Sexual Exploitation)", Pack.BWISE_2),
    Resource(
        "mdlb_full_film",
        "My Dangerous Lover Boy full film",
        Pack.MY_DANGEROUS_LOVER_BOY,
        warning="This is a very explicit film which shows the rape of a young girl.",
    ),
)
RESOURCES: Mapping[str, Resource] = MappingProxyType({resource.code: resource for resource in _RESOURCE_LIST})


class Group(StrEnum):
    WHOLE_TUTOR_GROUP = "whole_tutor_group"
    SMALL_TUTOR_GROUP = "small_tutor_group"
    ONE_TO_ONE_OR_SMALL_GROUP = "one_to_one_or_small_group"
    NONE = "none"

    @property
    def label(self) -> str:
        return _GROUP_LABELS[self]


_GROUP_LABELS = {
    Group.WHOLE_TUTOR_GROUP: "Whole tutor group",
    Group.SMALL_TUTOR_GROUP: "Small tutor group",
    Group.ONE_TO_ONE_OR_SMALL_GROUP: "1:1, or a very carefully chosen small group",
    Group.NONE: "No group work: await the Safeguarding Children Unit's advice",
}


@dataclass(frozen=True, slots=True)
class TeachingOption:
    """One way of carrying out the plan's teaching action: its steps in order, and what they use."""

    code: str
    title: str
    steps: tuple[str, ...]
    resources: tuple[Resource, ...]

    @property
    def restricted(self) -> bool:
        return any(resource.restricted for resource in self.resources)

    @property
    def restricted_packs(self) -> tuple[Pack, ...]:
        return tuple(dict.fromkeys(r.pack for r in self.resources if r.restricted))


class Expectation(StrEnum):
    REQUIRED = "required"
    CONSIDER = "consider"


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One of the plan's other processes, as a checklist item.

    ``needs_headteacher_agreement`` is False for safeguarding duties (informing the DCPO, notes of
    concern, contacting the SCU, referring to MASE): they never wait for the plan to be agreed.
    """

    code: str
    text: str
    expectation: Expectation
    needs_headteacher_agreement: bool

    @property
    def required(self) -> bool:
        return self.expectation is Expectation.REQUIRED


class ConsentRequirement(StrEnum):
    NOT_NEEDED = "not_needed"
    EVERY_PARTICIPANT = "every_participant"
    NOT_SOUGHT = "not_sought"


@dataclass(frozen=True, slots=True)
class ConsentRule:
    requirement: ConsentRequirement
    text: str
    if_refused: str = ""
    # The action the DCPO takes when consent is refused, as a plan item code (medium: refer to MASE).
    if_refused_action: str | None = None
    # High: a MASE plan may authorise use of the material without consent. Medium: nothing can.
    mase_plan_can_authorise: bool = False

    @property
    def needed(self) -> bool:
        return self.requirement is ConsentRequirement.EVERY_PARTICIPANT


@dataclass(frozen=True, slots=True)
class ReviewRule:
    basis: ReviewBasis
    text: str
    due_from_weeks: int | None = None
    overdue_after_weeks: int | None = None


@dataclass(frozen=True, slots=True)
class PlanRequirements:
    level: Level
    teaching_action: str
    teaching_options: tuple[TeachingOption, ...]
    group: Group
    processes: tuple[PlanItem, ...]
    consent: ConsentRule
    review: ReviewRule
    quiz_required: bool
    awaits_scu_advice: bool
    # High: the session needs the SCU's agreement (pending MASE) and the member of staff's confirmation
    # that they watched the film first and planned the pauses.
    scu_agreement_required: bool = False
    staff_preview_required: bool = False

    @property
    def choose_one_option(self) -> bool:
        return len(self.teaching_options) > 1

    @property
    def materials_restricted(self) -> bool:
        """True if any way of carrying out this plan uses a pack reserved for trained staff."""
        return any(option.restricted for option in self.teaching_options)

    @property
    def restricted_packs(self) -> tuple[Pack, ...]:
        packs = (pack for option in self.teaching_options for pack in option.restricted_packs)
        return tuple(dict.fromkeys(packs))

    @property
    def required_processes(self) -> tuple[PlanItem, ...]:
        return tuple(item for item in self.processes if item.required)

    @property
    def processes_to_consider(self) -> tuple[PlanItem, ...]:
        return tuple(item for item in self.processes if not item.required)

    def option(self, code: str) -> TeachingOption | None:
        return next((option for option in self.teaching_options if option.code == code), None)

    def process(self, code: str) -> PlanItem | None:
        return next((item for item in self.processes if item.code == code), None)


# --- teaching options ------------------------------------------------------------------------------

_R = RESOURCES

CEOP_DISCUSSION = TeachingOption(
    code="ceop_resource_discussion",
    title="CEOP resource and general discussion",
    steps=(
        "Use an appropriate CEOP resource with the whole tutor group.",
        "Hold a general discussion about this sort of behaviour.",
    ),
    resources=(_R["ceop_resource"],),
)
ME_JENNY_AND_KATE = TeachingOption(
    code="me_jenny_and_kate",
    title="Me, Jenny and Kate, and I thought my friend's mate was my mate",
    steps=(
        "Show the animation Me, Jenny and Kate and do its activity.",
        "Do the activity I thought my friend's mate was my mate, from the My Dangerous Lover Boy pack.",
        "Hold a general discussion.",
    ),
    resources=(_R["me_jenny_and_kate"], _R["friends_mate_activity"]),
)
OPTION_1_LEANNE_LIAM = TeachingOption(
    code="option_1_leanne_liam",
    title="Option 1: Leanne/Liam activities, then the music video",
    steps=(
        "Use the Leanne/Liam activities from the My Dangerous Lover Boy pack.",
        "Show the My Dangerous Lover Boy music video to check learning.",
    ),
    resources=(_R["leanne_liam_activities"], _R["mdlb_music_video"]),
)
OPTION_2_BE_WISE = TeachingOption(
    code="option_2_be_wise",
    title="Option 2: Be Wise, then the music video",
    steps=(
        "Use the Be Wise resource.",
        "Show the My Dangerous Lover Boy music video to check learning.",
    ),
    resources=(_R["be_wise"], _R["mdlb_music_video"]),
)
FULL_FILM = TeachingOption(
    code="mdlb_full_film",
    title="My Dangerous Lover Boy full film",
    steps=(
        "Watch the full film yourself first, and work out where to pause it (the pack gives the points).",
        "Show the full film, pausing at the planned points.",
    ),
    resources=(_R["mdlb_full_film"],),
)

TEACHING_OPTIONS: Mapping[str, TeachingOption] = MappingProxyType(
    {
        option.code: option
        for option in (CEOP_DISCUSSION, ME_JENNY_AND_KATE, OPTION_1_LEANNE_LIAM, OPTION_2_BE_WISE, FULL_FILM)
    }
)

# --- other processes -------------------------------------------------------------------------------

_REQUIRED, _CONSIDER = Expectation.REQUIRED, Expectation.CONSIDER


def _duty(code: str, text: str) -> PlanItem:
    return PlanItem(code, text, _REQUIRED, needs_headteacher_agreement=False)


INFORM_DCPO = _duty("inform_dcpo", "Inform the designated child protection officer (DCPO).")
RETURN_QUESTIONNAIRE = _duty(
    "return_questionnaire",
    "Give the completed SERAT questionnaire to the designated child protection officer.",
)
NOTES_OF_CONCERN_VERY_LOW = _duty(
    "notes_of_concern",
    "Make sure concerns that pupils raise (through peer counselling, with pastoral staff, or on behalf of "
    "friends) are managed: log them as notes of concern for the designated child protection officer.",
)
NOTES_OF_CONCERN_LOW = _duty(
    "notes_of_concern",
    "Monitor using notes of concern (early identification records) to the designated child protection "
    "officer.",
)
CONSIDER_CAF_TAC = PlanItem(
    "consider_caf_tac",
    "Consider whether a CAF/TAC is appropriate because of drugs, alcohol, attendance, sexual health and "
    "contraception, or going missing from home. It is recommended that a CAF/TAC is completed at this stage.",
    _CONSIDER,
    needs_headteacher_agreement=True,
)
CONSIDER_PACE = PlanItem(
    "consider_pace",
    "Consider involving PACE (Parents Against Child Exploitation, formerly CROP) to support parents.",
    _CONSIDER,
    needs_headteacher_agreement=True,
)
SHOW_RESOURCE_TO_PARENTS = PlanItem(
    "show_resource_to_parents",
    "It may be useful to show the resource to parents: if so, include it in the TAC plan.",
    _CONSIDER,
    needs_headteacher_agreement=True,
)
CONSULT_SCU_MASE = _duty(
    "consult_scu_mase",
    "The designated child protection officer consults the Safeguarding Children Unit about a referral "
    "to MASE.",
)
SEEK_SCU_AGREEMENT = PlanItem(
    "seek_scu_agreement",
    "The designated child protection officer seeks the Safeguarding Children Unit's agreement that it is "
    "appropriate to use the full film pending a MASE meeting.",
    _REQUIRED,
    needs_headteacher_agreement=True,
)
PHONE_SCU = _duty("phone_scu", "Phone the Safeguarding Children Unit.")
MASE_REFERRAL = _duty("mase_referral", "Make a referral to MASE.")
# Not on a level's checklist: it becomes a duty when a parent refuses consent at medium.
CONSENT_REFUSED_MASE_REFERRAL = _duty(
    "consent_refused_mase_referral",
    "Parental consent was refused: contact the Safeguarding Children Unit for a referral to MASE.",
)

# --- consent and review ----------------------------------------------------------------------------

_CONSENT_NOT_NEEDED = ConsentRule(
    ConsentRequirement.NOT_NEEDED,
    "Parental consent is not needed: this is part of the relationships education curriculum.",
)
_CONSENT_MEDIUM = ConsentRule(
    ConsentRequirement.EVERY_PARTICIPANT,
    "Parental consent is required for every participant, because of the explicit nature of the materials.",
    if_refused=(
        "The young person cannot take part. Contact the Safeguarding Children Unit for a referral to MASE."
    ),
    if_refused_action=CONSENT_REFUSED_MASE_REFERRAL.code,
)
_CONSENT_HIGH = ConsentRule(
    ConsentRequirement.EVERY_PARTICIPANT,
    "Parental consent is required for every participant.",
    if_refused=(
        "The film must not be used with the young person unless the plan from a MASE meeting says so."
    ),
    mase_plan_can_authorise=True,
)
_CONSENT_VERY_HIGH = ConsentRule(
    ConsentRequirement.NOT_SOUGHT,
    "Parental consent is not sought: this is now at the threshold of a risk of significant harm.",
)

_REVIEW_TERM_WEEKS = ReviewRule(
    ReviewBasis.TERM_WEEKS,
    f"Redo the SERAT after {REVIEW_DUE_FROM_WEEKS}-{REVIEW_OVERDUE_AFTER_WEEKS} term-time weeks (following "
    "the half-term break) to assess the impact and whether to escalate to the next level.",
    due_from_weeks=REVIEW_DUE_FROM_WEEKS,
    overdue_after_weeks=REVIEW_OVERDUE_AFTER_WEEKS,
)
_REVIEW_SCU_OR_MASE = ReviewRule(
    ReviewBasis.SCU_OR_MASE,
    "The next review date comes from the Safeguarding Children Unit or the MASE plan.",
)


def _review(level: Level) -> ReviewRule:
    return _REVIEW_TERM_WEEKS if review_basis(level) is ReviewBasis.TERM_WEEKS else _REVIEW_SCU_OR_MASE


def _plan(level: Level, **fields: object) -> PlanRequirements:
    return PlanRequirements(
        level=level,
        review=_review(level),
        quiz_required=quiz_required(level),
        awaits_scu_advice=awaits_scu_advice(level),
        **fields,  # type: ignore[arg-type]
    )


_PLANS: Mapping[Level, PlanRequirements] = MappingProxyType(
    {
        Level.VERY_LOW: _plan(
            Level.VERY_LOW,
            teaching_action="Use an appropriate CEOP resource with the whole tutor group, plus a general "
            "discussion about this sort of behaviour.",
            teaching_options=(CEOP_DISCUSSION,),
            group=Group.WHOLE_TUTOR_GROUP,
            processes=(INFORM_DCPO, RETURN_QUESTIONNAIRE, NOTES_OF_CONCERN_VERY_LOW),
            consent=_CONSENT_NOT_NEEDED,
        ),
        Level.LOW: _plan(
            Level.LOW,
            teaching_action="Use the animation Me, Jenny and Kate and its activity, plus the activity I "
            "thought my friend's mate was my mate (My Dangerous Lover Boy pack), with the whole tutor group, "
            "plus a general discussion.",
            teaching_options=(ME_JENNY_AND_KATE,),
            group=Group.WHOLE_TUTOR_GROUP,
            processes=(NOTES_OF_CONCERN_LOW, RETURN_QUESTIONNAIRE),
            consent=_CONSENT_NOT_NEEDED,
        ),
        Level.MEDIUM: _plan(
            Level.MEDIUM,
            teaching_action="Use either Option 1 (the Leanne/Liam activities from My Dangerous Lover Boy) or "
            "Option 2 (the Be Wise resource) with a small tutor group, then show the My Dangerous Lover Boy "
            "music video to check learning.",
            teaching_options=(OPTION_1_LEANNE_LIAM, OPTION_2_BE_WISE),
            group=Group.SMALL_TUTOR_GROUP,
            processes=(CONSIDER_CAF_TAC, CONSIDER_PACE, SHOW_RESOURCE_TO_PARENTS),
            consent=_CONSENT_MEDIUM,
        ),
        Level.HIGH: _plan(
            Level.HIGH,
            teaching_action="Use the full film from My Dangerous Lover Boy, 1:1 or with a very carefully "
            "chosen small group. Staff must watch the film first and work out where to pause it, and must "
            "have the Safeguarding Children Unit's agreement pending a MASE meeting.",
            teaching_options=(FULL_FILM,),
            group=Group.ONE_TO_ONE_OR_SMALL_GROUP,
            processes=(CONSULT_SCU_MASE, SEEK_SCU_AGREEMENT),
            consent=_CONSENT_HIGH,
            scu_agreement_required=True,
            staff_preview_required=True,
        ),
        Level.VERY_HIGH: _plan(
            Level.VERY_HIGH,
            teaching_action="None: await advice from the Safeguarding Children Unit.",
            teaching_options=(),
            group=Group.NONE,
            processes=(PHONE_SCU, MASE_REFERRAL),
            consent=_CONSENT_VERY_HIGH,
        ),
    }
)

PLAN_ITEMS: Mapping[str, PlanItem] = MappingProxyType(
    {item.code: item for plan in _PLANS.values() for item in (*plan.processes, CONSENT_REFUSED_MASE_REFERRAL)}
)


def plan_for(level: Level) -> PlanRequirements:
    return _PLANS[Level(level)]
