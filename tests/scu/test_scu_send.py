"""Sending each kind at each level: allowed, or refused with plain reasons and nothing saved."""

from datetime import timedelta

import pytest
from cse_platform.audit.models import AuditEvent
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from safeguarding.models import Plan, PlanItemRecord
from safeguarding.rules.levels import Level
from safeguarding.rules.roles import Role
from scu_portal.models import Referral
from scu_portal.services.referrals import referral_send
from scu_portal.services.triage import referral_status_set
from tests.scu.conftest import phone_call, send

MASE, CONSULT, MATERIAL = "mase_referral", "mase_consultation", "material_agreement"

# (level, consent, kind) → allowed on a plan with nothing sent yet, the phone call given at very high.
EXPECTED = {
    (Level.VERY_LOW, None): set(),
    (Level.LOW, None): set(),
    (Level.MEDIUM, None): set(),
    (Level.MEDIUM, "given"): set(),
    (Level.MEDIUM, "refused"): {MASE},
    (Level.MEDIUM, "withdrawn"): {MASE},
    (Level.HIGH, None): {CONSULT, MATERIAL},
    (Level.HIGH, "refused"): {CONSULT, MATERIAL},
    (Level.VERY_HIGH, None): {MASE},
}


def nothing_saved(school, plan) -> bool:
    with schema_context(school.schema_name):
        items = PlanItemRecord.objects.filter(plan=plan).count()
        audits = AuditEvent.objects.filter(action="referral.send").count()
    return not Referral.objects.filter(plan_ref=plan.pk).exists() and items == 0 and audits == 0


@pytest.mark.parametrize(("level", "consent"), list(EXPECTED))
@pytest.mark.parametrize("kind", [MASE, CONSULT, MATERIAL])
def test_each_kind_at_each_level(school_a, dcpo_a, case, level, consent, kind):
    plan = case(level, consent=consent, agreed=True)
    extra = phone_call() if level is Level.VERY_HIGH else {}
    if kind in EXPECTED[(level, consent)]:
        referral = send(school_a, plan, kind, by=dcpo_a, **extra)
        assert referral.kind == kind and referral.status == "received"
        assert referral.urgent == (level is Level.VERY_HIGH)
    else:
        with pytest.raises(ActionRefused) as refused:
            send(school_a, plan, kind, by=dcpo_a, **extra)
        assert refused.value.reasons and all(reason.strip() for reason in refused.value.reasons)
        assert not Referral.objects.filter(plan_ref=plan.pk, school=school_a).exists()


def test_at_high_a_mase_referral_comes_after_a_consultation(school_a, dcpo_a, case):
    plan = case(Level.HIGH)
    with pytest.raises(ActionRefused, match="consult the Safeguarding Children Unit"):
        send(school_a, plan, MASE, by=dcpo_a)
    send(school_a, plan, CONSULT, by=dcpo_a)
    assert send(school_a, plan, MASE, by=dcpo_a).kind == MASE


def test_a_withdrawn_consultation_does_not_count(school_a, dcpo_a, case):
    from scu_portal.services.referrals import referral_withdraw

    plan = case(Level.HIGH)
    consultation = send(school_a, plan, CONSULT, by=dcpo_a)
    with tenant_context(school_a):
        referral_withdraw(referral=consultation, sender=dcpo_a, reason="Sent on the wrong young person.")
    with pytest.raises(ActionRefused, match="consult"):
        send(school_a, plan, MASE, by=dcpo_a)


def test_at_very_high_the_phone_call_is_required_and_comes_first(school_a, dcpo_a, case):
    plan = case(Level.VERY_HIGH)
    call = phone_call()
    for missing in ("phoned_at", "phoned_to", "phone_summary"):
        partial = {**call, missing: None if missing == "phoned_at" else ""}
        with pytest.raises(ActionRefused, match="phone the Safeguarding Children Unit first"):
            send(school_a, plan, MASE, by=dcpo_a, **partial)
    assert nothing_saved(school_a, plan)
    with pytest.raises(ValidationError) as error:
        send(school_a, plan, MASE, by=dcpo_a, **{**call, "phoned_at": timezone.now() + timedelta(hours=2)})
    assert "phoned_at" in error.value.message_dict
    referral = send(school_a, plan, MASE, by=dcpo_a, **call)
    assert referral.phoned_to == call["phoned_to"] and referral.phone_summary == call["phone_summary"]
    assert referral.urgent


