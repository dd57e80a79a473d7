"""A young person's case, as school staff see it: the case page, the SERAT and the personal quiz.

Every page states its capability (FRAMEWORK.md §5) and reads through the case selectors, which give 404
outside need-to-know and audit the read. Writes go to the services. A service's ValidationError is shown on
the form, naming the field; an ActionRefused re-renders the page with the reasons and status 409, having
changed nothing. Plans are in cases_plans.py, notes of concern in cases_concerns.py.
"""

from __future__ import annotations

from cse_platform.errors import ActionRefused
from cse_platform.forms import add_service_errors
from cse_platform.views import REFUSED_STATUS, Page
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from safeguarding.forms.cases import InstrumentForm, QuizDeclineForm
from safeguarding.instruments.selectors import NoInstrumentInForce, instrument_in_force
from safeguarding.models import SeratAssessment, YoungPerson
from safeguarding.rules.instruments import InstrumentKind
from safeguarding.rules.levels import Level, awaits_scu_advice, quiz_required
from safeguarding.rules.plans import plan_for
from safeguarding.rules.roles import Capability
from safeguarding.selectors.cases import assessment_get, chronology, current_levels, young_person_get
from safeguarding.selectors.plans import active_plan, plan_state
from safeguarding.services.assessments import assessment_level, quiz_decline, quiz_record, serat_submit

C = Capability


# --- shared by every case page -----------------------------------------------------------------------------


class CasePage(Page):
    """A case page: sign-in, then one of `capabilities` (403 otherwise); objects via the case selectors."""


def young_person_actions(user, person: YoungPerson, latest: SeratAssessment | None, quiz_awaited: bool) -> list:
    actions = []
    if user.can(C.SERAT_COMPLETE):
        actions.append({"label": "Complete a SERAT", "url": reverse("cases:serat", args=[person.pk]),
                        "testid": "action-serat"})
        if quiz_awaited and latest is not None:
            actions.append({"label": "Record the personal quiz", "url": reverse("cases:quiz", args=[latest.pk]),
                            "testid": "action-quiz"})
    if user.can(C.CONCERN_LOG):
        actions.append({"label": "Log a note of concern",
                        "url": f"{reverse('cases:concerns')}?young_person={person.pk}", "testid": "action-concern"})
    if user.can(C.REFERRAL_SEND):
        actions.append({"label": "Referrals to SCU", "url": reverse("referrals:young_person", args=[person.pk]),
                        "testid": "action-referrals"})
    return actions


# --- the young person's case -------------------------------------------------------------------------------


class YoungPersonView(CasePage):
    """The case: who they are, their level now, the active plan, the latest SERAT and quiz, the chronology.
    Permission: case.read_assigned, and need-to-know."""

    capabilities = (C.CASE_READ_ASSIGNED,)
    template_name = "safeguarding/cases/young_person.html"

    def get(self, request, pk: int):
        person = young_person_get(user=request.user, pk=pk)
        level = current_levels(young_people=[person]).get(person.pk)
        plan = active_plan(young_person=person)
        state = plan_state(plan=plan, viewer=request.user) if plan is not None else None
        latest = person.assessments.select_related("assessed_by").first()
        quiz = getattr(latest, "quiz", None) if latest is not None else None
        serat_level = Level(latest.level) if latest is not None else None
        quiz_awaited = bool(serat_level and quiz_required(serat_level) and quiz is None)
        awaiting_scu = bool(state and state.requirements.awaits_scu_advice and not state.scu.advice_recorded)
        context = {
            "person": person,
            "level": level,
            "plan": plan,
            "state": state,
            "latest": latest,
            "latest_effective": assessment_level(latest) if latest is not None else None,
            "quiz": quiz,
            "quiz_awaited": quiz_awaited,
            "quiz_not_asked_scu": bool(serat_level and awaits_scu_advice(serat_level)),
            "awaiting_scu": awaiting_scu,
            "actions": young_person_actions(request.user, person, latest, quiz_awaited),
            "entries": chronology(young_person=person, viewer=request.user),
        }
        return self.render(context)


# --- SERAT -------------------------------------------------------------------------------------------------


def instrument_json(instrument) -> dict:
    """What the running total needs: each item's allowed scores, and the instrument's own bands."""
    return {
        "items": [{"code": item.code, "allowed_scores": list(item.allowed_scores)} for item in instrument.items],
        "bands": [{"level": band.level.value, "label": band.level.label, "minimum": band.minimum,
                   "maximum": band.maximum} for band in instrument.bands],
        "max_total": instrument.max_total,
    }


def serat_next_steps(person: YoungPerson, level: Level) -> str:
    """What happens after a SERAT at this level, in the plan's own words."""
    requirements = plan_for(level)
    if requirements.quiz_required:
        return (f"Next, ask {person.first_name} to complete the personal quiz and record their answers (or that "
                "they declined); the plan waits for the headteacher's agreement.")
    if requirements.awaits_scu_advice:
        duties = " ".join(item.text for item in requirements.processes)
        return (f"No personal quiz is asked at this level: the case waits for advice from the Safeguarding "
                f"Children Unit. {duties}").strip()
    return "The plan for this level now waits for the headteacher's agreement."


