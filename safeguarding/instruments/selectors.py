"""Reads of the authority's instruments. They live in the public schema, so these work from a school too."""

from __future__ import annotations

from django.db.models import QuerySet

from safeguarding.rules.instruments import InstrumentInvalid, InstrumentKind, instrument_max_total

from .models import InstrumentStatus, InstrumentVersion


class NoInstrumentInForce(LookupError):
    """No version of this instrument has been published, so none can be used."""

    def __init__(self, kind: InstrumentKind) -> None:
        self.kind = InstrumentKind(kind)
        super().__init__(
            f"No version of the {self.kind.label} is in force: the authority must publish one before it can be used."
        )


def instrument_in_force(*, kind: InstrumentKind) -> InstrumentVersion:
    """The version of this kind that schools use now: the latest published. NoInstrumentInForce if none."""
    kind = InstrumentKind(kind)
    version = (
        InstrumentVersion.objects.filter(kind=kind.value, status=InstrumentStatus.PUBLISHED)
        .order_by("-published_at", "-version")
        .first()
    )
    if version is None:
        raise NoInstrumentInForce(kind)
    return version


def instrument_in_force_ids() -> dict[str, int]:
    """{kind: id of the version in force}, for every kind that has one."""
    in_force: dict[str, int] = {}
    for kind in InstrumentKind:
        try:
            in_force[kind.value] = instrument_in_force(kind=kind).pk
        except NoInstrumentInForce:
            continue
    return in_force


def _kind(value: InstrumentKind | str) -> InstrumentKind | None:
    try:
        return InstrumentKind(value)
    except ValueError:
        return None


def instrument_versions(*, kind: InstrumentKind | str | None = None) -> QuerySet[InstrumentVersion]:
    """Every version, by kind, newest first; with `kind`, that kind's only (none for a kind that does not exist)."""
    versions = InstrumentVersion.objects.order_by("kind", "-version")
    if kind is None:
        return versions
    known = _kind(kind)
    return versions.filter(kind=known.value) if known is not None else versions.none()


def instrument_version_get(*, kind: InstrumentKind | str, version: int) -> InstrumentVersion | None:
    known = _kind(kind)
    if known is None:
        return None
    return InstrumentVersion.objects.filter(kind=known.value, version=version).first()


def instrument_version_max_total(version: InstrumentVersion) -> int | None:
    """The highest total a response can reach, or None while the items are not well formed."""
    try:
        return instrument_max_total(version.as_instrument().items)
    except InstrumentInvalid:
        return None
