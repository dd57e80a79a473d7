"""Review windows in term time from the school's calendar (FRAMEWORK.md §3)."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from safeguarding.models import Review
from safeguarding.services.reviews import reviews_reschedule
from tenants.models import TermHoliday
from tests.framework.conftest import submit_serat


def review_of(school, assessment_id) -> Review:
    with schema_context(school.schema_name):
        return Review.objects.select_related("assessment").get(assessment_id=assessment_id)


def test_without_a_calendar_the_window_is_six_to_eight_calendar_weeks(team, young_person, school_a):
    assessment = submit_serat(team.dcpo, young_person(), 15).json()
    review = review_of(school_a, assessment["id"])
    assessed = timezone.localdate(review.assessment.assessed_at)
    assert review.due_from == assessed + timedelta(weeks=6)
    assert review.overdue_after > assessed + timedelta(weeks=8) - timedelta(days=1)


def test_a_holiday_added_later_pushes_open_windows_back(team, young_person, school_a):
    assessment = submit_serat(team.dcpo, young_person(), 25).json()
    before = review_of(school_a, assessment["id"])
    start = timezone.localdate() + timedelta(days=10)
    TermHoliday.objects.create(school=school_a, name="Half term", starts_on=start, ends_on=start + timedelta(days=6))
    with schema_context(school_a.schema_name):
        assert reviews_reschedule(school=school_a) == 1
    after = review_of(school_a, assessment["id"])
    assert after.due_from == before.due_from + timedelta(days=7)
    assert after.overdue_after == before.overdue_after + timedelta(days=7)


def test_another_schools_holidays_do_not_count(team, young_person, school_a, school_b):
    assessment = submit_serat(team.dcpo, young_person(), 25).json()
    before = review_of(school_a, assessment["id"])
    start = timezone.localdate() + timedelta(days=3)
    TermHoliday.objects.create(school=school_b, name="Their half term", starts_on=start, ends_on=start + timedelta(7))
    with schema_context(school_a.schema_name):
        assert reviews_reschedule(school=school_a) == 0
    assert review_of(school_a, assessment["id"]).due_from == before.due_from


def test_at_high_and_very_high_the_date_comes_from_scu(team, young_person, school_a):
    for total in (40, 50):
        review = review_of(school_a, submit_serat(team.dcpo, young_person(), total).json()["id"])
        assert review.due_from is None and review.overdue_after is None


def test_a_quiz_that_raises_to_high_hands_the_review_date_to_scu(team, young_person, school_a):
    from safeguarding.rules.instruments import InstrumentKind
    from tests.framework.conftest import answers_for

    assessment = submit_serat(team.dcpo, young_person(), 25).json()
    assert review_of(school_a, assessment["id"]).due_from is not None
    team.dcpo.post(f"/api/serat-assessments/{assessment['id']}/quiz/",
                   {"answers": answers_for(40, InstrumentKind.PERSONAL_QUIZ)}, content_type="application/json")
    assert review_of(school_a, assessment["id"]).due_from is None
