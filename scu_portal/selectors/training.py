"""Reads of the authority's training register (public schema).

`staff_trained` is what a school's gates ask (FRAMEWORK.md §4, gate 2); it reads public rows by the
school and the member of staff's email, and never joins accounts, so it is safe from a school's schema.
"""

from datetime import date

from django.db.models import Q, QuerySet

from scu_portal.models import TrainingRecord


def staff_trained(*, school, email: str, on: date) -> bool:
    """Whether the authority's register shows this member of staff trained, and not expired, on `on`."""
    return TrainingRecord.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=on),
        school=school, staff_email__iexact=email, completed_on__lte=on,
    ).exists()


def training_record_is_current(record: TrainingRecord, *, on: date) -> bool:
    return record.completed_on <= on and (record.expires_on is None or record.expires_on >= on)


def training_record_list(*, school=None, search: str = "") -> QuerySet[TrainingRecord]:
    """The register, newest completion first; for one school, and matching a name or email, if given.
    Central portal only (it joins the school)."""
    records = TrainingRecord.objects.select_related("school").order_by("-completed_on", "staff_name", "-id")
    if school is not None:
        records = records.filter(school=school)
    search = (search or "").strip()
    if search:
        records = records.filter(Q(staff_name__icontains=search) | Q(staff_email__icontains=search))
    return records


def training_record_get(*, pk: int) -> TrainingRecord | None:
    return TrainingRecord.objects.select_related("school").filter(pk=pk).first()
