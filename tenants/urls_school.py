"""The school administrator's pages, at school/ under the namespace `school`, and the set-password page."""

from django.urls import path

from . import views_school as views

urlpatterns = [
    path("staff/", views.StaffListView.as_view(), name="staff"),
    path("staff/new/", views.StaffCreateView.as_view(), name="staff_create"),
    path("staff/<int:pk>/", views.StaffDetailView.as_view(), name="staff_detail"),
    path("staff/<int:pk>/deactivate/", views.StaffDeactivateView.as_view(), name="staff_deactivate"),
    path("staff/<int:pk>/reactivate/", views.StaffReactivateView.as_view(), name="staff_reactivate"),
    path("staff/<int:pk>/set-password-link/", views.StaffSetPasswordLinkView.as_view(),
         name="staff_set_password_link"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set_password"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar/<int:pk>/", views.HolidayEditView.as_view(), name="holiday_edit"),
    path("calendar/<int:pk>/delete/", views.HolidayDeleteView.as_view(), name="holiday_delete"),
]
