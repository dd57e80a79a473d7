"""A referral carries the minimum the SCU needs, copied in the same transaction; nothing else leaves the
school: no note, no free text beyond the reasons (and, at very high, the record of the phone call)."""

import json

import pytest
from django.db import transaction
from django.forms.models import model_to_dict
from django_tenants.utils import tenant_context

from safeguarding.rules.levels import Level
from scu_portal.models import Referral
from scu_portal.services.referrals import referral_send
from tests.scu.conftest import SCORES, phone_call, send

PRIVATE = ["Private note on the consent call.", "Headteacher's private note.", "The young person's own words",
           "A00000"]


def test_the_minimum_is_copied(school_a, dcpo_a, case):
    plan = case(Level.HIGH, consent="refused", agreed=True, quiz="completed", first_name="Asha", last_name="Khan")
    referral = send(school_a, plan, "mase_consultation", by=dcpo_a, dcpo_phone="0161 000 0000")
    assert referral.school == school_a
    assert (referral.young_person_ref, referral.plan_ref) == (plan.young_person_id, plan.pk)
    assert referral.young_person_name == "Asha Khan"
    assert str(referral.date_of_birth) == "2010-03-14" and referral.year_group == 10
    assert (referral.serat_total, referral.serat_level) == (SCORES[Level.HIGH], "high")
    assert (referral.quiz_total, referral.quiz_level, referral.quiz_declined) == (SCORES[Level.HIGH], "high", False)
    assert referral.effective_level == "high"
    assert referral.consent_state == "refused"
    assert referral.plan_state["agreed"] is True and referral.plan_state["level"] == "high"
    assert referral.plan_state["items_done"] == []  # the consultation item is recorded after the snapshot
    assert (referral.dcpo_name, referral.dcpo_email, referral.dcpo_phone) == (
        "Dee Cee-Pio", dcpo_a.email, "0161 000 0000")
    assert referral.reasons.startswith("Disclosed contact")


def test_nothing_else_of_the_schools_records_leaves_it(school_a, dcpo_a, case):
    plan = case(Level.VERY_HIGH, agreed=True, quiz="declined")
    referral = send(school_a, plan, "mase_referral", by=dcpo_a, **phone_call())
    assert referral.quiz_declined and referral.quiz_total is None and referral.consent_state == "not_sought"
    row = Referral.objects.filter(pk=referral.pk).values().get()
    sent = json.dumps(row, default=str)
    for private in PRIVATE:
        assert private not in sent, private
    assert "upn" not in sent.lower()
    # the plan's state is codes and dates only
    assert set(referral.plan_state) == {"level", "agreed", "agreed_on", "option", "items_done", "made_on"}
    free_text = {name for name, value in model_to_dict(referral).items() if isinstance(value, str) and " " in value}
    assert free_text <= {"young_person_name", "reasons", "phoned_to", "phone_summary", "dcpo_name"}


def test_the_phone_call_is_kept_only_where_it_is_the_framework_s_step(school_a, dcpo_a, case):
    referral = send(school_a, case(Level.HIGH), "mase_consultation", by=dcpo_a,
                    phoned_to="Someone", phone_summary="", phoned_at=None)
    assert (referral.phoned_at, referral.phoned_to, referral.phone_summary) == (None, "", "")


@pytest.mark.django_db(transaction=False)
def test_the_copy_is_in_the_same_transaction_as_the_schools_records(school_a, dcpo_a, case):
    plan = case(Level.HIGH)
    with tenant_context(school_a):
        try:
            with transaction.atomic():
                referral_send(plan=plan, kind="mase_consultation", sender=dcpo_a, reasons="Then it fails.")
                assert Referral.objects.filter(plan_ref=plan.pk).exists()
                raise RuntimeError("the school's transaction fails")
        except RuntimeError:
            pass
    assert not Referral.objects.filter(plan_ref=plan.pk).exists()
