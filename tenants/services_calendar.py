"""A school's term calendar: its holidays, kept by the school administrator (FRAMEWORK.md §3, §5).

Holidays are public rows tied to their school; weeks inside them do not count towards a SERAT review. After
every change the open reviews' windows are recounted (`safeguarding.services.reviews.reviews_reschedule`), in
the same transaction, so no review is left counted on an old calendar.

A holiday is named, starts on a day and ends on that day or later (a single day, such as a training day, is a
holiday of one day), and does not overlap another holiday of the same school.
"""

from datetime import date

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from safeguarding.rules.roles import Capability

from .models import School, TermHoliday

NAME_MAX_LENGTH = TermHoliday._meta.get_field("name").max_length
NOT_ALLOWED = "Only a school administrator can change the term calendar."


# Selectors ------------------------------------------------------------------------------------------------


def term_holiday_list(*, school: School) -> QuerySet[TermHoliday]:
    return TermHoliday.objects.filter(school=school).order_by("starts_on", "ends_on")


def school_holidays(*, school: School) -> list[tuple[date, date]]:
    """The school's holidays as inclusive (first day, last day) ranges, earliest first: what
    `safeguarding.rules.reviews` takes. A school without a calendar has none."""
    return list(term_holiday_list(school=school).values_list("starts_on", "ends_on"))


# Services -------------------------------------------------------------------------------------------------


def _reschedule(*, school: School) -> int:
    from safeguarding.services.reviews import reviews_reschedule

    return reviews_reschedule(school=school)


def _lock_calendar(school_id: int) -> None:
    """One change to a school's calendar at a time, so two overlapping holidays cannot both pass the check."""
    list(School.objects.select_for_update().filter(pk=school_id).values_list("pk", flat=True))


def _require_administrator(actor) -> None:
    if not (actor.is_authenticated and actor.can(Capability.SCHOOL_ADMINISTER)):
        raise ActionRefused([NOT_ALLOWED])


def _clean(*, school: School, holiday: TermHoliday | None, name: str, starts_on: date | None,
           ends_on: date | None) -> dict:
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Enter the holiday's name, for example “October half term”."]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [f"The name must be {NAME_MAX_LENGTH} characters or fewer."]
    if starts_on is None:
        errors["starts_on"] = ["Enter the first day of the holiday."]
    if ends_on is None:
        errors["ends_on"] = ["Enter the last day of the holiday."]
    if starts_on and ends_on:
        if ends_on < starts_on:
            errors["ends_on"] = ["The last day of the holiday must be the same as or after its first day."]
        else:
            overlapping = term_holiday_list(school=school).filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
            if holiday is not None:
                overlapping = overlapping.exclude(pk=holiday.pk)
            clash = overlapping.first()
            if clash is not None:
                errors["starts_on"] = [f"These dates overlap {clash.name} ({clash.starts_on:%d/%m/%Y} to "
                                       f"{clash.ends_on:%d/%m/%Y}): change the dates or edit that holiday."]
    if errors:
        raise ValidationError(errors)
    return {"name": name, "starts_on": starts_on, "ends_on": ends_on}


def _audit(*, actor, action: str, holiday: TermHoliday, rescheduled: int) -> None:
    audit_record(actor=actor, action=action, subject_type="tenants.termholiday", subject_id=holiday.pk,
                 detail={"starts_on": holiday.starts_on.isoformat(), "ends_on": holiday.ends_on.isoformat(),
                         "reviews_rescheduled": rescheduled})


def term_holiday_create(*, actor, school: School, name: str, starts_on: date | None,
                        ends_on: date | None) -> TermHoliday:
    _require_administrator(actor)
    with transaction.atomic():
        _lock_calendar(school.pk)
        fields = _clean(school=school, holiday=None, name=name, starts_on=starts_on, ends_on=ends_on)
        holiday = TermHoliday.objects.create(school=school, **fields)
        _audit(actor=actor, action="term_holiday.create", holiday=holiday, rescheduled=_reschedule(school=school))
    return holiday


def term_holiday_update(*, actor, holiday: TermHoliday, name: str, starts_on: date | None,
                        ends_on: date | None) -> TermHoliday:
    _require_administrator(actor)
    with transaction.atomic():
        _lock_calendar(holiday.school_id)
        fields = _clean(school=holiday.school, holiday=holiday, name=name, starts_on=starts_on, ends_on=ends_on)
        for field, value in fields.items():
            setattr(holiday, field, value)
        holiday.save(update_fields=list(fields))
        _audit(actor=actor, action="term_holiday.update", holiday=holiday,
               rescheduled=_reschedule(school=holiday.school))
    return holiday


def term_holiday_delete(*, actor, holiday: TermHoliday) -> None:
    _require_administrator(actor)
    with transaction.atomic():
        school = holiday.school
        _lock_calendar(school.pk)
        holiday_id = holiday.pk
        holiday.delete()
        holiday.pk = holiday_id
        _audit(actor=actor, action="term_holiday.delete", holiday=holiday, rescheduled=_reschedule(school=school))
