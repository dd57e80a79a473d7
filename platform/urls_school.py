"""A school's host: <slug>.<BASE_DOMAIN>."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .api import MeViewSet
from .urls_common import urlpatterns as common

router = DefaultRouter()
router.register("me", MeViewSet, basename="me")

urlpatterns = [*common, path("api/", include(router.urls))]
