"""SERAT assessments by staff and the young person's own view (FRAMEWORK.md §1–2)."""

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.db import transaction

from safeguarding.instruments.models import InstrumentVersion
from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.models import QuizResponse, QuizStatus, SeratAssessment, YoungPerson
from safeguarding.rules.instruments import InstrumentKind, ResponseInvalid, score_response
from safeguarding.rules.levels import Level, effective_level, level_for_score, quiz_required
from safeguarding.rules.reviews import review_outcome
from safeguarding.rules.roles import Capability
from safeguarding.selectors.people import young_person_visible

from .notices import notice_serat_completed
from .plans import plan_make, plan_raise
from .reviews import review_close, review_open


def _score(instrument: InstrumentVersion, answers: dict) -> int:
    try:
        return score_response(instrument.as_instrument().items, answers)
    except ResponseInvalid as invalid:
        raise ValidationError({code: [message] for code, message in invalid.errors.items()}) from invalid


def _may_assess(user, young_person: YoungPerson) -> None:
    if not user.can(Capability.SERAT_COMPLETE):
        raise ActionRefused(["Your role does not complete SERATs."])
    if not young_person_visible(user=user, young_person=young_person):
        raise ActionRefused(["You can only complete a SERAT for a young person you work with."])


@transaction.atomic
def serat_submit(*, young_person: YoungPerson, answers: dict, assessor) -> SeratAssessment:
    """Score a SERAT on the instrument in force, make the plan its level requires, and close the last review.

    Refused input names each item and saves nothing.
    """
    _may_assess(assessor, young_person)
    instrument = instrument_in_force(kind=InstrumentKind.SERAT)
    total = _score(instrument, answers)
    level = level_for_score(total, instrument.as_instrument().bands)
    # One SERAT at a time per young person, so each reviews the one before it.
    YoungPerson.objects.select_for_update().get(pk=young_person.pk)
    previous = young_person.assessments.first()
    assessment = SeratAssessment.objects.create(
        young_person=young_person, instrument=instrument, answers=dict(answers), total=total, level=level,
        assessed_by=assessor, reviews=previous,
        review_outcome=review_outcome(assessment_level(previous), level) if previous else "",
    )
    if previous is not None and hasattr(previous, "review") and previous.review.is_open:
        review_close(review=previous.review, by_assessment=assessment)
    plan_make(assessment=assessment, level=level, by=assessor)
    review_open(assessment=assessment, level=level)
    audit_record(actor=assessor, action="serat.submit", subject=assessment, young_person_id=young_person.pk,
                 detail={"total": total, "level": level.value, "instrument": instrument.pk})
    notice_serat_completed(young_person_id=young_person.pk)
    return assessment


def assessment_level(assessment: SeratAssessment) -> Level:
    """The effective level an assessment led to: the staff level, raised by the quiz if it was."""
    quiz = getattr(assessment, "quiz", None)
    quiz_level = Level(quiz.level) if quiz is not None and quiz.level else None
    return effective_level(Level(assessment.level), quiz_level)


def _may_record_quiz(user, assessment: SeratAssessment) -> None:
    _may_assess(user, assessment.young_person)
    reasons = []
    if not quiz_required(Level(assessment.level)):
        reasons.append(f"The personal quiz is only asked at medium and high risk; this SERAT is "
                       f"{Level(assessment.level).label}.")
    if QuizResponse.objects.filter(assessment=assessment).exists():
        reasons.append("The personal quiz for this SERAT has already been recorded.")
    if assessment.young_person.assessments.first() != assessment:
        reasons.append("A newer SERAT has been completed since; record the quiz against that one.")
    if reasons:
        raise ActionRefused(reasons)


@transaction.atomic
def quiz_record(*, assessment: SeratAssessment, answers: dict, recorder) -> QuizResponse:
    """The young person's answers. If their level is higher, the plan for it applies from now on."""
    assessment = SeratAssessment.objects.select_for_update().get(pk=assessment.pk)
    _may_record_quiz(recorder, assessment)
    instrument = instrument_in_force(kind=InstrumentKind.PERSONAL_QUIZ)
    total = _score(instrument, answers)
    level = level_for_score(total, instrument.as_instrument().bands)
    quiz = QuizResponse.objects.create(assessment=assessment, status=QuizStatus.COMPLETED, instrument=instrument,
                                       answers=dict(answers), total=total, level=level, recorded_by=recorder)
    raised = effective_level(Level(assessment.level), level)
    if raised > Level(assessment.level):
        plan_raise(assessment=assessment, level=raised, by=recorder)
        review_open(assessment=assessment, level=raised)
        if assessment.reviews is not None:
            assessment.review_outcome = review_outcome(assessment_level(assessment.reviews), raised)
            assessment.save(update_fields=["review_outcome"])
    audit_record(actor=recorder, action="quiz.record", subject=quiz, young_person_id=assessment.young_person_id,
                 detail={"total": total, "level": level.value, "effective_level": raised.value})
    return quiz


@transaction.atomic
def quiz_decline(*, assessment: SeratAssessment, recorder, note: str = "") -> QuizResponse:
    """The young person declined: the staff level stands, and the refusal is recorded."""
    assessment = SeratAssessment.objects.select_for_update().get(pk=assessment.pk)
    _may_record_quiz(recorder, assessment)
    quiz = QuizResponse.objects.create(assessment=assessment, status=QuizStatus.DECLINED, note=note,
                                       recorded_by=recorder)
    audit_record(actor=recorder, action="quiz.decline", subject=quiz, young_person_id=assessment.young_person_id)
    return quiz
