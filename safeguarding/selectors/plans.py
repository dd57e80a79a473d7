"""The state of a plan as the framework sees it: what is done, what is blocked, and why."""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, QuerySet
from django.utils import timezone

from safeguarding.models import Consent, Plan, PlanItemRecord, YoungPerson
from safeguarding.rules import gates
from safeguarding.rules.decision import Decision
from safeguarding.rules.gates import ConsentStatus, Participant
from safeguarding.rules.levels import Level
from safeguarding.rules.plans import PlanItem, PlanRequirements, plan_for
from scu_portal.selectors.answers import ScuFacts, plan_scu_facts
from scu_portal.selectors.training import staff_trained
from tenants.selectors import current_school


def latest_consents(*, plan: Plan, young_people: list[YoungPerson] | None = None) -> dict[int, Consent]:
    """The consent that stands for each young person on the plan: the latest recorded."""
    consents = Consent.objects.filter(plan=plan).order_by("young_person_id", "-recorded_at", "-id")
    if young_people is not None:
        consents = consents.filter(young_person__in=young_people)
    return {c.young_person_id: c for c in consents.distinct("young_person_id")}


def plan_participants(*, plan: Plan, young_people: list[YoungPerson], scu: ScuFacts) -> list[Participant]:
    consents = latest_consents(plan=plan, young_people=young_people)
    return [
        Participant(
            name=person.full_name,
            consent=ConsentStatus(consents[person.pk].decision) if person.pk in consents
            else ConsentStatus.NOT_REQUESTED,
            # A MASE plan speaks for the young person it was made for.
            mase_plan_authorises=scu.mase_authorises_without_consent and person.pk == plan.young_person_id,
        )
        for person in young_people
    ]


def user_trained(user, on: date | None = None) -> bool:
    return staff_trained(school=current_school(), email=user.email, on=on or timezone.localdate())


def session_decision(*, plan: Plan, delivered_by, option: str | None, participants: list[YoungPerson], held_on: date,
                     preview_confirmed: bool, scu: ScuFacts | None = None, group: str | None = None) -> Decision:
    """Every reason (gates 1–5) that recording this session must be refused, or allowed."""
    scu = scu or plan_scu_facts(school=current_school(), plan_id=plan.pk)
    return gates.session_decision(
        level=Level(plan.level),
        headteacher_agreed=plan.is_agreed,
        staff_trained=user_trained(delivered_by, held_on),
        participants=plan_participants(plan=plan, young_people=participants, scu=scu),
        option=option,
        chosen_option=plan.option or None,
        scu_agreed=scu.material_agreed,
        staff_confirmed_preview=preview_confirmed,
        scu_advice_recorded=scu.advice_recorded,
        group=group,
    )


@dataclass(frozen=True)
class ChecklistRow:
    item: PlanItem
    record: PlanItemRecord | None
    blocked: Decision


@dataclass(frozen=True)
class PlanState:
    plan: Plan
    requirements: PlanRequirements
    scu: ScuFacts
    checklist: list[ChecklistRow]
    consent: Consent | None
    # What would stop the young person's own session today, for the viewing member of staff.
    session_blockers: Decision
    viewer_trained: bool

    @property
    def awaiting_agreement(self) -> bool:
        return not self.plan.is_agreed


def plan_state(*, plan: Plan, viewer) -> PlanState:
    requirements = plan_for(Level(plan.level))
    scu = plan_scu_facts(school=current_school(), plan_id=plan.pk)
    records = {record.code: record for record in plan.item_records.all()}
    checklist = [
        ChecklistRow(item=item, record=records.get(item.code),
                     blocked=gates.plan_action_decision(action=item.code, headteacher_agreed=plan.is_agreed))
        for item in requirements.processes
    ]
    blockers = session_decision(plan=plan, delivered_by=viewer, option=plan.option or None,
                                participants=[plan.young_person], held_on=timezone.localdate(),
                                preview_confirmed=True, scu=scu)
    return PlanState(
        plan=plan, requirements=requirements, scu=scu, checklist=checklist,
        consent=latest_consents(plan=plan, young_people=[plan.young_person]).get(plan.young_person_id),
        session_blockers=blockers, viewer_trained=user_trained(viewer),
    )


def active_plan(*, young_person: YoungPerson) -> Plan | None:
    return Plan.objects.filter(young_person=young_person, status="active").select_related("assessment").first()


def plans_awaiting_agreement():
    return (Plan.objects.filter(status="active", agreed_at__isnull=True)
            .select_related("young_person", "assessment").order_by("created_at"))


def assessment_plans_latest_first() -> QuerySet[Plan]:
    """The plans of the outer query's assessment, latest first, for a Subquery: a quiz that raises the
    level makes a newer plan for the same assessment."""
    return Plan.objects.filter(assessment=OuterRef("assessment")).order_by("-created_at", "-id")
