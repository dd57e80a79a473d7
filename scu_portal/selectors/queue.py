"""The SCU's triage queue across every school: public rows only, never a school's schema.

Order: very high referrals first, newest first; then the rest by age, oldest first. The order is one
indexed number per referral (`queue_key`), so the first page costs the same however many schools and
referrals there are. Overdue: still open, not yet answered, past the target time for its kind and level.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from cse_platform.accounts.models import User
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from safeguarding.rules import referrals as rules
from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Role
from scu_portal.models.referrals import (
    OPEN,
    MaseMeeting,
    MaseOutcome,
    Referral,
    ReferralKind,
    ReferralTarget,
    ScuAnswer,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SCU_ROLES = (Role.SCU_OFFICER, Role.SCU_MANAGER)

# The target for the SCU's first answer, in hours, until the SCU manager sets one (the framework is
# silent): very high within 4 hours, high within 2 days, lower levels within 3 days.
DEFAULT_TARGET_HOURS = {
    Level.VERY_HIGH: 4,
    Level.HIGH: 48,
    Level.MEDIUM: 72,
    Level.LOW: 72,
    Level.VERY_LOW: 72,
}

STATUS_OPEN, STATUS_ALL = "open", "all"
UNASSIGNED = "none"


def queue_key(*, urgent: bool, received_at: datetime) -> int:
    """Very high (urgent) first, newest first; then the rest, oldest first."""
    micros = (received_at - EPOCH) // timedelta(microseconds=1)
    return -micros if urgent else micros


def target_hours(*, kind: str, level: str) -> int:
    target = ReferralTarget.objects.filter(kind=kind, level=level).values_list("hours", flat=True).first()
    return target if target is not None else DEFAULT_TARGET_HOURS[Level(level)]


@dataclass(frozen=True)
class TargetRow:
    kind: str
    kind_label: str
    level: Level
    hours: int
    set_by_manager: bool


def target_table() -> list[TargetRow]:
    """Every kind and level, with the target in force."""
    set_targets = {(t.kind, t.level): t.hours for t in ReferralTarget.objects.all()}
    return [
        TargetRow(kind=kind.value, kind_label=kind.label, level=level,
                  hours=set_targets.get((kind.value, level.value), DEFAULT_TARGET_HOURS[level]),
                  set_by_manager=(kind.value, level.value) in set_targets)
        for kind in ReferralKind for level in reversed(Level)
    ]


def _overdue(now: datetime) -> Q:
    return OPEN & Q(first_answered_at__isnull=True, due_at__lt=now)


def _with_overdue(referrals: QuerySet[Referral], now: datetime) -> QuerySet[Referral]:
    """Each referral marked `overdue` (the overdue rule above)."""
    return referrals.annotate(overdue=ExpressionWrapper(_overdue(now), output_field=BooleanField()))


@dataclass(frozen=True)
class QueueFilters:
    school: int | None = None
    kind: str = ""
    status: str = STATUS_OPEN
    level: str = ""
    officer: str = ""  # an officer's id, or UNASSIGNED
    overdue: bool = False


def referral_queue(*, filters: QueueFilters = QueueFilters(), now: datetime | None = None) -> QuerySet[Referral]:
    """The queue, filtered, in the queue's order, each row marked `overdue`. Permission: the caller's."""
    now = now or timezone.now()
    referrals = Referral.objects.select_related("school", "assigned_to")
    if filters.status == STATUS_OPEN or not filters.status:
        referrals = referrals.filter(OPEN)
    elif filters.status != STATUS_ALL:
        referrals = referrals.filter(status=filters.status)
    if filters.school:
        referrals = referrals.filter(school_id=filters.school)
    if filters.kind:
        referrals = referrals.filter(kind=filters.kind)
    if filters.level:
        referrals = referrals.filter(effective_level=filters.level)
    if filters.officer == UNASSIGNED:
        referrals = referrals.filter(assigned_to__isnull=True)
    elif filters.officer:
        referrals = referrals.filter(assigned_to_id=filters.officer)
    if filters.overdue:
        referrals = referrals.filter(_overdue(now))
    return _with_overdue(referrals, now).order_by("queue_key", "id")


@dataclass(frozen=True)
class QueueCounts:
    open: int
    overdue: int
    unassigned: int
    very_high: int


def queue_counts(*, now: datetime | None = None) -> QueueCounts:
    now = now or timezone.now()
    counts = Referral.objects.filter(OPEN).aggregate(
        open=Count("id"),
        overdue=Count("id", filter=_overdue(now)),
        unassigned=Count("id", filter=Q(assigned_to__isnull=True)),
        very_high=Count("id", filter=Q(urgent=True)),
    )
    return QueueCounts(**counts)


def referral_for_scu(*, pk: int, now: datetime | None = None) -> Referral:
    """One referral with everything the SCU has said and done on it, marked `overdue`. Raises
    Referral.DoesNotExist."""
    referrals = Referral.objects.select_related("school", "assigned_to").prefetch_related(
        Prefetch("answers", queryset=ScuAnswer.objects.order_by("at", "id")),
        "status_changes",
        Prefetch("mase_outcomes", queryset=MaseOutcome.objects.select_related("meeting")),
        Prefetch("mase_meetings", queryset=MaseMeeting.objects.order_by("-held_on")),
    )
    return _with_overdue(referrals, now or timezone.now()).get(pk=pk)


def scu_status_moves(referral: Referral) -> tuple[rules.ReferralStatus, ...]:
    """The statuses the SCU may move this referral to by a plain change of status (acknowledge, take under
    review, close), in the workflow's order; answers and MASE outcomes move it otherwise."""
    return tuple(status for status in rules.referral_next_statuses(referral.status, rules.Side.SCU)
                 if status in rules.PLAIN_STATUSES)


