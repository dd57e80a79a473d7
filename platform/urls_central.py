"""The central portal's host: <BASE_DOMAIN>."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from tenants.api import SchoolViewSet

from .api import MeViewSet
from .urls_common import urlpatterns as common

router = DefaultRouter()
router.register("me", MeViewSet, basename="me")
router.register("schools", SchoolViewSet, basename="school")

urlpatterns = [*common, path("api/", include(router.urls))]
