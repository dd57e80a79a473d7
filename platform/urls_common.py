"""URLs that every host serves: sign-in, home, health, the API's schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView

from . import views
from .accounts.views import ApiTokenView
from .api import HostSchemaView

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/", include("cse_platform.accounts.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("api/token/", ApiTokenView.as_view(), name="api-token"),
    path("api/schema/", HostSchemaView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
