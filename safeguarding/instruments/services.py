"""Writes to the authority's instruments: drafts, publishing, retiring (FRAMEWORK.md §1, §2).

A draft can be saved while it is unfinished, as long as its items are shaped like items; whether it
can be published is the rules' question (``instrument_publishable``), asked when it is published.
A published version never changes: assessments keep pointing at the version they were made with.

Publishing a version makes it the one in force, and retires the version that was in force before, so
that each kind has exactly one published version and the status alone says which one schools use.
A retired version stays readable for the assessments made with it. The version in force cannot be
retired on its own: schools must always have a SERAT and a quiz to use, so the authority publishes its
replacement instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from safeguarding.rules.decision import Decision
from safeguarding.rules.instruments import (
    DEFAULT_QUIZ,
    DEFAULT_SERAT,
    InstrumentInvalid,
    InstrumentKind,
    instrument_publishable,
    items_from_data,
    items_to_data,
)
from safeguarding.rules.levels import DEFAULT_QUIZ_BANDS, SERAT_BANDS, Band, Level

from .models import InstrumentStatus, InstrumentVersion
from .selectors import instrument_in_force_ids

DEFAULTS = {InstrumentKind.SERAT: DEFAULT_SERAT, InstrumentKind.PERSONAL_QUIZ: DEFAULT_QUIZ}
DEFAULT_BANDS = {InstrumentKind.SERAT: SERAT_BANDS, InstrumentKind.PERSONAL_QUIZ: DEFAULT_QUIZ_BANDS}

BandData = Sequence[Sequence[object]] | Sequence[Mapping[str, object]]


def bands_to_data(bands: Sequence[Band]) -> list[list[object]]:
    return [[band.level.value, band.minimum, band.maximum] for band in bands]


def _clean_items(items: object) -> list[dict[str, object]]:
    """Items as stored, or ValidationError on ``items`` if they are not shaped like items."""
    try:
        return items_to_data(items_from_data(items))
    except InstrumentInvalid as invalid:
        raise ValidationError({"items": list(invalid.problems)}) from invalid


def _clean_bands(kind: InstrumentKind, bands: object) -> list[list[object]]:
    """Bands as stored ([[level, minimum, maximum], ...]); accepts those or {level, minimum, maximum}."""
    if not isinstance(bands, Sequence) or isinstance(bands, str | bytes):
        raise ValidationError({"bands": ["The thresholds must be a list of bands."]})
    cleaned: list[list[object]] = []
    problems: list[str] = []
    for position, band in enumerate(bands, start=1):
        if isinstance(band, Mapping):
            band = [band.get("level"), band.get("minimum"), band.get("maximum")]
        if not isinstance(band, Sequence) or isinstance(band, str | bytes) or len(band) != 3:
            problems.append(f"Band {position} must give a level, a minimum and a maximum.")
            continue
        level, low, high = band
        try:
            level = Level(level).value
        except ValueError:
            problems.append(f"Band {position}: {level!r} is not a level.")
            continue
        if not all(isinstance(value, int) and not isinstance(value, bool) for value in (low, high)):
            problems.append(f"Band {position}: the minimum and maximum must be whole numbers.")
            continue
        cleaned.append([level, low, high])
    if problems:
        raise ValidationError({"bands": problems})
    if kind is InstrumentKind.SERAT and cleaned != bands_to_data(SERAT_BANDS):
        framework = ", ".join(f"{band.minimum}-{band.maximum}" for band in SERAT_BANDS)
        raise ValidationError({"bands": [f"A SERAT uses the framework's bands ({framework})."]})
    return cleaned


def _notice_for(kind: InstrumentKind, items: list, bands: list) -> str:
    """The default notice exactly when the items and thresholds are the platform's defaults."""
    default = DEFAULTS[kind]
    if items == items_to_data(default.items) and bands == bands_to_data(default.bands):
        return default.notice
    return ""


def _next_version(kind: InstrumentKind) -> int:
    latest = InstrumentVersion.objects.filter(kind=kind.value).aggregate(latest=Max("version"))["latest"]
    return (latest or 0) + 1


def instrument_draft_create(
    *,
    kind: InstrumentKind | str,
    actor,
    title: str = "",
    copy_of: InstrumentVersion | None = None,
    items: object | None = None,
    bands: BandData | None = None,
) -> InstrumentVersion:
    """A new draft of this kind, numbered after every existing version: empty, or a copy of another
    version of the same kind (its title, items and thresholds), or with the items given."""
    kind = InstrumentKind(kind)
    if copy_of is not None and copy_of.kind != kind.value:
        raise ValidationError({"copy_of": [f"{copy_of} is not a version of the {kind.label}."]})
    title = (title or "").strip() or (copy_of.title if copy_of else "")
    if not title:
        raise ValidationError({"title": ["Enter a title for the new version."]})
    if items is None:
        items = copy_of.items if copy_of else []
    if bands is None:
        bands = copy_of.bands if copy_of else bands_to_data(DEFAULT_BANDS[kind])
    cleaned_items, cleaned_bands = _clean_items(items), _clean_bands(kind, bands)
    try:
        with transaction.atomic():
            draft = InstrumentVersion.objects.create(
                kind=kind.value,
                version=_next_version(kind),
                title=title,
                items=cleaned_items,
                bands=cleaned_bands,
                notice=_notice_for(kind, cleaned_items, cleaned_bands),
                status=InstrumentStatus.DRAFT,
            )
    except IntegrityError as clash:
        raise ValidationError(
            {"kind": ["Someone else created a version of this instrument at the same moment. Try again."]}
        ) from clash
    audit_record(
        actor=actor, action="instrument.draft_create", subject=draft,
        detail={"kind": kind.value, "version": draft.version, "copy_of": copy_of.version if copy_of else None},
    )
    return draft


