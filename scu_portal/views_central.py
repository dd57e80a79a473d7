"""The SCU's pages in the central portal: the queue, a referral, target times, MASE meetings and outcomes;
and, for the authority, schools and aggregate figures. Public schema only: no page reads a school's schema."""

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from cse_platform.forms import add_service_errors
from cse_platform.permissions import CapabilityRequiredMixin, has_capability
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from safeguarding.rules import referrals as rules
from safeguarding.rules.decision import Decision
from safeguarding.rules.roles import Capability
from scu_portal.forms import (
    AgendaForm,
    AnswerForm,
    AssignForm,
    MeetingForm,
    OutcomeForm,
    QueueFilterForm,
    SchoolProvisionForm,
    StatusForm,
    TargetsForm,
)
from scu_portal.models.referrals import MaseMeeting, Referral
from scu_portal.selectors.queue import (
    QueueFilters,
    agenda_candidates,
    meeting_for_scu,
    meetings,
    queue_counts,
    referral_figures,
    referral_for_scu,
    referral_queue,
    scu_status_moves,
    target_table,
)
from scu_portal.services.mase import (
    OUTCOME_ALREADY_RECORDED,
    mase_agenda_add,
    mase_meeting_create,
    mase_outcome_record,
)
from scu_portal.services.triage import referral_answer, referral_assign, referral_status_set, referral_target_set
from tenants.selectors import school_list
from tenants.services import domain_for, school_provision

C = Capability
PAGE_SIZE = 50


def queue_filters(form: QueueFilterForm) -> QueueFilters:
    if not form.is_valid():
        return QueueFilters()
    data = form.cleaned_data
    return QueueFilters(school=data["school"].pk if data["school"] else None, kind=data["kind"],
                        status=data["status"] or "open", level=data["level"], officer=data["officer"],
                        overdue=data["overdue"])


class QueueView(CapabilityRequiredMixin, View):
    """The triage queue across all schools: very high first, newest first, then by age; filters; overdue
    against the targets. Permission: referral.triage."""

    capabilities = (C.REFERRAL_TRIAGE,)

    def get(self, request):
        form = QueueFilterForm(request.GET or None)
        page = Paginator(referral_queue(filters=queue_filters(form)), PAGE_SIZE).get_page(request.GET.get("page"))
        audit_record(actor=request.user, action="referral.queue", subject_type="scu_portal.referral",
                     detail={"page": page.number, "shown": [referral.pk for referral in page]})
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "scu_portal/central/queue.html", {
            "form": form, "page": page, "counts": queue_counts(), "query": query.urlencode(),
            "can_set_targets": has_capability(request.user, C.TARGETS_SET),
        })


def _referral(pk: int) -> Referral:
    try:
        return referral_for_scu(pk=pk)
    except Referral.DoesNotExist:
        raise Http404("No such referral.") from None


def _schedulable(referral: Referral) -> bool:
    """Can go on a MASE agenda now (or back on one it is on, having moved on since it was scheduled)."""
    return bool(rules.mase_agenda_decision(referral_kind=referral.kind, status=referral.status))


def _back_to_meetings(referral: Referral) -> list[MaseMeeting]:
    """The meetings whose agenda this referral is on with no outcome for it yet, if it has moved on since it
    was scheduled: it can be put back on them."""
    if not _schedulable(referral):
        return []
    decided = {outcome.meeting_id for outcome in referral.mase_outcomes.all()}
    return [meeting for meeting in referral.mase_meetings.all() if meeting.pk not in decided]


class ReferralView(CapabilityRequiredMixin, View):
    """One referral: what the school sent, its history, the SCU's answers (as the school sees them),
    status moves, assignment, MASE meetings and outcomes. Permission: referral.triage."""

    capabilities = (C.REFERRAL_TRIAGE,)

    def get(self, request, pk, status_code=200, **forms):
        referral = _referral(pk)
        audit_record(actor=request.user, action="referral.read", subject=referral,
                     detail={"school": referral.school_id, "young_person_ref": referral.young_person_ref})
        statuses = scu_status_moves(referral)
        answer_kinds = rules.answer_kinds_allowed(referral_kind=referral.kind, status=referral.status)
        return render(request, "scu_portal/central/referral.html", {
            "referral": referral,
            "status_form": forms.get("status_form") or StatusForm(statuses=statuses),
            "answer_form": forms.get("answer_form") or AnswerForm(kinds=answer_kinds),
            "assign_form": forms.get("assign_form") or AssignForm(initial={"officer": referral.assigned_to_id}),
            "can_assign": has_capability(request.user, C.REFERRAL_ASSIGN) and referral.is_open,
            "can_answer": bool(answer_kinds),
            "statuses": statuses,
            "plan_items": referral.plan_state.get("items_done", []),
            "can_schedule": _schedulable(referral),
            "back_to_meetings": _back_to_meetings(referral),
        }, status=status_code)


