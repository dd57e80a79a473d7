"""The navigation each audience sees; entries are shown only to roles that may use them,
and only once the page they name exists."""

from dataclasses import dataclass

from safeguarding.rules.roles import Audience, Capability

C = Capability


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    capability: Capability | None = None


NAVIGATION: dict[Audience, tuple[NavEntry, ...]] = {
    Audience.SCHOOL: (
        NavEntry("Home", "home"),
        NavEntry("Young people", "people:list", C.CASE_READ_ASSIGNED),
        NavEntry("Notes of concern", "cases:concerns", C.CONCERN_LOG),
        NavEntry("Plans awaiting agreement", "cases:plans_awaiting", C.PLAN_AGREE),
        NavEntry("Referrals to SCU", "referrals:list", C.REFERRAL_SEND),
        NavEntry("Young people", "people:list", C.SCHOOL_ADMINISTER),
        NavEntry("Tutor groups", "people:tutor_groups", C.SCHOOL_ADMINISTER),
        NavEntry("Staff", "school:staff", C.SCHOOL_ADMINISTER),
        NavEntry("Term calendar", "school:calendar", C.SCHOOL_ADMINISTER),
        NavEntry("Framework", "governance:framework", C.FRAMEWORK_READ),
    ),
    Audience.CENTRAL: (
        NavEntry("Home", "home"),
        NavEntry("Referral queue", "scu:queue", C.REFERRAL_TRIAGE),
        NavEntry("MASE meetings", "scu:meetings", C.MASE_MANAGE),
        NavEntry("Schools", "scu:schools", C.SCHOOLS_MANAGE),
        NavEntry("Instruments", "instruments:list", C.INSTRUMENTS_MANAGE),
        NavEntry("Training register", "training:list", C.TRAINING_MANAGE),
        NavEntry("Delivery failures", "notifications:failures", C.DELIVERY_OVERSEE),
        NavEntry("Governors' acknowledgements", "governance:oversight", C.SCHOOLS_MANAGE),
        NavEntry("Figures", "scu:figures", C.AGGREGATE_READ),
    ),
}


def nav_entries(audience: Audience) -> tuple[NavEntry, ...]:
    return NAVIGATION[audience]
