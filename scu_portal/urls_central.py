"""The SCU's pages in the central portal, at /scu/ (namespace `scu`)."""

from django.urls import path

from . import views_central as views

urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("referrals/<int:pk>/", views.ReferralView.as_view(), name="referral"),
    path("referrals/<int:pk>/status/", views.ReferralStatusView.as_view(), name="referral_status"),
    path("referrals/<int:pk>/answer/", views.ReferralAnswerView.as_view(), name="referral_answer"),
    path("referrals/<int:pk>/assign/", views.ReferralAssignView.as_view(), name="referral_assign"),
    path("targets/", views.TargetsView.as_view(), name="targets"),
    path("meetings/", views.MeetingListView.as_view(), name="meetings"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting_new"),
    path("meetings/<int:pk>/", views.MeetingView.as_view(), name="meeting"),
    path("meetings/<int:pk>/referrals/<int:referral_pk>/outcome/", views.OutcomeView.as_view(), name="outcome"),
    path("schools/", views.SchoolsView.as_view(), name="schools"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
]
