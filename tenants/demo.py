"""The demo authority that `make run` seeds: idempotent, safe to run on every start."""

from dataclasses import dataclass
from datetime import date

from cse_platform.accounts.models import User
from cse_platform.accounts.services import user_create
from django.db import transaction
from django_tenants.utils import schema_context

from safeguarding.models import TutorGroup, YoungPerson
from safeguarding.rules.roles import Audience, Role, roles_for

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


def demo_summary() -> str:
    lines = ["", "The demo authority is running.", "", f"Central portal: {central_url()}"]
    lines += [f"  {role.label:<36} {demo_email(role, CENTRAL_DOMAIN)}" for role in roles_for(Audience.CENTRAL)]
    for demo in SCHOOLS:
        lines += ["", f"{demo.name}: {school_url(demo.slug)}"]
        lines += [f"  {role.label:<36} {demo_email(role, school_email_domain(demo.slug))}"
                  for role in roles_for(Audience.SCHOOL)]
    lines += ["", f"Every demo account's password: {DEMO_PASSWORD}", ""]
    return "\n".join(lines)
