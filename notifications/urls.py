"""Inbox pages, on both hosts under /inbox/ (namespace "notifications"). Failures: central portal only."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/", views.InboxOpenView.as_view(), name="open"),
    path("read-all/", views.InboxMarkAllReadView.as_view(), name="read_all"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("failures/", views.FailuresView.as_view(), name="failures"),
    path("failures/<int:pk>/retry/", views.FailureRetryView.as_view(), name="failure_retry"),
]
