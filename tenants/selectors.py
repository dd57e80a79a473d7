from django.db.models import QuerySet

from .models import School, SchoolStatus


def school_list(*, include_archived: bool = False) -> QuerySet[School]:
    schools = School.objects.all()
    if not include_archived:
        schools = schools.filter(status=SchoolStatus.ACTIVE)
    return schools
