"""MASE meetings: the date, the agencies attending, the referrals on the agenda, and per referral an
outcome (the agreed level, the plan's actions and owners, whether the material may be used, the next
review date). Central portal only; the school reads the outcome through its referral.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.rules import referrals as rules
from safeguarding.rules.levels import Level
from safeguarding.rules.plans import ConsentRequirement, plan_for
from safeguarding.rules.roles import Capability, Role
from scu_portal.models.referrals import MaseMeeting, MaseOutcome, MaterialUse, Referral, ScuAnswer

from .triage import _answered, _audit, _tell_school, referral_locked, referral_transition, refuse_unless, require

MANAGE_REFUSED = "Only SCU officers and managers arrange MASE meetings and record their outcomes."
OUTCOME_ALREADY_RECORDED = "The outcome for this referral at this meeting has already been recorded."


def meeting_link(meeting: MaseMeeting) -> str:
    return f"/scu/meetings/{meeting.pk}/"


def _agencies(agencies: str | Sequence[str]) -> list[str]:
    lines = agencies.splitlines() if isinstance(agencies, str) else list(agencies)
    return list(dict.fromkeys(line.strip() for line in lines if line and line.strip()))


def _agenda_add(meeting: MaseMeeting, referral: Referral, actor) -> None:
    """Put the referral on the agenda; one already on it that moved on since (under review, the school's
    reply) goes back to "MASE scheduled" for this meeting."""
    referral = referral_locked(referral)
    on_agenda = meeting.referrals.filter(pk=referral.pk).exists()
    if on_agenda and MaseOutcome.objects.filter(meeting=meeting, referral=referral).exists():
        raise ActionRefused([OUTCOME_ALREADY_RECORDED])
    if on_agenda and referral.status == rules.ReferralStatus.MASE_SCHEDULED:
        raise ActionRefused(["This referral is already on the meeting's agenda."])
    refuse_unless(rules.mase_agenda_decision(referral_kind=referral.kind, status=referral.status))
    note = f"{'Back on' if on_agenda else 'On'} the agenda of the MASE meeting of {meeting.held_on:%d %B %Y}."
    referral_transition(referral=referral, status=rules.ReferralStatus.MASE_SCHEDULED, side=rules.Side.SCU,
                        by_name=actor.full_name, note=note)
    if not on_agenda:
        meeting.referrals.add(referral)
    _audit(actor, "mase.agenda", referral, meeting=meeting.pk)


@transaction.atomic
def mase_meeting_create(*, held_on: date, agencies: str | Sequence[str], referrals: Iterable[Referral] = (),
                        actor) -> MaseMeeting:
    """A MASE meeting with the agencies attending and the referrals on its agenda. Permission: mase.manage."""
    require(actor, Capability.MASE_MANAGE, MANAGE_REFUSED)
    attending = _agencies(agencies)
    if not attending:
        raise ValidationError({"agencies": ["Name the agencies attending, one a line."]})
    meeting = MaseMeeting.objects.create(held_on=held_on, agencies="\n".join(attending), created_by=actor)
    for referral in referrals:
        _agenda_add(meeting, referral, actor)
    audit_record(actor=actor, action="mase.meeting", subject=meeting, detail={"held_on": held_on.isoformat()})
    _tell_scu_officers(meeting)
    return meeting


def _tell_scu_officers(meeting: MaseMeeting) -> None:
    from notifications.events import Event
    from notifications.services import notify_roles

    notify_roles(event=Event.MASE_SCHEDULED, roles=[Role.SCU_OFFICER], link=meeting_link(meeting))


@transaction.atomic
def mase_agenda_add(*, meeting: MaseMeeting, referral: Referral, actor) -> MaseMeeting:
    """Put a MASE referral (or consultation) on a meeting's agenda, or back on it: one on the agenda that
    has moved on since (more information asked for and the school's reply, or under review) returns to
    "MASE scheduled" for this meeting, so that its outcome can be recorded there. Permission: mase.manage."""
    require(actor, Capability.MASE_MANAGE, MANAGE_REFUSED)
    _agenda_add(meeting, referral, actor)
    return meeting


def _actions(actions: Sequence[dict]) -> list[dict]:
    cleaned = []
    for entry in actions:
        action = str(entry.get("action", "")).strip()
        owner = str(entry.get("owner", "")).strip()
        if not action and not owner:
            continue
        if not action or not owner:
            raise ValidationError({"actions": ["Give each action of the plan and who owns it."]})
        cleaned.append({"action": action, "owner": owner})
    if not cleaned:
        raise ValidationError({"actions": ["Give the plan's actions, each with who owns it."]})
    return cleaned


def material_use_problem(*, agreed_level: Level | str, material_use: str) -> str:
    """Why this use of the material cannot be agreed at this level; empty if it can.

    A MASE plan can authorise the material without parental consent only where the framework lets it
    (high); at medium a refusal of consent is never overridden.
    """
    consent = plan_for(agreed_level).consent
    if material_use == MaterialUse.WITHOUT_CONSENT and not (
        consent.mase_plan_can_authorise or consent.requirement is ConsentRequirement.NOT_SOUGHT
    ):
        return (f"At {Level(agreed_level).label} a MASE plan cannot authorise the material without parental "
                "consent.")
    return ""


def _summary(meeting: MaseMeeting, agreed_level: Level, actions: list[dict], material_use: str,
             next_review_on: date) -> str:
    lines = [f"MASE meeting of {meeting.held_on:%d %B %Y}: agreed level {agreed_level.label}.",
             "Actions: " + "; ".join(f"{a['action']} ({a['owner']})" for a in actions) + ".",
             MaterialUse(material_use).label + ".",
             f"Next review: {next_review_on:%d %B %Y}."]
    return "\n".join(lines)


@transaction.atomic
def mase_outcome_record(*, meeting: MaseMeeting, referral: Referral, agreed_level: Level | str,
                        actions: Sequence[dict], material_use: str, next_review_on: date, actor) -> MaseOutcome:
    """The outcome of a meeting for one referral on its agenda. Permission: mase.manage.

    The school sees it on the referral and the young person's chronology; the gates read it (a plan
    that authorises the material without consent opens gate 4 where consent was refused).
    """
    require(actor, Capability.MASE_MANAGE, MANAGE_REFUSED)
    errors: dict[str, list[str]] = {}
    if agreed_level not in Level.__members__.values():
        errors["agreed_level"] = ["Choose the level the meeting agreed."]
    if material_use not in MaterialUse.values:
        errors["material_use"] = ["Say whether the material may be used."]
    elif not errors:
        problem = material_use_problem(agreed_level=agreed_level, material_use=material_use)
        if problem:
            errors["material_use"] = [problem]
    if next_review_on is None or next_review_on <= meeting.held_on:
        errors["next_review_on"] = ["The next review date must come after the meeting."]
    try:
        cleaned = _actions(actions)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    referral = referral_locked(referral)
    if not meeting.referrals.filter(pk=referral.pk).exists():
        raise ActionRefused(["This referral is not on the meeting's agenda."])
    if meeting.held_on > timezone.localdate():
        raise ActionRefused([f"The meeting is on {meeting.held_on:%d %B %Y}: record its outcome once it has "
                             "taken place."])
    if MaseOutcome.objects.filter(meeting=meeting, referral=referral).exists():
        raise ActionRefused([OUTCOME_ALREADY_RECORDED])
    refuse_unless(rules.mase_outcome_decision(status=referral.status))
    referral_transition(referral=referral, status=rules.ReferralStatus.OUTCOME_RECORDED, side=rules.Side.SCU,
                        by_name=actor.full_name)
    level = Level(agreed_level)
    outcome = MaseOutcome.objects.create(meeting=meeting, referral=referral, agreed_level=level, actions=cleaned,
                                         material_use=material_use, next_review_on=next_review_on,
                                         recorded_by_name=actor.full_name)
    answer = ScuAnswer.objects.create(
        referral=referral, kind=rules.AnswerKind.OUTCOME, text=_summary(meeting, level, cleaned, material_use,
                                                                        next_review_on),
        review_on=next_review_on, by_name=actor.full_name, by=actor,
    )
    _answered(referral, answer.at)
    _audit(actor, "mase.outcome", referral, meeting=meeting.pk, material_use=material_use)
    _tell_school(referral, "mase_outcome")
    return outcome
