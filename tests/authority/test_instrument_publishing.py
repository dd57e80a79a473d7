"""Instrument versions: drafts, publishing against the rules, immutability, retiring (FRAMEWORK.md §1, §2)."""

import pytest
from cse_platform.audit.models import AuditEvent
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import PROTECT, ProtectedError
from django_tenants.utils import schema_context

from safeguarding.instruments.models import InstrumentStatus, InstrumentVersion
from safeguarding.instruments.selectors import NoInstrumentInForce, instrument_in_force
from safeguarding.instruments.services import (
    instrument_draft_create,
    instrument_draft_update,
    instrument_publish,
    instrument_retire,
)
from safeguarding.models import QuizResponse, SeratAssessment
from safeguarding.rules.instruments import DEFAULT_NOTICE, DEFAULT_QUIZ, DEFAULT_SERAT, InstrumentKind, items_to_data
from tests.authority.conftest import quiz_items, serat_items

SERAT, QUIZ = InstrumentKind.SERAT, InstrumentKind.PERSONAL_QUIZ


def test_the_defaults_are_published_as_version_1_and_marked_as_defaults(db):
    for kind, default in ((SERAT, DEFAULT_SERAT), (QUIZ, DEFAULT_QUIZ)):
        version = instrument_in_force(kind=kind)
        assert (version.version, version.status) == (1, InstrumentStatus.PUBLISHED)
        assert version.published_at is not None
        assert version.notice == DEFAULT_NOTICE
        assert version.as_instrument().is_default
        assert version.items == items_to_data(default.items)
    assert "to be replaced by the authority's approved items" in DEFAULT_NOTICE


def test_publishing_a_serat_whose_maximum_is_54_is_refused_saying_why_and_saves_nothing(admin):
    draft = instrument_draft_create(kind=SERAT, actor=admin, title="Our SERAT", items=serat_items(54))
    with pytest.raises(ActionRefused) as refused:
        instrument_publish(version=draft, actor=admin)
    assert any("highest possible total is 54" in reason and "exactly 55" in reason for reason in refused.value.reasons)
    draft.refresh_from_db()
    assert draft.status == InstrumentStatus.DRAFT and draft.published_at is None
    assert instrument_in_force(kind=SERAT).version == 1
    assert InstrumentVersion.objects.get(kind=SERAT, version=1).status == InstrumentStatus.PUBLISHED
    assert not AuditEvent.objects.filter(action="instrument.publish", subject_id=str(draft.pk)).exists()


def test_a_refusal_gives_every_reason(admin):
    items = serat_items(54)
    items[0]["allowed_scores"] = [1, 2, 3, 4, 5]
    items[0]["guidance"] = {}
    draft = instrument_draft_create(kind=SERAT, actor=admin, title="Two problems", items=items)
    with pytest.raises(ActionRefused) as refused:
        instrument_publish(version=draft, actor=admin)
    reasons = refused.value.reasons
    assert len(reasons) == 2
    assert any("must allow 0" in reason for reason in reasons)
    assert any("exactly 55" in reason for reason in reasons)


def test_an_empty_draft_cannot_be_published(admin):
    draft = instrument_draft_create(kind=SERAT, actor=admin, title="Empty")
    with pytest.raises(ActionRefused) as refused:
        instrument_publish(version=draft, actor=admin)
    assert refused.value.reasons == ("The questionnaire has no items.",)


def test_publishing_a_valid_serat_puts_it_in_force_and_retires_the_one_before(admin):
    items = serat_items(55)
    items[0]["text"] = "The authority's own wording about going missing."
    draft = instrument_draft_create(kind=SERAT, actor=admin, title="Authority SERAT", items=items)
    assert draft.version == InstrumentVersion.objects.filter(kind=SERAT).count()
    published = instrument_publish(version=draft, actor=admin)
    assert published.status == InstrumentStatus.PUBLISHED and published.published_at is not None
    assert instrument_in_force(kind=SERAT).pk == draft.pk
    assert InstrumentVersion.objects.get(kind=SERAT, version=1).status == InstrumentStatus.RETIRED
    assert InstrumentVersion.objects.filter(kind=SERAT, status=InstrumentStatus.PUBLISHED).count() == 1
    assert instrument_in_force(kind=QUIZ).version == 1, "publishing a SERAT leaves the quiz alone"
    assert AuditEvent.objects.filter(action="instrument.publish", subject_id=str(draft.pk), actor=admin).exists()


