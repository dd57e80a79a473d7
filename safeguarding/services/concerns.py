"""Notes of concern: anyone in the school may log one; it reaches the DCPO."""

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.models import NoteOfConcern, YoungPerson
from safeguarding.rules.roles import Capability
from safeguarding.selectors.people import young_person_visible

from .notices import notice_concern_logged, school_path


@transaction.atomic
def concern_log(*, author, source: str, concern: str, young_person: YoungPerson | None = None,
                about: str = "") -> NoteOfConcern:
    if not author.can(Capability.CONCERN_LOG):
        raise ActionRefused(["Your role does not log notes of concern."])
    if young_person is not None and not young_person_visible(user=author, young_person=young_person):
        raise ActionRefused(["Describe who the concern is about instead: you do not work with this young person."])
    if young_person is None and not about.strip():
        raise ValidationError({"about": ["Say who the concern is about, or choose the young person."]})
    note = NoteOfConcern(young_person=young_person, about=about.strip(), source=source, concern=concern.strip(),
                         logged_by=author)
    note.full_clean()
    note.save()
    audit_record(actor=author, action="concern.log", subject=note,
                 young_person_id=young_person.pk if young_person else None)
    notice_concern_logged(link=school_path("cases:concern", pk=note.pk))
    return note


@transaction.atomic
def concern_review(*, note: NoteOfConcern, dcpo, young_person: YoungPerson | None = None) -> NoteOfConcern:
    """The DCPO has read the note, and may link it to the young person it is about."""
    if not dcpo.can(Capability.CASE_MANAGE):
        raise ActionRefused(["Only the DCPO reviews notes of concern."])
    note = NoteOfConcern.objects.select_for_update().get(pk=note.pk)
    fields = []
    if note.seen_at is None:
        note.seen_by, note.seen_at = dcpo, timezone.now()
        fields += ["seen_by", "seen_at"]
    if young_person is not None and note.young_person_id != young_person.pk:
        note.young_person = young_person
        fields.append("young_person")
    if fields:
        note.save(update_fields=fields)
        audit_record(actor=dcpo, action="concern.review", subject=note,
                     young_person_id=note.young_person_id)
    return note
