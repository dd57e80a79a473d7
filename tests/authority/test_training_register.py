"""The authority's training register: recording, correcting and deleting (audited), and `staff_trained`."""

from datetime import date, timedelta

import pytest
from cse_platform.audit.models import AuditEvent
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from scu_portal.models import TrainingRecord
from scu_portal.selectors.training import staff_trained, training_record_list
from scu_portal.services.training import training_record_create, training_record_delete, training_record_update
from tenants.services import school_archive

TODAY = timezone.localdate()


def record(admin, school, **fields):
    defaults = {"staff_name": "Sam Teacher", "staff_email": "Sam.Teacher@alpha.test",
                "completed_on": TODAY - timedelta(days=30), "expires_on": TODAY + timedelta(days=335)}
    return training_record_create(school=school, actor=admin, **{**defaults, **fields})


def test_a_completion_is_recorded_and_audited(admin, school_a):
    made = record(admin, school_a)
    assert made.staff_email == "sam.teacher@alpha.test"
    assert made.course == "Detailed training in the CSE framework's materials"
    assert made.recorded_by == admin
    event = AuditEvent.objects.get(action="training_record.create", subject_id=str(made.pk))
    assert event.actor == admin and event.detail["school"] == "alpha"


def test_staff_trained_follows_the_register_and_its_expiry(admin, school_a, school_b):
    record(admin, school_a, completed_on=date(2026, 1, 10), expires_on=date(2027, 1, 9))
    email = "SAM.teacher@alpha.test"
    assert staff_trained(school=school_a, email=email, on=date(2026, 6, 1))
    assert staff_trained(school=school_a, email=email, on=date(2027, 1, 9)), "trained on the day it expires"
    assert not staff_trained(school=school_a, email=email, on=date(2027, 1, 10)), "expired"
    assert not staff_trained(school=school_a, email=email, on=date(2026, 1, 9)), "not yet trained"
    assert not staff_trained(school=school_b, email=email, on=date(2026, 6, 1)), "another school's register"
    assert not staff_trained(school=school_a, email="other@alpha.test", on=date(2026, 6, 1))


def test_training_without_an_expiry_never_expires(admin, school_a):
    record(admin, school_a, expires_on=None)
    assert staff_trained(school=school_a, email="sam.teacher@alpha.test", on=TODAY + timedelta(days=3650))


def test_staff_trained_is_asked_from_the_schools_own_schema(admin, school_a):
    record(admin, school_a)
    with schema_context(school_a.schema_name):
        assert staff_trained(school=school_a, email="sam.teacher@alpha.test", on=TODAY)


def test_bad_records_are_refused_naming_the_field_and_nothing_is_saved(admin, school_a):
    count = TrainingRecord.objects.count()
    cases = {
        "completed_on": {"completed_on": TODAY + timedelta(days=1), "expires_on": None},
        "expires_on": {"completed_on": TODAY - timedelta(days=5), "expires_on": TODAY - timedelta(days=5)},
        "staff_email": {"staff_email": "not-an-email"},
        "staff_name": {"staff_name": "  "},
    }
    for field, fields in cases.items():
        with pytest.raises(ValidationError) as invalid:
            record(admin, school_a, **fields)
        assert field in invalid.value.message_dict, field
    assert TrainingRecord.objects.count() == count


def test_training_is_not_recorded_for_an_archived_school(admin, school_b):
    school_archive(school=school_b)
    with pytest.raises(ValidationError) as invalid:
        record(admin, school_b)
    assert "archived" in invalid.value.message_dict["school"][0]


def test_a_mistake_is_corrected_and_the_audit_log_keeps_what_changed(admin, school_a):
    made = record(admin, school_a, staff_email="wrong@alpha.test")
    assert not staff_trained(school=school_a, email="sam.teacher@alpha.test", on=TODAY)
    training_record_update(record=made, actor=admin, staff_email="sam.teacher@alpha.test")
    assert staff_trained(school=school_a, email="sam.teacher@alpha.test", on=TODAY)
    event = AuditEvent.objects.get(action="training_record.update", subject_id=str(made.pk))
    assert event.detail["changed"] == {"staff_email": ["wrong@alpha.test", "sam.teacher@alpha.test"]}
    with pytest.raises(ValidationError):
        training_record_update(record=made, actor=admin, expires_on=made.completed_on - timedelta(days=1))
    made.refresh_from_db()
    assert made.expires_on > made.completed_on


def test_a_record_made_by_mistake_is_deleted_and_the_audit_log_keeps_it(admin, school_a):
    made = record(admin, school_a)
    pk = made.pk
    training_record_delete(record=made, actor=admin)
    assert not TrainingRecord.objects.filter(pk=pk).exists()
    assert not staff_trained(school=school_a, email="sam.teacher@alpha.test", on=TODAY)
    event = AuditEvent.objects.get(action="training_record.delete", subject_id=str(pk))
    assert event.detail["staff_email"] == "sam.teacher@alpha.test" and event.actor == admin


def test_the_register_is_filtered_by_school_and_by_name_or_email(admin, school_a, school_b):
    record(admin, school_a, staff_name="Ann Alpha", staff_email="ann@alpha.test")
    record(admin, school_b, staff_name="Bob Bravo", staff_email="bob@bravo.test")
    assert [r.staff_name for r in training_record_list(school=school_a)] == ["Ann Alpha"]
    assert [r.staff_name for r in training_record_list(search="bravo")] == ["Bob Bravo"]
    assert {r.staff_name for r in training_record_list()} >= {"Ann Alpha", "Bob Bravo"}
