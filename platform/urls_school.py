"""A school's host: <slug>.<BASE_DOMAIN>."""

from django.urls import include, path

from .api import host_router
from .urls_common import urlpatterns as common

router = host_router(
    "safeguarding.api.people",
    "safeguarding.api.cases",
    "tenants.api_school",
    "scu_portal.api_school",
    "scu_portal.api_governance",
    "notifications.api",
)

urlpatterns = [
    *common,
    path("api/", include(router.urls)),
    path("young-people/", include(("safeguarding.urls.people", "people"))),
    path("cases/", include(("safeguarding.urls.cases", "cases"))),
    path("school/", include(("tenants.urls_school", "school"))),
    path("referrals/", include(("scu_portal.urls_school", "referrals"))),
    path("framework/", include(("scu_portal.urls_governance", "governance"))),
    path("inbox/", include(("notifications.urls", "notifications"))),
]
