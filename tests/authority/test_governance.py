"""Governors acknowledge the framework in force; the authority sees which schools have not (gate 6)."""

import pytest
from cse_platform.audit.models import AuditEvent
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from safeguarding.rules.roles import Role
from scu_portal.models import GovernorAcknowledgement
from scu_portal.selectors.governance import (
    framework_version_in_force,
    governance_oversight,
    school_governors_acknowledged,
)
from scu_portal.services.governance import NOT_A_GOVERNOR, framework_version_publish, governor_acknowledge
from tenants.services import school_archive


def test_a_first_version_of_the_framework_is_in_force(db):
    version = framework_version_in_force()
    assert version.version == "2026.1" and version.published_at is not None
    assert "11 to 18" in version.summary and "headteacher" in version.summary


def test_a_governor_acknowledges_the_version_in_force(make_user, school_a):
    governor = make_user(Role.GOVERNOR, school_a, name="Gill Governor")
    assert not school_governors_acknowledged(school=school_a)
    with schema_context(school_a.schema_name):
        made = governor_acknowledge(school=school_a, governor=governor, version="2026.1")
        assert AuditEvent.objects.filter(action="framework.acknowledge", actor=governor).exists()
    assert (made.governor_name, made.governor_email) == ("Gill Governor", governor.email)
    assert made.framework_version.version == "2026.1"
    assert "version 2026.1" in made.statement
    assert school_governors_acknowledged(school=school_a)


@pytest.mark.parametrize("role", [Role.STAFF, Role.DCPO, Role.HEADTEACHER, Role.SCHOOL_ADMIN])
def test_no_one_but_a_governor_can_acknowledge(make_user, school_a, role):
    member = make_user(role, school_a)
    with schema_context(school_a.schema_name), pytest.raises(ActionRefused) as refused:
        governor_acknowledge(school=school_a, governor=member)
    assert refused.value.reasons == (NOT_A_GOVERNOR,)
    assert not GovernorAcknowledgement.objects.filter(school=school_a).exists()


def test_a_governor_acknowledges_each_version_once(make_user, school_a):
    governor = make_user(Role.GOVERNOR, school_a)
    with schema_context(school_a.schema_name):
        governor_acknowledge(school=school_a, governor=governor)
        with pytest.raises(ActionRefused) as again:
            governor_acknowledge(school=school_a, governor=governor)
    assert "You acknowledged framework version 2026.1" in again.value.reasons[0]
    assert GovernorAcknowledgement.objects.filter(school=school_a).count() == 1


def test_a_new_version_of_the_framework_needs_a_new_acknowledgement(make_user, school_a):
    admin = make_user(Role.AUTHORITY_ADMIN)
    governor = make_user(Role.GOVERNOR, school_a)
    with schema_context(school_a.schema_name):
        governor_acknowledge(school=school_a, governor=governor)
    assert school_governors_acknowledged(school=school_a)
    framework_version_publish(version="2027.1", title="The framework, revised", summary="What changed.", actor=admin)
    assert framework_version_in_force().version == "2027.1"
    assert not school_governors_acknowledged(school=school_a)
    with schema_context(school_a.schema_name):
        with pytest.raises(ActionRefused) as stale:
            governor_acknowledge(school=school_a, governor=governor, version="2026.1")
        assert "no longer the version in force" in stale.value.reasons[0]
        governor_acknowledge(school=school_a, governor=governor, version="2027.1")
    assert school_governors_acknowledged(school=school_a)


def test_oversight_lists_the_schools_that_have_not_acknowledged(make_user, school_a, school_b):
    governor = make_user(Role.GOVERNOR, school_a, name="Gill Governor")
    with schema_context(school_a.schema_name):
        governor_acknowledge(school=school_a, governor=governor)
    oversight = governance_oversight()
    assert oversight.version.version == "2026.1"
    assert school_b in [row.school for row in oversight.not_acknowledged]
    assert school_a not in [row.school for row in oversight.not_acknowledged]
    alpha = next(row for row in oversight.acknowledged if row.school == school_a)
    assert [line.governor_name for line in alpha.acknowledgements] == ["Gill Governor"]


def test_oversight_leaves_out_archived_schools(school_b):
    school_archive(school=school_b)
    assert school_b not in [row.school for row in governance_oversight().schools]


def test_a_new_version_needs_a_new_label_title_and_summary(make_user):
    admin = make_user(Role.AUTHORITY_ADMIN)
    with pytest.raises(ValidationError) as invalid:
        framework_version_publish(version="2026.1", title="", summary=" ", actor=admin)
    assert set(invalid.value.message_dict) == {"version", "title", "summary"}
    assert framework_version_in_force().version == "2026.1"
