"""Reading a young person's case: need-to-know, audited, with the chronology in time order."""

from dataclasses import dataclass
from datetime import datetime

from cse_platform.accounts.models import User
from cse_platform.audit.services import audit_record
from django.http import Http404

from safeguarding.models import (
    Consent,
    Plan,
    PlanItemRecord,
    QuizResponse,
    Review,
    SeratAssessment,
    TeachingSession,
    YoungPerson,
)
from safeguarding.rules.levels import Level
from safeguarding.rules.plans import PLAN_ITEMS, TEACHING_OPTIONS
from scu_portal.models import Referral, ScuAnswer
from tenants.selectors import current_school

from .concerns import concerns_readable_by
from .people import young_people_visible_to


def young_person_get(*, user, pk: int, purpose: str = "case.read") -> YoungPerson:
    """The young person, if the user may see them; the read is audited. Anyone else: 404."""
    try:
        person = young_people_visible_to(user).select_related("tutor_group").get(pk=pk)
    except YoungPerson.DoesNotExist:
        raise Http404("No such young person") from None
    audit_record(actor=user, action=purpose, subject=person, young_person_id=person.pk)
    return person


def case_object_get(*, user, model, pk: int, purpose: str = "case.read", related: tuple[str, ...] = ()):
    """A case record (plan, assessment, …) whose young person the user may see, with its young person and the
    `related` rows; the read is audited. Anyone else, or no such record: 404."""
    try:
        obj = model.objects.select_related("young_person", *related).get(pk=pk)
    except model.DoesNotExist:
        raise Http404("Not found") from None
    young_person_get(user=user, pk=obj.young_person_id, purpose=purpose)
    return obj


def plan_get(*, user, pk: int, purpose: str = "case.read") -> Plan:
    return case_object_get(user=user, model=Plan, pk=pk, purpose=purpose, related=("assessment",))


def assessment_get(*, user, pk: int, purpose: str = "case.read") -> SeratAssessment:
    return case_object_get(user=user, model=SeratAssessment, pk=pk, purpose=purpose, related=("instrument",))


def current_levels(*, young_people) -> dict[int, Level]:
    """Each young person's effective level now: the level of their active plan."""
    plans = Plan.objects.filter(young_person__in=young_people, status="active").values_list("young_person_id",
                                                                                          "level")
    return {person_id: Level(level) for person_id, level in plans}


@dataclass(frozen=True)
class ChronologyEntry:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    by: str = ""


def _name(user) -> str:
    return user.full_name if user is not None else ""


def chronology(*, young_person: YoungPerson, viewer: User) -> list[ChronologyEntry]:
    """Every assessment, quiz, plan change, agreement, consent, session, note, review and SCU answer,
    in time order (newest first). Notes of concern are only those the viewer may read."""
    entries: list[ChronologyEntry] = []
    for a in SeratAssessment.objects.filter(young_person=young_person).select_related("assessed_by"):
        outcome = f" Review: {a.get_review_outcome_display().lower()}." if a.review_outcome else ""
        entries.append(ChronologyEntry(a.assessed_at, "serat", f"SERAT completed: {a.total} points, "
                                       f"{Level(a.level).label}", outcome.strip(), _name(a.assessed_by)))
    for q in QuizResponse.objects.filter(assessment__young_person=young_person).select_related("recorded_by"):
        title = (f"Personal quiz: {q.total} points, {Level(q.level).label}" if q.status == "completed"
                 else "Personal quiz declined: the staff level stands")
        entries.append(ChronologyEntry(q.recorded_at, "quiz", title, q.note, _name(q.recorded_by)))
    for p in Plan.objects.filter(young_person=young_person).select_related("agreed_by"):
        entries.append(ChronologyEntry(p.created_at, "plan", f"Plan made for {Level(p.level).label}"))
        if p.agreed_at:
            entries.append(ChronologyEntry(p.agreed_at, "agreement", "Headteacher agreed the plan",
                                           p.agreement_note, _name(p.agreed_by)))
    for r in PlanItemRecord.objects.filter(plan__young_person=young_person).select_related("done_by"):
        entries.append(ChronologyEntry(r.done_at, "plan_item", PLAN_ITEMS[r.code].text, r.note, _name(r.done_by)))
    for c in Consent.objects.filter(young_person=young_person).select_related("recorded_by"):
        entries.append(ChronologyEntry(c.recorded_at, "consent", f"Parental consent {c.get_decision_display().lower()}",
                                       f"{c.given_by} ({c.relationship}), {c.get_method_display().lower()}, "
                                       f"{c.decided_on:%d %b %Y}", _name(c.recorded_by)))
    for s in TeachingSession.objects.filter(participants=young_person).select_related("delivered_by"):
        entries.append(ChronologyEntry(s.recorded_at, "session", f"Session: {TEACHING_OPTIONS[s.option].title}"
                                       if s.option else "Session", f"Held {s.held_on:%d %b %Y}",
                                       _name(s.delivered_by)))
    for n in concerns_readable_by(viewer).filter(young_person=young_person).select_related("logged_by"):
        entries.append(ChronologyEntry(n.logged_at, "concern", "Note of concern", n.concern, _name(n.logged_by)))
    for review in Review.objects.filter(young_person=young_person, closed_at__isnull=False):
        entries.append(ChronologyEntry(review.closed_at, "review", "Review closed by a new SERAT"))
    referrals = Referral.objects.filter(school=current_school(), young_person_ref=young_person.pk)
    for ref in referrals.only("kind", "received_at", "status"):
        entries.append(ChronologyEntry(ref.received_at, "referral", f"Sent to SCU: {ref.get_kind_display()}",
                                       f"Status: {ref.get_status_display()}"))
    for answer in ScuAnswer.objects.filter(referral__in=referrals).only("kind", "text", "conditions", "at",
                                                                        "by_name"):
        detail = f"{answer.text}\nConditions: {answer.conditions}" if answer.conditions else answer.text
        entries.append(ChronologyEntry(answer.at, "scu_answer", f"SCU: {answer.get_kind_display()}", detail,
                                       answer.by_name))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
