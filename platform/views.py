from cse_platform.errors import ActionRefused
from cse_platform.permissions import CapabilityRequiredMixin
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views import View
from django.views.generic import TemplateView

REFUSED_STATUS = 409


class Page(CapabilityRequiredMixin, View):
    """A page that states its capabilities (anonymous: sign-in; another role: 403) and renders `template_name`.
    `refused` shows it again with what stopped an action (includes/refused.html), status 409: nothing changed."""

    template_name = ""

    def render(self, context: dict, *, status: int = 200, template_name: str | None = None):
        return render(self.request, template_name or self.template_name, context, status=status)

    def refused(self, context: dict, refusal: ActionRefused, *, template_name: str | None = None):
        return self.render({**context, "refused": refusal.reasons}, status=REFUSED_STATUS,
                           template_name=template_name)


class HomeView(LoginRequiredMixin, TemplateView):
    """Who you are and where you are. Permission: signed in."""

    template_name = "home.html"


def healthz(request):
    """Liveness for load balancers and compose: the database and Redis answer. Permission: none."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    cache.set("healthz", "ok", 5)
    return JsonResponse({"status": "ok"})
