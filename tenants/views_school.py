"""The school administrator's pages: staff accounts and the term calendar; and the set-password page a new
member of staff opens from their link.

Every page states its permission (FRAMEWORK.md §5). Writes go to the services; a service's ValidationError is
shown on the form, naming the field; an ActionRefused shows its reasons with status 409, having changed nothing.
"""

from cse_platform.accounts.models import User
from cse_platform.accounts.services import api_tokens_end
from cse_platform.accounts.staff import (
    set_password_tokens,
    staff_account_create,
    staff_account_deactivate,
    staff_account_list,
    staff_account_reactivate,
    staff_account_set_password_link,
    staff_account_update,
)
from cse_platform.errors import ActionRefused
from cse_platform.forms import add_service_errors
from cse_platform.views import Page
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse_lazy

from safeguarding.rules.reviews import REVIEW_DUE_FROM_WEEKS, REVIEW_OVERDUE_AFTER_WEEKS
from safeguarding.rules.roles import Capability

from .forms import StaffAccountEditForm, StaffAccountForm, StaffSetPasswordForm, TermHolidayForm
from .models import School, TermHoliday
from .services_calendar import term_holiday_create, term_holiday_delete, term_holiday_list, term_holiday_update

C = Capability
LINK_SESSION_KEY = "school_staff_set_password_link"


class AdminPage(Page):
    """A school administrator's page. Permission: school.administer."""

    capabilities = (C.SCHOOL_ADMINISTER,)


# Staff accounts ---------------------------------------------------------------------------------------------


class StaffListView(AdminPage):
    """The school's accounts. Permission: school.administer."""

    template_name = "tenants/school/staff_list.html"

    def get(self, request):
        return self.render({"accounts": staff_account_list().prefetch_related("tutor_groups")})


class StaffCreateView(AdminPage):
    """Create an account (school roles only) and get its set-password link. Permission: school.administer."""

    template_name = "tenants/school/staff_form.html"

    def get(self, request):
        return self.render({"form": StaffAccountForm(), "account": None})

    def post(self, request):
        form = StaffAccountForm(request.POST)
        if form.is_valid():
            try:
                user = staff_account_create(actor=request.user, **form.cleaned_data)
                link = staff_account_set_password_link(actor=request.user, user=user)
            except ValidationError as error:
                add_service_errors(form, error)
            except ActionRefused as refusal:
                return self.refused({"form": form, "account": None}, refusal)
            else:
                request.session[LINK_SESSION_KEY] = {"user": user.pk, "path": link}
                messages.success(request, f"An account was made for {user.full_name}.")
                return redirect("school:staff_detail", pk=user.pk)
        return self.render({"form": form, "account": None})


class AccountMixin:
    def account(self, pk: int) -> User:
        try:
            return staff_account_list().get(pk=pk)
        except User.DoesNotExist:
            raise Http404("No such account") from None


