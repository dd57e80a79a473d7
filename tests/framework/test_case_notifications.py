"""Each case event reaches exactly the right people in the school, and no one else (issue 5, item 3).

The outbox rows are written in the same transaction as the change; who they are for is what matters here
(delivery itself is tested with a real worker in tests/notifications)."""

import pytest
from django_tenants.utils import schema_context

from notifications.models import OutboxMessage
from safeguarding.rules.roles import Role
from tests.framework.conftest import submit_serat


@pytest.fixture
def second_dcpo(make_user, school_a):
    return make_user(Role.DCPO, school_a)


def recipients(school, event) -> set[int]:
    with schema_context(school.schema_name):
        return set(OutboxMessage.objects.filter(event=event).values_list("recipient_id", flat=True))


def clear_outbox(school):
    with schema_context(school.schema_name):
        OutboxMessage.objects.all().delete()


def test_a_completed_serat_tells_every_dcpo_and_no_one_else(team, young_person, school_a, school_b, second_dcpo):
    submit_serat(team.dcpo, young_person(), 12)
    assert recipients(school_a, "serat_completed") == {team.dcpo_user.pk, second_dcpo.pk}
    assert recipients(school_b, "serat_completed") == set()


def test_a_new_plan_tells_the_headteacher(team, young_person, school_a):
    submit_serat(team.dcpo, young_person(), 25)
    assert recipients(school_a, "plan_awaiting_agreement") == {team.head_user.pk}


@pytest.mark.parametrize(("decision", "event"), [("given", "consent_recorded"), ("refused", "consent_refused"),
                                                 ("withdrawn", "consent_refused")])
def test_consent_recorded_or_refused_tells_the_dcpo(team, young_person, school_a, decision, event):
    person = young_person()
    plan = submit_serat(team.dcpo, person, 25).json()["plan"]
    clear_outbox(school_a)
    team.dcpo.post(f"/api/plans/{plan}/consents/", {
        "young_person": person.pk, "decision": decision, "given_by": "Pat", "relationship": "Father",
        "method": "letter", "decided_on": "2026-01-05"}, content_type="application/json")
    assert recipients(school_a, event) == {team.dcpo_user.pk}
    with schema_context(school_a.schema_name):
        assert set(OutboxMessage.objects.values_list("event", flat=True)) == {event}


def test_a_note_of_concern_tells_the_dcpo(team, school_a):
    team.staff.post("/api/concerns/", {"about": "A friend", "source": "friend", "concern": "Worried"},
                    content_type="application/json")
    assert recipients(school_a, "concern_logged") == {team.dcpo_user.pk}


def test_notices_carry_no_childs_name(team, young_person, school_a):
    person = young_person(first_name="Zephyrine", last_name="Quillfeather")
    submit_serat(team.dcpo, person, 25)
    with schema_context(school_a.schema_name):
        for message in OutboxMessage.objects.all():
            assert "Zephyrine" not in message.subject and "Quillfeather" not in message.subject
            assert "Zephyrine" not in message.link


def test_a_refused_action_writes_no_notice(team, young_person, school_a):
    person = young_person()
    plan = submit_serat(team.dcpo, person, 5).json()["plan"]
    clear_outbox(school_a)
    team.dcpo.post(f"/api/plans/{plan}/consents/", {
        "young_person": person.pk, "decision": "given", "given_by": "Pat", "relationship": "Father",
        "method": "letter", "decided_on": "2026-01-05"}, content_type="application/json")
    with schema_context(school_a.schema_name):
        assert not OutboxMessage.objects.exists()
