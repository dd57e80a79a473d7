"""What a school's DCPO sends the SCU (FRAMEWORK.md §3-4), written by the school's own code.

Runs at the school's host (`connection.tenant` is the School). In the same transaction as the school's
own records of it, it copies into the public schema the minimum the SCU needs: who the young person is,
the school, the levels and scores, the reasons, the consent status, the plan's state (which checklist
items are done, whether it is agreed) and the DCPO's contact. No note, no other free text of the
school's records leaves the school.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from safeguarding.models import Consent, Plan, PlanItemRecord, PlanStatus, QuizResponse, QuizStatus
from safeguarding.rules import gates
from safeguarding.rules import referrals as rules
from safeguarding.rules.decision import Decision
from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Capability
from scu_portal.models.referrals import Referral, ReferralStatus, ScuAnswer
from scu_portal.selectors.queue import queue_key, target_hours
from tenants.models import School

from .triage import referral_link_scu, referral_locked, referral_transition, refuse_unless

NOT_AT_SCHOOL = "Referrals are sent from the school's own portal."


def current_school() -> School:
    school = getattr(connection, "tenant", None)
    if not isinstance(school, School):
        raise ActionRefused([NOT_AT_SCHOOL])
    return school


@dataclass(frozen=True)
class SendFacts:
    """What the framework's rules need to know about a plan before a referral is sent on it."""

    level: Level
    consent: rules.ConsentState
    consultation_sent: bool
    open_kinds: frozenset[str]
    plan_active: bool
    plan_agreed: bool

    @property
    def kinds_allowed(self) -> tuple[rules.ReferralKind, ...]:
        kinds = rules.referral_kinds_allowed(level=self.level, consent=self.consent,
                                             consultation_sent=self.consultation_sent, open_kinds=self.open_kinds)
        return tuple(kind for kind in kinds if self.plan_active and self.plan_gate(kind))

    @property
    def phone_required(self) -> bool:
        return rules.phone_call_required(self.level)

    def plan_gate(self, kind: rules.ReferralKind | str) -> Decision:
        """Gate 1: the plan items this kind carries out that wait for the headteacher's agreement."""
        return Decision.combine(*(
            gates.plan_action_decision(action=code, headteacher_agreed=self.plan_agreed)
            for code in rules.referral_plan_items(kind, self.level)
        ))


def _latest_consent(plan: Plan) -> str | None:
    return (Consent.objects.filter(plan=plan, young_person_id=plan.young_person_id)
            .order_by("-recorded_at", "-id").values_list("decision", flat=True).first())


def referral_send_facts(*, plan: Plan, school: School | None = None) -> SendFacts:
    """The facts of this plan that decide which referrals may be sent on it (a read)."""
    school = school or current_school()
    level = Level(plan.level)
    sent = list(Referral.objects.filter(school=school, plan_ref=plan.pk)
                .exclude(status=ReferralStatus.WITHDRAWN).values_list("kind", "status"))
    return SendFacts(
        level=level,
        consent=rules.referral_consent_state(level, _latest_consent(plan)),
        consultation_sent=any(kind == rules.ReferralKind.MASE_CONSULTATION for kind, _ in sent),
        open_kinds=frozenset(kind for kind, status in sent if rules.ReferralStatus(status).open),
        plan_active=plan.status == PlanStatus.ACTIVE,
        plan_agreed=plan.is_agreed,
    )


def _plan_state(plan: Plan) -> dict:
    """The plan as the SCU is told it: level, agreement, option, and the checklist codes done (no notes)."""
    return {
        "level": plan.level,
        "agreed": plan.is_agreed,
        "agreed_on": plan.agreed_at.date().isoformat() if plan.agreed_at else None,
        "option": plan.option,
        "items_done": sorted(PlanItemRecord.objects.filter(plan=plan).values_list("code", flat=True)),
        "made_on": plan.created_at.date().isoformat(),
    }