class ReferralStatusView(ReferralView):
    """Acknowledge, take under review, or close. Permission: referral.triage."""

    http_method_names = ["post"]

    def post(self, request, pk):
        referral = _referral(pk)
        form = StatusForm(request.POST, statuses=scu_status_moves(referral))
        if form.is_valid():
            try:
                referral_status_set(referral=referral, status=form.cleaned_data["status"], actor=request.user,
                                    note=form.cleaned_data["note"])
            except (ValidationError, ActionRefused) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The referral's status was changed.")
                return redirect("scu:referral", pk=pk)
        return self.get(request, pk, status_code=400, status_form=form)


class ReferralAnswerView(ReferralView):
    """Advice, agreement or refusal of the material with conditions, or a request for information.
    Permission: referral.triage."""

    http_method_names = ["post"]

    def post(self, request, pk):
        referral = _referral(pk)
        form = AnswerForm(request.POST, kinds=rules.answer_kinds_allowed(referral_kind=referral.kind,
                                                                         status=referral.status))
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral_answer(referral=referral, kind=data["kind"], text=data["text"], actor=request.user,
                                conditions=data["conditions"], review_on=data["review_on"])
            except (ValidationError, ActionRefused) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Your answer was sent to the school.")
                return redirect("scu:referral", pk=pk)
        return self.get(request, pk, status_code=400, answer_form=form)


class ReferralAssignView(ReferralView):
    """Assign the referral to an officer. Permission: referral.assign (SCU manager)."""

    capabilities = (C.REFERRAL_ASSIGN,)
    http_method_names = ["post"]

    def post(self, request, pk):
        referral = _referral(pk)
        form = AssignForm(request.POST)
        if form.is_valid():
            try:
                referral_assign(referral=referral, officer=form.cleaned_data["officer"], actor=request.user)
            except (ValidationError, ActionRefused) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The referral was assigned.")
                return redirect("scu:referral", pk=pk)
        return self.get(request, pk, status_code=400, assign_form=form)


class TargetsView(CapabilityRequiredMixin, View):
    """Target times for the SCU's first answer, per kind and level. Permission: targets.set (SCU manager)."""

    capabilities = (C.TARGETS_SET,)

    def get(self, request, form=None, status=200):
        form = form or TargetsForm(rows=target_table())
        return render(request, "scu_portal/central/targets.html", {"form": form}, status=status)

    def post(self, request):
        rows = target_table()
        form = TargetsForm(request.POST, rows=rows)
        if form.is_valid():
            try:
                for row in rows:
                    hours = form.cleaned_data[form.name_for(row.kind, row.level)]
                    if hours != row.hours or not row.set_by_manager:
                        referral_target_set(kind=row.kind, level=row.level, hours=hours, actor=request.user)
            except (ValidationError, ActionRefused) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The target times were saved.")
                return redirect("scu:targets")
        return self.get(request, form=form, status=400)


class MeetingListView(CapabilityRequiredMixin, View):
    """MASE meetings, newest first. Permission: mase.manage."""

    capabilities = (C.MASE_MANAGE,)

    def get(self, request):
        return render(request, "scu_portal/central/meetings.html", {"meetings": meetings()})


class MeetingCreateView(CapabilityRequiredMixin, View):
    """A MASE meeting: its date, the agencies attending and the referrals on its agenda. Permission:
    mase.manage."""

    capabilities = (C.MASE_MANAGE,)

    def get(self, request, form=None, status=200):
        initial = {"referrals": request.GET.getlist("referral")}
        form = form or MeetingForm(initial=initial, candidates=agenda_candidates())
        return render(request, "scu_portal/central/meeting_new.html", {"form": form}, status=status)

    def post(self, request):
        form = MeetingForm(request.POST, candidates=agenda_candidates())
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = mase_meeting_create(held_on=data["held_on"], agencies=data["agencies"],
                                              referrals=list(data["referrals"]), actor=request.user)
            except (ValidationError, ActionRefused) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The MASE meeting was arranged.")
                return redirect("scu:meeting", pk=meeting.pk)
        return self.get(request, form=form, status=400)


