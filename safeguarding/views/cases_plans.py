"""A plan as a task list, and the actions on it: agreement, the option, the other processes, consent and
teaching sessions. What is blocked, and why, comes from `plan_state` and the rules' gates; nothing here
decides it."""

from __future__ import annotations

from dataclasses import dataclass, field

from cse_platform.accounts.models import User
from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from cse_platform.forms import add_service_errors
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from safeguarding.forms.cases import AgreeForm, ConsentForm, OptionForm, PlanItemForm, SessionForm
from safeguarding.models import Plan, PlanStatus
from safeguarding.rules.gates import materials_view_decision
from safeguarding.rules.levels import Level
from safeguarding.rules.plans import PLAN_ITEMS, TEACHING_OPTIONS, Group
from safeguarding.rules.reviews import ReviewBasis, ReviewWindow, review_status
from safeguarding.rules.roles import Audience, Capability, Role, can
from safeguarding.selectors.cases import plan_get
from safeguarding.selectors.people import young_people_visible_to
from safeguarding.selectors.plans import active_plan, latest_consents, plan_state, plans_awaiting_agreement
from safeguarding.services.plans import consent_record, plan_agree, plan_item_complete, plan_option_choose
from safeguarding.services.sessions import session_record

from .cases import CasePage

C = Capability
REVIEW_STATUS_LABELS = {"not_due": "Not due yet", "due": "Due now", "overdue": "Overdue"}


def referrals_url(user, plan) -> str | None:
    """Where the DCPO sends this plan to the SCU (a MASE referral, consultation or agreement request)."""
    return reverse("referrals:send", args=[plan.pk]) if user.can(C.REFERRAL_SEND) else None


@dataclass
class Task:
    """One row of a GOV.UK task list."""

    key: str
    name: str
    status: str  # done | todo | blocked | refused
    status_text: str
    href: str | None = None
    hints: list[str] = field(default_factory=list)
    reasons: tuple[str, ...] = ()


def _done(key, name, text="Completed", **kwargs) -> Task:
    return Task(key, name, "done", text, **kwargs)


def _todo(key, name, text="Not yet started", **kwargs) -> Task:
    return Task(key, name, "todo", text, **kwargs)


def _blocked(key, name, reasons, **kwargs) -> Task:
    return Task(key, name, "blocked", "Cannot start yet", reasons=tuple(reasons), **kwargs)


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%d %b %Y}"


def _may(user, capability: Capability, plan: Plan) -> bool:
    return plan.status == PlanStatus.ACTIVE and user.can(capability)


# --- the task list ---------------------------------------------------------------------------------------


def agreement_tasks(state, user) -> list[Task]:
    plan = state.plan
    name = "Headteacher's agreement to this plan"
    if plan.is_agreed:
        hints = [f"Agreed by {plan.agreed_by.full_name} on {_when(plan.agreed_at)}."]
        if plan.agreement_note:
            hints.append(plan.agreement_note)
        return [_done("agreement", name, hints=hints)]
    href = "#agree" if _may(user, C.PLAN_AGREE, plan) else None
    return [_todo("agreement", name, "Waiting for the headteacher", href=href)]


def teaching_options_shown(state) -> list[dict]:
    """The option chosen, or every option of the plan, with each resource's details only for those the
    training gate lets see them."""
    requirements, plan = state.requirements, state.plan
    options = [TEACHING_OPTIONS[plan.option]] if plan.option else list(requirements.teaching_options)
    return [
        {
            "option": option,
            "resources": [
                {"resource": resource,
                 "decision": materials_view_decision(resource=resource.code, staff_trained=state.viewer_trained)}
                for resource in option.resources
            ],
        }
        for option in options
    ]


