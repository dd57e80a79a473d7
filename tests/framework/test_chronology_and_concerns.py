from datetime import date

from django_tenants.utils import schema_context

from safeguarding.models import NoteOfConcern
from tests.framework.conftest import scu_answer, submit_serat
from tests.helpers import train

TODAY = date.today().isoformat()


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def log_note(client, concern, **fields):
    return post(client, "/api/concerns/", {"source": "staff", "concern": concern} | fields)


def chronology(client, person):
    return client.get(f"/api/chronologies/{person.pk}/").json()


def test_the_chronology_holds_everything_in_time_order(team, young_person, school_a):
    person = young_person()
    assessment = submit_serat(team.dcpo, person, 25).json()
    plan = assessment["plan"]
    assert post(team.dcpo, f"/api/serat-assessments/{assessment['id']}/decline-quiz/").status_code == 201
    assert post(team.head, f"/api/plans/{plan}/agree/", {"note": "Agreed"}).status_code == 200
    assert post(team.dcpo, f"/api/plans/{plan}/consents/", {
        "young_person": person.pk, "decision": "given", "given_by": "Pat Parent", "relationship": "Mother",
        "method": "phone", "decided_on": TODAY}).status_code == 201
    assert post(team.dcpo, f"/api/plans/{plan}/choose-option/", {"option": "option_2_be_wise"}).status_code == 200
    train(school_a, team.dcpo_user)
    assert post(team.dcpo, f"/api/plans/{plan}/sessions/", {
        "held_on": TODAY, "group": "small_tutor_group", "participants": [person.pk]}).status_code == 201
    assert post(team.dcpo, f"/api/plans/{plan}/complete-item/",
                {"code": "consider_caf_tac", "note": "CAF started"}).status_code == 200
    assert log_note(team.dcpo, "Seen with older men", young_person=person.pk, source="pupil").status_code == 201
    assert submit_serat(team.dcpo, person, 30).status_code == 201

    entries = chronology(team.dcpo, person)
    times = [entry["at"] for entry in entries]
    assert times == sorted(times, reverse=True)
    oldest_first = [entry["kind"] for entry in reversed(entries)]
    steps = ["serat", "quiz", "agreement", "consent", "session", "plan_item", "concern", "review"]
    assert [oldest_first.index(kind) for kind in steps] == sorted(oldest_first.index(kind) for kind in steps)
    by_kind = {entry["kind"]: entry for entry in reversed(entries)}
    assert by_kind["consent"]["title"] == "Parental consent given"
    assert by_kind["session"]["title"] == "Session: Option 2: Be Wise, then the music video"
    assert by_kind["plan_item"]["detail"] == "CAF started"
    assert by_kind["review"]["title"] == "Review closed by a new SERAT"


def test_the_chronology_shows_a_tutor_only_the_notes_they_logged(team, young_person, tutor_group, school_a):
    person = young_person(tutor_group=tutor_group)
    with schema_context(school_a.schema_name):
        tutor_group.staff.add(team.staff_user)
    assert log_note(team.dcpo, "The DCPO's own note", young_person=person.pk).status_code == 201
    assert log_note(team.head, "The headteacher's note", young_person=person.pk).status_code == 201
    assert log_note(team.staff, "The tutor's note", young_person=person.pk).status_code == 201

    def notes(client):
        return sorted(e["detail"] for e in chronology(client, person) if e["kind"] == "concern")

    everything = ["The DCPO's own note", "The headteacher's note", "The tutor's note"]
    assert notes(team.dcpo) == everything
    assert notes(team.head) == everything
    assert notes(team.staff) == ["The tutor's note"]


def test_the_headteacher_reads_linked_notes_but_not_the_dcpos_unlinked_ones(team, young_person):
    person = young_person()
    linked = log_note(team.staff, "About a named pupil", about="A pupil").json()["id"]
    unlinked = log_note(team.staff, "About someone unnamed", about="A friend in Year 9").json()["id"]
    assert post(team.dcpo, f"/api/concerns/{linked}/review/", {"young_person": person.pk}).status_code == 200
    assert [n["id"] for n in team.head.get("/api/concerns/").json()["results"]] == [linked]
    assert team.head.get(f"/api/concerns/{linked}/").status_code == 200
    assert team.head.get(f"/api/concerns/{unlinked}/").status_code == 404


