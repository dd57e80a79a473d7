"""The demo authority that `make run` seeds: idempotent, safe to run on every start."""

from dataclasses import dataclass
from datetime import date

from cse_platform.accounts.models import User
from cse_platform.accounts.services import user_create
from django.db import transaction
from django_tenants.utils import schema_context

from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.models import TutorGroup, YoungPerson
from safeguarding.rules.instruments import InstrumentKind, answers_totalling
from safeguarding.rules.roles import Audience, Role, roles_for
from safeguarding.services.assessments import serat_submit
from scu_portal.models import TrainingRecord

from .models import School, SchoolKind
from .services import central_url, school_provision, school_url

DEMO_PASSWORD = "Safeguard-demo-2026"
CENTRAL_DOMAIN = "authority.example"


@dataclass(frozen=True)
class DemoSchool:
    slug: str
    name: str
    urn: str
    kind: str
    tutor_groups: tuple[tuple[str, int], ...]
    young_people: tuple[tuple[str, str, str, date, str], ...]


SCHOOLS = (
    DemoSchool("northfield", "Northfield High School", "100001", SchoolKind.HIGH_SCHOOL,
               (("9N", 9), ("10N", 10)),
               (("A100000000011", "Amelia", "Hart", date(2012, 3, 14), "9N"),
                ("A100000000012", "Ben", "Okafor", date(2011, 11, 2), "10N"),
                ("A100000000013", "Chloe", "Byrne", date(2012, 6, 30), "9N"))),
    DemoSchool("riverside", "Riverside Academy", "100002", SchoolKind.ACADEMY,
               (("8R", 8), ("11R", 11)),
               (("B200000000021", "Daniel", "Shaw", date(2013, 1, 9), "8R"),
                ("B200000000022", "Ella", "Mensah", date(2010, 5, 21), "11R"),
                ("B200000000023", "Finn", "Walsh", date(2010, 9, 3), "11R"))),
    DemoSchool("hillcrest", "Hillcrest Pupil Referral Unit", "100003", SchoolKind.PUPIL_REFERRAL_UNIT,
               (("KS4", 10),),
               (("C300000000031", "Grace", "Adeyemi", date(2011, 2, 17), "KS4"),
                ("C300000000032", "Harry", "Lowe", date(2010, 12, 1), "KS4"))),
)

SCHOOL_PEOPLE = {
    Role.STAFF: "Sam Tutor",
    Role.DCPO: "Dana Protection",
    Role.HEADTEACHER: "Helen Head",
    Role.GOVERNOR: "Gus Governor",
    Role.SCHOOL_ADMIN: "Ada Admin",
}
CENTRAL_PEOPLE = {
    Role.SCU_OFFICER: "Olu Officer",
    Role.SCU_MANAGER: "Morgan Manager",
    Role.AUTHORITY_ADMIN: "Alex Authority",
    Role.ANALYST: "Ari Analyst",
}


def demo_email(role: Role, domain: str) -> str:
    return f"{role.value.replace('_', '.')}@{domain}"


def school_email_domain(slug: str) -> str:
    return f"{slug}.example"


def _ensure_user(role: Role, full_name: str, domain: str) -> User:
    existing = User.objects.filter(email=demo_email(role, domain)).first()
    return existing or user_create(email=demo_email(role, domain), full_name=full_name, role=role,
                                   password=DEMO_PASSWORD)


def demo_seed() -> None:
    for role, name in CENTRAL_PEOPLE.items():
        _ensure_user(role, name, CENTRAL_DOMAIN)
    for demo in SCHOOLS:
        school = School.objects.filter(slug=demo.slug).first() or school_provision(
            name=demo.name, urn=demo.urn, kind=demo.kind, slug=demo.slug
        )
        with schema_context(school.schema_name), transaction.atomic():
            people = {role: _ensure_user(role, name, school_email_domain(demo.slug))
                      for role, name in SCHOOL_PEOPLE.items()}
            groups = {}
            for name, year in demo.tutor_groups:
                groups[name], _ = TutorGroup.objects.get_or_create(name=name, defaults={"year_group": year})
                groups[name].staff.add(people[Role.STAFF])
            for upn, first, last, born, group in demo.young_people:
                YoungPerson.objects.get_or_create(
                    upn=upn,
                    defaults={"first_name": first, "last_name": last, "date_of_birth": born,
                              "year_group": groups[group].year_group, "tutor_group": groups[group]},
                )
            _seed_cases(school, demo, people)


# Demo SERAT totals: one young person at each of several levels, so every kind of plan can be seen.
DEMO_SERATS = {"A100000000011": 25, "A100000000012": 40, "A100000000013": 8, "B200000000021": 50,
               "B200000000022": 15, "C300000000031": 30}


def _seed_cases(school: School, demo: DemoSchool, people: dict) -> None:
    """SERATs through the services, for young people who have none yet; the DCPO is trained."""
    TrainingRecord.objects.get_or_create(
        school=school, staff_email=people[Role.DCPO].email,
        defaults={"staff_name": people[Role.DCPO].full_name, "completed_on": date(2026, 9, 1)},
    )
    for upn, *_ in demo.young_people:
        person = YoungPerson.objects.get(upn=upn)
        if upn in DEMO_SERATS and not person.assessments.exists():
            serat = instrument_in_force(kind=InstrumentKind.SERAT).as_instrument()
            answers = answers_totalling(serat.items, DEMO_SERATS[upn])
            serat_submit(young_person=person, answers=answers, assessor=people[Role.DCPO])


def demo_summary() -> str:
    lines = ["", "The demo authority is running.", "", f"Central portal: {central_url()}"]
    lines += [f"  {role.label:<36} {demo_email(role, CENTRAL_DOMAIN)}" for role in roles_for(Audience.CENTRAL)]
    for demo in SCHOOLS:
        lines += ["", f"{demo.name}: {school_url(demo.slug)}"]
        lines += [f"  {role.label:<36} {demo_email(role, school_email_domain(demo.slug))}"
                  for role in roles_for(Audience.SCHOOL)]
    lines += ["", f"Every demo account's password: {DEMO_PASSWORD}", ""]
    return "\n".join(lines)
