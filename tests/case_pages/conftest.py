"""Case data for the case pages' tests.

Young people and tutor groups are the school's identity records and are made directly; everything on a case
(SERAT, quiz, plan, agreement, consent, sessions, notes of concern) is made through the services, with the
school as the connection's tenant. SCU answers are public rows tied to a referral, made directly as the
SCU's side would make them.
"""

import itertools
from datetime import date

import pytest
from django.db.models import Max
from django_tenants.utils import schema_context, tenant_context

from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.models import SeratAssessment, TutorGroup, YoungPerson
from safeguarding.rules.instruments import InstrumentKind
from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Role
from safeguarding.selectors.plans import active_plan
from safeguarding.services.assessments import quiz_decline, quiz_record, serat_submit
from safeguarding.services.plans import plan_agree
from scu_portal.models import Referral, ScuAnswer
from tests.helpers import client_signed_in_as

_numbers = itertools.count(1)


def answers_for(kind: InstrumentKind, level: Level) -> dict[str, int]:
    """Answers on the instrument in force whose total is the lowest of the level's band (its own bands)."""
    instrument = instrument_in_force(kind=kind).as_instrument()
    target = next(band.minimum for band in instrument.bands if band.level is Level(level))
    answers, remaining = {}, target
    for item in instrument.items:
        score = max(score for score in item.allowed_scores if score <= remaining)
        answers[item.code] = score
        remaining -= score
    assert remaining == 0, f"could not reach {target} on the {kind}"
    return answers


class Cases:
    """Makes case data in a school's schema. Every method takes the school first."""

    def tutor_group(self, school, *, staff=(), year_group: int = 9) -> TutorGroup:
        with schema_context(school.schema_name):
            group = TutorGroup.objects.create(name=f"{year_group}X{next(_numbers)}", year_group=year_group)
            group.staff.set(staff)
            return group

    def young_person(self, school, *, tutor_group=None, staff=(), first_name: str = "", last_name: str = "",
                     unique_from=None) -> YoungPerson:
        """A young person; `unique_from` (another school) makes sure their id names nobody there."""
        n = next(_numbers)
        with schema_context(school.schema_name):
            fields = {}
            if unique_from is not None:
                with schema_context(unique_from.schema_name):
                    theirs = YoungPerson.objects.aggregate(top=Max("pk"))["top"] or 0
                ours = YoungPerson.objects.aggregate(top=Max("pk"))["top"] or 0
                fields["pk"] = max(theirs, ours) + 1000 + n
            person = YoungPerson.objects.create(
                upn=f"A{n:011d}0", first_name=first_name or f"Robin{n}", last_name=last_name or f"Case{n}",
                date_of_birth=date(2011, 3, 4), year_group=tutor_group.year_group if tutor_group else 9,
                tutor_group=tutor_group, **fields,
            )
            person.staff.set(staff)
            return person

    def serat(self, school, person, assessor, level: Level) -> SeratAssessment:
        with tenant_context(school):
            return serat_submit(young_person=person, answers=answers_for(InstrumentKind.SERAT, level),
                                assessor=assessor)

    def quiz(self, school, assessment, recorder, level: Level | None):
        """The young person's answers at this level; None: they declined."""
        with tenant_context(school):
            if level is None:
                return quiz_decline(assessment=assessment, recorder=recorder, note="Did not want to.")
            return quiz_record(assessment=assessment, answers=answers_for(InstrumentKind.PERSONAL_QUIZ, level),
                               recorder=recorder)

    def plan(self, school, person):
        with tenant_context(school):
            return active_plan(young_person=person)

    def agree(self, school, plan, headteacher, note: str = "Agreed."):
        with tenant_context(school):
            return plan_agree(plan=plan, headteacher=headteacher, note=note)

    def scu_answer(self, school, plan, kind: str, text: str = "The SCU's answer.") -> ScuAnswer:
        """An SCU answer on a referral of this plan, as the central portal would record it."""
        with tenant_context(school):
            assessment = plan.__class__.objects.select_related("assessment").get(pk=plan.pk).assessment
        with schema_context("public"):
            referral = Referral.objects.create(
                school=school, kind="mase_referral", young_person_ref=plan.young_person_id, plan_ref=plan.pk,
                young_person_name="Referred young person", date_of_birth=date(2011, 3, 4), year_group=9,
                serat_total=assessment.total, serat_level=assessment.level, effective_level=plan.level,
                reasons="For the tests.", consent_state="not_requested", dcpo_name="A DCPO",
                dcpo_email="dcpo@example.test",
            )
            return ScuAnswer.objects.create(referral=referral, kind=kind, text=text, by_name="An SCU officer")

    def in_school(self, school):
        """The school as the connection's tenant: the services read `connection.tenant` (its calendar, its
        SCU answers), which `schema_context` leaves as a stand-in."""
        return tenant_context(school)


@pytest.fixture
def cases() -> Cases:
    return Cases()


class Team:
    """Staff of school alpha around one young person (`person`), each with a signed-in client (`tutor_client`,
    `dcpo_client`, ...)."""


@pytest.fixture
def make_team(school_a, make_user, cases):
    """make_team(first_name="Lou", last_name="", other=False) → a Team: a tutor who works with the young person's
    tutor group (`group`), the DCPO and the headteacher; with `other`, a member of staff who does not."""

    def make(*, first_name: str = "Lou", last_name: str = "", other: bool = False) -> Team:
        team = Team()
        team.tutor = make_user(Role.STAFF, school_a, name="Tariq Tutor")
        if other:
            team.other = make_user(Role.STAFF, school_a, name="Olu Other")
        team.dcpo = make_user(Role.DCPO, school_a, name="Dee Dcpo")
        team.head = make_user(Role.HEADTEACHER, school_a, name="Hana Head")
        team.group = cases.tutor_group(school_a, staff=[team.tutor])
        team.person = cases.young_person(school_a, tutor_group=team.group, first_name=first_name, last_name=last_name)
        for name in ("tutor", "other", "dcpo", "head"):
            if hasattr(team, name):
                setattr(team, f"{name}_client", client_signed_in_as(getattr(team, name), school_a))
        return team

    return make


@pytest.fixture
def team(make_team):
    """A tutor (who works with Lou), the DCPO and the headteacher, each signed in."""
    return make_team()


@pytest.fixture
def tutor_client(school_a, make_user, cases):
    """(client, tutor, young person): a tutor signed in at school alpha who works with the young person's tutor
    group."""
    tutor = make_user(Role.STAFF, school_a)
    group = cases.tutor_group(school_a, staff=[tutor])
    person = cases.young_person(school_a, tutor_group=group)
    return client_signed_in_as(tutor, school_a), tutor, person
