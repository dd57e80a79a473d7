"""The personal quiz page: the young person's answers or their refusal, and the result it leads to."""

from django_tenants.utils import schema_context

from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.models import Plan, QuizResponse
from safeguarding.rules.instruments import InstrumentKind
from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Role
from tests.case_pages.conftest import answers_for


def quiz_items():
    return instrument_in_force(kind=InstrumentKind.PERSONAL_QUIZ).as_instrument().items


def test_the_quiz_uses_the_young_persons_own_wording(school_a, tutor_client, cases):
    client, tutor, person = tutor_client
    assessment = cases.serat(school_a, person, tutor, Level.MEDIUM)
    html = client.get(f"/cases/assessments/{assessment.pk}/quiz/").content.decode()
    for item in quiz_items():
        assert item.text.replace("'", "&#x27;") in html
        for _, answer in item.guidance:
            assert answer.replace("'", "&#x27;") in html
    assert "Record that they declined" in html


def test_answers_that_raise_the_level_show_it_and_the_plan_follows(school_a, tutor_client, cases):
    client, tutor, person = tutor_client
    assessment = cases.serat(school_a, person, tutor, Level.MEDIUM)
    answers = {"action": "answers", **answers_for(InstrumentKind.PERSONAL_QUIZ, Level.HIGH)}
    response = client.post(f"/cases/assessments/{assessment.pk}/quiz/", answers, follow=True)
    assert response.redirect_chain[-1][0] == f"/cases/assessments/{assessment.pk}/quiz/"
    html = response.content.decode()
    assert "The quiz raised the level" in html
    result = html.split('data-testid="quiz-result"')[1]
    assert "app-level--high" in result.split('data-testid="effective-level"')[1].split("</dd>")[0]
    assert "app-level--medium" in result  # the staff level is still shown
    with schema_context(school_a.schema_name):
        assert Plan.objects.get(young_person_id=person.pk, status="active").level == Level.HIGH.value


def test_answers_at_a_lower_level_leave_the_staff_level(school_a, tutor_client, cases):
    client, tutor, person = tutor_client
    assessment = cases.serat(school_a, person, tutor, Level.HIGH)
    answers = {"action": "answers", **answers_for(InstrumentKind.PERSONAL_QUIZ, Level.LOW)}
    html = client.post(f"/cases/assessments/{assessment.pk}/quiz/", answers, follow=True).content.decode()
    assert "app-level--high" in html.split('data-testid="effective-level"')[1].split("</dd>")[0]
    assert "app-level--low" in html


def test_declining_is_recorded_with_a_note_and_the_staff_level_stands(school_a, tutor_client, cases):
    client, tutor, person = tutor_client
    assessment = cases.serat(school_a, person, tutor, Level.MEDIUM)
    response = client.post(f"/cases/assessments/{assessment.pk}/quiz/",
                           {"action": "decline", "note": "Said they would rather talk to the nurse."}, follow=True)
    html = response.content.decode()
    assert "declined the personal quiz" in html
    assert "Said they would rather talk to the nurse." in html
    assert "app-level--medium" in html.split('data-testid="effective-level"')[1].split("</dd>")[0]
    with schema_context(school_a.schema_name):
        quiz = QuizResponse.objects.get(assessment_id=assessment.pk)
        assert quiz.status == "declined" and quiz.note == "Said they would rather talk to the nurse."


def test_a_missing_answer_is_named_and_nothing_is_saved(school_a, tutor_client, cases):
    client, tutor, person = tutor_client
    assessment = cases.serat(school_a, person, tutor, Level.MEDIUM)
    answers = answers_for(InstrumentKind.PERSONAL_QUIZ, Level.MEDIUM)
    missing = quiz_items()[0]
    del answers[missing.code]
    response = client.post(f"/cases/assessments/{assessment.pk}/quiz/", {"action": "answers", **answers})
    assert response.status_code == 200
    assert f'href="#id_{missing.code}_0"' in response.content.decode()
    with schema_context(school_a.schema_name):
        assert not QuizResponse.objects.filter(assessment_id=assessment.pk).exists()


def test_no_quiz_is_asked_at_low_and_a_forced_one_is_refused(school_a, tutor_client, cases):
    client, tutor, person = tutor_client
    assessment = cases.serat(school_a, person, tutor, Level.LOW)
    html = client.get(f"/cases/assessments/{assessment.pk}/quiz/").content.decode()
    assert 'data-testid="quiz-not-asked"' in html
    response = client.post(f"/cases/assessments/{assessment.pk}/quiz/",
                           {"action": "answers", **answers_for(InstrumentKind.PERSONAL_QUIZ, Level.HIGH)})
    assert response.status_code == 409
    assert "only asked at medium and high" in response.content.decode()
    with schema_context(school_a.schema_name):
        assert not QuizResponse.objects.filter(assessment_id=assessment.pk).exists()
        assert Plan.objects.get(young_person_id=person.pk, status="active").level == Level.LOW.value


def test_no_quiz_at_very_high(school_a, tutor_client, cases):
    client, tutor, person = tutor_client
    assessment = cases.serat(school_a, person, tutor, Level.VERY_HIGH)
    html = client.get(f"/cases/assessments/{assessment.pk}/quiz/").content.decode()
    assert "waits for advice from the Safeguarding Children Unit" in html
    assert 'name="action"' not in html


def test_a_second_quiz_is_refused_and_changes_nothing(school_a, tutor_client, cases):
    client, tutor, person = tutor_client
    assessment = cases.serat(school_a, person, tutor, Level.MEDIUM)
    cases.quiz(school_a, assessment, tutor, None)
    response = client.post(f"/cases/assessments/{assessment.pk}/quiz/",
                           {"action": "answers", **answers_for(InstrumentKind.PERSONAL_QUIZ, Level.VERY_HIGH)})
    assert response.status_code == 409
    assert "already been recorded" in response.content.decode()
    with schema_context(school_a.schema_name):
        assert QuizResponse.objects.get(assessment_id=assessment.pk).status == "declined"
        assert Plan.objects.get(young_person_id=person.pk, status="active").level == Level.MEDIUM.value


def test_the_headteacher_cannot_record_a_quiz(school_a, signed_in, make_user, cases):
    tutor = make_user(Role.STAFF, school_a)
    person = cases.young_person(school_a, staff=[tutor])
    assessment = cases.serat(school_a, person, tutor, Level.MEDIUM)
    client, _ = signed_in(Role.HEADTEACHER, school_a)
    assert client.post(f"/cases/assessments/{assessment.pk}/quiz/", {"action": "decline"}).status_code == 403
    with schema_context(school_a.schema_name):
        assert not QuizResponse.objects.exists()
