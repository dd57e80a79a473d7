"""Notes of concern: anyone in the school with the capability logs one; the DCPO reads them all, marks them
seen and links them to the young person they are about; the headteacher also reads the linked ones; everyone
else sees the notes they logged (selectors.concerns.concerns_readable_by)."""

from __future__ import annotations

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from cse_platform.forms import add_service_errors
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from safeguarding.forms.cases import ConcernForm, ConcernReviewForm
from safeguarding.rules.roles import Capability
from safeguarding.selectors.concerns import concern_for, concerns_for, with_people_shown
from safeguarding.selectors.people import young_people_visible_to
from safeguarding.services.concerns import concern_log, concern_review

from .cases import CasePage

C = Capability


class ConcernsView(CasePage):
    """Log a note of concern, and the notes the user may read. Permission: concern.log."""

    capabilities = (C.CONCERN_LOG,)
    template_name = "safeguarding/cases/concerns.html"

    def context(self, request, form) -> dict:
        notes = with_people_shown(request.user, list(concerns_for(request.user)))
        audit_record(actor=request.user, action="concerns.list", detail={"notes": [note.pk for note in notes]})
        return {"form": form, "notes": notes, "is_dcpo": request.user.can(C.CASE_MANAGE),
                "unseen": sum(1 for note in notes if note.seen_at is None)}

    def get(self, request):
        initial = {}
        wanted = request.GET.get("young_person", "")
        if wanted.isdigit() and young_people_visible_to(request.user).filter(pk=int(wanted)).exists():
            initial["young_person"] = int(wanted)
        return self.render(self.context(request, ConcernForm(user=request.user, initial=initial)))

    def post(self, request):
        form = ConcernForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render(self.context(request, form))
        data = form.cleaned_data
        try:
            note = concern_log(author=request.user, source=data["source"], concern=data["concern"],
                               young_person=data["young_person"], about=data["about"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render(self.context(request, form))
        except ActionRefused as refusal:
            return self.refused(self.context(request, form), refusal)
        messages.success(request, "Note of concern logged: the designated child protection officer has been told.")
        return redirect("cases:concern", pk=note.pk)


class ConcernView(CasePage):
    """One note of concern: the DCPO (who marks it seen and links it), its author, or the headteacher once it is
    linked to a young person. Permission: concern.log, and need-to-know for notes."""

    capabilities = (C.CONCERN_LOG,)
    template_name = "safeguarding/cases/concern.html"

    def context(self, request, note, form=None) -> dict:
        is_dcpo = request.user.can(C.CASE_MANAGE)
        return {"note": note, "is_dcpo": is_dcpo,
                "form": (form or ConcernReviewForm(user=request.user)) if is_dcpo else None}

    def get(self, request, pk: int):
        note = concern_for(request.user, pk)
        return self.render(self.context(request, note))

    def post(self, request, pk: int):
        note = concern_for(request.user, pk)
        form = ConcernReviewForm(request.POST, user=request.user)
        context = self.context(request, note, form)
        if not form.is_valid():
            return self.render(context)
        try:
            concern_review(note=note, dcpo=request.user, young_person=form.cleaned_data["young_person"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render(context)
        except ActionRefused as refusal:
            return self.refused(context, refusal)
        linked = form.cleaned_data["young_person"]
        messages.success(request, f"Note marked as seen{f' and linked to {linked.full_name}' if linked else ''}.")
        return redirect("cases:concern", pk=note.pk)