def scu_officers() -> QuerySet[User]:
    """The SCU's officers and managers, to assign referrals to (public accounts)."""
    return User.objects.filter(role__in=[r.value for r in SCU_ROLES], is_active=True).order_by("full_name")


def meetings() -> QuerySet[MaseMeeting]:
    return MaseMeeting.objects.annotate(
        agenda_size=Count("referrals", distinct=True), outcome_count=Count("outcomes", distinct=True),
    ).order_by("-held_on", "-id")


def meeting_for_scu(*, pk: int) -> MaseMeeting:
    return MaseMeeting.objects.prefetch_related(
        Prefetch("referrals", queryset=Referral.objects.select_related("school").order_by("queue_key", "id")),
        Prefetch("outcomes", queryset=MaseOutcome.objects.select_related("referral")),
    ).get(pk=pk)


def agenda_candidates(*, meeting: MaseMeeting | None = None) -> QuerySet[Referral]:
    """Referrals that can go on a MASE agenda now (a MASE referral or consultation, under review or
    answered by the school, or back after an outcome), not already on this meeting's."""
    statuses = [status.value for status in rules.ReferralStatus
                if rules.mase_agenda_decision(referral_kind=rules.ReferralKind.MASE_REFERRAL, status=status)]
    kinds = [kind.value for kind in rules.ReferralKind
             if rules.mase_agenda_decision(referral_kind=kind, status=rules.ReferralStatus.UNDER_REVIEW)]
    referrals = Referral.objects.select_related("school").filter(kind__in=kinds, status__in=statuses)
    if meeting is not None:
        referrals = referrals.exclude(mase_meetings=meeting)
    return referrals.order_by("queue_key", "id")


# --- the authority's figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralFigures:
    total: int
    by_level: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    by_school_kind: list[tuple[str, int]]
    by_month: list[tuple[date, int]]


def referral_figures() -> ReferralFigures:
    """Counts of referrals by level, kind, kind of school and month: no name, no school, no free text."""
    from tenants.models import SchoolKind

    referrals = Referral.objects.order_by()
    levels = dict(referrals.values_list("effective_level").annotate(n=Count("id")))
    kinds = dict(referrals.values_list("kind").annotate(n=Count("id")))
    school_kinds = dict(referrals.values_list("school__kind").annotate(n=Count("id")))
    months = referrals.annotate(month=TruncMonth("received_at")).values_list("month").annotate(n=Count("id"))
    return ReferralFigures(
        total=sum(levels.values()),
        by_level=[(level.label, levels.get(level.value, 0)) for level in reversed(Level)],
        by_kind=[(kind.label, kinds.get(kind.value, 0)) for kind in rules.ReferralKind],
        by_school_kind=[(label, school_kinds.get(value, 0)) for value, label in SchoolKind.choices],
        by_month=sorted((month.date(), n) for month, n in months),
    )
