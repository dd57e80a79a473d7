"""The term calendar: the school administrator keeps the school's holidays; each is checked; every change recounts
the open reviews."""

import html
import sys
import types
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from safeguarding.rules.roles import Role
from tenants.models import TermHoliday
from tenants.services_calendar import school_holidays, term_holiday_create


@pytest.fixture
def reschedules(monkeypatch):
    """Record every call of safeguarding.services.reviews.reviews_reschedule (and the schema it ran in)."""
    from django.db import connection

    calls = []

    def spy(*, school):
        calls.append((school.pk, connection.schema_name))
        return 0

    try:
        import safeguarding.services.reviews as reviews
    except ImportError:
        reviews = types.ModuleType("safeguarding.services.reviews")
        monkeypatch.setitem(sys.modules, "safeguarding.services.reviews", reviews)
    monkeypatch.setattr(reviews, "reviews_reschedule", spy, raising=False)
    return calls


def holiday(name="October half term", starts="27/10/2025", ends="02/11/2025") -> dict:
    return {"name": name, "starts_on": starts, "ends_on": ends}


def test_adding_changing_and_removing_a_holiday_each_recount_reviews(school_a, signed_in, reschedules):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    assert client.post("/school/calendar/", holiday()).status_code == 302
    created = TermHoliday.objects.get(school=school_a)
    assert (created.starts_on, created.ends_on) == (date(2025, 10, 27), date(2025, 11, 2))
    assert reschedules == [(school_a.pk, school_a.schema_name)]
    assert client.post(f"/school/calendar/{created.pk}/", holiday(ends="31/10/2025")).status_code == 302
    assert TermHoliday.objects.get(pk=created.pk).ends_on == date(2025, 10, 31)
    assert client.post(f"/school/calendar/{created.pk}/delete/").status_code == 302
    assert not TermHoliday.objects.filter(pk=created.pk).exists()
    assert len(reschedules) == 3


def test_the_api_changes_also_recount_reviews(school_a, signed_in, reschedules):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = client.post("/api/term-holidays/", {"name": "Christmas", "starts_on": "2025-12-20",
                                                   "ends_on": "2026-01-04"}, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert client.patch(f"/api/term-holidays/{pk}/", {"name": "Christmas holiday"},
                        content_type="application/json").status_code == 200
    assert client.delete(f"/api/term-holidays/{pk}/").status_code == 204
    assert len(reschedules) == 3


@pytest.mark.parametrize(("data", "field", "message"), [
    (holiday(starts="03/11/2025", ends="02/11/2025"), "ends_on", "same as or after its first day"),
    (holiday(name="  "), "name", "Enter the holiday's name"),
    (holiday(starts="30/10/2025", ends="05/11/2025"), "starts_on", "overlap October half term"),
    (holiday(starts="20/10/2025", ends="27/10/2025"), "starts_on", "overlap October half term"),
])
def test_bad_holidays_are_refused_and_nothing_is_recounted(school_a, signed_in, reschedules, data, field, message):
    client, admin = signed_in(Role.SCHOOL_ADMIN, school_a)
    with schema_context(school_a.schema_name):
        term_holiday_create(actor=admin, school=school_a, name="October half term", starts_on=date(2025, 10, 27),
                            ends_on=date(2025, 11, 2))
    reschedules.clear()
    page = client.post("/school/calendar/", data)
    assert page.status_code == 200 and message in html.unescape(page.content.decode())
    api = client.post("/api/term-holidays/", {**data, "starts_on": data["starts_on"], "ends_on": data["ends_on"]},
                      content_type="application/json")
    assert api.status_code == 400 and field in api.json()
    assert TermHoliday.objects.filter(school=school_a).count() == 1
    assert reschedules == []


def test_a_one_day_holiday_and_touching_holidays_are_allowed(school_a, signed_in, reschedules):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    assert client.post("/school/calendar/", holiday("Training day", "24/10/2025", "24/10/2025")).status_code == 302
    assert client.post("/school/calendar/", holiday()).status_code == 302
    assert school_holidays(school=school_a) == [(date(2025, 10, 24), date(2025, 10, 24)),
                                                (date(2025, 10, 27), date(2025, 11, 2))]


def test_an_edit_may_keep_its_own_dates(school_a, signed_in, reschedules):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    client.post("/school/calendar/", holiday())
    created = TermHoliday.objects.get(school=school_a)
    assert client.post(f"/school/calendar/{created.pk}/", holiday(name="Half term")).status_code == 302
    assert TermHoliday.objects.get(pk=created.pk).name == "Half term"


def test_holidays_overlap_only_within_a_school(school_a, school_b, signed_in, reschedules):
    client_a, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    client_b, _ = signed_in(Role.SCHOOL_ADMIN, school_b)
    assert client_a.post("/school/calendar/", holiday()).status_code == 302
    assert client_b.post("/school/calendar/", holiday("Bravo half term")).status_code == 302
    assert [h["name"] for h in client_a.get("/api/term-holidays/").json()] == ["October half term"]
    assert b"Bravo half term" not in client_a.get("/school/calendar/").content
    assert school_holidays(school=school_b) == [(date(2025, 10, 27), date(2025, 11, 2))]


def test_staff_may_read_the_calendar_but_not_change_it(school_a, signed_in, reschedules):
    admin, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    admin.post("/school/calendar/", holiday())
    staff, _ = signed_in(Role.STAFF, school_a)
    assert [h["name"] for h in staff.get("/api/term-holidays/").json()] == ["October half term"]
    assert staff.post("/api/term-holidays/", {"name": "X", "starts_on": "2026-01-01", "ends_on": "2026-01-02"},
                      content_type="application/json").status_code == 403
    assert staff.get("/school/calendar/").status_code == 403


def test_a_calendar_change_recounts_an_open_review(school_a, signed_in, people, assess, make_user):
    """With the real reschedule: a holiday inside an open review's window pushes its dates back."""
    pytest.importorskip("safeguarding.services.reviews")
    from safeguarding.models import Review
    from safeguarding.services.reviews import review_open

    s = people(school_a)
    assessment = assess(school_a, s.in_9a, "low", make_user(Role.DCPO, school_a))
    with schema_context(school_a.schema_name):
        from django.db import connection

        connection.set_tenant(school_a)
        review = review_open(assessment=assessment, level="low")
        before = (review.due_from, review.overdue_after)
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    assessed_on = timezone.localdate(assessment.assessed_at)
    week = {"name": "Half term", "starts_on": (assessed_on + timedelta(days=1)).isoformat(),
            "ends_on": (assessed_on + timedelta(days=7)).isoformat()}
    assert client.post("/api/term-holidays/", week, content_type="application/json").status_code == 201
    with schema_context(school_a.schema_name):
        review = Review.objects.get(pk=review.pk)
        assert (review.due_from, review.overdue_after) == (before[0] + timedelta(days=7), before[1] + timedelta(days=7))
