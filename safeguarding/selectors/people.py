"""Need-to-know inside a school: staff see the young people they work with; DCPO and headteacher see all;
school administrators and governors see no case content.

School administrators (and the DCPO) also keep the school's list of young people: for that they see every
young person's identity (UPN, names, date of birth, year group, tutor group) and nothing of any case.
"""

from cse_platform.accounts.models import User
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from safeguarding.models import QuizResponse, QuizStatus, SeratAssessment, TutorGroup, YoungPerson
from safeguarding.rules.levels import Level, effective_level
from safeguarding.rules.roles import Audience, Capability, Role, can, roles_for


def young_people_visible_to(user) -> QuerySet[YoungPerson]:
    if not user.is_authenticated:
        return YoungPerson.objects.none()
    if user.can(Capability.CASE_READ_ALL):
        return YoungPerson.objects.all()
    if user.can(Capability.CASE_READ_ASSIGNED):
        return YoungPerson.objects.filter(Q(staff=user) | Q(tutor_group__staff=user)).distinct()
    return YoungPerson.objects.none()


def young_person_visible(*, user, young_person: YoungPerson) -> bool:
    return young_people_visible_to(user).filter(pk=young_person.pk).exists()


# Who may do what with the school's list of young people -------------------------------------------------


def case_reader(user) -> bool:
    """Reads cases (of the young people they work with, or of all): may see levels and case pages."""
    return bool(user.is_authenticated and user.can(Capability.CASE_READ_ASSIGNED))


def people_manager(user) -> bool:
    """May create and edit young people's identity, import from the MIS, and link staff: DCPO and school
    administrator."""
    return bool(user.is_authenticated
                and (user.can(Capability.CASE_MANAGE) or user.can(Capability.SCHOOL_ADMINISTER)))


def tutor_group_manager(user) -> bool:
    """May create, rename and staff tutor groups: the school administrator."""
    return bool(user.is_authenticated and user.can(Capability.SCHOOL_ADMINISTER))


def young_people_listed_for(user) -> QuerySet[YoungPerson]:
    """The young people a user's list shows: need-to-know for case readers; every young person's identity
    for a school administrator; nobody for anyone else."""
    if case_reader(user):
        return young_people_visible_to(user)
    if people_manager(user):
        return YoungPerson.objects.all()
    return YoungPerson.objects.none()


def young_people_manageable_by(user) -> QuerySet[YoungPerson]:
    """Young people whose identity and staff links the user may change."""
    return YoungPerson.objects.all() if people_manager(user) else YoungPerson.objects.none()


def young_people_search(
    queryset: QuerySet[YoungPerson],
    *,
    q: str = "",
    tutor_group_id: int | None = None,
    year_group: int | None = None,
) -> QuerySet[YoungPerson]:
    """Narrow a list by name or UPN (every word must match a forename, surname or the start of the UPN),
    tutor group and year group."""
    for word in q.split():
        queryset = queryset.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(upn__istartswith=word)
        )
    if tutor_group_id is not None:
        queryset = queryset.filter(tutor_group_id=tutor_group_id)
    if year_group is not None:
        queryset = queryset.filter(year_group=year_group)
    return queryset.select_related("tutor_group")


def young_people_with_levels(queryset: QuerySet[YoungPerson]) -> QuerySet[YoungPerson]:
    """Annotate each young person with their latest SERAT's level and the level of that SERAT's personal quiz,
    in the same query (no query per row). Read them with `current_level`. Case readers only."""
    latest = SeratAssessment.objects.filter(young_person=OuterRef("pk")).order_by("-assessed_at", "-id")
    quiz = QuizResponse.objects.filter(assessment_id=OuterRef("latest_assessment_id"),
                                       status=QuizStatus.COMPLETED).exclude(level="")
    return queryset.annotate(
        latest_assessment_id=Subquery(latest.values("pk")[:1]),
        latest_serat_level=Subquery(latest.values("level")[:1]),
        latest_quiz_level=Subquery(quiz.values("level")[:1]),
    )


def young_people_found(
    user,
    *,
    q: str = "",
    tutor_group_id: int | None = None,
    year_group: int | None = None,
) -> QuerySet[YoungPerson]:
    """A user's list of young people (`young_people_listed_for`) narrowed by a search (`young_people_search`);
    for a case reader, each with their level (read it with `current_level`)."""
    people = young_people_search(young_people_listed_for(user), q=q, tutor_group_id=tutor_group_id,
                                 year_group=year_group)
    return young_people_with_levels(people) if case_reader(user) else people


def current_level(young_person: YoungPerson) -> Level | None:
    """The level now, from the annotations of `young_people_with_levels`: the latest SERAT's level, raised by
    its personal quiz where the quiz put it higher (FRAMEWORK.md §2). None before any SERAT."""
    serat_level = getattr(young_person, "latest_serat_level", None)
    if not serat_level:
        return None
    return effective_level(Level(serat_level), getattr(young_person, "latest_quiz_level", None) or None)


# Tutor groups and staff ----------------------------------------------------------------------------------


def tutor_group_list() -> QuerySet[TutorGroup]:
    """Every tutor group, with how many young people and staff it has."""
    return TutorGroup.objects.annotate(
        young_people_count=Count("young_people", distinct=True),
        staff_count=Count("staff", distinct=True),
    ).order_by("year_group", "name")


def tutor_groups_for_filter(user) -> QuerySet[TutorGroup]:
    """Tutor groups to filter a user's list by: those of the young people the user's list shows."""
    groups = young_people_listed_for(user).exclude(tutor_group=None).values("tutor_group_id")
    return TutorGroup.objects.filter(pk__in=groups).order_by("year_group", "name")


def linkable_roles() -> tuple[Role, ...]:
    """Roles that see a young person only through a link to them or to their tutor group."""
    return tuple(role for role in roles_for(Audience.SCHOOL)
                 if can(role, Capability.CASE_READ_ASSIGNED) and not can(role, Capability.CASE_READ_ALL))


def staff_linkable() -> QuerySet[User]:
    """Active accounts that can be linked to young people and tutor groups."""
    return User.objects.filter(is_active=True, role__in=[r.value for r in linkable_roles()]).order_by("full_name")
