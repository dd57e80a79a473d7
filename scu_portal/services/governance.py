"""Writes for governors' understanding of the framework (FRAMEWORK.md §4, gate 6; §5 governor).

A governor acknowledges the version of the framework in force, for their school, once per version.
Governors are school accounts, so the acknowledgement keeps their name and email as text. The
authority publishes a new version when the framework changes; every school's governors then need to
acknowledge it again.
"""

from __future__ import annotations

from cse_platform.audit.services import audit_record
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from safeguarding.rules.roles import Capability
from scu_portal.models import FrameworkVersion, GovernorAcknowledgement
from scu_portal.selectors.governance import framework_version_in_force, governor_acknowledgement
from tenants.models import School

NOT_A_GOVERNOR = "Only a governor can acknowledge the framework for the school."


def framework_acknowledgement_statement(version: FrameworkVersion) -> str:
    """The words a governor acknowledges, kept with the acknowledgement."""
    return (
        f"I have read the authority's framework, {version.title} (version {version.version}), including what "
        "each level of risk requires, and I understand it as part of the universal offer our school makes to "
        "its students."
    )


def governor_acknowledge(*, school: School, governor, version: str | None = None) -> GovernorAcknowledgement:
    """Record that this governor acknowledges the framework version in force, for their school.

    ``version`` is the version label the governor read; if it is no longer the one in force, the
    acknowledgement is refused so that no one acknowledges a version they did not read.
    """
    if not (getattr(governor, "is_authenticated", False) and governor.can(Capability.FRAMEWORK_ACKNOWLEDGE)):
        raise ActionRefused([NOT_A_GOVERNOR])
    in_force = framework_version_in_force()
    if version is not None and version != in_force.version:
        raise ActionRefused([
            f"Framework version {version} is no longer the version in force. Read version {in_force.version} "
            "and acknowledge that one."
        ])
    done = governor_acknowledgement(school=school, version=in_force, email=governor.email)
    if done is not None:
        raise ActionRefused([
            f"You acknowledged framework version {in_force.version} on "
            f"{date_format(timezone.localtime(done.acknowledged_at), 'j F Y')}."
        ])
    try:
        with transaction.atomic():
            acknowledgement = GovernorAcknowledgement.objects.create(
                school=school,
                framework_version=in_force,
                governor_name=governor.full_name,
                governor_email=governor.email.lower(),
                statement=framework_acknowledgement_statement(in_force),
            )
            audit_record(actor=governor, action="framework.acknowledge", subject=acknowledgement,
                         detail={"version": in_force.version})
    except IntegrityError as clash:
        raise ActionRefused([f"You have already acknowledged framework version {in_force.version}."]) from clash
    return acknowledgement


def framework_version_publish(*, version: str, title: str, summary: str, actor) -> FrameworkVersion:
    """Publish a new version of the framework: it is in force from now, and every school's governors need
    to acknowledge it."""
    version, title, summary = (version or "").strip(), (title or "").strip(), (summary or "").strip()
    errors: dict[str, list[str]] = {}
    if not version:
        errors["version"] = ['Enter a version label, for example "2027.1".']
    elif len(version) > FrameworkVersion._meta.get_field("version").max_length:
        errors["version"] = ["The version label must be 20 characters or fewer."]
    elif FrameworkVersion.objects.filter(version__iexact=version).exists():
        errors["version"] = [f"Version {version} already exists: choose a new label."]
    if not title:
        errors["title"] = ["Enter the framework's title."]
    elif len(title) > FrameworkVersion._meta.get_field("title").max_length:
        errors["title"] = ["The title must be 250 characters or fewer."]
    if not summary:
        errors["summary"] = ["Enter a summary of the framework, in plain words."]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            published = FrameworkVersion.objects.create(
                version=version, title=title, summary=summary, published_at=timezone.now()
            )
            audit_record(actor=actor, action="framework.publish", subject=published, detail={"version": version})
    except IntegrityError as clash:
        raise ValidationError({"version": [f"Version {version} already exists: choose a new label."]}) from clash
    return published
