import itertools
from datetime import date

import pytest
from django_tenants.utils import schema_context

from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.models import TeachingSession, TutorGroup, YoungPerson
from safeguarding.rules.instruments import InstrumentKind, answers_totalling
from safeguarding.rules.roles import Role
from scu_portal.models import Referral, ScuAnswer

_upns = itertools.count(1)


def answers_for(total: int, kind: InstrumentKind = InstrumentKind.SERAT) -> dict[str, int]:
    """Answers on the instrument in force that add up to `total`."""
    return answers_totalling(instrument_in_force(kind=kind).as_instrument().items, total)


@pytest.fixture
def young_person(school_a):
    """young_person(school=school_a, tutor_group=None) → a new young person in that school."""

    def make(school=school_a, tutor_group=None, **fields):
        n = next(_upns)
        with schema_context(school.schema_name):
            return YoungPerson.objects.create(
                upn=f"T{n:011d}{n % 10}", first_name=fields.pop("first_name", "Young"),
                last_name=fields.pop("last_name", f"Person{n}"), date_of_birth=date(2011, 1, 1), year_group=10,
                tutor_group=tutor_group, **fields)

    return make


@pytest.fixture
def tutor_group(school_a):
    with schema_context(school_a.schema_name):
        return TutorGroup.objects.create(name=f"10T{next(_upns)}", year_group=10)


@pytest.fixture
def team(signed_in, school_a):
    """Signed-in clients for the school's roles at school_a: team.dcpo, team.head, team.staff, ..."""

    class Team:
        pass

    members = Team()
    for attr, role in (("dcpo", Role.DCPO), ("head", Role.HEADTEACHER), ("staff", Role.STAFF),
                       ("governor", Role.GOVERNOR), ("admin", Role.SCHOOL_ADMIN)):
        client, user = signed_in(role, school_a)
        setattr(members, attr, client)
        setattr(members, f"{attr}_user", user)
    return members


def submit_serat(client, person, total: int):
    return client.post("/api/serat-assessments/", {"young_person": person.pk, "answers": answers_for(total)},
                       content_type="application/json")


def scu_answer(school, plan_id: int, kind: str, young_person_ref: int = 0, **fields):
    """An SCU answer on a referral for this plan, as the SCU portal records it; the referral names the young
    person by `young_person_ref` (the chronology finds it by that)."""
    referral = Referral.objects.filter(school=school, plan_ref=plan_id).first() or Referral.objects.create(
        school=school, kind="mase_referral", young_person_ref=young_person_ref, plan_ref=plan_id,
        young_person_name="x", date_of_birth=date(2011, 1, 1), year_group=10, serat_total=0, serat_level="high",
        effective_level="high", reasons="test", consent_state="not_requested", dcpo_name="d",
        dcpo_email="d@example.org")
    return ScuAnswer.objects.create(referral=referral, kind=kind, text="SCU says", by_name="Officer", **fields)


TODAY = date.today().isoformat()


def plan_of(team, person, total):
    return submit_serat(team.dcpo, person, total).json()["plan"]


def session(client, plan_id, **fields):
    body = {"held_on": TODAY, "group": "small_tutor_group"} | fields
    return client.post(f"/api/plans/{plan_id}/sessions/", body, content_type="application/json")


def consent(client, plan_id, person, decision="given"):
    return client.post(f"/api/plans/{plan_id}/consents/", {
        "young_person": person.pk, "decision": decision, "given_by": "Pat Parent", "relationship": "Mother",
        "method": "phone", "decided_on": TODAY}, content_type="application/json")


def sessions_recorded(school, plan_id) -> int:
    with schema_context(school.schema_name):
        return TeachingSession.objects.filter(plan_id=plan_id).count()


def plan_agreed_in_a_tutor_group(team, young_person, tutor_group, school, total: int = 5) -> tuple[int, YoungPerson]:
    """A plan the headteacher agreed, from a SERAT of `total` (very low by default: its session needs no
    training and no consent), for a young person in a tutor group that team.staff teaches: (plan id, person)."""
    person = young_person(school=school, tutor_group=tutor_group)
    with schema_context(school.schema_name):
        tutor_group.staff.add(team.staff_user)
    plan = plan_of(team, person, total)
    assert team.head.post(f"/api/plans/{plan}/agree/", {}, content_type="application/json").status_code == 200
    return plan, person
