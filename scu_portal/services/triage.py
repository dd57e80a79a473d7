"""The SCU's work on referrals in the central portal: status, assignment, answers, target times.

Runs in the public schema and never reads or writes a school's schema: the school is told through
the notifications outbox, and reads the answers through its referral.
"""

from datetime import date, timedelta

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from safeguarding.rules import referrals as rules
from safeguarding.rules.decision import Decision
from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Capability
from scu_portal.models.referrals import Referral, ReferralStatusChange, ReferralTarget, ScuAnswer
from scu_portal.selectors.queue import SCU_ROLES


def refuse_unless(decision: Decision) -> None:
    if not decision:
        raise ActionRefused(decision.reasons)


def require(user, capability: Capability, reason: str) -> None:
    if not (user and user.is_authenticated and user.can(capability)):
        raise ActionRefused([reason])


def referral_locked(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


def referral_link_school(referral: Referral) -> str:
    return f"/referrals/{referral.pk}/"


def referral_link_scu(referral: Referral) -> str:
    return f"/scu/referrals/{referral.pk}/"


def referral_transition(*, referral: Referral, status: str, side: rules.Side, by_name: str, note: str = "") -> Referral:
    """Move a (locked) referral to `status` if the workflow allows `side` to; record the move."""
    refuse_unless(rules.referral_transition_decision(current=referral.status, target=status, side=side))
    ReferralStatusChange.objects.create(referral=referral, from_status=referral.status, to_status=status,
                                        side=side, by_name=by_name, note=note)
    referral.status = status
    referral.save(update_fields=["status", "updated_at"])
    return referral


def _audit(actor, action: str, referral: Referral, **detail) -> None:
    audit_record(actor=actor, action=action, subject=referral,
                 detail={"school": referral.school_id, "young_person_ref": referral.young_person_ref, **detail})


def _tell_school(referral: Referral, event_name: str, *, waits_for_school: bool = True) -> None:
    """The school's DCPOs, through the public outbox; urgent at very high when the school has something to do."""
    from notifications.events import Event
    from notifications.services import notify_school_roles
    from safeguarding.rules.roles import Role

    event = Event(event_name)
    notify_school_roles(school=referral.school, event=event, roles=[Role.DCPO], link=referral_link_school(referral),
                        urgent=waits_for_school and referral.urgent and event.can_be_urgent)


@transaction.atomic
def referral_status_set(*, referral: Referral, status: str, actor, note: str = "") -> Referral:
    """Acknowledge, take under review, or close a referral. Permission: referral.triage.

    Closing tells the school's DCPOs (not urgently: nothing waits for them).
    """
    require(actor, Capability.REFERRAL_TRIAGE, "Only SCU officers and managers change a referral's status.")
    if status not in rules.ReferralStatus.__members__.values():
        raise ValidationError({"status": ["Choose a status."]})
    if rules.ReferralStatus(status) not in rules.PLAIN_STATUSES:
        raise ValidationError({"status": [
            "This status follows from an action: request information, put the referral on a MASE agenda, or "
            "record its outcome."]})
    referral = referral_locked(referral)
    referral_transition(referral=referral, status=status, side=rules.Side.SCU, by_name=actor.full_name, note=note)
    _audit(actor, "referral.status", referral, status=status)
    if status == rules.ReferralStatus.CLOSED:
        _tell_school(referral, "scu_answer", waits_for_school=False)
    return referral


@transaction.atomic
def referral_assign(*, referral: Referral, officer, actor) -> Referral:
    """Give the referral to an SCU officer (or to no one). Permission: referral.assign (SCU manager)."""
    require(actor, Capability.REFERRAL_ASSIGN, "Only an SCU manager assigns referrals.")
    if officer is not None and (officer.role not in SCU_ROLES or not officer.is_active):
        raise ValidationError({"officer": ["Choose an active SCU officer or manager."]})
    referral = referral_locked(referral)
    if not referral.is_open:
        raise ActionRefused([f"This referral is {referral.get_status_display().lower()}: it cannot be assigned."])
    referral.assigned_to = officer
    referral.save(update_fields=["assigned_to", "updated_at"])
    _audit(actor, "referral.assign", referral, officer=officer.pk if officer else None)
    return referral


def _answered(referral: Referral, at) -> None:
    if referral.first_answered_at is None:
        referral.first_answered_at = at
        referral.save(update_fields=["first_answered_at", "updated_at"])


@transaction.atomic
def referral_answer(*, referral: Referral, kind: str, text: str, actor, conditions: str = "",
                    review_on: date | None = None) -> ScuAnswer:
    """Advice, agreement or refusal to use the material (with conditions), or a request for more
    information, written back to the school. Permission: referral.triage.

    A request for information moves the referral to "more information requested"; any answer to a
    referral still "received" acknowledges it. `review_on` is the next SERAT review date the SCU sets.
    """
    require(actor, Capability.REFERRAL_TRIAGE, "Only SCU officers and managers answer referrals.")
    if kind not in rules.AnswerKind.__members__.values():
        raise ValidationError({"kind": ["Choose what kind of answer this is."]})
    errors = {}
    if not text.strip():
        errors["text"] = ["Write the answer the school will read."]
    if review_on is not None and review_on < timezone.localdate():
        errors["review_on"] = ["The next review date cannot be in the past."]
    if conditions.strip() and kind != rules.AnswerKind.MATERIAL_AGREED:
        errors["conditions"] = ["Conditions go with an agreement to use the material."]
    if errors:
        raise ValidationError(errors)
    referral = referral_locked(referral)
    refuse_unless(rules.answer_decision(referral_kind=referral.kind, answer=kind, status=referral.status))
    if referral.status == rules.ReferralStatus.RECEIVED:
        referral_transition(referral=referral, status=rules.ReferralStatus.ACKNOWLEDGED, side=rules.Side.SCU,
                            by_name=actor.full_name, note="Acknowledged by answering.")
    if kind == rules.AnswerKind.INFORMATION_REQUEST:
        referral_transition(referral=referral, status=rules.ReferralStatus.INFORMATION_REQUESTED,
                            side=rules.Side.SCU, by_name=actor.full_name)
    answer = ScuAnswer.objects.create(referral=referral, kind=kind, text=text.strip(), conditions=conditions.strip(),
                                      review_on=review_on, by_name=actor.full_name, by=actor)
    _answered(referral, answer.at)
    _audit(actor, "referral.answer", referral, answer=kind)
    _tell_school(referral, "scu_answer")
    return answer


@transaction.atomic
def referral_target_set(*, kind: str, level: str, hours: int, actor) -> ReferralTarget:
    """The target time for the SCU's first answer to this kind at this level. Permission: targets.set.

    Referrals still waiting for their first answer take the new target at once.
    """
    require(actor, Capability.TARGETS_SET, "Only an SCU manager sets target times.")
    errors = {}
    if kind not in rules.ReferralKind.__members__.values():
        errors["kind"] = ["Choose a kind of referral."]
    if level not in Level.__members__.values():
        errors["level"] = ["Choose a level."]
    if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= 24 * 90:
        errors["hours"] = ["Give the target as a whole number of hours, from 1 to 2160 (90 days)."]
    if errors:
        raise ValidationError(errors)
    target, _ = ReferralTarget.objects.update_or_create(kind=kind, level=level,
                                                        defaults={"hours": hours, "set_by": actor})
    Referral.objects.filter(kind=kind, effective_level=level, first_answered_at__isnull=True).update(
        due_at=F("received_at") + timedelta(hours=hours))
    audit_record(actor=actor, action="referral_target.set", subject=target, detail={"hours": hours})
    return target