def test_a_material_request_waits_for_the_headteachers_agreement(school_a, dcpo_a, case):
    """Seeking the SCU's agreement is an action of the plan (gate 1); consulting is a safeguarding duty."""
    plan = case(Level.HIGH, agreed=False)
    with pytest.raises(ActionRefused, match="headteacher has not agreed"):
        send(school_a, plan, MATERIAL, by=dcpo_a)
    assert send(school_a, plan, CONSULT, by=dcpo_a)
    agreed = case(Level.HIGH, agreed=True)
    assert send(school_a, agreed, MATERIAL, by=dcpo_a)


def test_a_superseded_plan_is_refused(school_a, dcpo_a, case):
    plan = case(Level.HIGH)
    with schema_context(school_a.schema_name):
        Plan.objects.filter(pk=plan.pk).update(status="superseded")
    with pytest.raises(ActionRefused, match="replaced by a newer one"):
        send(school_a, plan, CONSULT, by=dcpo_a)
    assert nothing_saved(school_a, plan)


@pytest.mark.parametrize("role", [Role.STAFF, Role.HEADTEACHER, Role.GOVERNOR, Role.SCHOOL_ADMIN])
def test_only_the_dcpo_sends(school_a, make_user, dcpo_a, case, role):
    plan = case(Level.HIGH)
    with pytest.raises(ActionRefused, match="Only the designated child protection officer"):
        send(school_a, plan, CONSULT, by=make_user(role, school_a))
    assert nothing_saved(school_a, plan)


def test_a_second_open_one_of_the_same_kind_is_refused_until_the_first_is_closed(school_a, dcpo_a, officer, case):
    plan = case(Level.HIGH)
    first = send(school_a, plan, CONSULT, by=dcpo_a)
    with pytest.raises(ActionRefused, match="already with the Safeguarding Children Unit"):
        send(school_a, plan, CONSULT, by=dcpo_a)
    referral_status_set(referral=first, status="acknowledged", actor=officer)
    referral_status_set(referral=first, status="closed", actor=officer)
    assert send(school_a, plan, CONSULT, by=dcpo_a)


def test_bad_input_names_the_field_and_saves_nothing(school_a, dcpo_a, case):
    plan = case(Level.HIGH)
    with pytest.raises(ValidationError) as error:
        send(school_a, plan, CONSULT, by=dcpo_a, reasons="   ")
    assert "reasons" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        send(school_a, plan, "phone_a_friend", by=dcpo_a)
    assert "kind" in error.value.message_dict
    assert nothing_saved(school_a, plan)


def test_sending_is_done_at_the_school_only(school_a, dcpo_a, case):
    plan = case(Level.HIGH)
    with pytest.raises(ActionRefused, match="school's own portal"):
        referral_send(plan=plan, kind=CONSULT, sender=dcpo_a, reasons="From the central portal?")


def test_sending_marks_the_plans_matching_items_done_and_is_audited(school_a, dcpo_a, case):
    plan = case(Level.VERY_HIGH)
    referral = send(school_a, plan, MASE, by=dcpo_a, **phone_call())
    with schema_context(school_a.schema_name):
        records = dict(PlanItemRecord.objects.filter(plan=plan).values_list("code", "note"))
        audit = AuditEvent.objects.get(action="referral.send")
    assert set(records) == {"phone_scu", "mase_referral"}
    assert "Sam Duty" in records["phone_scu"]
    assert f"referral {referral.pk}" in records["mase_referral"]
    assert audit.young_person_id == plan.young_person_id and audit.subject_id == str(referral.pk)


def test_a_referral_made_at_a_school_is_in_the_queue_at_once(school_a, dcpo_a, case):
    from scu_portal.selectors.queue import referral_queue

    referral = send(school_a, case(Level.HIGH), CONSULT, by=dcpo_a)
    assert referral_queue().first() == referral
    assert referral.due_at == referral.received_at + timedelta(hours=48)
