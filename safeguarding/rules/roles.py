"""Who does what (FRAMEWORK.md §5): roles, where they work, and what each may do."""

from enum import StrEnum


class Audience(StrEnum):
    SCHOOL = "school"
    CENTRAL = "central"


class Role(StrEnum):
    STAFF = "staff"
    DCPO = "dcpo"
    HEADTEACHER = "headteacher"
    GOVERNOR = "governor"
    SCHOOL_ADMIN = "school_admin"
    SCU_OFFICER = "scu_officer"
    SCU_MANAGER = "scu_manager"
    AUTHORITY_ADMIN = "authority_admin"
    ANALYST = "analyst"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def audience(self) -> Audience:
        return Audience.CENTRAL if self in _CENTRAL else Audience.SCHOOL


_LABELS = {
    Role.STAFF: "Member of staff",
    Role.DCPO: "Designated child protection officer",
    Role.HEADTEACHER: "Headteacher",
    Role.GOVERNOR: "Governor",
    Role.SCHOOL_ADMIN: "School administrator",
    Role.SCU_OFFICER: "SCU officer",
    Role.SCU_MANAGER: "SCU manager",
    Role.AUTHORITY_ADMIN: "Authority administrator",
    Role.ANALYST: "Authority analyst",
}
_CENTRAL = frozenset({Role.SCU_OFFICER, Role.SCU_MANAGER, Role.AUTHORITY_ADMIN, Role.ANALYST})


def roles_for(audience: Audience) -> tuple[Role, ...]:
    return tuple(role for role in Role if role.audience == audience)


class Capability(StrEnum):
    # school
    CASE_READ_ASSIGNED = "case.read_assigned"
    CASE_READ_ALL = "case.read_all"
    CASE_MANAGE = "case.manage"
    SERAT_COMPLETE = "serat.complete"
    CONCERN_LOG = "concern.log"
    SESSION_RECORD = "session.record"
    CONSENT_RECORD = "consent.record"
    PLAN_AGREE = "plan.agree"
    REFERRAL_SEND = "referral.send"
    FRAMEWORK_READ = "framework.read"
    FRAMEWORK_ACKNOWLEDGE = "framework.acknowledge"
    SCHOOL_FIGURES_READ = "school_figures.read"
    SCHOOL_ADMINISTER = "school.administer"
    # central
    REFERRAL_TRIAGE = "referral.triage"
    REFERRAL_ASSIGN = "referral.assign"
    TARGETS_SET = "targets.set"
    MASE_MANAGE = "mase.manage"
    SCHOOLS_MANAGE = "schools.manage"
    INSTRUMENTS_MANAGE = "instruments.manage"
    TRAINING_MANAGE = "training.manage"
    DELIVERY_OVERSEE = "delivery.oversee"
    AGGREGATE_READ = "aggregate.read"


_C = Capability
ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.STAFF: frozenset({_C.CASE_READ_ASSIGNED, _C.SERAT_COMPLETE, _C.CONCERN_LOG, _C.SESSION_RECORD}),
    Role.DCPO: frozenset({
        _C.CASE_READ_ASSIGNED, _C.CASE_READ_ALL, _C.CASE_MANAGE, _C.SERAT_COMPLETE, _C.CONCERN_LOG,
        _C.SESSION_RECORD, _C.CONSENT_RECORD, _C.REFERRAL_SEND, _C.FRAMEWORK_READ,
        _C.SCHOOL_FIGURES_READ,
    }),
    Role.HEADTEACHER: frozenset({
        _C.CASE_READ_ASSIGNED, _C.CASE_READ_ALL, _C.PLAN_AGREE, _C.CONCERN_LOG, _C.FRAMEWORK_READ,
        _C.SCHOOL_FIGURES_READ,
    }),
    # Governors log notes of concern too, without seeing any case: see docs/decisions.md for them and for
    # school administrators.
    Role.GOVERNOR: frozenset({
        _C.FRAMEWORK_READ, _C.FRAMEWORK_ACKNOWLEDGE, _C.SCHOOL_FIGURES_READ, _C.CONCERN_LOG,
    }),
    Role.SCHOOL_ADMIN: frozenset({_C.SCHOOL_ADMINISTER}),
    Role.SCU_OFFICER: frozenset({_C.REFERRAL_TRIAGE, _C.MASE_MANAGE}),
    Role.SCU_MANAGER: frozenset({_C.REFERRAL_TRIAGE, _C.REFERRAL_ASSIGN, _C.TARGETS_SET, _C.MASE_MANAGE}),
    Role.AUTHORITY_ADMIN: frozenset({
        _C.SCHOOLS_MANAGE, _C.INSTRUMENTS_MANAGE, _C.TRAINING_MANAGE, _C.DELIVERY_OVERSEE,
    }),
    Role.ANALYST: frozenset({_C.AGGREGATE_READ}),
}


def can(role: Role | str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES[Role(role)]
