"""The authority's oversight of governors' acknowledgements, on the central portal at governance/
(namespace "governance")."""

from django.urls import path

from . import views_governance as views

urlpatterns = [
    path("", views.OversightView.as_view(), name="oversight"),
    path("versions/new/", views.FrameworkVersionPublishView.as_view(), name="publish"),
]
