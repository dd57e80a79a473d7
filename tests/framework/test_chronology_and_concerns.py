from django_tenants.utils import schema_context

from safeguarding.models import NoteOfConcern
from tests.framework.conftest import submit_serat


def test_the_chronology_holds_everything_in_time_order(team, young_person):
    person = young_person()
    assessment = submit_serat(team.dcpo, person, 25).json()
    team.dcpo.post(f"/api/serat-assessments/{assessment['id']}/decline-quiz/", {}, content_type="application/json")
    team.head.post(f"/api/plans/{assessment['plan']}/agree/", {"note": "Agreed"}, content_type="application/json")
    team.dcpo.post("/api/concerns/", {"young_person": person.pk, "source": "pupil", "concern": "Seen with older men"},
                   content_type="application/json")
    entries = team.dcpo.get(f"/api/chronologies/{person.pk}/").json()
    kinds = [entry["kind"] for entry in entries]
    assert {"serat", "quiz", "plan", "agreement", "concern"} <= set(kinds)
    times = [entry["at"] for entry in entries]
    assert times == sorted(times, reverse=True)


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
