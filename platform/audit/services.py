from typing import Any

from django.db import models

from .models import AuditEvent


def audit_record(
    *,
    actor,
    action: str,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: str | int = "",
    young_person_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = subject.pk
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        young_person_id=young_person_id,
        detail=detail or {},
    )