def teaching_tasks(state, user, sessions: list) -> list[Task]:
    plan, requirements = state.plan, state.requirements
    tasks = []
    if requirements.choose_one_option:
        name = "Choose " + " or ".join(option.title.split(":")[0] for option in requirements.teaching_options)
        href = reverse("cases:plan_option", args=[plan.pk]) if _may(user, C.CASE_MANAGE, plan) and not sessions \
            else None
        if plan.option:
            tasks.append(_done("option", name, hints=[f"Chosen: {TEACHING_OPTIONS[plan.option].title}."], href=href))
        else:
            tasks.append(_todo("option", name, hints=["The designated child protection officer chooses."],
                               href=href))
    name = "Teaching session" if requirements.teaching_options else "Teaching action advised by the SCU"
    href = reverse("cases:session_new", args=[plan.pk]) if _may(user, C.SESSION_RECORD, plan) else None
    if sessions:
        count = len(sessions)
        tasks.append(_done("session", name, hints=[f"{count} session{'s' if count != 1 else ''} recorded."],
                           href=href))
    elif not state.session_blockers.allowed:
        tasks.append(_blocked("session", name, state.session_blockers.reasons, href=href))
    else:
        tasks.append(_todo("session", name, href=href))
    return tasks


def checklist_tasks(state, user) -> list[Task]:
    plan = state.plan
    tasks = []
    for row in state.checklist:
        expectation = "Required" if row.item.required else "To consider"
        allowed = row.blocked.allowed  # the gate's Decision: allowed, or refused with its reasons
        if row.record is not None:
            hints = [expectation, row.record.note,
                     f"Recorded by {row.record.done_by.full_name} on {_when(row.record.done_at)}."]
            tasks.append(_done(row.item.code, row.item.text, hints=hints))
        elif not allowed:
            tasks.append(_blocked(row.item.code, row.item.text, row.blocked.reasons, hints=[expectation]))
        else:
            href = reverse("cases:plan_item", args=[plan.pk, row.item.code]) if _may(user, C.CASE_MANAGE, plan) \
                else None
            tasks.append(_todo(row.item.code, row.item.text, href=href, hints=[expectation]))
    return tasks


def consent_task(state, user) -> Task | None:
    plan, rule = state.plan, state.requirements.consent
    if not rule.needed:
        return None
    href = reverse("cases:consent", args=[plan.pk]) if _may(user, C.CONSENT_RECORD, plan) else None
    name = f"Parental consent for {plan.young_person.full_name}"
    consent = state.consent
    if consent is None:
        return _todo("consent", name, "Not yet recorded", href=href)
    hints = [f"{consent.given_by} ({consent.relationship}), {consent.get_method_display().lower()}, "
             f"{consent.decided_on:%d %b %Y}."]
    if consent.decision == "given":
        return _done("consent", name, "Given", href=href, hints=hints)
    return Task("consent", name, "refused", consent.get_decision_display(), href=href, hints=hints)


def scu_rows(state) -> list[dict]:
    """What the Safeguarding Children Unit has said, where this level needs it or it has said something."""
    requirements, scu = state.requirements, state.scu
    rows = []
    if requirements.awaits_scu_advice or scu.advice_recorded:
        rows.append({"key": "SCU advice", "done": scu.advice_recorded,
                     "value": "Recorded" if scu.advice_recorded else "Awaiting SCU advice"})
    if requirements.scu_agreement_required or scu.material_agreed:
        rows.append({"key": "SCU agreement to use the material pending MASE", "done": scu.material_agreed,
                     "value": "Agreed" if scu.material_agreed else "Not agreed yet"})
    if scu.mase_authorises_without_consent:
        rows.append({"key": "MASE plan", "done": True,
                     "value": "Authorises use of the material without parental consent"})
    if scu.review_on:
        rows.append({"key": "Next review (set by the SCU or MASE)", "done": True,
                     "value": f"{scu.review_on:%d %b %Y}"})
    return rows