class StaffDetailView(AccountMixin, AdminPage):
    """One account: change its name or role, deactivate or reactivate it, give a new set-password link.
    Permission: school.administer."""

    template_name = "tenants/school/staff_detail.html"

    def context(self, account: User, form) -> dict:
        link = self.request.session.pop(LINK_SESSION_KEY, None)
        link_url = (self.request.build_absolute_uri(link["path"])
                    if link and link.get("user") == account.pk else None)
        return {"account": account, "form": form, "set_password_url": link_url,
                "is_self": account.pk == self.request.user.pk}

    def get(self, request, pk: int):
        account = self.account(pk)
        form = StaffAccountEditForm(initial={"full_name": account.full_name, "role": account.role})
        return self.render(self.context(account, form))

    def post(self, request, pk: int):
        account = self.account(pk)
        form = StaffAccountEditForm(request.POST)
        if form.is_valid():
            try:
                staff_account_update(actor=request.user, user=account, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except ActionRefused as refusal:
                account.refresh_from_db()
                return self.refused(self.context(account, form), refusal)
            else:
                messages.success(request, f"{account.full_name}'s account was saved.")
                return redirect("school:staff_detail", pk=account.pk)
        account.refresh_from_db()
        return self.render(self.context(account, form))


class StaffActionView(AccountMixin, AdminPage):
    """Deactivate, reactivate, or give a new set-password link (POST only). Permission: school.administer."""

    http_method_names = ["post"]
    template_name = "tenants/school/staff_detail.html"
    done = ""

    def act(self, account: User):  # pragma: no cover - each action overrides it
        raise NotImplementedError

    def post(self, request, pk: int):
        account = self.account(pk)
        try:
            self.act(account)
        except ActionRefused as refusal:
            form = StaffAccountEditForm(initial={"full_name": account.full_name, "role": account.role})
            return self.refused({"account": account, "form": form, "is_self": account.pk == request.user.pk},
                                refusal)
        if self.done:
            messages.success(request, self.done.format(name=account.full_name))
        return redirect("school:staff_detail", pk=account.pk)


class StaffDeactivateView(StaffActionView):
    done = "{name}'s account was deactivated: it cannot sign in, and its sessions have ended."

    def act(self, account: User):
        staff_account_deactivate(actor=self.request.user, user=account)


class StaffReactivateView(StaffActionView):
    done = "{name}'s account was reactivated."

    def act(self, account: User):
        staff_account_reactivate(actor=self.request.user, user=account)


class StaffSetPasswordLinkView(StaffActionView):
    def act(self, account: User):
        path = staff_account_set_password_link(actor=self.request.user, user=account)
        self.request.session[LINK_SESSION_KEY] = {"user": account.pk, "path": path}


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Where a member of staff chooses their password, from the link their school administrator gave them.
    Permission: the link itself (signed, for this account at this school, spent once used)."""

    template_name = "tenants/school/set_password.html"
    form_class = StaffSetPasswordForm
    token_generator = set_password_tokens
    post_reset_login = False
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        api_tokens_end(user=form.user)  # a new password ends the API access the old one gave
        messages.success(self.request, "Your password is set. Sign in with your email address and new password.")
        return response


# Term calendar ----------------------------------------------------------------------------------------------


class CalendarMixin:
    def school(self) -> School:
        school = getattr(self.request, "tenant", None)
        if not isinstance(school, School):
            raise Http404("Not a school")
        return school

    def holiday(self, pk: int) -> TermHoliday:
        try:
            return term_holiday_list(school=self.school()).get(pk=pk)
        except TermHoliday.DoesNotExist:
            raise Http404("No such holiday") from None


class CalendarView(CalendarMixin, AdminPage):
    """The school's holidays, and a form to add one. Permission: school.administer."""

    template_name = "tenants/school/calendar.html"

    def context(self, form) -> dict:
        return {"holidays": term_holiday_list(school=self.school()), "form": form,
                "review_due_from_weeks": REVIEW_DUE_FROM_WEEKS,
                "review_overdue_after_weeks": REVIEW_OVERDUE_AFTER_WEEKS}

    def get(self, request):
        return self.render(self.context(TermHolidayForm()))

    def post(self, request):
        form = TermHolidayForm(request.POST)
        if form.is_valid():
            try:
                holiday = term_holiday_create(actor=request.user, school=self.school(), **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except ActionRefused as refusal:
                return self.refused(self.context(form), refusal)
            else:
                messages.success(request, f"{holiday.name} was added to the term calendar.")
                return redirect("school:calendar")
        return self.render(self.context(form))


class HolidayEditView(CalendarMixin, AdminPage):
    """Change a holiday. Permission: school.administer."""

    template_name = "tenants/school/holiday_form.html"

    def get(self, request, pk: int):
        holiday = self.holiday(pk)
        form = TermHolidayForm(initial={"name": holiday.name, "starts_on": holiday.starts_on,
                                        "ends_on": holiday.ends_on})
        return self.render({"form": form, "holiday": holiday})

    def post(self, request, pk: int):
        holiday = self.holiday(pk)
        form = TermHolidayForm(request.POST)
        if form.is_valid():
            try:
                term_holiday_update(actor=request.user, holiday=holiday, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except ActionRefused as refusal:
                return self.refused({"form": form, "holiday": holiday}, refusal)
            else:
                messages.success(request, f"{holiday.name} was saved.")
                return redirect("school:calendar")
        holiday.refresh_from_db()
        return self.render({"form": form, "holiday": holiday})


class HolidayDeleteView(CalendarMixin, AdminPage):
    """Remove a holiday, after asking. Permission: school.administer."""

    template_name = "tenants/school/holiday_delete.html"

    def get(self, request, pk: int):
        return self.render({"holiday": self.holiday(pk)})

    def post(self, request, pk: int):
        holiday = self.holiday(pk)
        try:
            term_holiday_delete(actor=request.user, holiday=holiday)
        except ActionRefused as refusal:
            return self.refused({"holiday": holiday}, refusal)
        messages.success(request, f"{holiday.name} was removed from the term calendar.")
        return redirect("school:calendar")
