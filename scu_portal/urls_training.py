"""The training register's pages, on the central portal at training/ (namespace "training")."""

from django.urls import path

from . import views_training as views

urlpatterns = [
    path("", views.TrainingListView.as_view(), name="list"),
    path("new/", views.TrainingCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.TrainingEditView.as_view(), name="edit"),
    path("<int:pk>/delete/", views.TrainingDeleteView.as_view(), name="delete"),
]