def review_summary(state) -> dict:
    rule = state.requirements.review
    review = getattr(state.plan.assessment, "review", None)
    summary = {"rule": rule, "window": None, "status": None, "status_label": "", "review_on": None}
    if rule.basis is ReviewBasis.TERM_WEEKS and review is not None and review.due_from and review.overdue_after:
        window = ReviewWindow(due_from=review.due_from, overdue_after=review.overdue_after)
        status = review_status(window, timezone.localdate())
        summary.update(window=window, status=status, status_label=REVIEW_STATUS_LABELS[status])
    elif rule.basis is ReviewBasis.SCU_OR_MASE:
        summary["review_on"] = state.scu.review_on
    if review is not None and not review.is_open:
        summary.update(status="closed", status_label="Done: a new SERAT has been completed")
    return summary


class PlanView(CasePage):
    """The plan as a task list: what is done, what is to do, what is blocked and why.
    Permission: case.read_assigned, and need-to-know."""

    capabilities = (C.CASE_READ_ASSIGNED,)
    template_name = "safeguarding/cases/plan.html"

    def get(self, request, pk: int):
        plan = plan_get(user=request.user, pk=pk)
        return self.render(plan_context(request.user, plan))


def plan_context(user, plan: Plan, **extra) -> dict:
    state = plan_state(plan=plan, viewer=user)
    sessions = list(plan.sessions.select_related("delivered_by", "tutor_group").prefetch_related("participants"))
    visible = young_people_visible_to(user)
    others = [consent for person_id, consent in latest_consents(plan=plan, young_people=visible).items()
              if person_id != plan.young_person_id]
    consent = state.consent
    refused = consent is not None and consent.decision != "given"
    rule = state.requirements.consent
    current = active_plan(young_person=plan.young_person) if plan.status != PlanStatus.ACTIVE else plan
    return {
        "plan": plan,
        "person": plan.young_person,
        "state": state,
        "level": Level(plan.level),
        "requirements": state.requirements,
        "current_plan": current,
        "agreement_tasks": agreement_tasks(state, user),
        "teaching_tasks": teaching_tasks(state, user, sessions),
        "options_shown": teaching_options_shown(state),
        "checklist_tasks": checklist_tasks(state, user),
        "consent_tasks": [task for task in (consent_task(state, user),) if task is not None],
        "other_consents": sorted(others, key=lambda c: c.young_person.full_name),
        "consent_refused": refused,
        "refused_action": PLAN_ITEMS[rule.if_refused_action] if refused and rule.if_refused_action else None,
        "referrals_url": referrals_url(user, plan),
        "scu_rows": scu_rows(state),
        "review": review_summary(state),
        "sessions": sessions,
        "can_agree": _may(user, C.PLAN_AGREE, plan) and not plan.is_agreed,
        "agree_form": extra.pop("agree_form", None) or AgreeForm(),
        **extra,
    }


# --- headteacher's agreement -----------------------------------------------------------------------------


class PlansAwaitingView(CasePage):
    """Plans waiting for the headteacher's agreement, oldest first. Permission: plan.agree."""

    capabilities = (C.PLAN_AGREE,)
    template_name = "safeguarding/cases/plans_awaiting.html"

    def get(self, request):
        plans = list(plans_awaiting_agreement().filter(young_person__in=young_people_visible_to(request.user)))
        audit_record(actor=request.user, action="plans.awaiting.list", detail={"plans": [p.pk for p in plans]})
        return self.render({"plans": plans})