def test_scu_answer_conditions_are_in_the_chronology(team, young_person, school_a):
    person = young_person()
    plan = submit_serat(team.dcpo, person, 40).json()["plan"]
    scu_answer(school_a, plan, "material_agreed", young_person_ref=person.pk,
               conditions="Only 1:1, with the DCPO present.")
    scu_answer(school_a, plan, "advice")
    answers = [e for e in chronology(team.dcpo, person) if e["kind"] == "scu_answer"]
    assert sorted(e["detail"] for e in answers) == [
        "SCU says", "SCU says\nConditions: Only 1:1, with the DCPO present."]


def test_anyone_in_school_logs_a_note_the_dcpo_sees_and_others_do_not(team, young_person, school_a):
    response = team.staff.post("/api/concerns/", {"about": "A friend in Year 9", "source": "friend",
                                                  "concern": "Gifts from an older boy"},
                               content_type="application/json")
    assert response.status_code == 201, response.content
    note = response.json()["id"]
    assert [n["id"] for n in team.dcpo.get("/api/concerns/").json()["results"]] == [note]
    assert [n["id"] for n in team.staff.get("/api/concerns/").json()["results"]] == [note]
    assert team.head.get("/api/concerns/").json()["results"] == []
    assert team.dcpo.post(f"/api/concerns/{note}/review/", {}, content_type="application/json").status_code == 200
    with schema_context(school_a.schema_name):
        assert NoteOfConcern.objects.get(pk=note).seen_at is not None


def test_governors_log_notes_without_seeing_any_case(team, young_person, school_a):
    client = team.governor
    person = young_person()
    other = log_note(team.staff, "Someone else's note", young_person=None, about="A pupil").json()["id"]
    response = log_note(client, "A pupil told me about a friend's older boyfriend", source="friend",
                        about="A friend of a Year 9 pupil")
    assert response.status_code == 201, response.content
    mine = response.json()["id"]
    assert [n["id"] for n in client.get("/api/concerns/").json()["results"]] == [mine]
    assert client.get(f"/api/concerns/{other}/").status_code == 404
    assert mine in [n["id"] for n in team.dcpo.get("/api/concerns/").json()["results"]]
    # They cannot attach it to a young person: that would tell them who has a case.
    named = log_note(client, "Worried", young_person=person.pk)
    assert named.status_code == 409
    assert post(team.dcpo, f"/api/concerns/{mine}/review/", {"young_person": person.pk}).status_code == 200
    assert client.get(f"/api/concerns/{mine}/").json()["young_person"] is None
    assert client.get(f"/api/chronologies/{person.pk}/").status_code == 403
    with schema_context(school_a.schema_name):
        assert NoteOfConcern.objects.filter(logged_by=team.governor_user).count() == 1


def test_the_school_administrators_account_does_not_log_notes(team, school_a):
    # docs/decisions.md: its area is kept apart from the case area.
    assert log_note(team.admin, "Worried", about="A pupil").status_code == 403
    with schema_context(school_a.schema_name):
        assert not NoteOfConcern.objects.exists()


def test_a_note_must_say_who_it_is_about(team):
    response = team.staff.post("/api/concerns/", {"source": "friend", "concern": "Something"},
                               content_type="application/json")
    assert response.status_code == 400 and "about" in response.json()


def test_staff_cannot_name_a_young_person_they_do_not_work_with(team, young_person, school_a):
    response = team.staff.post("/api/concerns/", {"young_person": young_person().pk, "source": "staff",
                                                  "concern": "x"}, content_type="application/json")
    assert response.status_code == 409
    with schema_context(school_a.schema_name):
        assert not NoteOfConcern.objects.exists()
