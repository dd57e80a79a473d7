"""Case pages, on a school's host under /cases/ (namespace "cases"). The central portal has none of them."""

from django.urls import path

from safeguarding.views import cases, cases_concerns, cases_plans

urlpatterns = [
    path("young-people/<int:pk>/", cases.YoungPersonView.as_view(), name="young_person"),
    path("young-people/<int:pk>/serat/", cases.SeratView.as_view(), name="serat"),
    path("assessments/<int:pk>/quiz/", cases.QuizView.as_view(), name="quiz"),
    path("plans/awaiting-agreement/", cases_plans.PlansAwaitingView.as_view(), name="plans_awaiting"),
    path("plans/<int:pk>/", cases_plans.PlanView.as_view(), name="plan"),
    path("plans/<int:pk>/agree/", cases_plans.PlanAgreeView.as_view(), name="plan_agree"),
    path("plans/<int:pk>/option/", cases_plans.PlanOptionView.as_view(), name="plan_option"),
    path("plans/<int:pk>/processes/<slug:code>/", cases_plans.PlanItemView.as_view(), name="plan_item"),
    path("plans/<int:pk>/consent/", cases_plans.ConsentView.as_view(), name="consent"),
    path("plans/<int:pk>/sessions/new/", cases_plans.SessionView.as_view(), name="session_new"),
    path("concerns/", cases_concerns.ConcernsView.as_view(), name="concerns"),
    path("concerns/<int:pk>/", cases_concerns.ConcernView.as_view(), name="concern"),
]
