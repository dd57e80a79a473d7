"""The authority's instrument pages, on the central portal at instruments/ (namespace "instruments")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.InstrumentListView.as_view(), name="list"),
    path("new/", views.InstrumentCreateView.as_view(), name="create"),
    path("<slug:kind>/<int:number>/", views.InstrumentDetailView.as_view(), name="detail"),
    path("<slug:kind>/<int:number>/edit/", views.InstrumentEditView.as_view(), name="edit"),
    path("<slug:kind>/<int:number>/publish/", views.InstrumentPublishView.as_view(), name="publish"),
    path("<slug:kind>/<int:number>/retire/", views.InstrumentRetireView.as_view(), name="retire"),
]
