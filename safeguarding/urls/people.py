"""Pages for young people and tutor groups, at young-people/ under the namespace `people`."""

from django.urls import path

from safeguarding.views import people as views

urlpatterns = [
    path("", views.YoungPersonListView.as_view(), name="list"),
    path("new/", views.YoungPersonCreateView.as_view(), name="create"),
    path("import/", views.MisImportView.as_view(), name="import"),
    path("<int:pk>/edit/", views.YoungPersonEditView.as_view(), name="edit"),
    path("<int:pk>/staff/", views.YoungPersonStaffView.as_view(), name="staff"),
    path("tutor-groups/", views.TutorGroupListView.as_view(), name="tutor_groups"),
    path("tutor-groups/new/", views.TutorGroupCreateView.as_view(), name="tutor_group_create"),
    path("tutor-groups/<int:pk>/", views.TutorGroupEditView.as_view(), name="tutor_group_edit"),
]
