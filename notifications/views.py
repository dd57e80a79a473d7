"""Inbox, email preferences (every signed-in user, both hosts) and failed deliveries (central portal)."""

from cse_platform.accounts.schemas import current_audience
from cse_platform.permissions import CapabilityRequiredMixin
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import ListView, TemplateView

from safeguarding.rules.roles import Audience, Capability

from .forms import EmailPreferencesForm
from .models import DeliveryFailure, InboxItem
from .selectors import delivery_failures, email_preferences_for, inbox_items_for
from .services.failures import RetryNotQueued, delivery_failure_retry
from .services.inbox import email_preferences_set, inbox_item_open, inbox_mark_all_read


class InboxView(LoginRequiredMixin, ListView):
    """The signed-in user's own notifications, unread first. Permission: signed in (own items only)."""

    template_name = "notifications/inbox.html"
    context_object_name = "items"
    paginate_by = 50

    def get_queryset(self):
        return inbox_items_for(user=self.request.user)


class InboxOpenView(LoginRequiredMixin, View):
    """Open an item: marks it read and goes to what it is about. Permission: signed in; the item's
    owner only (anyone else: 404)."""

    def get(self, request, pk: int):
        try:
            item = inbox_item_open(user=request.user, item_id=pk)
        except InboxItem.DoesNotExist:
            raise Http404("No such notification") from None
        return redirect(item.link)  # a plain path on this host (checked when it was written)


class InboxMarkAllReadView(LoginRequiredMixin, View):
    """Mark every one of the user's items read. Permission: signed in (own items only)."""

    def post(self, request):
        count = inbox_mark_all_read(user=request.user)
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
        return redirect("notifications:inbox")


class PreferencesView(LoginRequiredMixin, TemplateView):
    """Email on or off per kind of notification. Permission: signed in (own preferences only)."""

    template_name = "notifications/preferences.html"

    def form(self, data=None) -> EmailPreferencesForm:
        return EmailPreferencesForm(data, rows=email_preferences_for(user=self.request.user))

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        email_preferences_set(user=request.user, email_on=form.choices())
        messages.success(request, "Your email preferences are saved.")
        return redirect("notifications:preferences")


class CentralOnlyMixin:
    """Pages of the central portal only: at a school the address does not exist (404)."""

    def dispatch(self, request, *args, **kwargs):
        if current_audience() != Audience.CENTRAL:
            raise Http404("Not here")
        return super().dispatch(request, *args, **kwargs)


class FailuresView(CentralOnlyMixin, CapabilityRequiredMixin, ListView):
    """Deliveries given up on, across the portal and every school (no names). Permission:
    delivery.oversee (authority admin), central portal only."""

    capabilities = (Capability.DELIVERY_OVERSEE,)
    template_name = "notifications/failures.html"
    context_object_name = "failures"
    paginate_by = 50

    def get_queryset(self):
        return delivery_failures()


class FailureRetryView(CentralOnlyMixin, CapabilityRequiredMixin, View):
    """Try a failed delivery again, in the school (or portal) it belongs to. Permission:
    delivery.oversee (authority admin), central portal only."""

    capabilities = (Capability.DELIVERY_OVERSEE,)

    def post(self, request, pk: int):
        failure = get_object_or_404(DeliveryFailure, pk=pk)
        try:
            delivery_failure_retry(failure=failure)
        except RetryNotQueued:
            messages.error(request, "The retry could not be queued just now. Nothing changed: try again shortly.")
        else:
            messages.success(request, "The delivery will be tried again in a moment.")
        return redirect("notifications:failures")
