"""The authority's instrument pages (central portal). Permission: authority admin (instruments.manage)."""

from __future__ import annotations

from cse_platform.errors import ActionRefused
from cse_platform.forms import add_service_errors
from cse_platform.permissions import CapabilityRequiredMixin
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from safeguarding.rules.instruments import InstrumentKind, describe_scores
from safeguarding.rules.levels import SERAT_MAX, Level
from safeguarding.rules.roles import Capability

from .forms import BandsForm, DraftCreateForm, DraftTitleForm, ItemForm, ItemFormSet
from .models import InstrumentStatus, InstrumentVersion
from .selectors import (
    instrument_in_force_ids,
    instrument_version_get,
    instrument_version_max_total,
    instrument_versions,
)
from .services import (
    instrument_draft_create,
    instrument_draft_update,
    instrument_publish,
    instrument_publish_decision,
    instrument_retire,
)


def version_url(version: InstrumentVersion, name: str = "detail") -> str:
    return reverse(f"instruments:{name}", kwargs={"kind": version.kind, "number": version.version})


def status_label(version: InstrumentVersion, in_force: dict[str, int]) -> str:
    if in_force.get(version.kind) == version.pk:
        return "In force"
    return version.get_status_display()


class InstrumentPageMixin(CapabilityRequiredMixin):
    capabilities = (Capability.INSTRUMENTS_MANAGE,)

    def get_version(self) -> InstrumentVersion:
        version = instrument_version_get(kind=self.kwargs["kind"], version=self.kwargs["number"])
        if version is None:
            raise Http404("No such instrument version.")
        return version

    def version_context(self, version: InstrumentVersion) -> dict:
        in_force = instrument_in_force_ids()
        items = [
            {
                **item,
                "scores": describe_scores(item["allowed_scores"]) if item["allowed_scores"] else "none",
                "guidance_lines": sorted(((int(score), text) for score, text in item["guidance"].items())),
            }
            for item in version.items
        ]
        bands = []
        for level, low, high in version.bands:
            try:
                bands.append({"label": Level(level).label, "minimum": low, "maximum": high})
            except ValueError:
                bands.append({"label": level, "minimum": low, "maximum": high})
        context = {
            "serat_max": SERAT_MAX,
            "version": version,
            "kind_label": InstrumentKind(version.kind).label,
            "status": status_label(version, in_force),
            "in_force": in_force.get(version.kind) == version.pk,
            "is_draft": version.status == InstrumentStatus.DRAFT,
            "items": items,
            "bands": bands,
            "max_total": instrument_version_max_total(version),
            "can_retire": version.status != InstrumentStatus.RETIRED and in_force.get(version.kind) != version.pk,
        }
        if context["is_draft"]:
            context["publish_check"] = instrument_publish_decision(version)
        return context


class InstrumentListView(InstrumentPageMixin, TemplateView):
    """Every version of each instrument: the one in force, drafts, and retired versions."""

    template_name = "instruments/list.html"

    def get_context_data(self, **kwargs):
        in_force = instrument_in_force_ids()
        kinds = []
        for kind in InstrumentKind:
            rows = [
                {
                    "version": version,
                    "status": status_label(version, in_force),
                    "in_force": in_force.get(version.kind) == version.pk,
                    "max_total": instrument_version_max_total(version),
                    "item_count": len(version.items),
                }
                for version in instrument_versions(kind=kind)
            ]
            kinds.append({"kind": kind, "label": kind.label, "rows": rows})
        return {**super().get_context_data(**kwargs), "kinds": kinds, "serat_max": SERAT_MAX}


