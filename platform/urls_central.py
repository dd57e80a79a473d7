"""The central portal's host: <BASE_DOMAIN>."""

from django.urls import include, path

from .api import host_router
from .urls_common import urlpatterns as common

router = host_router(
    "tenants.api",
    "safeguarding.instruments.api",
    "scu_portal.api_training",
    "scu_portal.api_central",
    "scu_portal.api_governance",
    "notifications.api",
)

urlpatterns = [
    *common,
    path("api/", include(router.urls)),
    path("scu/", include(("scu_portal.urls_central", "scu"))),
    path("instruments/", include(("safeguarding.instruments.urls", "instruments"))),
    path("training/", include(("scu_portal.urls_training", "training"))),
    path("governance/", include(("scu_portal.urls_governance_central", "governance"))),
    path("inbox/", include(("notifications.urls", "notifications"))),
]
