from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.generic import TemplateView


class HomeView(LoginRequiredMixin, TemplateView):
    """Who you are and where you are. Permission: signed in."""

    template_name = "home.html"


def healthz(request):
    """Liveness for load balancers and compose: the database and Redis answer. Permission: none."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    cache.set("healthz", "ok", 5)
    return JsonResponse({"status": "ok"})