class SeratView(CasePage):
    """Complete a SERAT on the instrument in force. Permission: serat.complete, and need-to-know."""

    capabilities = (C.SERAT_COMPLETE,)
    template_name = "safeguarding/cases/serat.html"

    def context(self, person, version, form) -> dict:
        instrument = version.as_instrument() if version is not None else None
        return {
            "person": person,
            "version": version,
            "instrument": instrument,
            "instrument_data": instrument_json(instrument) if instrument is not None else None,
            "form": form,
        }

    def page(self, request, pk: int):
        person = young_person_get(user=request.user, pk=pk, purpose="serat.form")
        try:
            version = instrument_in_force(kind=InstrumentKind.SERAT)
        except NoInstrumentInForce as missing:
            return person, None, str(missing)
        return person, version, ""

    def get(self, request, pk: int):
        person, version, missing = self.page(request, pk)
        form = InstrumentForm(instrument=version.as_instrument()) if version is not None else None
        return self.render({**self.context(person, version, form), "missing": missing})

    def post(self, request, pk: int):
        person, version, missing = self.page(request, pk)
        if version is None:
            return self.render({**self.context(person, None, None), "missing": missing}, status=REFUSED_STATUS)
        form = InstrumentForm(request.POST, instrument=version.as_instrument())
        context = self.context(person, version, form)
        if not form.is_valid():
            return self.render(context)
        try:
            assessment = serat_submit(young_person=person, answers=form.answers(), assessor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render(context)
        except ActionRefused as refusal:
            return self.refused(context, refusal)
        level = Level(assessment.level)
        messages.success(request, f"SERAT completed for {person.full_name}: {assessment.total} points, "
                                  f"{level.label}. {serat_next_steps(person, level)}")
        return redirect("cases:young_person", pk=person.pk)


# --- the personal quiz -------------------------------------------------------------------------------------


class QuizView(CasePage):
    """Record the young person's own answers, or that they declined; then show the result.
    Permission: serat.complete, and need-to-know."""

    capabilities = (C.SERAT_COMPLETE,)
    template_name = "safeguarding/cases/quiz.html"

    def context(self, assessment, *, form=None, decline_form=None) -> dict:
        quiz = getattr(assessment, "quiz", None)
        staff_level = Level(assessment.level)
        version = None
        missing = ""
        if quiz is None and quiz_required(staff_level):
            try:
                version = instrument_in_force(kind=InstrumentKind.PERSONAL_QUIZ)
            except NoInstrumentInForce as error:
                missing = str(error)
        if version is not None and form is None:
            form = InstrumentForm(instrument=version.as_instrument(), answers_as_labels=True)
        return {
            "assessment": assessment,
            "person": assessment.young_person,
            "staff_level": staff_level,
            "quiz": quiz,
            "quiz_level": Level(quiz.level) if quiz is not None and quiz.level else None,
            "effective": assessment_level(assessment),
            "quiz_asked": quiz_required(staff_level),
            "not_asked_scu": awaits_scu_advice(staff_level),
            "version": version,
            "missing": missing,
            "form": form if quiz is None else None,
            "decline_form": (decline_form or QuizDeclineForm()) if quiz is None and version is not None else None,
            "plan": active_plan(young_person=assessment.young_person),
        }

    def get(self, request, pk: int):
        assessment = assessment_get(user=request.user, pk=pk)
        return self.render(self.context(assessment))

    def post(self, request, pk: int):
        assessment = assessment_get(user=request.user, pk=pk, purpose="quiz.form")
        person = assessment.young_person
        if request.POST.get("action") == "decline":
            decline_form = QuizDeclineForm(request.POST)
            context = self.context(assessment, decline_form=decline_form)
            if not decline_form.is_valid():
                return self.render(context)
            try:
                quiz_decline(assessment=assessment, recorder=request.user, note=decline_form.cleaned_data["note"])
            except ValidationError as error:
                add_service_errors(decline_form, error)
                return self.render(context)
            except ActionRefused as refusal:
                return self.refused(context, refusal)
            messages.success(request, f"Recorded that {person.full_name} declined the personal quiz: the staff "
                                      f"level, {Level(assessment.level).label}, stands.")
            return redirect("cases:quiz", pk=assessment.pk)
        try:
            version = instrument_in_force(kind=InstrumentKind.PERSONAL_QUIZ)
        except NoInstrumentInForce:
            return self.render(self.context(assessment), status=REFUSED_STATUS)
        form = InstrumentForm(request.POST, instrument=version.as_instrument(), answers_as_labels=True)
        context = self.context(assessment, form=form)
        if not form.is_valid():
            return self.render(context)
        try:
            quiz = quiz_record(assessment=assessment, answers=form.answers(), recorder=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render(context)
        except ActionRefused as refusal:
            return self.refused(context, refusal)
        assessment.refresh_from_db()
        effective = assessment_level(assessment)
        raised = (f" The quiz raised the level: the plan for {effective.label} applies from now on."
                  if effective > Level(assessment.level) else "")
        messages.success(request, f"Personal quiz recorded for {person.full_name}: {quiz.total} points, "
                                  f"{Level(quiz.level).label}. The effective level is {effective.label}.{raised}")
        return redirect("cases:quiz", pk=assessment.pk)
