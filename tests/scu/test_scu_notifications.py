"""Who is told: a referral reaches the SCU's officers and managers (urgent at very high), from the school's own
outbox; an answer or outcome reaches the school's DCPOs, from the public outbox; a MASE meeting reaches the
SCU's officers. Delivered in process here, as the worker does, schema by schema."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from notifications.events import Event
from notifications.models import FanOut, InboxItem, OutboxMessage, OutboxStatus
from notifications.services.delivery import fan_out_deliver, message_deliver
from safeguarding.rules.roles import Role
from scu_portal.services.mase import mase_meeting_create, mase_outcome_record
from scu_portal.services.triage import referral_answer, referral_status_set
from tenants.models import School


def deliver_everything() -> None:
    for _ in range(3):
        for schema in ["public", *School.objects.values_list("schema_name", flat=True)]:
            with schema_context(schema):
                rows = list(OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
                            .values_list("pk", "fan_out", "school__schema_name"))
            for pk, fan_out, school_schema in rows:
                if fan_out == FanOut.NONE:
                    with schema_context(schema):
                        message_deliver(message_id=pk)
                else:
                    with schema_context(school_schema if fan_out == FanOut.SCHOOL else "public"):
                        fan_out_deliver(source_schema=schema, message_id=pk)
    connection.set_schema_to_public()


def inbox(user, school=None) -> list[tuple[str, str, bool]]:
    with schema_context(school.schema_name if school else "public"):
        return list(InboxItem.objects.filter(user=user).values_list("event", "link", "urgent"))


def test_a_very_high_referral_reaches_the_scu_urgently_and_no_one_else(school_a, dcpo_a, officer, manager,
                                                                      make_user, very_high_referral):
    analyst = make_user(Role.ANALYST)
    with schema_context(school_a.schema_name):
        message = OutboxMessage.objects.get(fan_out=FanOut.CENTRAL)
    assert (message.event, message.urgent, message.link) == (
        "referral_received", True, f"/scu/referrals/{very_high_referral.pk}/")
    assert sorted(message.roles) == ["scu_manager", "scu_officer"]
    assert very_high_referral.young_person_name not in message.subject
    deliver_everything()
    expected = [("referral_received", f"/scu/referrals/{very_high_referral.pk}/", True)]
    assert inbox(officer) == expected and inbox(manager) == expected
    assert inbox(analyst) == [] and inbox(dcpo_a, school_a) == []


def test_a_high_referral_is_not_urgent(school_a, dcpo_a, officer, case):
    from tests.scu.conftest import send

    send(school_a, case("high"), "mase_consultation", by=dcpo_a)
    deliver_everything()
    assert [urgent for _, _, urgent in inbox(officer)] == [False]


def test_an_answer_and_an_outcome_reach_that_schools_dcpos_only(school_a, school_b, dcpo_a, dcpo_b, make_user,
                                                               officer, very_high_referral):
    other_dcpo = make_user(Role.DCPO, school_a)
    headteacher = make_user(Role.HEADTEACHER, school_a)
    referral_answer(referral=very_high_referral, kind="advice", text="No teaching yet.", actor=officer)
    with schema_context("public"):
        fan_out = OutboxMessage.objects.get(fan_out=FanOut.SCHOOL)
    assert (fan_out.school_id, fan_out.roles, fan_out.urgent) == (school_a.pk, ["dcpo"], True)
    referral_status_set(referral=very_high_referral, status="under_review", actor=officer)
    meeting = mase_meeting_create(held_on=timezone.localdate(), agencies=["Police"],
                                  referrals=[very_high_referral], actor=officer)
    mase_outcome_record(meeting=meeting, referral=very_high_referral, agreed_level="very_high",
                        actions=[{"action": "Strategy meeting", "owner": "Police"}], material_use="not_authorised",
                        next_review_on=timezone.localdate() + timedelta(days=7), actor=officer)
    deliver_everything()
    link = f"/referrals/{very_high_referral.pk}/"
    for dcpo in (dcpo_a, other_dcpo):
        assert sorted(inbox(dcpo, school_a)) == [("mase_outcome", link, Event.MASE_OUTCOME.can_be_urgent),
                                                 ("scu_answer", link, True)]
    assert inbox(headteacher, school_a) == [] and inbox(dcpo_b, school_b) == []


@pytest.mark.parametrize("role", [Role.SCU_OFFICER, Role.SCU_MANAGER])
def test_a_mase_meeting_is_told_to_the_scu_officers(make_user, officer, role):
    person = make_user(role)
    meeting = mase_meeting_create(held_on=timezone.localdate(), agencies=["Police"], actor=officer)
    deliver_everything()
    told = inbox(person)
    if role is Role.SCU_OFFICER:
        assert told == [("mase_scheduled", f"/scu/meetings/{meeting.pk}/", False)]
    else:
        assert told == []


def test_closing_a_referral_tells_that_schools_dcpos_only_and_not_urgently(school_a, school_b, dcpo_a, dcpo_b,
                                                                            make_user, officer, manager,
                                                                            very_high_referral):
    other_dcpo = make_user(Role.DCPO, school_a)
    headteacher = make_user(Role.HEADTEACHER, school_a)
    referral_status_set(referral=very_high_referral, status="acknowledged", actor=officer)
    assert not OutboxMessage.objects.filter(fan_out=FanOut.SCHOOL).exists()  # acknowledging tells no one
    referral_status_set(referral=very_high_referral, status="closed", actor=officer, note="Dealt with at MASE.")
    fan_out = OutboxMessage.objects.get(fan_out=FanOut.SCHOOL)
    assert (fan_out.school_id, fan_out.roles, fan_out.event, fan_out.urgent) == (
        school_a.pk, ["dcpo"], "scu_answer", False)
    deliver_everything()
    link = f"/referrals/{very_high_referral.pk}/"
    for dcpo in (dcpo_a, other_dcpo):
        assert inbox(dcpo, school_a) == [("scu_answer", link, False)]
    assert inbox(headteacher, school_a) == [] and inbox(dcpo_b, school_b) == []
    scu_link = f"/scu/referrals/{very_high_referral.pk}/"
    assert inbox(officer) == inbox(manager) == [("referral_received", scu_link, True)]  # the sending only


def test_the_schools_reply_reaches_the_scus_officers_and_managers_as_the_referral_did(school_a, dcpo_a, officer,
                                                                                      manager, make_user, case):
    from django_tenants.utils import tenant_context

    from scu_portal.services.referrals import referral_reply
    from scu_portal.services.triage import referral_assign
    from tests.scu.conftest import send

    analyst = make_user(Role.ANALYST)
    headteacher = make_user(Role.HEADTEACHER, school_a)
    consultation = send(school_a, case("high"), "mase_consultation", by=dcpo_a)
    referral_assign(referral=consultation, officer=officer, actor=manager)
    referral_answer(referral=consultation, kind="information_request", text="Who is he?", actor=officer)
    deliver_everything()
    with tenant_context(school_a):
        referral_reply(referral=consultation, sender=dcpo_a, text="A man of about 25 called Vic.")
    with schema_context(school_a.schema_name):
        reply = OutboxMessage.objects.filter(fan_out=FanOut.CENTRAL).latest("id")
    assert (reply.event, sorted(reply.roles), reply.urgent) == ("referral_received", ["scu_manager", "scu_officer"],
                                                                False)
    deliver_everything()
    link = f"/scu/referrals/{consultation.pk}/"
    # A fan-out from a school reaches roles, not one account: the assigned officer is told with the others.
    assert inbox(officer) == inbox(manager) == [("referral_received", link, False)] * 2
    assert inbox(analyst) == []
    assert inbox(dcpo_a, school_a) == [("scu_answer", f"/referrals/{consultation.pk}/", False)]
    assert inbox(headteacher, school_a) == []
