"""Notes of concern (logged by anyone in the school, read by the DCPO, their author, or once linked to a young
person the headteacher) and the headteacher's list of plans awaiting agreement."""

import pytest
from django_tenants.utils import schema_context

from safeguarding.models import NoteOfConcern
from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Role
from safeguarding.services.concerns import concern_log
from tests.helpers import client_signed_in_as


@pytest.fixture
def team(make_team):
    """The team around Sky Lane, with another member of staff (`other`) who does not work with them."""
    return make_team(first_name="Sky", last_name="Lane", other=True)


def log(school, cases, author, concern, **fields):
    with cases.in_school(school):
        return concern_log(author=author, source=fields.pop("source", "staff"), concern=concern, **fields)


# --- notes of concern -------------------------------------------------------------------------------------


def test_a_tutor_logs_a_note_about_their_young_person(school_a, team):
    page = team.tutor_client.get(f"/cases/concerns/?young_person={team.person.pk}").content.decode()
    assert f'<option value="{team.person.pk}" selected>' in page
    response = team.tutor_client.post("/cases/concerns/", {"young_person": team.person.pk, "source": "pastoral",
                                                           "concern": "Says an older friend buys her phone credit."},
                                      follow=True)
    with schema_context(school_a.schema_name):
        note = NoteOfConcern.objects.get()
    assert response.redirect_chain[-1][0] == f"/cases/concerns/{note.pk}/"
    assert (note.young_person_id, note.logged_by_id, note.source) == (team.person.pk, team.tutor.pk, "pastoral")
    assert "Says an older friend buys her phone credit." in response.content.decode()


def test_a_note_on_behalf_of_a_friend_is_described_in_words(school_a, team):
    response = team.other_client.post("/cases/concerns/", {"about": "A friend of a year 9 pupil", "source": "friend",
                                                           "concern": "Her friend goes to parties with adults."})
    assert response.status_code == 302
    with schema_context(school_a.schema_name):
        note = NoteOfConcern.objects.get()
    assert note.young_person_id is None and note.about == "A friend of a year 9 pupil"


def test_a_note_about_nobody_names_the_field_and_saves_nothing(school_a, team):
    response = team.tutor_client.post("/cases/concerns/", {"source": "staff", "concern": "Worried."})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_about"' in html and "Say who the concern is about" in html
    response = team.tutor_client.post("/cases/concerns/", {"about": "Someone", "source": "staff", "concern": ""})
    assert 'href="#id_concern"' in response.content.decode()
    response = team.tutor_client.post("/cases/concerns/", {"about": "Someone", "concern": "Worried."})
    assert 'href="#id_source_0"' in response.content.decode()
    with schema_context(school_a.schema_name):
        assert not NoteOfConcern.objects.exists()


def test_the_dcpo_sees_every_note_unseen_first_and_others_their_own(school_a, team, cases):
    seen = log(school_a, cases, team.tutor, "First note, already seen.", young_person=team.person)
    with cases.in_school(school_a):
        from safeguarding.services.concerns import concern_review

        concern_review(note=seen, dcpo=team.dcpo)
    log(school_a, cases, team.tutor, "Second note, not yet seen.", about="A pupil in 9X")
    log(school_a, cases, team.other, "Third note, by someone else.", about="A friend")
    dcpo_list = team.dcpo_client.get("/cases/concerns/").content.decode().split('data-testid="notes"')[1]
    rows = dcpo_list.split('data-note="')[1:]
    assert len(rows) == 3
    assert "New" in rows[0] and "New" in rows[1] and "Seen" in rows[2]
    tutor_list = team.tutor_client.get("/cases/concerns/").content.decode().split('data-testid="notes"')[1]
    assert len(tutor_list.split('data-note="')[1:]) == 2
    assert "A friend" not in tutor_list


def test_the_dcpo_marks_a_note_seen_and_links_it(school_a, team, cases):
    note = log(school_a, cases, team.other, "Heard a rumour about a party.", about="Someone in year 9")
    response = team.dcpo_client.post(f"/cases/concerns/{note.pk}/", {"young_person": team.person.pk}, follow=True)
    assert "marked as seen and linked to Sky Lane" in response.content.decode()
    with schema_context(school_a.schema_name):
        note.refresh_from_db()
    assert note.seen_by_id == team.dcpo.pk and note.young_person_id == team.person.pk
    # Its author does not work with Sky: their copy still names nobody.
    html = team.other_client.get(f"/cases/concerns/{note.pk}/").content.decode()
    assert "Sky Lane" not in html and "Someone in year 9" in html


