from datetime import date

from django.db.models import Q

from scu_portal.models import TrainingRecord


def staff_trained(*, school, email: str, on: date) -> bool:
    """Whether the authority's register shows this member of staff trained, and not expired, on `on`."""
    return TrainingRecord.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=on),
        school=school, staff_email__iexact=email, completed_on__lte=on,
    ).exists()
