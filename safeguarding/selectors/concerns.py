"""Notes of concern as each person may read them: the DCPO every note; whoever reads every case also the
notes linked to a young person; everyone else the notes they logged."""

from cse_platform.accounts.models import User
from cse_platform.audit.services import audit_record
from django.db.models import F, Q, QuerySet
from django.http import Http404

from safeguarding.models import NoteOfConcern
from safeguarding.rules.roles import Capability as C

from .people import young_people_visible_to


def concerns_readable_by(user: User) -> QuerySet[NoteOfConcern]:
    """Need-to-know for notes of concern, wherever they are shown (the list, one note, the chronology).

    The DCPO reads every note. The headteacher reads every case, so also every note the DCPO linked to a
    young person, but not the unlinked ones waiting for the DCPO. Everyone else reads only the notes they
    logged, even about a young person they work with.
    """
    notes = NoteOfConcern.objects.all()
    if user.can(C.CASE_MANAGE):
        return notes
    if user.can(C.CASE_READ_ALL):
        return notes.filter(Q(logged_by=user) | Q(young_person__isnull=False))
    return notes.filter(logged_by=user)


def concerns_for(user: User) -> QuerySet[NoteOfConcern]:
    """The notes a user may read: for the DCPO unseen first, then newest first; for others newest first."""
    notes = concerns_readable_by(user).select_related("young_person", "logged_by", "seen_by")
    if user.can(C.CASE_MANAGE):
        return notes.order_by(F("seen_at").asc(nulls_first=True), "-logged_at", "-pk")
    return notes.order_by("-logged_at", "-pk")


def with_people_shown(user, notes: list[NoteOfConcern]) -> list[NoteOfConcern]:
    """Name the young person a note is linked to only to those who may see them: a note's author may not work
    with the young person the DCPO later linked it to."""
    linked = {note.young_person_id for note in notes if note.young_person_id}
    visible = set(young_people_visible_to(user).filter(pk__in=linked).values_list("pk", flat=True))
    for note in notes:
        note.person_shown = note.young_person if note.young_person_id in visible else None
    return notes


def concern_for(user, pk: int) -> NoteOfConcern:
    """One note, for those who may read it (``concerns_readable_by``); anyone else: 404. The read is audited."""
    try:
        note = concerns_for(user).get(pk=pk)
    except NoteOfConcern.DoesNotExist:
        raise Http404("No such note of concern") from None
    audit_record(actor=user, action="concern.read", subject=note, young_person_id=note.young_person_id)
    return with_people_shown(user, [note])[0]
