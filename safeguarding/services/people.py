"""Young people's identity, tutor groups, and which staff work with whom.

Who may: the DCPO and the school administrator create and edit young people (UPN, names, date of birth,
year group, tutor group) and link staff to them; the school administrator keeps the tutor groups. Headteachers
read every case but do not keep the school's records; staff, governors and everyone else change none of this.

The checks on each field are here once, and the MIS import (services/imports.py) uses the same ones.
"""

import re
from collections.abc import Iterable
from datetime import date

from cse_platform.accounts.models import User
from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.models import TutorGroup, YoungPerson
from safeguarding.models.people import upn_validator
from safeguarding.selectors.people import linkable_roles, people_manager, tutor_group_manager

NAME_MAX_LENGTH = YoungPerson._meta.get_field("first_name").max_length
TUTOR_GROUP_NAME_MAX_LENGTH = TutorGroup._meta.get_field("name").max_length
YEAR_GROUPS = range(7, 15)
# Framework: staff working with 11-18 year olds. A year 7 imported before September may still be 10; a year 13
# or 14 may have turned 19 by the end of the year. Outside 10-19 on the day it is entered, a date is a typing error.
AGE_YOUNGEST = 10
AGE_OLDEST = 19
TUTOR_GROUP_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9 ./&()'-]*[A-Za-z0-9.)])?$")

NOT_ALLOWED = ("Only the designated child protection officer or a school administrator can change young people's "
               "records.")
NOT_ALLOWED_GROUPS = "Only a school administrator can change tutor groups."


# Checks on one value: None when fine, else the problem in plain words ----------------------------------