def test_a_published_version_cannot_be_edited(admin, in_force):
    version = in_force(SERAT)
    before = (version.title, version.items, version.bands)
    with pytest.raises(ActionRefused) as refused:
        instrument_draft_update(version=version, actor=admin, title="Changed", items=serat_items(55))
    assert any("cannot be changed" in reason for reason in refused.value.reasons)
    version.refresh_from_db()
    assert (version.title, version.items, version.bands) == before
    with pytest.raises(ActionRefused):
        instrument_publish(version=version, actor=admin)


def test_a_retired_version_cannot_be_edited_or_published(admin):
    draft = instrument_draft_create(kind=SERAT, actor=admin, title="Abandoned", items=serat_items(55))
    instrument_retire(version=draft, actor=admin)
    with pytest.raises(ActionRefused):
        instrument_draft_update(version=draft, actor=admin, title="Again")
    with pytest.raises(ActionRefused):
        instrument_publish(version=draft, actor=admin)


def test_assessments_keep_their_version(admin, school_records, school_a, in_force):
    """The case records point at the version with PROTECT, and a superseded version stays readable."""
    for model in (SeratAssessment, QuizResponse):
        assert model._meta.get_field("instrument").remote_field.on_delete is PROTECT
    old = in_force(SERAT)
    records = school_records(school_a)
    assessment = records.assessment(records.young_person(), "low", total=12)
    draft = instrument_draft_create(kind=SERAT, actor=admin, title="New", copy_of=old)
    instrument_draft_update(version=draft, actor=admin, items=[{**serat_items(55)[0], "text": "New words."},
                                                                 *serat_items(55)[1:]])
    instrument_publish(version=draft, actor=admin)
    with schema_context(school_a.schema_name):
        kept = SeratAssessment.objects.get(pk=assessment.pk)
        assert kept.instrument_id == old.pk
        assert kept.instrument.as_instrument().items == DEFAULT_SERAT.items
        with pytest.raises(ProtectedError):
            InstrumentVersion.objects.get(pk=old.pk).delete()


def test_quiz_thresholds_are_validated_when_publishing(admin):
    gap = [["very_low", 0, 11], ["low", 13, 22], ["medium", 23, 33], ["high", 34, 44], ["very_high", 45, 55]]
    draft = instrument_draft_create(kind=QUIZ, actor=admin, title="Quiz with a gap", items=quiz_items(), bands=gap)
    with pytest.raises(ActionRefused) as refused:
        instrument_publish(version=draft, actor=admin)
    assert any("Low Risk must start at 12" in reason for reason in refused.value.reasons)
    assert draft.__class__.objects.get(pk=draft.pk).status == InstrumentStatus.DRAFT


def test_quiz_thresholds_must_reach_its_highest_total(admin):
    short = [["very_low", 0, 9], ["low", 10, 19], ["medium", 20, 29], ["high", 30, 39], ["very_high", 40, 50]]
    draft = instrument_draft_create(kind=QUIZ, actor=admin, title="Quiz", items=quiz_items(), bands=short)
    with pytest.raises(ActionRefused) as refused:
        instrument_publish(version=draft, actor=admin)
    assert any("go up to 50" in reason for reason in refused.value.reasons)


def test_a_quiz_with_its_own_thresholds_is_published(admin):
    own = [["very_low", 0, 5], ["low", 6, 20], ["medium", 21, 30], ["high", 31, 40], ["very_high", 41, 55]]
    draft = instrument_draft_create(kind=QUIZ, actor=admin, title="Authority quiz", items=quiz_items(), bands=own)
    assert draft.notice == "", "thresholds of its own: not the defaults any more"
    instrument_publish(version=draft, actor=admin)
    assert instrument_in_force(kind=QUIZ).bands == own


def test_thresholds_that_are_not_shaped_like_bands_are_refused_on_saving(admin):
    with pytest.raises(ValidationError) as invalid:
        instrument_draft_create(kind=QUIZ, actor=admin, title="Bad", items=quiz_items(),
                                bands=[["nearly", 0, 55]])
    assert "bands" in invalid.value.message_dict
    with pytest.raises(ValidationError) as serat_bands:
        instrument_draft_create(kind=SERAT, actor=admin, title="Bad",
                                bands=[["very_low", 0, 10], ["low", 11, 22], ["medium", 23, 33],
                                       ["high", 34, 44], ["very_high", 45, 55]])
    assert "bands" in serat_bands.value.message_dict