class PlanAgreeView(CasePage):
    """The headteacher agrees the plan, with a note. Permission: plan.agree."""

    capabilities = (C.PLAN_AGREE,)
    template_name = "safeguarding/cases/plan_agree.html"

    def get(self, request, pk: int):
        plan = plan_get(user=request.user, pk=pk)
        return self.render({"plan": plan, "person": plan.young_person, "level": Level(plan.level),
                            "form": AgreeForm()})

    def post(self, request, pk: int):
        plan = plan_get(user=request.user, pk=pk, purpose="plan.agree.form")
        form = AgreeForm(request.POST)
        context = {"plan": plan, "person": plan.young_person, "level": Level(plan.level), "form": form}
        if not form.is_valid():
            return self.render(context)
        try:
            plan_agree(plan=plan, headteacher=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render(context)
        except ActionRefused as refusal:
            return self.refused(context, refusal)
        messages.success(request, f"You agreed the plan for {plan.young_person.full_name}: staff can now carry "
                                  "out its actions.")
        return redirect("cases:plan", pk=plan.pk)


# --- the DCPO's part: the option and the other processes ---------------------------------------------------


class PlanOptionView(CasePage):
    """At medium, the DCPO chooses Option 1 or Option 2. Permission: case.manage."""

    capabilities = (C.CASE_MANAGE,)
    template_name = "safeguarding/cases/plan_option.html"

    def setup_plan(self, request, pk: int, purpose: str = "case.read"):
        plan = plan_get(user=request.user, pk=pk, purpose=purpose)
        state = plan_state(plan=plan, viewer=request.user)
        if not state.requirements.choose_one_option:
            raise Http404("This plan has no options to choose between.")
        return plan, state

    def context(self, plan, state, form) -> dict:
        return {"plan": plan, "person": plan.young_person, "level": Level(plan.level), "state": state,
                "form": form, "options_shown": teaching_options_shown(state)}

    def get(self, request, pk: int):
        plan, state = self.setup_plan(request, pk)
        form = OptionForm(requirements=state.requirements, initial={"option": plan.option or None})
        return self.render(self.context(plan, state, form))

    def post(self, request, pk: int):
        plan, state = self.setup_plan(request, pk, purpose="plan.option.form")
        form = OptionForm(request.POST, requirements=state.requirements)
        context = self.context(plan, state, form)
        if not form.is_valid():
            return self.render(context)
        try:
            plan_option_choose(plan=plan, option=form.cleaned_data["option"], dcpo=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render(context)
        except ActionRefused as refusal:
            return self.refused(context, refusal)
        messages.success(request, f"{TEACHING_OPTIONS[form.cleaned_data['option']].title} chosen for "
                                  f"{plan.young_person.full_name}'s plan.")
        return redirect("cases:plan", pk=plan.pk)


class PlanItemView(CasePage):
    """The DCPO marks one of the plan's other processes done, with a note. Permission: case.manage."""

    capabilities = (C.CASE_MANAGE,)
    template_name = "safeguarding/cases/plan_item.html"

    def setup_plan(self, request, pk: int, code: str, purpose: str = "case.read"):
        plan = plan_get(user=request.user, pk=pk, purpose=purpose)
        state = plan_state(plan=plan, viewer=request.user)
        row = next((row for row in state.checklist if row.item.code == code), None)
        if row is None:
            raise Http404("This is not one of the plan's other processes.")
        return plan, state, row

    def context(self, plan, state, row, form) -> dict:
        return {"plan": plan, "person": plan.young_person, "level": Level(plan.level), "state": state, "row": row,
                "form": form}

    def get(self, request, pk: int, code: str):
        plan, state, row = self.setup_plan(request, pk, code)
        return self.render(self.context(plan, state, row, PlanItemForm()))

    def post(self, request, pk: int, code: str):
        plan, state, row = self.setup_plan(request, pk, code, purpose="plan.item.form")
        form = PlanItemForm(request.POST)
        context = self.context(plan, state, row, form)
        if not form.is_valid():
            return self.render(context)
        try:
            plan_item_complete(plan=plan, code=code, note=form.cleaned_data["note"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render(context)
        except ActionRefused as refusal:
            return self.refused(context, refusal)
        messages.success(request, f"Marked as done: {row.item.text}")
        return redirect("cases:plan", pk=plan.pk)


# --- consent -----------------------------------------------------------------------------------------------


class ConsentView(CasePage):
    """The DCPO records a parent's or carer's decision. Permission: consent.record."""

    capabilities = (C.CONSENT_RECORD,)
    template_name = "safeguarding/cases/consent.html"

    def context(self, request, plan, form) -> dict:
        state = plan_state(plan=plan, viewer=request.user)
        consents = latest_consents(plan=plan, young_people=young_people_visible_to(request.user))
        return {"plan": plan, "person": plan.young_person, "level": Level(plan.level), "state": state,
                "rule": state.requirements.consent, "form": form,
                "consents": sorted(consents.values(), key=lambda c: c.young_person.full_name),
                "referrals_url": referrals_url(request.user, plan)}

    def get(self, request, pk: int):
        plan = plan_get(user=request.user, pk=pk)
        form = ConsentForm(user=request.user, young_person=plan.young_person,
                           initial={"decided_on": timezone.localdate()})
        return self.render(self.context(request, plan, form))

    def post(self, request, pk: int):
        plan = plan_get(user=request.user, pk=pk, purpose="consent.form")
        form = ConsentForm(request.POST, user=request.user, young_person=plan.young_person)
        context = self.context(request, plan, form)
        if not form.is_valid():
            return self.render(context)
        data = form.cleaned_data
        try:
            consent = consent_record(plan=plan, young_person=data["young_person"], decision=data["decision"],
                                     given_by=data["given_by"], relationship=data["relationship"],
                                     method=data["method"], decided_on=data["decided_on"], recorder=request.user,
                                     note=data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render(context)
        except ActionRefused as refusal:
            return self.refused(context, refusal)
        messages.success(request, f"Parental consent {consent.get_decision_display().lower()} recorded for "
                                  f"{consent.young_person.full_name}.")
        return redirect("cases:plan", pk=plan.pk)


# --- teaching sessions -------------------------------------------------------------------------------------


def session_roles() -> list[str]:
    return [role.value for role in Role if role.audience is Audience.SCHOOL and can(role, C.SESSION_RECORD)]


class SessionView(CasePage):
    """Record a teaching session under the plan; what would stop it is shown first.
    Permission: session.record, and need-to-know (participants too)."""

    capabilities = (C.SESSION_RECORD,)
    template_name = "safeguarding/cases/session.html"

    def form(self, request, plan, state, data=None) -> SessionForm:
        if request.user.can(C.CASE_MANAGE):
            delivered_by = User.objects.filter(is_active=True, role__in=session_roles()).order_by("full_name")
        else:
            delivered_by = User.objects.filter(pk=request.user.pk)
        return SessionForm(data, user=request.user, plan=plan, requirements=state.requirements,
                           delivered_by_choices=delivered_by, initial={"held_on": timezone.localdate()})

    def context(self, plan, state, form) -> dict:
        return {"plan": plan, "person": plan.young_person, "level": Level(plan.level), "state": state,
                "requirements": state.requirements, "form": form, "options_shown": teaching_options_shown(state),
                "group_whole": Group.WHOLE_TUTOR_GROUP.value}

    def get(self, request, pk: int):
        plan = plan_get(user=request.user, pk=pk)
        state = plan_state(plan=plan, viewer=request.user)
        return self.render(self.context(plan, state, self.form(request, plan, state)))

    def post(self, request, pk: int):
        plan = plan_get(user=request.user, pk=pk, purpose="session.form")
        state = plan_state(plan=plan, viewer=request.user)
        form = self.form(request, plan, state, request.POST)
        context = self.context(plan, state, form)
        if not form.is_valid():
            return self.render(context)
        try:
            session_record(plan=plan, recorder=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render(context)
        except ActionRefused as refusal:
            return self.refused(context, refusal)
        messages.success(request, f"Teaching session recorded for {plan.young_person.full_name}'s plan.")
        return redirect("cases:plan", pk=plan.pk)
