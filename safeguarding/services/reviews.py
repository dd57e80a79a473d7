"""Reviews: the SERAT is redone 6–8 term-time weeks later, or when SCU / MASE say (FRAMEWORK.md §3)."""

from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone

from safeguarding.models import Review, SeratAssessment
from safeguarding.rules.levels import Level
from safeguarding.rules.reviews import review_window_for
from safeguarding.selectors.plans import assessment_plans_latest_first
from tenants.models import School
from tenants.selectors import current_school
from tenants.services_calendar import school_holidays


def _window_fields(*, level: Level, assessment: SeratAssessment, holidays: list[tuple]) -> dict:
    window = review_window_for(level, timezone.localdate(assessment.assessed_at), holidays)
    return {"due_from": window.due_from if window else None,
            "overdue_after": window.overdue_after if window else None}


def review_open(*, assessment: SeratAssessment, level: Level) -> Review:
    """Open the review of this assessment, its window set by the effective level."""
    fields = _window_fields(level=level, assessment=assessment, holidays=school_holidays(school=current_school()))
    review, _ = Review.objects.update_or_create(
        assessment=assessment, defaults={"young_person_id": assessment.young_person_id, **fields}
    )
    return review


def review_close(*, review: Review, by_assessment: SeratAssessment) -> Review:
    review.closed_by = by_assessment
    review.closed_at = timezone.now()
    review.save(update_fields=["closed_by", "closed_at"])
    return review


@transaction.atomic
def reviews_reschedule(*, school: School) -> int:
    """Recount every open review's window after the school's term calendar changed."""
    holidays = school_holidays(school=school)
    changed = 0
    reviews = (Review.objects.filter(closed_at__isnull=True).select_related("assessment")
               .annotate(plan_level=Subquery(assessment_plans_latest_first().values("level")[:1])))
    for review in reviews:
        level = Level(review.plan_level or review.assessment.level)
        fields = _window_fields(level=level, assessment=review.assessment, holidays=holidays)
        if (review.due_from, review.overdue_after) != (fields["due_from"], fields["overdue_after"]):
            Review.objects.filter(pk=review.pk).update(**fields)
            changed += 1
    return changed
