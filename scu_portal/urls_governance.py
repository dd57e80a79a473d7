"""Governors and the framework, on a school's host at framework/ (namespace "governance")."""

from django.urls import path

from . import views_governance as views

urlpatterns = [
    path("", views.FrameworkView.as_view(), name="framework"),
    path("acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
]