def test_only_the_dcpo_reviews_a_note(school_a, team, cases):
    note = log(school_a, cases, team.tutor, "Worried about lateness.", young_person=team.person)
    response = team.tutor_client.post(f"/cases/concerns/{note.pk}/", {})
    assert response.status_code == 409
    assert "Only the DCPO reviews notes of concern." in response.content.decode()
    with schema_context(school_a.schema_name):
        note.refresh_from_db()
    assert note.seen_at is None


def test_another_persons_note_is_not_found(school_a, team, cases):
    note = log(school_a, cases, team.tutor, "Private.", about="A pupil in 9X")
    assert team.other_client.get(f"/cases/concerns/{note.pk}/").status_code == 404
    assert team.head_client.get(f"/cases/concerns/{note.pk}/").status_code == 404
    assert team.dcpo_client.get(f"/cases/concerns/{note.pk}/").status_code == 200


def test_the_headteacher_reads_a_note_linked_to_a_young_person(school_a, team, cases):
    note = log(school_a, cases, team.tutor, "Linked.", young_person=team.person)
    assert team.head_client.get(f"/cases/concerns/{note.pk}/").status_code == 200
    assert team.other_client.get(f"/cases/concerns/{note.pk}/").status_code == 404


def test_the_case_page_shows_a_tutor_only_the_notes_they_logged(school_a, team, cases):
    log(school_a, cases, team.tutor, "Written by the tutor.", young_person=team.person)
    log(school_a, cases, team.dcpo, "Written by the DCPO about Sky.", young_person=team.person)
    url = f"/cases/young-people/{team.person.pk}/"
    tutor_page = team.tutor_client.get(url).content.decode().split('data-testid="chronology"')[1]
    assert "Written by the tutor." in tutor_page and "Written by the DCPO about Sky." not in tutor_page
    for client in (team.dcpo_client, team.head_client):
        page = client.get(url).content.decode().split('data-testid="chronology"')[1]
        assert "Written by the tutor." in page and "Written by the DCPO about Sky." in page


def test_a_governor_logs_a_note_on_behalf_of_a_friend(school_a, team, cases, make_user):
    user = make_user(Role.GOVERNOR, school_a)
    client = client_signed_in_as(user, school_a)
    log(school_a, cases, team.tutor, "Written by the tutor.", young_person=team.person)
    page = client.get("/cases/concerns/").content.decode()
    assert 'data-testid="concern-form"' in page
    assert "Sky Lane" not in page and "Written by the tutor." not in page
    response = client.post("/cases/concerns/", {"about": "A friend of a year 9 pupil", "source": "friend",
                                                "concern": "Her friend is picked up by older men."}, follow=True)
    assert "Note of concern logged" in response.content.decode()
    with schema_context(school_a.schema_name):
        note = NoteOfConcern.objects.get(logged_by=user)
    assert (note.young_person_id, note.about) == (None, "A friend of a year 9 pupil")
    response = client.post("/cases/concerns/", {"young_person": team.person.pk, "source": "staff",
                                                "concern": "Worried."})
    assert "Choose a young person you work with" in response.content.decode()
    with schema_context(school_a.schema_name):
        assert NoteOfConcern.objects.filter(logged_by=user).count() == 1


# --- plans awaiting agreement -----------------------------------------------------------------------------


def test_plans_awaiting_agreement_oldest_first(school_a, team, cases):
    first = cases.young_person(school_a, first_name="Ava", last_name="First")
    second = cases.young_person(school_a, first_name="Ben", last_name="Second")
    agreed = cases.young_person(school_a, first_name="Cal", last_name="Agreed")
    cases.serat(school_a, first, team.dcpo, Level.MEDIUM)
    cases.serat(school_a, second, team.dcpo, Level.LOW)
    cases.serat(school_a, agreed, team.dcpo, Level.LOW)
    cases.agree(school_a, cases.plan(school_a, agreed), team.head)
    html = team.head_client.get("/cases/plans/awaiting-agreement/").content.decode()
    table = html.split('data-testid="awaiting"')[1]
    assert table.index("Ava First") < table.index("Ben Second")
    assert "Cal Agreed" not in table
    assert f'href="/cases/plans/{cases.plan(school_a, first).pk}/"' in table
    assert "app-level--medium" in table


def test_no_plans_awaiting(team):
    html = team.head_client.get("/cases/plans/awaiting-agreement/").content.decode()
    assert 'data-testid="none-awaiting"' in html
