"""The kinds of thing the platform tells people about, and who hears of each (issue 5, item 3).

An event's title is all that a notification says about it: with the school or portal and a link,
it is the whole text of an inbox item and an email. A title never names a young person.

`roles` are the roles told of an event as a role (callers pass them to `notify_roles` or
`notify_school_roles`); `individual_capability` marks events that also reach one named person
(the assessor of a SERAT, the member of staff whose training expires), so that the preferences
page offers the event to everyone who may receive it.
"""

from dataclasses import dataclass
from enum import StrEnum

from safeguarding.rules.roles import Audience, Capability, Role, can


@dataclass(frozen=True)
class EventInfo:
    title: str
    roles: tuple[Role, ...]
    audience: Audience
    can_be_urgent: bool = False
    individual_capability: Capability | None = None


class Event(StrEnum):
    SERAT_COMPLETED = "serat_completed"
    PLAN_AWAITING_AGREEMENT = "plan_awaiting_agreement"
    CONSENT_RECORDED = "consent_recorded"
    CONSENT_REFUSED = "consent_refused"
    CONCERN_LOGGED = "concern_logged"
    REFERRAL_RECEIVED = "referral_received"
    SCU_ANSWER = "scu_answer"
    MASE_OUTCOME = "mase_outcome"
    REVIEW_DUE_SOON = "review_due_soon"
    REVIEW_OVERDUE = "review_overdue"
    MASE_SCHEDULED = "mase_scheduled"
    TRAINING_EXPIRING = "training_expiring"

    @property
    def info(self) -> EventInfo:
        return _EVENTS[self]

    @property
    def title(self) -> str:
        return self.info.title

    @property
    def can_be_urgent(self) -> bool:
        return self.info.can_be_urgent

    @property
    def roles(self) -> tuple[Role, ...]:
        return self.info.roles

    @property
    def audience(self) -> Audience:
        return self.info.audience

    def may_reach(self, role: Role | str) -> bool:
        """Whether someone of this role may receive this kind of notification at all."""
        role = Role(role)
        if role in self.roles:
            return True
        capability = self.info.individual_capability
        return capability is not None and role.audience == self.audience and can(role, capability)


_S, _C = Audience.SCHOOL, Audience.CENTRAL
_EVENTS: dict[Event, EventInfo] = {
    Event.SERAT_COMPLETED: EventInfo("A SERAT was completed", (Role.DCPO,), _S),
    Event.PLAN_AWAITING_AGREEMENT: EventInfo("A plan is awaiting the headteacher's agreement",
                                             (Role.HEADTEACHER,), _S),
    Event.CONSENT_RECORDED: EventInfo("A parent's or carer's consent was recorded", (Role.DCPO,), _S),
    Event.CONSENT_REFUSED: EventInfo("A parent or carer refused or withdrew consent", (Role.DCPO,), _S),
    Event.CONCERN_LOGGED: EventInfo("A note of concern was logged", (Role.DCPO,), _S),
    Event.REFERRAL_RECEIVED: EventInfo("A referral or request was received from a school",
                                       (Role.SCU_OFFICER, Role.SCU_MANAGER), _C, can_be_urgent=True),
    Event.SCU_ANSWER: EventInfo("The Safeguarding Children Unit answered a referral or request", (Role.DCPO,), _S,
                                can_be_urgent=True),
    Event.MASE_OUTCOME: EventInfo("A MASE outcome was recorded", (Role.DCPO,), _S, can_be_urgent=True),
    Event.REVIEW_DUE_SOON: EventInfo("A SERAT review is due within 7 days", (Role.DCPO,), _S,
                                     individual_capability=Capability.SERAT_COMPLETE),
    Event.REVIEW_OVERDUE: EventInfo("A SERAT review is overdue", (Role.DCPO, Role.HEADTEACHER), _S),
    Event.MASE_SCHEDULED: EventInfo("A MASE meeting was scheduled", (Role.SCU_OFFICER,), _C),
    Event.TRAINING_EXPIRING: EventInfo("Training in the framework's materials expires within 30 days",
                                       (Role.SCHOOL_ADMIN,), _S, individual_capability=Capability.SESSION_RECORD),
}

EVENT_CHOICES = [(event.value, event.title) for event in Event]


def events_for(role: Role | str) -> list[Event]:
    """The kinds of notification someone of this role may receive, in the order above."""
    return [event for event in Event if event.may_reach(role)]
