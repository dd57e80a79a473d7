from django.conf import settings
from django.db import connection
from django.http import HttpResponseNotFound
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware

from .models import School


class SchoolRoutingMiddleware(TenantMainMiddleware):
    """<slug>.<BASE_DOMAIN> is a school, <BASE_DOMAIN> the central portal, anything else 404.

    The central portal has no tenant row: it is the public schema itself. An archived
    school keeps its data but answers every request with a notice, so no one signs in.
    """

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None:
            return response
        if isinstance(request.tenant, School) and not request.tenant.is_active:
            connection.set_schema_to_public()
            return render(request, "tenants/archived.html", {"school": request.tenant}, status=403)
        return None

    def no_tenant_found(self, request, hostname):
        if hostname != settings.BASE_HOST:
            # A plain 404 even in debug, which would otherwise list the portal's URLs to any host.
            return HttpResponseNotFound("Not found", content_type="text/plain")
        request.tenant = connection.tenant
        self.setup_url_routing(request, force_public=True)