def test_items_that_are_not_shaped_like_items_are_refused_on_saving(admin):
    count = InstrumentVersion.objects.count()
    with pytest.raises(ValidationError) as invalid:
        instrument_draft_create(kind=SERAT, actor=admin, title="Bad", items=[{"code": "x", "colour": "red"}])
    assert "items" in invalid.value.message_dict
    assert InstrumentVersion.objects.count() == count


def test_a_copy_is_of_the_same_kind_and_keeps_the_default_notice_only_while_unchanged(admin, in_force):
    with pytest.raises(ValidationError) as wrong_kind:
        instrument_draft_create(kind=QUIZ, actor=admin, copy_of=in_force(SERAT))
    assert "copy_of" in wrong_kind.value.message_dict
    copy = instrument_draft_create(kind=SERAT, actor=admin, copy_of=in_force(SERAT))
    assert copy.title == in_force(SERAT).title and copy.items == in_force(SERAT).items
    assert copy.notice == DEFAULT_NOTICE
    changed = serat_items(55)
    changed[3]["title"] = "Online contact"
    instrument_draft_update(version=copy, actor=admin, items=changed)
    copy.refresh_from_db()
    assert copy.notice == ""


def test_new_drafts_are_numbered_after_every_version(admin):
    latest = max(InstrumentVersion.objects.filter(kind=SERAT).values_list("version", flat=True))
    first = instrument_draft_create(kind=SERAT, actor=admin, title="A")
    second = instrument_draft_create(kind=SERAT, actor=admin, title="B")
    assert (first.version, second.version) == (latest + 1, latest + 2)
    assert instrument_draft_create(kind=QUIZ, actor=admin, title="Q").version == 1 + max(
        InstrumentVersion.objects.filter(kind=QUIZ).exclude(title="Q").values_list("version", flat=True)
    )


def test_the_version_in_force_cannot_be_retired(admin, in_force):
    with pytest.raises(ActionRefused) as refused:
        instrument_retire(version=in_force(SERAT), actor=admin)
    assert "Publish the version that replaces it" in refused.value.reasons[0]
    assert in_force(SERAT).status == InstrumentStatus.PUBLISHED


def test_a_draft_is_retired_and_cannot_be_retired_twice(admin):
    draft = instrument_draft_create(kind=QUIZ, actor=admin, title="Not needed")
    assert instrument_retire(version=draft, actor=admin).status == InstrumentStatus.RETIRED
    with pytest.raises(ActionRefused):
        instrument_retire(version=draft, actor=admin)


def test_instrument_in_force_says_clearly_when_there_is_none(db):
    InstrumentVersion.objects.filter(kind=QUIZ).update(status=InstrumentStatus.RETIRED)
    with pytest.raises(NoInstrumentInForce) as missing:
        instrument_in_force(kind=QUIZ)
    assert "Personal quiz" in str(missing.value) and "publish" in str(missing.value)


def test_instrument_in_force_works_from_a_school(school_a, in_force):
    with schema_context(school_a.schema_name):
        assert instrument_in_force(kind=SERAT).pk == in_force(SERAT).pk


def test_the_database_itself_refuses_to_change_or_delete_a_published_version(admin, in_force):
    version = in_force(SERAT)
    for change in ({"items": []}, {"title": "Sneaky"}, {"status": InstrumentStatus.DRAFT}):
        with pytest.raises(DatabaseError), transaction.atomic():
            InstrumentVersion.objects.filter(pk=version.pk).update(**change)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {InstrumentVersion._meta.db_table} WHERE id = %s", [version.pk])
    version.refresh_from_db()
    assert version.title == DEFAULT_SERAT.title and version.status == InstrumentStatus.PUBLISHED
    retired = instrument_retire(version=instrument_draft_create(kind=SERAT, actor=admin, title="X"), actor=admin)
    with pytest.raises(DatabaseError), transaction.atomic():
        InstrumentVersion.objects.filter(pk=retired.pk).update(status=InstrumentStatus.PUBLISHED)
