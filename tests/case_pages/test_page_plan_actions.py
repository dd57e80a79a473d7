"""Acting on a plan from its pages: the headteacher's agreement, the DCPO's option and checklist, parental
consent and teaching sessions. Form errors name the field and save nothing; refusals give the reasons, answer
409 and change nothing."""

from datetime import timedelta

from django.utils import timezone
from django.utils.html import escape
from django_tenants.utils import schema_context

from safeguarding.models import Consent, Plan, PlanItemRecord, TeachingSession
from safeguarding.rules.gates import HEADTEACHER_NOT_AGREED, PREVIEW_NOT_CONFIRMED
from safeguarding.rules.levels import Level
from safeguarding.services.plans import consent_record
from tests.helpers import train


def fresh(school, model, pk):
    with schema_context(school.schema_name):
        return model.objects.get(pk=pk)


def today() -> str:
    return timezone.localdate().isoformat()


# --- agreement ------------------------------------------------------------------------------------------


def test_the_headteacher_agrees_with_a_note(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    plan = cases.plan(school_a, team.person)
    response = team.head_client.post(f"/cases/plans/{plan.pk}/agree/", {"note": "Discussed with the DCPO."},
                                     follow=True)
    assert response.redirect_chain[-1][0] == f"/cases/plans/{plan.pk}/"
    assert "You agreed the plan" in response.content.decode()
    plan = fresh(school_a, Plan, plan.pk)
    assert plan.agreed_by_id == team.head.pk and plan.agreement_note == "Discussed with the DCPO."


def test_agreeing_twice_is_refused_and_changes_nothing(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.LOW)
    plan = cases.agree(school_a, cases.plan(school_a, team.person), team.head, note="First.")
    response = team.head_client.post(f"/cases/plans/{plan.pk}/agree/", {"note": "Second."})
    assert response.status_code == 409
    assert "already been agreed" in response.content.decode()
    again = fresh(school_a, Plan, plan.pk)
    assert again.agreement_note == "First." and again.agreed_at == plan.agreed_at


def test_a_replaced_plan_cannot_be_agreed(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.LOW)
    old = cases.plan(school_a, team.person)
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    response = team.head_client.post(f"/cases/plans/{old.pk}/agree/", {"note": ""})
    assert response.status_code == 409
    assert "replaced by a newer one" in response.content.decode()
    assert not fresh(school_a, Plan, old.pk).is_agreed


# --- the option (medium) --------------------------------------------------------------------------------


def test_the_dcpo_chooses_an_option(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    plan = cases.plan(school_a, team.person)
    page = team.dcpo_client.get(f"/cases/plans/{plan.pk}/option/").content.decode()
    assert 'value="option_1_leanne_liam"' in page and 'value="option_2_be_wise"' in page
    response = team.dcpo_client.post(f"/cases/plans/{plan.pk}/option/", {"option": "option_2_be_wise"})
    assert response.status_code == 302
    assert fresh(school_a, Plan, plan.pk).option == "option_2_be_wise"
    html = team.dcpo_client.get(f"/cases/plans/{plan.pk}/").content.decode()
    assert 'data-option="option_2_be_wise"' in html and 'data-option="option_1_leanne_liam"' not in html


def test_no_option_chosen_names_the_field(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    plan = cases.plan(school_a, team.person)
    response = team.dcpo_client.post(f"/cases/plans/{plan.pk}/option/", {"option": "mdlb_full_film"})
    assert response.status_code == 200
    assert 'href="#id_option_0"' in response.content.decode()
    assert fresh(school_a, Plan, plan.pk).option == ""


def test_plans_without_options_have_no_option_page(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.LOW)
    plan = cases.plan(school_a, team.person)
    assert team.dcpo_client.get(f"/cases/plans/{plan.pk}/option/").status_code == 404


# --- the other processes ----------------------------------------------------------------------------------


def test_a_checklist_item_before_agreement_is_refused_with_the_reason(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    plan = cases.plan(school_a, team.person)
    url = f"/cases/plans/{plan.pk}/processes/consider_caf_tac/"
    assert HEADTEACHER_NOT_AGREED in team.dcpo_client.get(url).content.decode()
    response = team.dcpo_client.post(url, {"note": "CAF opened."})
    assert response.status_code == 409
    assert HEADTEACHER_NOT_AGREED in response.content.decode()
    with schema_context(school_a.schema_name):
        assert not PlanItemRecord.objects.filter(plan_id=plan.pk, code="consider_caf_tac").exists()


def test_a_checklist_item_needs_a_note(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    plan = cases.agree(school_a, cases.plan(school_a, team.person), team.head)
    response = team.dcpo_client.post(f"/cases/plans/{plan.pk}/processes/consider_pace/", {"note": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_note"' in html and "Say what was done." in html
    with schema_context(school_a.schema_name):
        assert not PlanItemRecord.objects.filter(plan_id=plan.pk, code="consider_pace").exists()


def test_the_dcpo_marks_an_item_done_with_a_note(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    plan = cases.agree(school_a, cases.plan(school_a, team.person), team.head)
    response = team.dcpo_client.post(f"/cases/plans/{plan.pk}/processes/consider_pace/",
                                     {"note": "PACE leaflet given to mum."}, follow=True)
    assert response.redirect_chain[-1][0] == f"/cases/plans/{plan.pk}/"
    row = response.content.decode().split('data-task="consider_pace"')[1].split("\n  </li>")[0]
    assert 'data-status="done"' in row and "PACE leaflet given to mum." in row and "Dee Dcpo" in row
    with schema_context(school_a.schema_name):
        assert PlanItemRecord.objects.get(plan_id=plan.pk, code="consider_pace").done_by_id == team.dcpo.pk


def test_an_item_not_on_the_plan_has_no_page(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    plan = cases.plan(school_a, team.person)
    assert team.dcpo_client.get(f"/cases/plans/{plan.pk}/processes/phone_scu/").status_code == 404
    assert team.dcpo_client.post(f"/cases/plans/{plan.pk}/processes/phone_scu/", {"note": "x"}).status_code == 404


# --- consent ----------------------------------------------------------------------------------------------


def consent_form(person, **overrides):
    return {"young_person": person.pk, "decision": "given", "given_by": "Pat Parent", "relationship": "mother",
            "method": "letter", "decided_on": today(), "note": "", **overrides}


def test_the_dcpo_records_consent(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    plan = cases.plan(school_a, team.person)
    page = team.dcpo_client.get(f"/cases/plans/{plan.pk}/consent/").content.decode()
    assert "Parental consent is required for every participant" in page
    response = team.dcpo_client.post(f"/cases/plans/{plan.pk}/consent/", consent_form(team.person), follow=True)
    assert response.redirect_chain[-1][0] == f"/cases/plans/{plan.pk}/"
    assert "Given" in response.content.decode().split('data-task="consent"')[1].split("\n  </li>")[0]
    with schema_context(school_a.schema_name):
        consent = Consent.objects.get(plan_id=plan.pk)
        assert (consent.decision, consent.given_by, consent.recorded_by_id) == ("given", "Pat Parent", team.dcpo.pk)


def test_consent_form_errors_name_each_field_and_save_nothing(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    plan = cases.plan(school_a, team.person)
    response = team.dcpo_client.post(f"/cases/plans/{plan.pk}/consent/",
                                     consent_form(team.person, given_by="", decision="", method=""))
    assert response.status_code == 200
    html = response.content.decode()
    for anchor in ('href="#id_given_by"', 'href="#id_decision_0"', 'href="#id_method_0"'):
        assert anchor in html
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = team.dcpo_client.post(f"/cases/plans/{plan.pk}/consent/",
                                     consent_form(team.person, decided_on=future))
    assert response.status_code == 200
    assert 'href="#id_decided_on"' in response.content.decode()
    assert "cannot be in the future" in response.content.decode()
    with schema_context(school_a.schema_name):
        assert not Consent.objects.exists()


def test_consent_at_a_level_that_does_not_seek_it_is_refused(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.LOW)
    plan = cases.plan(school_a, team.person)
    page = team.dcpo_client.get(f"/cases/plans/{plan.pk}/consent/").content.decode()
    assert "Parental consent is not needed" in page
    response = team.dcpo_client.post(f"/cases/plans/{plan.pk}/consent/", consent_form(team.person))
    assert response.status_code == 409
    assert "not sought at Low Risk" in response.content.decode()
    with schema_context(school_a.schema_name):
        assert not Consent.objects.exists()


# --- teaching sessions ------------------------------------------------------------------------------------


def session_form(team, **overrides):
    return {"option": "", "group": "whole_tutor_group", "tutor_group": team.group.pk, "participants": [team.person.pk],
            "delivered_by": team.tutor.pk, "held_on": today(), "notes": "", **overrides}


def test_the_session_page_shows_what_would_stop_it_first(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    plan = cases.plan(school_a, team.person)
    html = team.tutor_client.get(f"/cases/plans/{plan.pk}/sessions/new/").content.decode()
    blockers = html.split('data-testid="session-blockers"')[1].split("</ul>")[0]
    assert HEADTEACHER_NOT_AGREED in blockers
    assert "training" in blockers
    assert "Parental consent for Lou" in blockers
    assert html.index('data-testid="session-blockers"') < html.index('name="held_on"')


def test_a_session_the_gates_refuse_changes_nothing(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.MEDIUM)
    plan = cases.plan(school_a, team.person)
    response = team.tutor_client.post(f"/cases/plans/{plan.pk}/sessions/new/", session_form(
        team, option="option_1_leanne_liam", group="small_tutor_group", tutor_group=""))
    assert response.status_code == 409
    html = response.content.decode()
    assert HEADTEACHER_NOT_AGREED in html and "Parental consent for Lou" in html
    with schema_context(school_a.schema_name):
        assert not TeachingSession.objects.exists()


def test_a_whole_tutor_group_session_is_recorded_once_agreed(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.VERY_LOW)
    plan = cases.agree(school_a, cases.plan(school_a, team.person), team.head)
    response = team.tutor_client.post(f"/cases/plans/{plan.pk}/sessions/new/", session_form(team), follow=True)
    assert response.redirect_chain[-1][0] == f"/cases/plans/{plan.pk}/"
    html = response.content.decode()
    assert "Teaching session recorded" in html
    assert 'data-status="done"' in html.split('data-task="session"')[1].split("\n  </li>")[0]
    with schema_context(school_a.schema_name):
        session = TeachingSession.objects.get(plan_id=plan.pk)
        assert session.delivered_by_id == team.tutor.pk and list(session.participants.all()) == [team.person]


def test_session_form_errors_name_the_field_and_save_nothing(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.VERY_LOW)
    plan = cases.agree(school_a, cases.plan(school_a, team.person), team.head)
    url = f"/cases/plans/{plan.pk}/sessions/new/"
    response = team.tutor_client.post(url, session_form(team, held_on=""))
    assert response.status_code == 200 and 'href="#id_held_on"' in response.content.decode()
    response = team.tutor_client.post(url, session_form(team, tutor_group=""))
    assert response.status_code == 200 and 'href="#id_tutor_group"' in response.content.decode()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = team.tutor_client.post(url, session_form(team, held_on=tomorrow))
    assert response.status_code == 200 and "before it happens" in response.content.decode()
    with schema_context(school_a.schema_name):
        assert not TeachingSession.objects.exists()


def test_staff_record_only_sessions_they_delivered(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.VERY_LOW)
    plan = cases.agree(school_a, cases.plan(school_a, team.person), team.head)
    response = team.tutor_client.post(f"/cases/plans/{plan.pk}/sessions/new/",
                                      session_form(team, delivered_by=team.dcpo.pk))
    assert response.status_code == 200
    assert 'href="#id_delivered_by"' in response.content.decode()
    with schema_context(school_a.schema_name):
        assert not TeachingSession.objects.exists()


def test_participants_are_only_young_people_the_user_may_see(school_a, team, cases):
    cases.serat(school_a, team.person, team.tutor, Level.VERY_LOW)
    plan = cases.agree(school_a, cases.plan(school_a, team.person), team.head)
    stranger = cases.young_person(school_a, first_name="Unseen")
    page = team.tutor_client.get(f"/cases/plans/{plan.pk}/sessions/new/").content.decode()
    assert "Unseen" not in page
    response = team.tutor_client.post(f"/cases/plans/{plan.pk}/sessions/new/", session_form(
        team, group="small_tutor_group", tutor_group="", participants=[team.person.pk, stranger.pk]))
    assert response.status_code == 200
    assert 'href="#id_participants_0"' in response.content.decode()
    with schema_context(school_a.schema_name):
        assert not TeachingSession.objects.exists()


def test_high_asks_for_the_preview_confirmation(school_a, team, cases):
    cases.serat(school_a, team.person, team.dcpo, Level.HIGH)
    plan = cases.agree(school_a, cases.plan(school_a, team.person), team.head)
    train(school_a, team.tutor)
    cases.scu_answer(school_a, plan, "material_agreed")
    with cases.in_school(school_a):
        consent_record(plan=plan, young_person=team.person, decision="given", given_by="Pat Parent",
                       relationship="father", method="in_person", decided_on=timezone.localdate(),
                       recorder=team.dcpo)
    url = f"/cases/plans/{plan.pk}/sessions/new/"
    assert 'name="preview_confirmed"' in team.tutor_client.get(url).content.decode()
    form = session_form(team, option="mdlb_full_film", group="one_to_one_or_small_group", tutor_group="")
    response = team.tutor_client.post(url, form)
    assert response.status_code == 409
    assert escape(PREVIEW_NOT_CONFIRMED) in response.content.decode()
    with schema_context(school_a.schema_name):
        assert not TeachingSession.objects.exists()
    assert team.tutor_client.post(url, {**form, "preview_confirmed": "on"}).status_code == 302
    with schema_context(school_a.schema_name):
        assert TeachingSession.objects.get(plan_id=plan.pk).preview_confirmed
