"""Governors and the framework (FRAMEWORK.md §4 gate 6, §5).

School host: the framework page (governor, DCPO, headteacher: framework.read), the school's anonymous
figures (school_figures.read), and a governor's acknowledgement (framework.acknowledge).
Central host: the authority's oversight of which schools' governors have acknowledged the version in
force, and publishing a new version (authority admin: schools.manage).
"""

from cse_platform.accounts.schemas import current_audience
from cse_platform.errors import ActionRefused
from cse_platform.forms import add_service_errors
from cse_platform.permissions import CapabilityRequiredMixin, has_capability
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from safeguarding.rules.levels import SERAT_MAX
from safeguarding.rules.plans import RESTRICTED_PACKS
from safeguarding.rules.roles import Audience, Capability
from scu_portal.selectors.governance import (
    NoFrameworkVersionInForce,
    framework_levels,
    framework_version_in_force,
    governance_oversight,
    governor_acknowledgement,
    school_acknowledgements,
    school_figures,
)
from scu_portal.services.governance import (
    framework_acknowledgement_statement,
    framework_version_publish,
    governor_acknowledge,
)


class HostMixin:
    """Pages of one host only: anywhere else they do not exist (404)."""

    audience: Audience

    def dispatch(self, request, *args, **kwargs):
        if current_audience() != self.audience:
            raise Http404("Not here.")
        return super().dispatch(request, *args, **kwargs)


def restricted_packs_words() -> str:
    labels = sorted(pack.label for pack in RESTRICTED_PACKS)
    return " and ".join(labels)


class FrameworkView(HostMixin, CapabilityRequiredMixin, TemplateView):
    """The framework in force, in plain words, with the school's anonymous figures and its governors'
    acknowledgements. Permission: framework.read (governor, DCPO, headteacher)."""

    audience = Audience.SCHOOL
    capabilities = (Capability.FRAMEWORK_READ,)
    template_name = "scu_portal/governance/framework.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **framework_context(self.request)}


def framework_context(request) -> dict:
    user, school = request.user, request.tenant
    try:
        version = framework_version_in_force()
    except NoFrameworkVersionInForce:
        return {"version": None}
    return {
        "version": version,
        "serat_max": SERAT_MAX,
        "summary_paragraphs": [part.strip() for part in version.summary.split("\n\n") if part.strip()],
        "levels": framework_levels(),
        "restricted_packs": restricted_packs_words(),
        "acknowledgements": list(school_acknowledgements(school=school, version=version)),
        "can_acknowledge": has_capability(user, Capability.FRAMEWORK_ACKNOWLEDGE),
        "mine": governor_acknowledgement(school=school, version=version, email=user.email),
        "statement": framework_acknowledgement_statement(version),
        "figures": school_figures() if has_capability(user, Capability.SCHOOL_FIGURES_READ) else None,
    }


class AcknowledgeView(HostMixin, CapabilityRequiredMixin, View):
    """A governor acknowledges the version in force. Permission: framework.acknowledge (governor)."""

    audience = Audience.SCHOOL
    capabilities = (Capability.FRAMEWORK_ACKNOWLEDGE,)
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            acknowledgement = governor_acknowledge(
                school=request.tenant, governor=request.user, version=request.POST.get("version") or None
            )
        except (ActionRefused, NoFrameworkVersionInForce) as refusal:
            reasons = getattr(refusal, "reasons", None) or (str(refusal),)
            context = {**framework_context(request), "refusal": reasons}
            return render(request, FrameworkView.template_name, context)
        messages.success(
            request, f"Thank you. Your acknowledgement of framework version "
                     f"{acknowledgement.framework_version.version} is recorded."
        )
        return HttpResponseRedirect(reverse("governance:framework"))


class OversightView(HostMixin, CapabilityRequiredMixin, TemplateView):
    """Which schools' governors have acknowledged the framework in force, who and when.
    Permission: authority admin (schools.manage)."""

    audience = Audience.CENTRAL
    capabilities = (Capability.SCHOOLS_MANAGE,)
    template_name = "scu_portal/governance/oversight.html"

    def get_context_data(self, **kwargs):
        try:
            oversight = governance_oversight()
        except NoFrameworkVersionInForce:
            oversight = None
        return {**super().get_context_data(**kwargs), "oversight": oversight}


class FrameworkVersionForm(forms.Form):
    version = forms.CharField(
        label="Version label", max_length=20, help_text='For example "2027.1".',
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    title = forms.CharField(label="Title", max_length=250, widget=forms.TextInput(attrs={"class": "govuk-input"}))
    summary = forms.CharField(
        label="Summary", help_text="What the framework is for and what changed, in plain words. Governors read it "
                                   "above the levels, which always come from the framework's rules.",
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 8}),
    )


class FrameworkVersionPublishView(HostMixin, CapabilityRequiredMixin, FormView):
    """Publish a new version of the framework; every school's governors then need to acknowledge it.
    Permission: authority admin (schools.manage)."""

    audience = Audience.CENTRAL
    capabilities = (Capability.SCHOOLS_MANAGE,)
    template_name = "scu_portal/governance/publish.html"
    form_class = FrameworkVersionForm

    def get_initial(self):
        try:
            current = framework_version_in_force()
        except NoFrameworkVersionInForce:
            return {}
        return {"title": current.title, "summary": current.summary}

    def form_valid(self, form):
        try:
            published = framework_version_publish(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Framework version {published.version} is published and now in force.")
        return HttpResponseRedirect(reverse("governance:oversight"))
