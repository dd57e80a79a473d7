"""Writes to the authority's training register (FRAMEWORK.md §4, gate 2; §5 authority admin).

A minimal register: the authority records that a member of a school's staff completed the detailed
training that medium and high materials need. Every change and deletion is audited with what it was.
"""

from __future__ import annotations

from datetime import date

from cse_platform.audit.services import audit_record
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from scu_portal.models import TrainingRecord
from tenants.models import School

DEFAULT_COURSE = TrainingRecord._meta.get_field("course").default
FIELDS = ("school", "staff_name", "staff_email", "course", "completed_on", "expires_on")


def _snapshot(record: TrainingRecord) -> dict[str, object]:
    return {
        "school": record.school.slug,
        "staff_name": record.staff_name,
        "staff_email": record.staff_email,
        "course": record.course,
        "completed_on": record.completed_on.isoformat(),
        "expires_on": record.expires_on.isoformat() if record.expires_on else None,
    }


def _validate(record: TrainingRecord, *, school_changed: bool) -> None:
    errors: dict[str, list[str]] = {}
    record.staff_name = (record.staff_name or "").strip()
    record.staff_email = (record.staff_email or "").strip().lower()
    record.course = (record.course or "").strip()
    if not record.staff_name:
        errors["staff_name"] = ["Enter the member of staff's name."]
    try:
        validate_email(record.staff_email)
    except ValidationError:
        errors["staff_email"] = ["Enter the member of staff's email address, as their school account uses it."]
    if not record.course:
        errors["course"] = ["Enter the course."]
    if school_changed and not record.school.is_active:
        errors["school"] = [f"{record.school.name} is archived: training cannot be recorded for it."]
    today = timezone.localdate()
    if not isinstance(record.completed_on, date):
        errors["completed_on"] = ["Enter the date the training was completed."]
    elif record.completed_on > today:
        errors["completed_on"] = ["The date the training was completed cannot be in the future."]
    elif record.expires_on is not None and record.expires_on <= record.completed_on:
        errors["expires_on"] = ["The training must expire after the date it was completed."]
    if errors:
        raise ValidationError(errors)


def training_record_create(
    *,
    school: School,
    staff_name: str,
    staff_email: str,
    completed_on: date,
    actor,
    expires_on: date | None = None,
    course: str = DEFAULT_COURSE,
) -> TrainingRecord:
    record = TrainingRecord(
        school=school, staff_name=staff_name, staff_email=staff_email, course=course or DEFAULT_COURSE,
        completed_on=completed_on, expires_on=expires_on,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _validate(record, school_changed=True)
    with transaction.atomic():
        record.save()
        audit_record(actor=actor, action="training_record.create", subject=record, detail=_snapshot(record))
    return record


def training_record_update(*, record: TrainingRecord, actor, **changes: object) -> TrainingRecord:
    """Correct a record: any of school, staff_name, staff_email, course, completed_on, expires_on."""
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise ValidationError({name: ["This cannot be changed."] for name in unknown})
    with transaction.atomic():
        current = TrainingRecord.objects.select_for_update(of=("self",)).select_related("school").get(pk=record.pk)
        before = _snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value)
        _validate(current, school_changed="school" in changes and changes["school"] != record.school)
        current.save()
        after = _snapshot(current)
        changed = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
        audit_record(actor=actor, action="training_record.update", subject=current, detail={"changed": changed})
    return current


def training_record_delete(*, record: TrainingRecord, actor) -> None:
    """Delete a record made by mistake; the audit log keeps what it said."""
    with transaction.atomic():
        current = TrainingRecord.objects.select_for_update(of=("self",)).select_related("school").get(pk=record.pk)
        audit_record(
            actor=actor, action="training_record.delete", subject_type=current._meta.label_lower,
            subject_id=current.pk, detail=_snapshot(current),
        )
        current.delete()