def upn_normalise(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def upn_problem(upn: str) -> str | None:
    if not upn:
        return "The UPN is missing."
    try:
        upn_validator(upn)
    except ValidationError:
        return f"“{upn}” is not a UPN. {upn_validator.message}"
    return None


def name_problem(label: str, value: str) -> str | None:
    if not value:
        return f"The {label} is missing."
    if len(value) > NAME_MAX_LENGTH:
        return f"The {label} is longer than {NAME_MAX_LENGTH} characters."
    return None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def date_of_birth_problem(born: date, *, today: date | None = None) -> str | None:
    today = today or timezone.localdate()
    if born > today:
        return f"The date of birth {born:%d/%m/%Y} is in the future."
    age = age_on(born, today)
    if not AGE_YOUNGEST <= age <= AGE_OLDEST:
        return (f"The date of birth {born:%d/%m/%Y} makes this young person {age} today; the framework is for "
                f"11 to 18 year olds, so a date of birth must give an age from {AGE_YOUNGEST} to {AGE_OLDEST}.")
    return None


def year_group_problem(year_group: int | None) -> str | None:
    if year_group is None:
        return "The year group is missing."
    if year_group not in YEAR_GROUPS:
        return f"Year group {year_group} is not a year group of this framework: use a year from 7 to 14."
    return None


def tutor_group_name_problem(name: str) -> str | None:
    if not name:
        return "The tutor group's name is missing."
    if len(name) > TUTOR_GROUP_NAME_MAX_LENGTH:
        return f"The tutor group “{name}” has a name longer than {TUTOR_GROUP_NAME_MAX_LENGTH} characters."
    if not TUTOR_GROUP_NAME.match(name):
        return (f"“{name}” is not a tutor group name: use letters, digits, spaces and . / & ( ) ' -, starting "
                "with a letter or digit.")
    return None


def _require(allowed: bool, reason: str) -> None:
    if not allowed:
        raise ActionRefused([reason])


# Young people ----------------------------------------------------------------------------------------------


def _identity_clean(*, young_person: YoungPerson | None, upn: str, first_name: str, last_name: str,
                    date_of_birth: date | None, year_group: int | None) -> dict:
    upn = upn_normalise(upn)
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    errors: dict[str, list[str]] = {}
    checks = {
        "upn": upn_problem(upn),
        "first_name": name_problem("forename", first_name),
        "last_name": name_problem("surname", last_name),
        "date_of_birth": "The date of birth is missing." if date_of_birth is None
        else date_of_birth_problem(date_of_birth),
        "year_group": year_group_problem(year_group),
    }
    for field, problem in checks.items():
        if problem:
            errors[field] = [problem]
    if "upn" not in errors:
        others = YoungPerson.objects.filter(upn=upn)
        if young_person is not None:
            others = others.exclude(pk=young_person.pk)
        if others.exists():
            errors["upn"] = [f"A young person with UPN {upn} is already recorded at this school."]
    if errors:
        raise ValidationError(errors)
    return {"upn": upn, "first_name": first_name, "last_name": last_name, "date_of_birth": date_of_birth,
            "year_group": year_group}


def young_person_create(
    *,
    actor: User,
    upn: str,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    year_group: int | None,
    tutor_group: TutorGroup | None = None,
) -> YoungPerson:
    _require(people_manager(actor), NOT_ALLOWED)
    fields = _identity_clean(young_person=None, upn=upn, first_name=first_name, last_name=last_name,
                             date_of_birth=date_of_birth, year_group=year_group)
    try:
        with transaction.atomic():
            person = YoungPerson.objects.create(tutor_group=tutor_group, **fields)
            audit_record(actor=actor, action="young_person.create", subject=person, young_person_id=person.pk)
    except IntegrityError:
        raise ValidationError({"upn": [f"A young person with UPN {fields['upn']} is already recorded at this "
                                       "school."]}) from None
    return person


def young_person_update(
    *,
    actor: User,
    young_person: YoungPerson,
    upn: str,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    year_group: int | None,
    tutor_group: TutorGroup | None = None,
) -> YoungPerson:
    _require(people_manager(actor), NOT_ALLOWED)
    fields = _identity_clean(young_person=young_person, upn=upn, first_name=first_name, last_name=last_name,
                             date_of_birth=date_of_birth, year_group=year_group)
    fields["tutor_group"] = tutor_group
    changed = [name for name, value in fields.items() if getattr(young_person, name) != value]
    for name, value in fields.items():
        setattr(young_person, name, value)
    try:
        with transaction.atomic():
            if changed:
                young_person.save(update_fields=changed)
            # Which fields changed, never their values.
            audit_record(actor=actor, action="young_person.update", subject=young_person,
                         young_person_id=young_person.pk, detail={"changed": changed})
    except IntegrityError:
        raise ValidationError({"upn": [f"A young person with UPN {fields['upn']} is already recorded at this "
                                       "school."]}) from None
    return young_person


def _linkable(staff: Iterable[User], *, field: str) -> list[User]:
    staff = list(staff)
    roles = {role.value for role in linkable_roles()}
    refused = [user for user in staff if not user.is_active or user.role not in roles]
    if refused:
        names = ", ".join(user.full_name for user in refused)
        raise ValidationError({field: [f"Only active members of staff can be linked ({names} cannot): the DCPO "
                                       "and the headteacher already see every young person."]})
    return staff


def _links_replace(links, staff: list[User]) -> dict[str, list[int]]:
    """Make `links` (a many-to-many manager) the given staff, keeping links to accounts that cannot be linked
    now (deactivated), so that reactivating an account brings its links back. Returns the ids added and
    removed, for the audit log."""
    linkable = User.objects.filter(is_active=True, role__in=[role.value for role in linkable_roles()])
    kept = list(links.exclude(pk__in=linkable.values("pk")))
    before = set(links.values_list("pk", flat=True))
    links.set([*staff, *kept])
    after = {user.pk for user in [*staff, *kept]}
    return {"added": sorted(after - before), "removed": sorted(before - after)}


def young_person_staff_set(*, actor: User, young_person: YoungPerson, staff: Iterable[User]) -> YoungPerson:
    """The members of staff who work with this young person directly (besides their tutor group's staff)."""
    _require(people_manager(actor), NOT_ALLOWED)
    staff = _linkable(staff, field="staff")
    with transaction.atomic():
        detail = _links_replace(young_person.staff, staff)
        audit_record(actor=actor, action="young_person.staff_set", subject=young_person,
                     young_person_id=young_person.pk, detail=detail)
    return young_person


# Tutor groups ----------------------------------------------------------------------------------------------


def _tutor_group_clean(*, tutor_group: TutorGroup | None, name: str, year_group: int | None) -> dict:
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    problem = tutor_group_name_problem(name)
    if problem:
        errors["name"] = [problem]
    else:
        others = TutorGroup.objects.filter(name__iexact=name)
        if tutor_group is not None:
            others = others.exclude(pk=tutor_group.pk)
        if others.exists():
            errors["name"] = [f"There is already a tutor group called {name}."]
    problem = year_group_problem(year_group)
    if problem:
        errors["year_group"] = [problem]
    if errors:
        raise ValidationError(errors)
    return {"name": name, "year_group": year_group}


def tutor_group_create(*, actor: User, name: str, year_group: int | None, staff: Iterable[User] = ()) -> TutorGroup:
    _require(tutor_group_manager(actor), NOT_ALLOWED_GROUPS)
    fields = _tutor_group_clean(tutor_group=None, name=name, year_group=year_group)
    staff = _linkable(staff, field="staff")
    try:
        with transaction.atomic():
            group = TutorGroup.objects.create(**fields)
            group.staff.set(staff)
            audit_record(actor=actor, action="tutor_group.create", subject=group,
                         detail={"staff": sorted(u.pk for u in staff)})
    except IntegrityError:
        raise ValidationError({"name": [f"There is already a tutor group called {fields['name']}."]}) from None
    return group


def tutor_group_update(
    *,
    actor: User,
    tutor_group: TutorGroup,
    name: str,
    year_group: int | None,
    staff: Iterable[User] | None = None,
) -> TutorGroup:
    """Rename, change the year group and (if `staff` is given) set who works with the group. Links to
    deactivated accounts are kept, as for young people."""
    _require(tutor_group_manager(actor), NOT_ALLOWED_GROUPS)
    fields = _tutor_group_clean(tutor_group=tutor_group, name=name, year_group=year_group)
    staff = None if staff is None else _linkable(staff, field="staff")
    changed = [field for field, value in fields.items() if getattr(tutor_group, field) != value]
    for field, value in fields.items():
        setattr(tutor_group, field, value)
    try:
        with transaction.atomic():
            if changed:
                tutor_group.save(update_fields=changed)
            detail: dict = {"changed": changed}
            if staff is not None:
                detail.update(_links_replace(tutor_group.staff, staff))
            audit_record(actor=actor, action="tutor_group.update", subject=tutor_group, detail=detail)
    except IntegrityError:
        raise ValidationError({"name": [f"There is already a tutor group called {fields['name']}."]}) from None
    return tutor_group
