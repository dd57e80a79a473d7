"""The plan page: a task list of what is done, what is to do and what is blocked and why, with restricted
materials shown only to trained staff and the SCU's answers where the level needs them."""

import pytest
from django.utils.html import escape
from django_tenants.utils import schema_context

from safeguarding.models import Review
from safeguarding.rules.gates import HEADTEACHER_NOT_AGREED, SCU_ADVICE_NOT_RECORDED, materials_view_decision
from safeguarding.rules.levels import Level
from safeguarding.rules.plans import plan_for
from safeguarding.services.plans import consent_record
from tests.helpers import train


def plan_page(client, plan) -> str:
    response = client.get(f"/cases/plans/{plan.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def task(html: str, key: str) -> str:
    """One row of the task list."""
    return html.split(f'data-task="{key}"')[1].split("\n  </li>")[0]


def test_an_unagreed_medium_plan_is_a_task_list_with_its_blocks(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    plan = cases.plan(school_a, team.person)
    html = plan_page(team.dcpo_client, plan)
    assert 'class="govuk-task-list"' in html
    assert "Waiting for the headteacher" in task(html, "agreement")
    for item in plan_for(Level.MEDIUM).processes:
        row = task(html, item.code)
        assert item.text in row
        assert "govuk-task-list__status--cannot-start-yet" in row
        assert HEADTEACHER_NOT_AGREED in row
    session = task(html, "session")
    assert "Cannot start yet" in session
    assert HEADTEACHER_NOT_AGREED in session
    assert "Parental consent for Lou" in task(html, "consent")
    assert "Not yet recorded" in task(html, "consent")
    assert "Not yet started" in task(html, "option")
    assert plan_for(Level.MEDIUM).consent.text in html
    assert plan_for(Level.MEDIUM).consent.if_refused in html


def test_only_the_headteacher_is_offered_the_agreement(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.LOW)
    plan = cases.plan(school_a, team.person)
    assert "Agree this plan" in plan_page(team.head_client, plan)
    assert "Agree this plan" not in plan_page(team.dcpo_client, plan)
    assert "Agree this plan" not in plan_page(team.tutor_client, plan)


def test_the_dcpo_is_offered_the_checklist_only_once_agreed(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    plan = cases.plan(school_a, team.person)
    link = f'href="/cases/plans/{plan.pk}/processes/consider_caf_tac/"'
    assert link not in plan_page(team.dcpo_client, plan)
    cases.agree(school_a, plan, team.head, note="Agreed at the safeguarding meeting.")
    html = plan_page(team.dcpo_client, plan)
    assert link in html
    assert "Not yet started" in task(html, "consider_caf_tac")
    assert "Agreed at the safeguarding meeting." in task(html, "agreement")
    assert HEADTEACHER_NOT_AGREED not in task(html, "session")
    assert link not in plan_page(team.tutor_client, plan)  # staff do not keep the checklist


@pytest.mark.parametrize("level", [Level.LOW, Level.MEDIUM, Level.HIGH])
def test_restricted_materials_are_shown_only_to_trained_staff(school_a, team, cases, level):
    cases.serat(school_a, team.person, team.dcpo, level)
    plan = cases.plan(school_a, team.person)
    resources = [r for option in plan_for(level).teaching_options for r in option.resources if r.restricted]
    assert resources
    untrained = plan_page(team.tutor_client, plan)
    for resource in resources:
        assert f'data-resource="{resource.code}" data-visible="no"' in untrained
        reason = materials_view_decision(resource=resource.code, staff_trained=False).reasons[0]
        assert escape(reason) in untrained
    train(school_a, team.tutor)
    trained = plan_page(team.tutor_client, plan)
    for resource in resources:
        assert f'data-resource="{resource.code}" data-visible="yes"' in trained
        if resource.warning:
            assert resource.warning in trained


def test_unrestricted_materials_are_shown_to_everyone(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.VERY_LOW)
    plan = cases.plan(school_a, team.person)
    assert 'data-resource="ceop_resource" data-visible="yes"' in plan_page(team.tutor_client, plan)


def test_high_shows_whether_the_scu_has_agreed_the_material(school_a, team, cases):
    cases.serat(school_a, team.person, team.dcpo, Level.HIGH)
    plan = cases.plan(school_a, team.person)
    html = plan_page(team.dcpo_client, plan)
    scu = html.split('data-testid="scu"')[1].split("</dl>")[0]
    assert "Not agreed yet" in scu
    cases.scu_answer(school_a, plan, "material_agreed", "Agreed pending MASE.")
    html = plan_page(team.dcpo_client, plan)
    assert "Agreed" in html.split('data-testid="scu"')[1].split("</dl>")[0]
    assert "Not agreed yet" not in html
    assert plan_for(Level.HIGH).review.text in html


def test_very_high_waits_for_scu_advice(school_a, team, cases):
    cases.serat(school_a, team.person, team.dcpo, Level.VERY_HIGH)
    plan = cases.plan(school_a, team.person)
    html = plan_page(team.dcpo_client, plan)
    assert "Awaiting SCU advice" in html
    assert escape(SCU_ADVICE_NOT_RECORDED) in task(html, "session")
    cases.scu_answer(school_a, plan, "advice", "Use the CEOP resource 1:1.")
    html = plan_page(team.dcpo_client, plan)
    assert "Awaiting SCU advice" not in html
    assert escape(SCU_ADVICE_NOT_RECORDED) not in html


def test_refused_consent_says_what_to_do(school_a, team, cases):
    cases.serat(school_a, team.person, team.dcpo, Level.MEDIUM)
    plan = cases.plan(school_a, team.person)
    with cases.in_school(school_a):
        consent_record(plan=plan, young_person=team.person, decision="refused", given_by="Pat Parent",
                       relationship="mother", method="phone", decided_on=plan.created_at.date(), recorder=team.dcpo)
    html = plan_page(team.dcpo_client, plan)
    assert "Refused" in task(html, "consent")
    refused = html.split('data-testid="consent-refused"')[1]
    assert plan_for(Level.MEDIUM).consent.if_refused in refused
    assert f'href="/referrals/new/plan/{plan.pk}/"' in refused


def test_the_review_window_is_shown_at_the_lower_levels(school_a, team, cases):
    assessment = cases.serat(school_a, team.person, team.tutor, Level.LOW)
    plan = cases.plan(school_a, team.person)
    html = plan_page(team.tutor_client, plan)
    assert plan_for(Level.LOW).review.text in html
    with schema_context(school_a.schema_name):
        review = Review.objects.get(assessment_id=assessment.pk)
    review_box = html.split('data-testid="review"')[1].split("</dl>")[0]
    assert f"{review.due_from:%-d %B %Y}" in review_box
    assert f"{review.overdue_after:%-d %B %Y}" in review_box
    assert "Not due yet" in review_box


def test_a_replaced_plan_points_to_the_current_one(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.LOW)
    old = cases.plan(school_a, team.person)
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    new = cases.plan(school_a, team.person)
    html = plan_page(team.tutor_client, old)
    assert 'data-testid="replaced"' in html
    assert f'href="/cases/plans/{new.pk}/"' in html
    assert 'href="/cases/plans/' + str(old.pk) + '/sessions/new/"' not in html