def _meeting(pk: int) -> MaseMeeting:
    try:
        return meeting_for_scu(pk=pk)
    except MaseMeeting.DoesNotExist:
        raise Http404("No such meeting.") from None


class MeetingView(CapabilityRequiredMixin, View):
    """One MASE meeting: agencies, agenda, and the outcome recorded for each referral. Permission:
    mase.manage."""

    capabilities = (C.MASE_MANAGE,)

    def get(self, request, pk, form=None, status=200):
        meeting = _meeting(pk)
        outcomes = {outcome.referral_id: outcome for outcome in meeting.outcomes.all()}
        # Each referral with its outcome here, and whether it has moved on since it was scheduled and can be
        # put back on this agenda.
        agenda = [(referral, outcomes.get(referral.pk), referral.pk not in outcomes and _schedulable(referral))
                  for referral in meeting.referrals.all()]
        candidates = agenda_candidates(meeting=meeting)
        return render(request, "scu_portal/central/meeting.html", {
            "meeting": meeting, "agenda": agenda,
            "agenda_form": form or AgendaForm(candidates=candidates), "has_candidates": candidates.exists(),
        }, status=status)

    def post(self, request, pk):
        """Add a referral to the agenda, or put one on it back (the service tells which)."""
        meeting = _meeting(pk)
        form = AgendaForm(request.POST, candidates=agenda_candidates())
        if form.is_valid():
            try:
                mase_agenda_add(meeting=meeting, referral=form.cleaned_data["referral"], actor=request.user)
            except (ValidationError, ActionRefused) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The referral is on the meeting's agenda.")
                return redirect("scu:meeting", pk=pk)
        return self.get(request, pk, form=form, status=400)


class OutcomeView(CapabilityRequiredMixin, View):
    """Record the meeting's outcome for one referral on its agenda. Permission: mase.manage."""

    capabilities = (C.MASE_MANAGE,)

    def _objects(self, pk, referral_pk):
        meeting = _meeting(pk)
        referral = next((r for r in meeting.referrals.all() if r.pk == referral_pk), None)
        if referral is None:
            raise Http404("This referral is not on the meeting's agenda.")
        return meeting, referral

    def get(self, request, pk, referral_pk, form=None, status=200):
        meeting, referral = self._objects(pk, referral_pk)
        form = form or OutcomeForm(initial={"agreed_level": referral.effective_level})
        recorded = any(outcome.referral_id == referral.pk for outcome in meeting.outcomes.all())
        decision = Decision.refuse(OUTCOME_ALREADY_RECORDED) if recorded else \
            rules.mase_outcome_decision(status=referral.status)
        return render(request, "scu_portal/central/outcome.html", {
            "meeting": meeting, "referral": referral, "form": form, "decision": decision,
            "can_put_back": not recorded and _schedulable(referral),
        }, status=status)

    def post(self, request, pk, referral_pk):
        meeting, referral = self._objects(pk, referral_pk)
        form = OutcomeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                mase_outcome_record(meeting=meeting, referral=referral, agreed_level=data["agreed_level"],
                                    actions=form.actions(), material_use=data["material_use"],
                                    next_review_on=data["next_review_on"], actor=request.user)
            except (ValidationError, ActionRefused) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The outcome was recorded and sent to the school.")
                return redirect("scu:meeting", pk=pk)
        return self.get(request, pk, referral_pk, form=form, status=400)


# --- the authority --------------------------------------------------------------------------------


class SchoolsView(CapabilityRequiredMixin, View):
    """The authority's schools, and a new school provisioned from the base schema. Permission:
    schools.manage (authority admin)."""

    capabilities = (C.SCHOOLS_MANAGE,)

    def get(self, request, form=None, status=200):
        schools = [(school, domain_for(school.slug)) for school in school_list(include_archived=True)]
        return render(request, "scu_portal/central/schools.html",
                      {"schools": schools, "form": form or SchoolProvisionForm()}, status=status)

    def post(self, request):
        form = SchoolProvisionForm(request.POST)
        if form.is_valid():
            try:
                school = school_provision(**form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{school.name} was provisioned at {domain_for(school.slug)}.")
                return redirect(reverse("scu:schools"))
        return self.get(request, form=form, status=400)


class FiguresView(CapabilityRequiredMixin, View):
    """Aggregate figures from the public referral rows: counts by level, kind of school and month; never
    a name. Permission: aggregate.read (authority analyst)."""

    capabilities = (C.AGGREGATE_READ,)

    def get(self, request):
        return render(request, "scu_portal/central/figures.html", {"figures": referral_figures()})
