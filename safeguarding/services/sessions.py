"""Teaching sessions, recorded only when every gate of FRAMEWORK.md §4 allows them."""

from datetime import date

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.models import Plan, TeachingSession, TutorGroup, YoungPerson
from safeguarding.rules.plans import TEACHING_OPTIONS, Group
from safeguarding.rules.roles import Capability
from safeguarding.selectors.people import young_people_visible_to
from safeguarding.selectors.plans import session_decision

from .plans import _active


@transaction.atomic
def session_record(*, plan: Plan, option: str | None, group: str, participants: list[YoungPerson], delivered_by,
                   held_on: date, recorder, tutor_group: TutorGroup | None = None, preview_confirmed: bool = False,
                   notes: str = "") -> TeachingSession:
    """Record a teaching session delivered under a plan. Staff record their own; the DCPO any."""
    errors = {}
    if option and option not in TEACHING_OPTIONS:
        errors["option"] = ["Choose a teaching action of the framework."]
    if group not in {g.value for g in Group}:
        errors["group"] = ["Choose who the session was with."]
    if held_on > timezone.localdate():
        errors["held_on"] = ["A session cannot be recorded before it happens."]
    if group == Group.WHOLE_TUTOR_GROUP and tutor_group is None:
        errors["tutor_group"] = ["Choose the tutor group."]
    if not (delivered_by.is_active and delivered_by.can(Capability.SESSION_RECORD)):
        errors["delivered_by"] = ["Choose a member of staff whose role delivers teaching sessions."]
    if errors:
        raise ValidationError(errors)
    if not recorder.can(Capability.SESSION_RECORD):
        raise ActionRefused(["Your role does not record teaching sessions."])
    if delivered_by != recorder and not recorder.can(Capability.CASE_MANAGE):
        raise ActionRefused(["You can only record sessions you delivered yourself."])
    plan = _active(plan)
    people = list(participants)
    if tutor_group is not None and group == Group.WHOLE_TUTOR_GROUP:
        people = list(tutor_group.young_people.all())
    visible = set(young_people_visible_to(recorder).filter(pk__in=[p.pk for p in people])
                  .values_list("pk", flat=True))
    reasons = []
    if plan.young_person_id not in {p.pk for p in people}:
        reasons.append("The young person this plan is for must take part in the session.")
    if len(visible) != len({p.pk for p in people}):
        reasons.append("Some of the participants are young people you do not work with.")
    decision = session_decision(plan=plan, delivered_by=delivered_by, option=option or None,
                                participants=people, held_on=held_on, preview_confirmed=preview_confirmed,
                                group=group)
    reasons += list(decision.reasons)
    if reasons:
        raise ActionRefused(reasons)
    session = TeachingSession.objects.create(
        plan=plan, option=option or plan.option or "", group=group, tutor_group=tutor_group,
        delivered_by=delivered_by, held_on=held_on, preview_confirmed=preview_confirmed, notes=notes,
    )
    session.participants.set(people)
    audit_record(actor=recorder, action="session.record", subject=session, young_person_id=plan.young_person_id,
                 detail={"option": session.option, "participants": len(people)})
    return session
