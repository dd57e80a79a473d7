"""The school's referral pages, at <school>/referrals/ (namespace `referrals`)."""

from django.urls import path

from . import views_school as views

urlpatterns = [
    path("", views.ReferralListView.as_view(), name="list"),
    path("new/", views.PlanChooseView.as_view(), name="new"),
    path("new/plan/<int:plan_id>/", views.ReferralSendView.as_view(), name="send"),
    path("<int:pk>/", views.ReferralDetailView.as_view(), name="detail"),
    path("<int:pk>/reply/", views.ReferralReplyView.as_view(), name="reply"),
    path("<int:pk>/withdraw/", views.ReferralWithdrawView.as_view(), name="withdraw"),
    path("young-person/<int:young_person_id>/", views.YoungPersonReferralsView.as_view(), name="young_person"),
]
