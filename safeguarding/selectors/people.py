"""Need-to-know inside a school: staff see the young people they work with; DCPO and headteacher see all;
school administrators and governors see no case content."""

from django.db.models import Q, QuerySet

from safeguarding.models import YoungPerson
from safeguarding.rules.roles import Capability


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
