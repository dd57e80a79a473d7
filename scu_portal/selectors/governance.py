"""Reads for governors' understanding of the framework (FRAMEWORK.md §4, gate 6).

Framework versions and acknowledgements are public rows, read here by school and never joined to
accounts, so they are safe from a school's schema. `school_figures` reads the school's own tables and
must be called with the school's schema in force; `governance_oversight` is for the central portal.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name

from safeguarding.models import Review, SeratAssessment, YoungPerson
from safeguarding.rules.gates import governors_acknowledged
from safeguarding.rules.levels import SERAT_BANDS, Level, effective_level
from safeguarding.rules.plans import PlanRequirements, plan_for
from scu_portal.models import FrameworkVersion, GovernorAcknowledgement
from tenants.models import School, SchoolStatus


class NoFrameworkVersionInForce(LookupError):
    def __init__(self) -> None:
        super().__init__("No version of the framework has been published yet.")


def framework_versions() -> QuerySet[FrameworkVersion]:
    """Published versions, the one in force first."""
    return FrameworkVersion.objects.filter(published_at__isnull=False).order_by("-published_at", "-id")


def framework_version_in_force() -> FrameworkVersion:
    """The latest published version of the framework."""
    version = framework_versions().first()
    if version is None:
        raise NoFrameworkVersionInForce()
    return version


def school_acknowledgements(
    *, school: School, version: FrameworkVersion | None = None
) -> QuerySet[GovernorAcknowledgement]:
    """A school's acknowledgements, newest first; of one version if given. Never joins accounts."""
    acknowledgements = GovernorAcknowledgement.objects.filter(school=school).order_by("-acknowledged_at", "-id")
    if version is not None:
        acknowledgements = acknowledgements.filter(framework_version=version)
    return acknowledgements


def governor_acknowledgement(
    *, school: School, version: FrameworkVersion, email: str
) -> GovernorAcknowledgement | None:
    return school_acknowledgements(school=school, version=version).filter(governor_email__iexact=email).first()


def school_governors_acknowledged(*, school: School) -> bool:
    """Gate 6: whether the school's governors have acknowledged the version in force."""
    versions = set(school_acknowledgements(school=school).values_list("framework_version__version", flat=True))
    return governors_acknowledged(acknowledged_versions=versions, version_in_force=framework_version_in_force().version)


# --- the framework in plain words -------------------------------------------------------------------


@dataclass(frozen=True)
class LevelSummary:
    """What one level requires, taken from the rules so that it never drifts from them."""

    level: Level
    minimum: int
    maximum: int
    plan: PlanRequirements

    @property
    def label(self) -> str:
        return self.level.label

    @property
    def colour(self) -> str:
        return self.level.colour


def framework_levels() -> tuple[LevelSummary, ...]:
    return tuple(LevelSummary(band.level, band.minimum, band.maximum, plan_for(band.level)) for band in SERAT_BANDS)


# --- the school's anonymous figures -----------------------------------------------------------------


@dataclass(frozen=True)
class SchoolFigures:
    """How many young people are at each current level, and how many reviews are open. No names."""

    at_level: tuple[tuple[Level, int], ...]
    assessed: int
    not_assessed: int
    open_reviews: int


def school_figures() -> SchoolFigures:
    """Counts from the school's own tables. A young person's current level is the effective level of
    their latest SERAT: the higher of the staff level and their personal quiz, if they completed it."""
    if connection.schema_name == get_public_schema_name():
        raise RuntimeError("A school's figures are read in the school's own schema.")
    latest = (
        SeratAssessment.objects.order_by("young_person_id", "-assessed_at", "-id")
        .distinct("young_person_id")
        .values_list("level", "quiz__status", "quiz__level")
    )
    counts: Counter[Level] = Counter()
    for level, quiz_status, quiz_level in latest:
        quiz = Level(quiz_level) if quiz_status == "completed" and quiz_level else None
        counts[effective_level(Level(level), quiz)] += 1
    assessed = sum(counts.values())
    return SchoolFigures(
        at_level=tuple((level, counts[level]) for level in Level),
        assessed=assessed,
        not_assessed=YoungPerson.objects.count() - assessed,
        open_reviews=Review.objects.filter(closed_at__isnull=True).count(),
    )


# --- the authority's oversight ----------------------------------------------------------------------


@dataclass(frozen=True)
class AcknowledgementLine:
    governor_name: str
    governor_email: str
    acknowledged_at: datetime


@dataclass(frozen=True)
class SchoolGovernance:
    school: School
    acknowledged: bool
    acknowledgements: tuple[AcknowledgementLine, ...]
    earlier_versions: tuple[str, ...]


@dataclass(frozen=True)
class GovernanceOversight:
    version: FrameworkVersion
    schools: tuple[SchoolGovernance, ...]

    @property
    def not_acknowledged(self) -> tuple[SchoolGovernance, ...]:
        return tuple(row for row in self.schools if not row.acknowledged)

    @property
    def acknowledged(self) -> tuple[SchoolGovernance, ...]:
        return tuple(row for row in self.schools if row.acknowledged)


def governance_oversight() -> GovernanceOversight:
    """Every active school: whether its governors have acknowledged the version in force, who and when.
    Public tables only."""
    version = framework_version_in_force()
    schools = list(School.objects.filter(status=SchoolStatus.ACTIVE).order_by("name"))
    versions: dict[int, set[str]] = defaultdict(set)
    lines: dict[int, list[AcknowledgementLine]] = defaultdict(list)
    rows = GovernorAcknowledgement.objects.filter(school__in=schools).order_by("acknowledged_at", "id").values_list(
        "school_id", "framework_version__version", "governor_name", "governor_email", "acknowledged_at"
    )
    for school_id, label, name, email, at in rows:
        versions[school_id].add(label)
        if label == version.version:
            lines[school_id].append(AcknowledgementLine(name, email, at))
    return GovernanceOversight(
        version=version,
        schools=tuple(
            SchoolGovernance(
                school=school,
                acknowledged=governors_acknowledged(
                    acknowledged_versions=versions[school.pk], version_in_force=version.version
                ),
                acknowledgements=tuple(lines[school.pk]),
                earlier_versions=tuple(sorted(versions[school.pk] - {version.version})),
            )
            for school in schools
        ),
    )