def _locked(version: InstrumentVersion) -> InstrumentVersion:
    return InstrumentVersion.objects.select_for_update().get(pk=version.pk)


def _not_a_draft(version: InstrumentVersion) -> str:
    if version.status == InstrumentStatus.PUBLISHED:
        return (
            f"{version} is published, and a published version cannot be changed: assessments keep the "
            "version they were made with. Create a new draft as a copy of it instead."
        )
    return f"{version} is retired and cannot be changed. Create a new draft as a copy of it instead."


def instrument_draft_update(
    *,
    version: InstrumentVersion,
    actor,
    title: str | None = None,
    items: object | None = None,
    bands: BandData | None = None,
) -> InstrumentVersion:
    """Change a draft's title, items or thresholds (those given). A published version is refused."""
    with transaction.atomic():
        draft = _locked(version)
        if draft.status != InstrumentStatus.DRAFT:
            raise ActionRefused([_not_a_draft(draft)])
        kind = InstrumentKind(draft.kind)
        if title is not None:
            if not title.strip():
                raise ValidationError({"title": ["Enter a title."]})
            draft.title = title.strip()
        if items is not None:
            draft.items = _clean_items(items)
        if bands is not None:
            draft.bands = _clean_bands(kind, bands)
        draft.notice = _notice_for(kind, draft.items, draft.bands)
        draft.save(update_fields=["title", "items", "bands", "notice"])
        audit_record(actor=actor, action="instrument.draft_update", subject=draft,
                     detail={"kind": draft.kind, "version": draft.version})
    return draft


def instrument_publish_decision(version: InstrumentVersion) -> Decision:
    """The rules' decision on publishing this version's items and thresholds, as they stand."""
    try:
        instrument = version.as_instrument()
    except InstrumentInvalid as invalid:
        return Decision.refuse(*invalid.problems)
    except (TypeError, ValueError) as broken:
        return Decision.refuse(f"The stored thresholds cannot be read: {broken}")
    return instrument_publishable(instrument)


def instrument_publish(*, version: InstrumentVersion, actor) -> InstrumentVersion:
    """Publish a draft, making it the version in force and retiring the one before it.

    Refused, with every reason and nothing changed, unless the rules allow it: for a SERAT, a
    highest possible total of exactly 55; for the quiz, valid thresholds and a total that reaches them.
    """
    with transaction.atomic():
        # Lock every version of the kind, so two publications of the same kind never overlap.
        list(InstrumentVersion.objects.select_for_update().filter(kind=version.kind).values_list("pk"))
        draft = InstrumentVersion.objects.get(pk=version.pk)
        if draft.status != InstrumentStatus.DRAFT:
            if draft.status == InstrumentStatus.PUBLISHED:
                raise ActionRefused([f"{draft} is already published."])
            raise ActionRefused([f"{draft} is retired and cannot be published. Create a new draft as a copy of it."])
        decision = instrument_publish_decision(draft)
        if not decision.allowed:
            raise ActionRefused(decision.reasons)
        now = timezone.now()
        replaced = list(
            InstrumentVersion.objects.filter(kind=draft.kind, status=InstrumentStatus.PUBLISHED).values_list(
                "version", flat=True
            )
        )
        InstrumentVersion.objects.filter(kind=draft.kind, status=InstrumentStatus.PUBLISHED).update(
            status=InstrumentStatus.RETIRED
        )
        draft.status = InstrumentStatus.PUBLISHED
        draft.published_at = now
        draft.save(update_fields=["status", "published_at"])
        audit_record(actor=actor, action="instrument.publish", subject=draft,
                     detail={"kind": draft.kind, "version": draft.version, "retired": replaced})
    return draft


def instrument_retire(*, version: InstrumentVersion, actor) -> InstrumentVersion:
    """Retire a draft that will not be published, or a published version that is no longer in force.

    The version in force is refused: publish its replacement instead, which retires it.
    """
    with transaction.atomic():
        current = _locked(version)
        if current.status == InstrumentStatus.RETIRED:
            raise ActionRefused([f"{current} is already retired."])
        if current.pk == instrument_in_force_ids().get(current.kind):
            raise ActionRefused([
                f"{current} is the version in force, which schools use now. Publish the version that "
                "replaces it instead: that retires this one."
            ])
        was = current.status
        current.status = InstrumentStatus.RETIRED
        current.save(update_fields=["status"])
        audit_record(actor=actor, action="instrument.retire", subject=current,
                     detail={"kind": current.kind, "version": current.version, "was": was})
    return current
