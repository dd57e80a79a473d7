"""Who in the school hears of what happens on a case (issue 5, item 3). The one place the case
services call notifications from, inside their own transaction."""

from django.urls import reverse

from notifications.events import Event
from notifications.services import notify_roles
from safeguarding.rules.roles import Role


def school_path(name: str, **kwargs) -> str:
    """A path on a school's host, whatever host (or task) is asking."""
    return reverse(name, urlconf="cse_platform.urls_school", kwargs=kwargs)


def case_link(young_person_id: int) -> str:
    return school_path("cases:young_person", pk=young_person_id)


def notice_serat_completed(*, young_person_id: int) -> None:
    notify_roles(event=Event.SERAT_COMPLETED, roles=[Role.DCPO], link=case_link(young_person_id))


def notice_plan_awaiting_agreement(*, young_person_id: int) -> None:
    notify_roles(event=Event.PLAN_AWAITING_AGREEMENT, roles=[Role.HEADTEACHER], link=case_link(young_person_id))


def notice_consent_recorded(*, young_person_id: int, refused: bool) -> None:
    event = Event.CONSENT_REFUSED if refused else Event.CONSENT_RECORDED
    notify_roles(event=event, roles=[Role.DCPO], link=case_link(young_person_id))


def notice_concern_logged(*, link: str) -> None:
    notify_roles(event=Event.CONCERN_LOGGED, roles=[Role.DCPO], link=link)
