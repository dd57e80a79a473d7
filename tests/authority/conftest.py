"""Fixtures for the authority's areas: instruments, the training register, governors and the framework."""

import itertools
from datetime import date

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.models import Review, SeratAssessment, YoungPerson
from safeguarding.rules.instruments import DEFAULT_QUIZ_ITEMS, DEFAULT_SERAT_ITEMS, InstrumentKind, items_to_data
from safeguarding.rules.roles import Role

CENTRAL_ROLES_OTHER_THAN_ADMIN = (Role.SCU_OFFICER, Role.SCU_MANAGER, Role.ANALYST)
SCHOOL_ROLES = (Role.STAFF, Role.DCPO, Role.HEADTEACHER, Role.GOVERNOR, Role.SCHOOL_ADMIN)


def serat_items(max_total: int = 55) -> list[dict]:
    """The default SERAT items, with the last item's top scores cut so the maximum is `max_total` (50-55)."""
    items = items_to_data(DEFAULT_SERAT_ITEMS)
    cut = 55 - max_total
    items[-1]["allowed_scores"] = list(range(0, 6 - cut))
    items[-1]["guidance"] = {key: text for key, text in items[-1]["guidance"].items() if int(key) <= 5 - cut}
    return items


def quiz_items() -> list[dict]:
    return items_to_data(DEFAULT_QUIZ_ITEMS)


def formset_data(items: list[dict], *, title: str, prefix: str = "items", bands: list | None = None,
                 extra_blank: bool = True) -> dict:
    """The POST data of the draft edit page for these items (and, for the quiz, thresholds)."""
    data = {"draft-title": title, f"{prefix}-TOTAL_FORMS": str(len(items) + (1 if extra_blank else 0)),
            f"{prefix}-INITIAL_FORMS": str(len(items)), f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000"}
    for n, item in enumerate(items):
        data.update({
            f"{prefix}-{n}-code": item["code"],
            f"{prefix}-{n}-title": item.get("title", ""),
            f"{prefix}-{n}-text": item["text"],
            f"{prefix}-{n}-allowed_scores": ", ".join(str(s) for s in item["allowed_scores"]),
            f"{prefix}-{n}-guidance": "\n".join(f"{k}: {v}" for k, v in item.get("guidance", {}).items()),
            f"{prefix}-{n}-ORDER": str(n + 1),
        })
    if extra_blank:
        n = len(items)
        data.update({f"{prefix}-{n}-{name}": "" for name in ("code", "title", "text", "allowed_scores", "guidance",
                                                            "ORDER")})
    for level, low, high in bands or []:
        data[f"bands-{level}_minimum"], data[f"bands-{level}_maximum"] = str(low), str(high)
    return data


@pytest.fixture
def admin(make_user):
    """An authority administrator (public schema)."""
    return make_user(Role.AUTHORITY_ADMIN)


@pytest.fixture
def admin_client(signed_in):
    """(client, user): an authority administrator signed in at the central portal."""
    return signed_in(Role.AUTHORITY_ADMIN)


@pytest.fixture
def in_force():
    return lambda kind=InstrumentKind.SERAT: instrument_in_force(kind=kind)


_upns = itertools.count(1)


@pytest.fixture
def school_records(make_user):
    """school_records(school) → helpers to add young people and SERATs in that school's schema."""

    class Records:
        def __init__(self, school):
            self.school = school
            self.assessor = make_user(Role.DCPO, school)

        def young_person(self, first_name="Young", last_name=None) -> YoungPerson:
            n = next(_upns)
            with schema_context(self.school.schema_name):
                return YoungPerson.objects.create(
                    upn=f"A{n:011d}{n % 10}", first_name=first_name, last_name=last_name or f"Person{n}",
                    date_of_birth=date(2011, 1, 1), year_group=10,
                )

        def assessment(self, young_person, level: str, *, total: int = 0, quiz_level: str | None = None,
                       open_review: bool = False) -> SeratAssessment:
            from safeguarding.models import QuizResponse

            with schema_context(self.school.schema_name):
                assessment = SeratAssessment.objects.create(
                    young_person=young_person, instrument=instrument_in_force(kind=InstrumentKind.SERAT),
                    answers={}, total=total, level=level, assessed_by=self.assessor,
                )
                if quiz_level is not None:
                    QuizResponse.objects.create(
                        assessment=assessment, status="completed", level=quiz_level, total=0,
                        instrument=instrument_in_force(kind=InstrumentKind.PERSONAL_QUIZ),
                        recorded_by=self.assessor,
                    )
                if open_review:
                    Review.objects.create(young_person=young_person, assessment=assessment)
                return assessment

    return Records


@pytest.fixture
def public_schema():
    """Make sure a test's direct ORM use reads the public schema."""
    connection.set_schema_to_public()
