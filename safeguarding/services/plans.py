"""Plans: what the effective level requires, agreed by the headteacher, carried out step by step."""

from datetime import date

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.models import Consent, Plan, PlanItemRecord, PlanStatus, SeratAssessment, YoungPerson
from safeguarding.rules import gates
from safeguarding.rules.levels import Level
from safeguarding.rules.plans import plan_for
from safeguarding.rules.roles import Capability
from safeguarding.selectors.people import young_person_visible

from .notices import notice_consent_recorded, notice_plan_awaiting_agreement

# Recorded by the platform itself when a SERAT is completed: the DCPO is told and can read it.
PLATFORM_DONE = {
    "inform_dcpo": "The DCPO was notified by the platform when the SERAT was completed.",
    "return_questionnaire": "The completed SERAT is on the young person's record for the DCPO.",
}


def _refuse_unless(condition: bool, reason: str) -> None:
    if not condition:
        raise ActionRefused([reason])


def _active(plan: Plan) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _refuse_unless(plan.status == PlanStatus.ACTIVE,
                   "This plan has been replaced by a newer one; act on the current plan.")
    return plan


def plan_make(*, assessment: SeratAssessment, level: Level, by) -> Plan:
    """The plan for a new SERAT; it replaces the young person's current plan."""
    current = Plan.objects.select_for_update().filter(young_person=assessment.young_person,
                                                     status=PlanStatus.ACTIVE).first()
    if current is not None:
        current.status = PlanStatus.SUPERSEDED
        current.save(update_fields=["status"])
    plan = Plan.objects.create(young_person=assessment.young_person, assessment=assessment, level=level)
    if current is not None:
        current.superseded_by = plan
        current.save(update_fields=["superseded_by"])
    requirements = plan_for(level)
    for code, note in PLATFORM_DONE.items():
        if requirements.process(code) is not None:
            PlanItemRecord.objects.create(plan=plan, code=code, note=note, done_by=by)
    audit_record(actor=by, action="plan.make", subject=plan, young_person_id=plan.young_person_id,
                 detail={"level": level.value})
    notice_plan_awaiting_agreement(young_person_id=plan.young_person_id)
    return plan


def plan_raise(*, assessment: SeratAssessment, level: Level, by) -> Plan:
    """The personal quiz raised the level: the plan for the new level applies from now on."""
    return plan_make(assessment=assessment, level=level, by=by)


@transaction.atomic
def plan_agree(*, plan: Plan, headteacher, note: str = "") -> Plan:
    """The headteacher's agreement, without which no action of the plan is carried out (gate 1)."""
    _refuse_unless(headteacher.can(Capability.PLAN_AGREE), "Only the headteacher agrees plans.")
    plan = _active(plan)
    _refuse_unless(not plan.is_agreed, "This plan has already been agreed.")
    plan.agreed_by, plan.agreed_at, plan.agreement_note = headteacher, timezone.now(), note
    plan.save(update_fields=["agreed_by", "agreed_at", "agreement_note"])
    audit_record(actor=headteacher, action="plan.agree", subject=plan, young_person_id=plan.young_person_id)
    return plan


@transaction.atomic
def plan_option_choose(*, plan: Plan, option: str, dcpo) -> Plan:
    """At medium, the DCPO chooses Option 1 or Option 2."""
    _refuse_unless(dcpo.can(Capability.CASE_MANAGE), "Only the DCPO chooses the plan's option.")
    plan = _active(plan)
    requirements = plan_for(Level(plan.level))
    _refuse_unless(requirements.choose_one_option,
                   f"The plan at {requirements.level.label} has no options to choose between.")
    if requirements.option(option) is None:
        titles = ", ".join(o.title for o in requirements.teaching_options)
        raise ValidationError({"option": [f"Choose one of: {titles}."]})
    _refuse_unless(not plan.sessions.exists(), "Sessions have already been recorded under the chosen option.")
    plan.option = option
    plan.save(update_fields=["option"])
    audit_record(actor=dcpo, action="plan.option", subject=plan, young_person_id=plan.young_person_id,
                 detail={"option": option})
    return plan


@transaction.atomic
def plan_item_complete(*, plan: Plan, code: str, note: str, by) -> PlanItemRecord:
    """Mark one of the plan's other processes done, with a note saying what was done."""
    _refuse_unless(by.can(Capability.CASE_MANAGE), "Only the DCPO records the plan's other processes.")
    plan = _active(plan)
    item = plan_for(Level(plan.level)).process(code)
    if item is None:
        raise ValidationError({"code": ["This is not one of the plan's other processes."]})
    if not note.strip():
        raise ValidationError({"note": ["Say what was done."]})
    decision = gates.plan_action_decision(action=code, headteacher_agreed=plan.is_agreed)
    if not decision:
        raise ActionRefused(decision.reasons)
    _refuse_unless(not plan.item_records.filter(code=code).exists(), "This has already been recorded as done.")
    record = PlanItemRecord.objects.create(plan=plan, code=code, note=note.strip(), done_by=by)
    audit_record(actor=by, action="plan.item", subject=record, young_person_id=plan.young_person_id,
                 detail={"code": code})
    return record


@transaction.atomic
def consent_record(*, plan: Plan, young_person: YoungPerson, decision: str, given_by: str, relationship: str,
                   method: str, decided_on: date, recorder, note: str = "") -> Consent:
    """A parent's or carer's decision for one young person taking part in the plan's teaching."""
    _refuse_unless(recorder.can(Capability.CONSENT_RECORD), "Only the DCPO records parental consent.")
    plan = _active(plan)
    _refuse_unless(gates.consent_required(Level(plan.level)),
                   f"Parental consent is not sought at {Level(plan.level).label}.")
    _refuse_unless(young_person_visible(user=recorder, young_person=young_person),
                   "You cannot record consent for this young person.")
    consent = Consent(plan=plan, young_person=young_person, decision=decision, given_by=given_by.strip(),
                      relationship=relationship.strip(), method=method, decided_on=decided_on, note=note,
                      recorded_by=recorder)
    consent.full_clean()
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": ["The date of the decision cannot be in the future."]})
    consent.save()
    audit_record(actor=recorder, action="consent.record", subject=consent, young_person_id=young_person.pk,
                 detail={"decision": decision, "plan": plan.pk})
    notice_consent_recorded(young_person_id=young_person.pk, refused=decision != "given")
    return consent
