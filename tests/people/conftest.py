"""Fixtures for the young people, tutor groups, import, staff accounts and calendar tests."""

from dataclasses import dataclass
from datetime import date

import pytest
from cse_platform.accounts.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from safeguarding.instruments.models import InstrumentVersion
from safeguarding.models import QuizResponse, SeratAssessment, TutorGroup, YoungPerson
from safeguarding.rules.roles import Role

HEADER = "UPN,Legal Forename,Legal Surname,DOB,Year,Reg Group"


def born_for_year(year_group: int, today: date | None = None) -> date:
    """A date of birth that fits a year group (aged year_group + 4 on the last 31 August)."""
    today = today or date.today()
    september_year = today.year if today.month >= 9 else today.year - 1
    return date(september_year - (year_group + 5), 11, 15)


def csv_upload(text: str, name: str = "pupils.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def mis_csv(*rows: tuple, header: str = HEADER) -> str:
    return "\n".join([header, *(",".join(str(cell) for cell in row) for row in rows)]) + "\n"


def upn(n: int, letter: str = "K") -> str:
    return f"{letter}{n:012d}"


@dataclass
class School:
    """A school's people for a test: two tutor groups, four young people, staff linked in each way."""

    tutor: User          # works with tutor group 9A
    mentor: User         # linked directly to `direct`
    unlinked: User       # a member of staff linked to no one
    group_9a: TutorGroup
    group_10b: TutorGroup
    in_9a: YoungPerson
    in_9a_too: YoungPerson
    in_10b: YoungPerson
    direct: YoungPerson  # in 10B, and linked directly to `mentor`


@pytest.fixture
def people(make_user):
    """people(school) → a School of linked staff and young people, in that school's schema."""

    def make(school) -> School:
        tutor = make_user(Role.STAFF, school, name="Tara Tutor")
        mentor = make_user(Role.STAFF, school, name="Mo Mentor")
        unlinked = make_user(Role.STAFF, school, name="Una Linked")
        with schema_context(school.schema_name):
            group_9a = TutorGroup.objects.create(name="9A", year_group=9)
            group_10b = TutorGroup.objects.create(name="10B", year_group=10)
            group_9a.staff.add(tutor)

            def person(n, first, last, group):
                return YoungPerson.objects.create(upn=upn(n, "P"), first_name=first, last_name=last,
                                                  date_of_birth=born_for_year(group.year_group),
                                                  year_group=group.year_group, tutor_group=group)

            in_9a = person(1, "Amira", "Nadeem", group_9a)
            in_9a_too = person(2, "Billy", "Osei", group_9a)
            in_10b = person(3, "Cara", "Price", group_10b)
            direct = person(4, "Dev", "Quinn", group_10b)
            direct.staff.add(mentor)
        return School(tutor, mentor, unlinked, group_9a, group_10b, in_9a, in_9a_too, in_10b, direct)

    return make


@pytest.fixture
def assess():
    """assess(school, young_person, level, by, quiz_level=None) → a SERAT (and personal quiz) at that level."""

    def make(school, young_person, level: str, by: User, quiz_level: str | None = None) -> SeratAssessment:
        instrument = InstrumentVersion.objects.filter(kind="serat").first()
        with schema_context(school.schema_name):
            assessment = SeratAssessment.objects.create(young_person=young_person, instrument=instrument, answers={},
                                                        total=0, level=level, assessed_by=by)
            if quiz_level:
                quiz = InstrumentVersion.objects.filter(kind="personal_quiz").first() or instrument
                QuizResponse.objects.create(assessment=assessment, status="completed", instrument=quiz, answers={},
                                            total=0, level=quiz_level, recorded_by=by)
        return assessment

    return make