def _check_input(kind: str, reasons: str, dcpo_phone: str, phoned_at: datetime | None, phoned_to: str) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in rules.ReferralKind.__members__.values():
        errors["kind"] = ["Choose what you are sending."]
    if not reasons.strip():
        errors["reasons"] = ["Say why you are sending this to the Safeguarding Children Unit."]
    if len(dcpo_phone.strip()) > 40:
        errors["dcpo_phone"] = ["A phone number has at most 40 characters."]
    if len(phoned_to.strip()) > 150:
        errors["phoned_to"] = ["Give the name of the person you spoke to in at most 150 characters."]
    if phoned_at is not None and phoned_at > timezone.now() + timedelta(minutes=5):
        errors["phoned_at"] = ["The call cannot be in the future: record it once you have made it."]
    if errors:
        raise ValidationError(errors)


def referral_send(*, plan: Plan, kind: str, sender, reasons: str, dcpo_phone: str = "",
                  phoned_at: datetime | None = None, phoned_to: str = "", phone_summary: str = "") -> Referral:
    """Send a MASE referral, a consultation about one, or a request for agreement to use the material.

    Permission: referral.send (the DCPO). Refused, with plain reasons and nothing saved, where the
    framework does not allow it (see safeguarding.rules.referrals). At very high the phone call to the
    SCU (when, to whom, what was said) must be recorded with the referral; at every other level the
    call is not a step of the plan, and anything given about one is ignored (neither checked nor kept).
    Sending also marks the plan's matching checklist items done (the consultation, the request, the call
    and the referral).
    """
    school = current_school()
    with transaction.atomic():
        plan = Plan.objects.select_for_update().select_related("young_person", "assessment").get(pk=plan.pk)
        facts = referral_send_facts(plan=plan, school=school)
        if not facts.phone_required:
            phoned_at, phoned_to, phone_summary = None, "", ""
        _check_input(kind, reasons, dcpo_phone, phoned_at, phoned_to)
        refuse_unless(Decision.combine(
            rules.referral_decision(
                kind=kind, level=facts.level, consent=facts.consent, consultation_sent=facts.consultation_sent,
                phone_recorded=bool(phoned_at and phoned_to.strip() and phone_summary.strip()),
                plan_active=facts.plan_active, open_kinds=facts.open_kinds,
                may_send=bool(sender and sender.is_authenticated and sender.can(Capability.REFERRAL_SEND)),
            ),
            facts.plan_gate(kind),
        ))
        young_person, assessment = plan.young_person, plan.assessment
        quiz = QuizResponse.objects.filter(assessment=assessment).first()
        urgent = rules.referral_urgent(facts.level)
        received_at = timezone.now()
        referral = Referral.objects.create(
            school=school, kind=kind, urgent=urgent,
            young_person_ref=young_person.pk, plan_ref=plan.pk,
            young_person_name=young_person.full_name, date_of_birth=young_person.date_of_birth,
            year_group=young_person.year_group,
            serat_total=assessment.total, serat_level=assessment.level,
            quiz_total=quiz.total if quiz and quiz.status == QuizStatus.COMPLETED else None,
            quiz_level=quiz.level if quiz and quiz.status == QuizStatus.COMPLETED else "",
            quiz_declined=bool(quiz and quiz.status == QuizStatus.DECLINED),
            effective_level=facts.level, reasons=reasons.strip(), consent_state=facts.consent,
            plan_state=_plan_state(plan),
            phoned_at=phoned_at, phoned_to=phoned_to.strip(), phone_summary=phone_summary.strip(),
            dcpo_name=sender.full_name, dcpo_email=sender.email, dcpo_phone=dcpo_phone.strip(),
            received_at=received_at, queue_key=queue_key(urgent=urgent, received_at=received_at),
            due_at=received_at + timedelta(hours=target_hours(kind=kind, level=facts.level)),
        )
        referral.status_changes.create(from_status="", to_status=rules.ReferralStatus.RECEIVED,
                                       side=rules.Side.SCHOOL, by_name=sender.full_name)
        _complete_plan_items(plan, referral, sender)
        audit_record(actor=sender, action="referral.send", subject=referral, young_person_id=young_person.pk,
                     detail={"kind": kind, "plan": plan.pk, "level": facts.level.value})
        _tell_scu(referral)
    return referral


