"""REST plumbing shared by the school and central APIs."""

from importlib import import_module

from axes.helpers import get_cool_off
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ActionRefused


def locked_out_response(request) -> Response:
    """django-axes locked this request out (for the same failures as the sign-in page), but its middleware only
    answers Django's request, not the one DRF wraps around it: so the API answers as the sign-in page does."""
    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60)
    return Response(
        {"detail": f"Too many failed sign-in attempts: signing in with this email address from here is paused "
                   f"for {minutes} minutes."},
        status=settings.AXES_HTTP_RESPONSE_CODE,
        headers={"Retry-After": str(int(cool_off.total_seconds()))},
    )


def exception_handler(exc, context):
    request = context.get("request")
    if getattr(request, "axes_locked_out", False):
        return locked_out_response(request)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ActionRefused):
        return Response(
            {"detail": "This action was refused.", "reasons": list(exc.reasons)},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField(source="role_enum.label")
    audience = serializers.CharField()
    portal = serializers.CharField()


class MeViewSet(viewsets.ViewSet):
    """Who you are, and which school or portal you are in. Permission: signed in."""

    @extend_schema(responses=MeSerializer)
    def list(self, request):
        from .context import portal_name

        user = request.user
        data = {
            "email": user.email,
            "full_name": user.full_name,
            "role": user.role,
            "role_enum": user.role_enum,
            "audience": user.audience.value,
            "portal": portal_name(request),
        }
        return Response(MeSerializer(data).data)


class HostSchemaView(SpectacularAPIView):
    """The OpenAPI schema of the API this host serves (a school's, or the central portal's)."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        self.urlconf = getattr(request, "urlconf", None)
        return super().get(request, *args, **kwargs)


def host_router(*modules: str) -> DefaultRouter:
    """One API root per host, gathering the ROUTES of each area's API module."""
    router = DefaultRouter()
    router.register("me", MeViewSet, basename="me")
    for module in modules:
        for prefix, viewset, basename in import_module(module).ROUTES:
            router.register(prefix, viewset, basename=basename)
    return router
