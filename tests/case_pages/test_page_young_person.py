"""The young person's case page: who they are, their level now, the plan, the latest SERAT and quiz, the
actions the viewer may take, and the chronology."""

import pytest
from cse_platform.audit.models import AuditEvent
from django_tenants.utils import schema_context

from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Role
from safeguarding.services.concerns import concern_log
from tests.helpers import client_signed_in_as


@pytest.fixture
def tutor_and_person(school_a, make_user, cases):
    tutor = make_user(Role.STAFF, school_a, name="Tess Tutor")
    group = cases.tutor_group(school_a, staff=[tutor])
    person = cases.young_person(school_a, tutor_group=group, first_name="Alex", last_name="Morgan")
    return tutor, group, person


def page(client, person) -> str:
    response = client.get(f"/cases/young-people/{person.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_shows_identity_level_plan_and_latest_serat(school_a, tutor_and_person, cases):
    tutor, group, person = tutor_and_person
    assessment = cases.serat(school_a, person, tutor, Level.MEDIUM)
    plan = cases.plan(school_a, person)
    html = page(client_signed_in_as(tutor, school_a), person)
    assert "Alex Morgan" in html
    assert person.upn in html
    assert f"Year {person.year_group}" in html
    assert group.name in html
    assert 'app-level--medium' in html and Level.MEDIUM.label in html
    assert f'href="/cases/plans/{plan.pk}/"' in html
    assert "Waiting for the headteacher" in html
    assert f"{assessment.total} points" in html


def test_quiz_is_awaited_at_medium_and_the_tutor_may_record_it(school_a, tutor_and_person, cases):
    tutor, _, person = tutor_and_person
    assessment = cases.serat(school_a, person, tutor, Level.MEDIUM)
    html = page(client_signed_in_as(tutor, school_a), person)
    assert "Awaited" in html
    assert f'href="/cases/assessments/{assessment.pk}/quiz/"' in html
    assert f'href="/cases/young-people/{person.pk}/serat/"' in html
    assert f'href="/cases/concerns/?young_person={person.pk}"' in html


def test_no_quiz_at_very_high_awaiting_scu_advice(school_a, make_user, tutor_and_person, cases):
    tutor, _, person = tutor_and_person
    cases.serat(school_a, person, tutor, Level.VERY_HIGH)
    html = page(client_signed_in_as(tutor, school_a), person)
    assert "awaiting SCU advice" in html
    assert 'data-testid="awaiting-scu"' in html
    assert 'data-testid="action-quiz"' not in html
    assert "app-level--very_high" in html


def test_scu_advice_ends_the_wait(school_a, tutor_and_person, cases):
    tutor, _, person = tutor_and_person
    cases.serat(school_a, person, tutor, Level.VERY_HIGH)
    cases.scu_answer(school_a, cases.plan(school_a, person), "advice", "Hold a 1:1 with the school nurse.")
    html = page(client_signed_in_as(tutor, school_a), person)
    assert 'data-testid="awaiting-scu"' not in html
    assert "Hold a 1:1 with the school nurse." in html  # the SCU's answer is in the chronology


def test_a_declined_quiz_and_the_level_it_leaves(school_a, tutor_and_person, cases):
    tutor, _, person = tutor_and_person
    assessment = cases.serat(school_a, person, tutor, Level.HIGH)
    cases.quiz(school_a, assessment, tutor, None)
    html = page(client_signed_in_as(tutor, school_a), person)
    assert "Declined: the staff level stands" in html
    assert 'data-testid="action-quiz"' not in html
    assert "app-level--high" in html


def test_a_quiz_that_raises_the_level_shows_the_effective_level(school_a, tutor_and_person, cases):
    tutor, _, person = tutor_and_person
    assessment = cases.serat(school_a, person, tutor, Level.MEDIUM)
    cases.quiz(school_a, assessment, tutor, Level.HIGH)
    html = page(client_signed_in_as(tutor, school_a), person)
    assert "raised by the personal quiz" in html
    level_line = html.split('data-testid="level"')[1].split("</p>")[0]
    assert "app-level--high" in level_line


def test_headteacher_reads_the_case_but_has_no_serat_action(school_a, signed_in, tutor_and_person, cases):
    tutor, _, person = tutor_and_person
    cases.serat(school_a, person, tutor, Level.LOW)
    client, _ = signed_in(Role.HEADTEACHER, school_a)
    html = page(client, person)
    assert "Alex Morgan" in html
    assert 'data-testid="action-serat"' not in html
    assert 'data-testid="action-concern"' in html


def test_before_any_serat(school_a, tutor_and_person):
    tutor, _, person = tutor_and_person
    html = page(client_signed_in_as(tutor, school_a), person)
    assert "No SERAT yet" in html
    assert "No SERAT has been completed yet." in html


def test_chronology_is_in_time_order(school_a, make_user, tutor_and_person, cases):
    tutor, _, person = tutor_and_person
    head = make_user(Role.HEADTEACHER, school_a)
    cases.serat(school_a, person, tutor, Level.LOW)
    cases.agree(school_a, cases.plan(school_a, person), head, note="Go ahead.")
    with cases.in_school(school_a):
        concern_log(author=tutor, source="staff", concern="Seen with an older man at the gates.", young_person=person)
    html = page(client_signed_in_as(tutor, school_a), person)
    table = html.split('data-testid="chronology"')[1]
    kinds = [chunk.split('"')[0] for chunk in table.split('data-kind="')[1:]]
    assert kinds.index("concern") < kinds.index("agreement") < kinds.index("serat")
    assert "Seen with an older man at the gates." in table
    assert "Go ahead." in table


def test_reading_the_case_is_audited(school_a, tutor_and_person):
    tutor, _, person = tutor_and_person
    page(client_signed_in_as(tutor, school_a), person)
    with schema_context(school_a.schema_name):
        assert AuditEvent.objects.filter(action="case.read", young_person_id=person.pk, actor=tutor).exists()