class InstrumentCreateView(InstrumentPageMixin, FormView):
    """A new draft, empty or copied from another version."""

    template_name = "instruments/create.html"
    form_class = DraftCreateForm

    def get_initial(self):
        initial = {"kind": self.request.GET.get("kind", "")}  # a kind that does not exist checks no radio
        copy_of = self.request.GET.get("copy_of", "")
        if copy_of.isdigit():
            source = InstrumentVersion.objects.filter(pk=int(copy_of)).first()
            if source is not None:
                initial.update(copy_of=source.pk, kind=source.kind)
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            draft = instrument_draft_create(
                kind=data["kind"], actor=self.request.user, title=data["title"], copy_of=data["copy_of"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{draft} was created as a draft.")
        return HttpResponseRedirect(version_url(draft, "edit"))


class InstrumentDetailView(InstrumentPageMixin, TemplateView):
    """One version: its items and thresholds; for a draft, what still stops it being published."""

    template_name = "instruments/detail.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.version_context(self.get_version())}


class InstrumentEditView(InstrumentPageMixin, View):
    """Edit a draft's title, items and (for the quiz) thresholds. Published versions cannot be edited."""

    template_name = "instruments/edit.html"

    def forms(self, version: InstrumentVersion, data=None):
        title_form = DraftTitleForm(data, initial={"title": version.title}, prefix="draft")
        items = ItemFormSet(data, initial=[ItemForm.initial_for(item) for item in version.items], prefix="items")
        bands = None
        if version.kind == InstrumentKind.PERSONAL_QUIZ:
            bands = BandsForm(data, bands=version.bands, prefix="bands")
        return title_form, items, bands

    def render_forms(self, request, version, title_form, items, bands, service_errors=()):
        context = {
            **self.version_context(version),
            "title_form": title_form,
            "formset": items,
            "bands_form": bands,
            "service_errors": list(service_errors),
            "has_errors": bool(
                service_errors or title_form.errors or items.total_error_count()
                or (bands is not None and bands.errors)
            ),
        }
        return render(request, self.template_name, context)

    def refuse_if_not_draft(self, request, version):
        if version.status != InstrumentStatus.DRAFT:
            messages.error(request, f"{version} is {version.get_status_display().lower()}: only a draft can be "
                                    "changed. Create a new draft as a copy of it instead.")
            return HttpResponseRedirect(version_url(version))
        return None

    def get(self, request, *args, **kwargs):
        version = self.get_version()
        return self.refuse_if_not_draft(request, version) or self.render_forms(
            request, version, *self.forms(version)
        )

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        refused = self.refuse_if_not_draft(request, version)
        if refused:
            return refused
        title_form, items, bands = self.forms(version, request.POST)
        valid = all([title_form.is_valid(), items.is_valid(), bands is None or bands.is_valid()])
        service_errors: list[str] = []
        if valid:
            try:
                instrument_draft_update(
                    version=version,
                    actor=request.user,
                    title=title_form.cleaned_data["title"],
                    items=items.items(),
                    bands=bands.bands() if bands is not None else None,
                )
            except ActionRefused as refusal:
                for reason in refusal.reasons:
                    messages.error(request, reason)
                return HttpResponseRedirect(version_url(version))
            except ValidationError as error:
                problems = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
                for name, found in problems.items():
                    if name == "bands" and bands is not None:
                        bands.add_error(None, found)
                    elif name == "title":
                        title_form.add_error("title", found)
                    else:
                        service_errors += found
                valid = False
        if not valid:
            return self.render_forms(request, version, title_form, items, bands, service_errors)
        messages.success(request, f"{version} was saved.")
        if "continue" in request.POST:
            return HttpResponseRedirect(version_url(version, "edit"))
        return HttpResponseRedirect(version_url(version))


class InstrumentPublishView(InstrumentPageMixin, View):
    """Publish a draft. A refusal shows every reason and changes nothing."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        try:
            instrument_publish(version=version, actor=request.user)
        except ActionRefused as refusal:
            version.refresh_from_db()
            context = {**self.version_context(version), "refusal": refusal.reasons,
                       "refusal_title": f"{version} was not published"}
            return render(request, "instruments/detail.html", context)
        messages.success(request, f"{version} is published and is now the version in force.")
        return HttpResponseRedirect(version_url(version))


class InstrumentRetireView(InstrumentPageMixin, View):
    """Retire a draft that will not be published, or a version no longer in force."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        version = self.get_version()
        try:
            instrument_retire(version=version, actor=request.user)
        except ActionRefused as refusal:
            context = {**self.version_context(version), "refusal": refusal.reasons,
                       "refusal_title": f"{version} was not retired"}
            return render(request, "instruments/detail.html", context)
        messages.success(request, f"{version} is retired.")
        return HttpResponseRedirect(reverse("instruments:list"))
