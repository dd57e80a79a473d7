from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, reverse

from .accounts.schemas import current_audience
from .navigation import nav_entries
from .permissions import has_capability

CENTRAL_PORTAL_NAME = "Safeguarding Children Unit portal"


def portal_name(request) -> str:
    tenant = getattr(request, "tenant", None)
    return CENTRAL_PORTAL_NAME if current_audience() == "central" else getattr(tenant, "name", "")


def portal(request):
    # Pages rendered before authentication (an archived school's notice) have no user.
    user = getattr(request, "user", AnonymousUser())
    nav_items = []
    if user.is_authenticated:
        for entry in nav_entries(current_audience()):
            if entry.capability is not None and not has_capability(user, entry.capability):
                continue
            try:
                url = reverse(entry.url_name, urlconf=getattr(request, "urlconf", None))
            except NoReverseMatch:
                continue
            nav_items.append({"label": entry.label, "url": url, "active": request.path == url})
    return {
        "portal_name": portal_name(request),
        "audience": current_audience().value,
        "nav_items": nav_items,
        "user_role_label": user.role_enum.label if user.is_authenticated else "",
    }
