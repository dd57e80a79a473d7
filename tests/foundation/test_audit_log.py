import pytest
from cse_platform.audit.models import AuditEvent
from cse_platform.audit.services import audit_record
from django.db import DatabaseError, transaction
from django_tenants.utils import schema_context


@pytest.mark.parametrize("schema", ["public", "school_alpha"])
def test_the_audit_log_refuses_updates_and_deletes(db, school_a, schema):
    with schema_context(schema):
        event = audit_record(actor=None, action="young_person.read", subject_type="test", subject_id=1)
        for change in (lambda: AuditEvent.objects.filter(pk=event.pk).update(action="tampered"),
                       lambda: AuditEvent.objects.filter(pk=event.pk).delete()):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                change()
        assert AuditEvent.objects.get(pk=event.pk).action == "young_person.read"
