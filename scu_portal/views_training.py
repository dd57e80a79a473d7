"""The training register's pages (central portal). Permission: authority admin (training.manage)."""

from cse_platform.forms import add_service_errors
from cse_platform.permissions import CapabilityRequiredMixin
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from safeguarding.rules.roles import Capability
from scu_portal.forms_training import TrainingFilterForm, TrainingRecordForm
from scu_portal.selectors.training import training_record_get, training_record_is_current, training_record_list
from scu_portal.services.training import training_record_create, training_record_delete, training_record_update


class TrainingPageMixin(CapabilityRequiredMixin):
    capabilities = (Capability.TRAINING_MANAGE,)

    def get_record(self):
        record = training_record_get(pk=self.kwargs["pk"])
        if record is None:
            raise Http404("No such training record.")
        return record


class TrainingListView(TrainingPageMixin, TemplateView):
    """The register, filtered by school and by name or email."""

    template_name = "scu_portal/training/list.html"

    def get_context_data(self, **kwargs):
        form = TrainingFilterForm(self.request.GET or None)
        school = search = None
        if form.is_bound and form.is_valid():
            school, search = form.cleaned_data["school"], form.cleaned_data["q"]
        today = timezone.localdate()
        rows = [{"record": record, "current": training_record_is_current(record, on=today)}
                for record in training_record_list(school=school, search=search or "")]
        return {**super().get_context_data(**kwargs), "filter_form": form, "rows": rows, "school": school,
                "filtered": bool(school or search)}


class TrainingCreateView(TrainingPageMixin, FormView):
    """Record that a member of a school's staff completed the training."""

    template_name = "scu_portal/training/form.html"
    form_class = TrainingRecordForm

    def get_initial(self):
        return {"school": self.request.GET.get("school")} if self.request.GET.get("school", "").isdigit() else {}

    def form_valid(self, form):
        try:
            record = training_record_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Training recorded for {record.staff_name} ({record.school.name}).")
        return HttpResponseRedirect(reverse("training:list") + f"?school={record.school.slug}")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": "Record training"}


class TrainingEditView(TrainingPageMixin, FormView):
    """Correct a record made with a mistake."""

    template_name = "scu_portal/training/form.html"
    form_class = TrainingRecordForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.can(Capability.TRAINING_MANAGE):
            self.record = self.get_record()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "include_archived": self.record.school}

    def get_initial(self):
        record = self.record
        return {"school": record.school, "staff_name": record.staff_name, "staff_email": record.staff_email,
                "course": record.course, "completed_on": record.completed_on, "expires_on": record.expires_on}

    def form_valid(self, form):
        try:
            record = training_record_update(record=self.record, actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"The training record for {record.staff_name} was corrected.")
        return HttpResponseRedirect(reverse("training:list") + f"?school={record.school.slug}")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": "Correct a training record", "record": self.record}


class TrainingDeleteView(TrainingPageMixin, TemplateView):
    """Delete a record made by mistake, after confirming."""

    template_name = "scu_portal/training/delete.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "record": self.get_record()}

    def post(self, request, *args, **kwargs):
        record = self.get_record()
        training_record_delete(record=record, actor=request.user)
        messages.success(request, f"The training record for {record.staff_name} was deleted.")
        return HttpResponseRedirect(reverse("training:list") + f"?school={record.school.slug}")
