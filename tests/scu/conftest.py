"""Fixtures for the SCU portal: case rows made directly with the ORM in a school's schema, and referrals
sent through the school's own service (at the school, with the school as the connection's tenant)."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from safeguarding.instruments.models import InstrumentVersion
from safeguarding.models import Consent, Plan, QuizResponse, SeratAssessment, YoungPerson
from safeguarding.rules.levels import SERAT_BANDS, Level
from safeguarding.rules.referrals import referral_urgent
from safeguarding.rules.roles import Role
from scu_portal.services.referrals import referral_send

_upns = itertools.count(1)
SCORES = {band.level: band.minimum + 2 for band in SERAT_BANDS}


def phone_call() -> dict:
    return {"phoned_at": timezone.now() - timedelta(minutes=20), "phoned_to": "Sam Duty (SCU duty officer)",
            "phone_summary": "Told the duty officer about the disclosure; advised to refer to MASE today."}


def make_case(school, level: Level | str, *, by, consent: str | None = None, agreed: bool = False,
              quiz: str | None = None, first_name: str = "Jordan", last_name: str | None = None) -> Plan:
    """A young person with a SERAT at `level`, its plan (agreed or not), and optionally a consent decision
    and a personal quiz ("completed" at the same level, or "declined")."""
    level = Level(level)
    with schema_context(school.schema_name):
        n = next(_upns)
        person = YoungPerson.objects.create(
            upn=f"A{n:011d}Z", first_name=first_name, last_name=last_name or f"Case{n}",
            date_of_birth="2010-03-14", year_group=10)
        serat = InstrumentVersion.objects.get(kind="serat", version=1)
        assessment = SeratAssessment.objects.create(
            young_person=person, instrument=serat, answers={"note": "test"}, total=SCORES[level], level=level,
            assessed_by=by)
        if quiz == "completed":
            QuizResponse.objects.create(assessment=assessment, status="completed", total=SCORES[level], level=level,
                                        recorded_by=by, note="The young person's own words: not to leave.")
        elif quiz == "declined":
            QuizResponse.objects.create(assessment=assessment, status="declined", recorded_by=by)
        plan = Plan.objects.create(young_person=person, assessment=assessment, level=level,
                                   agreed_by=by if agreed else None, agreed_at=timezone.now() if agreed else None,
                                   agreement_note="Headteacher's private note." if agreed else "")
        if consent:
            Consent.objects.create(plan=plan, young_person=person, decision=consent, given_by="Pat Parent",
                                   relationship="Mother", method="phone", decided_on=timezone.localdate(),
                                   note="Private note on the consent call.", recorded_by=by)
        return plan


def send(school, plan, kind, *, by, reasons="Disclosed contact with an older man who gives her gifts.", **extra):
    """Send through the school's own service, at the school."""
    with tenant_context(school):
        return referral_send(plan=plan, kind=kind, sender=by, reasons=reasons, **extra)


@pytest.fixture
def dcpo_a(make_user, school_a):
    return make_user(Role.DCPO, school_a, name="Dee Cee-Pio")


@pytest.fixture
def dcpo_b(make_user, school_b):
    return make_user(Role.DCPO, school_b, name="Bea Bravo")


@pytest.fixture
def officer(make_user):
    return make_user(Role.SCU_OFFICER, name="Olu Officer")


@pytest.fixture
def manager(make_user):
    return make_user(Role.SCU_MANAGER, name="Mo Manager")


@pytest.fixture
def case(school_a, dcpo_a):
    """case(level, **options) → a plan at school alpha."""
    return lambda level, **options: make_case(school_a, level, by=dcpo_a, **options)


@pytest.fixture
def very_high_referral(school_a, dcpo_a, case):
    plan = case(Level.VERY_HIGH)
    return send(school_a, plan, "mase_referral", by=dcpo_a, **phone_call())


_refs = itertools.count(1)


def referral_row(school, *, level="high", kind="mase_consultation", received_at=None, status="received",
                 name="Row Person", assigned_to=None, answered=False, **fields):
    """A referral row made directly in the public schema, with the queue's key and due time as the
    send service makes them (for tests of the queue's order, filters and targets)."""
    from scu_portal.models import Referral
    from scu_portal.selectors.queue import queue_key, target_hours

    received_at = received_at or timezone.now()
    urgent = referral_urgent(level)
    n = next(_refs)
    fields = {"young_person_ref": n, "plan_ref": n, **fields}
    return Referral.objects.create(
        school=school, kind=kind, status=status, urgent=urgent,
        young_person_name=name, date_of_birth="2010-01-01", year_group=9, serat_total=SCORES[Level(level)],
        serat_level=level, effective_level=level, reasons="Reasons.", consent_state="not_requested",
        dcpo_name="A DCPO", dcpo_email="dcpo@school.test", received_at=received_at,
        plan_state={"level": level, "agreed": False, "agreed_on": None, "option": "", "items_done": [],
                    "made_on": received_at.date().isoformat()},
        queue_key=queue_key(urgent=urgent, received_at=received_at),
        due_at=received_at + timedelta(hours=target_hours(kind=kind, level=level)),
        first_answered_at=received_at if answered else None, assigned_to=assigned_to, **fields)