def _complete_plan_items(plan: Plan, referral: Referral, sender) -> None:
    from safeguarding.services.plans import plan_item_complete

    done = set(plan.item_records.values_list("code", flat=True))
    for code in rules.referral_plan_items(referral.kind, referral.effective_level):
        if code in done:
            continue
        if code == "phone_scu":
            note = (f"Phoned {referral.phoned_to} at {timezone.localtime(referral.phoned_at):%H:%M on %d %B %Y}: "
                    f"{referral.phone_summary}")
        else:
            note = (f"{referral.get_kind_display()} sent to the Safeguarding Children Unit through the platform "
                    f"on {timezone.localtime(referral.received_at):%d %B %Y} (referral {referral.pk}).")
        plan_item_complete(plan=plan, code=code, note=note, by=sender)


def _tell_scu(referral: Referral) -> None:
    """A referral, or the school's reply on one, received: the SCU's officers and managers (public
    accounts), urgent at very high.

    Sent from a school's request, so the message is a fan-out to the central portal written in this
    school's outbox; its delivery creates the officers' messages in the public schema. A fan-out reaches
    roles, not one account, so the assigned officer is told as one of the SCU's officers.
    """
    from notifications.events import Event
    from notifications.services import notify_central_roles
    from safeguarding.rules.roles import Role

    notify_central_roles(event=Event.REFERRAL_RECEIVED, roles=[Role.SCU_OFFICER, Role.SCU_MANAGER],
                         link=referral_link_scu(referral), urgent=referral.urgent)


def _own(referral: Referral, school: School) -> Referral:
    if referral.school_id != school.pk:
        raise Referral.DoesNotExist
    return referral


@transaction.atomic
def referral_reply(*, referral: Referral, sender, text: str) -> ScuAnswer:
    """The school's reply to the SCU's request for more information. Permission: referral.send."""
    school = current_school()
    if not (sender and sender.can(Capability.REFERRAL_SEND)):
        raise ActionRefused(["Only the designated child protection officer replies to the SCU."])
    if not text.strip():
        raise ValidationError({"text": ["Write your reply to the SCU's request."]})
    referral = _own(referral_locked(referral), school)
    referral_transition(referral=referral, status=rules.ReferralStatus.SCHOOL_REPLIED, side=rules.Side.SCHOOL,
                        by_name=sender.full_name)
    answer = ScuAnswer.objects.create(referral=referral, kind=rules.AnswerKind.SCHOOL_REPLY, text=text.strip(),
                                      by_name=sender.full_name, by=None)
    audit_record(actor=sender, action="referral.reply", subject=referral, young_person_id=referral.young_person_ref)
    _tell_scu(referral)
    return answer


@transaction.atomic
def referral_withdraw(*, referral: Referral, sender, reason: str) -> Referral:
    """The school withdraws a referral it sent. Permission: referral.send."""
    school = current_school()
    if not (sender and sender.can(Capability.REFERRAL_SEND)):
        raise ActionRefused(["Only the designated child protection officer withdraws a referral."])
    if not reason.strip():
        raise ValidationError({"reason": ["Say why you are withdrawing it."]})
    referral = _own(referral_locked(referral), school)
    referral_transition(referral=referral, status=rules.ReferralStatus.WITHDRAWN, side=rules.Side.SCHOOL,
                        by_name=sender.full_name, note=reason.strip())
    audit_record(actor=sender, action="referral.withdraw", subject=referral,
                 young_person_id=referral.young_person_ref)
    return referral
