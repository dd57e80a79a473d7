"""The triage queue across all schools: its order, its filters, and what is overdue against the targets."""

from datetime import timedelta

import pytest
from cse_platform.errors import ActionRefused
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguarding.rules.roles import Role
from scu_portal.models.referrals import Referral
from scu_portal.selectors.queue import (
    DEFAULT_TARGET_HOURS,
    UNASSIGNED,
    QueueFilters,
    queue_counts,
    referral_queue,
    target_table,
)
from scu_portal.services.triage import referral_answer, referral_target_set
from tests.scu.conftest import referral_row

NOW = timezone.now()


def ago(hours: float):
    return NOW - timedelta(hours=hours)


def names(queryset) -> list[str]:
    return [referral.young_person_name for referral in queryset]


def test_newest_very_high_first_then_the_rest_oldest_first(school_a, school_b):
    referral_row(school_a, level="medium", kind="mase_referral", received_at=ago(30), name="medium 30h")
    referral_row(school_b, level="very_high", kind="mase_referral", received_at=ago(10), name="very high 10h")
    referral_row(school_a, level="high", received_at=ago(50), name="high 50h")
    referral_row(school_a, level="very_high", kind="mase_referral", received_at=ago(1), name="very high 1h")
    referral_row(school_b, level="high", received_at=ago(2), name="high 2h")
    assert names(referral_queue()) == ["very high 1h", "very high 10h", "high 50h", "medium 30h", "high 2h"]


def test_the_queue_shows_open_referrals_unless_asked(school_a):
    referral_row(school_a, name="open")
    referral_row(school_a, name="closed", status="closed")
    referral_row(school_a, name="withdrawn", status="withdrawn")
    assert names(referral_queue()) == ["open"]
    assert set(names(referral_queue(filters=QueueFilters(status="all")))) == {"open", "closed", "withdrawn"}
    assert names(referral_queue(filters=QueueFilters(status="withdrawn"))) == ["withdrawn"]


def test_filters_by_school_type_status_level_and_officer(school_a, school_b, make_user):
    olu, mo = make_user(Role.SCU_OFFICER), make_user(Role.SCU_MANAGER)
    referral_row(school_a, level="high", kind="mase_consultation", name="a-consult", assigned_to=olu)
    referral_row(school_a, level="high", kind="material_agreement", name="a-material", status="under_review")
    referral_row(school_b, level="very_high", kind="mase_referral", name="b-mase", assigned_to=mo)
    referral_row(school_b, level="medium", kind="mase_referral", name="b-medium", status="acknowledged")

    def q(**filters):
        return set(names(referral_queue(filters=QueueFilters(**filters))))

    assert q(school=school_a.pk) == {"a-consult", "a-material"}
    assert q(school=school_b.pk) == {"b-mase", "b-medium"}
    assert q(kind="mase_referral") == {"b-mase", "b-medium"}
    assert q(status="under_review") == {"a-material"}
    assert q(level="very_high") == {"b-mase"}
    assert q(officer=str(olu.pk)) == {"a-consult"}
    assert q(officer=UNASSIGNED) == {"a-material", "b-medium"}
    assert q(school=school_b.pk, kind="mase_referral", level="medium") == {"b-medium"}


def test_overdue_is_open_unanswered_and_past_its_target(school_a):
    hours = DEFAULT_TARGET_HOURS
    referral_row(school_a, level="very_high", kind="mase_referral", received_at=ago(hours["very_high"] + 1),
                 name="late")
    referral_row(school_a, level="very_high", kind="mase_referral", received_at=ago(hours["very_high"] - 1),
                 name="in time")
    referral_row(school_a, level="very_high", kind="mase_referral", received_at=ago(50), name="answered",
                 answered=True)
    referral_row(school_a, level="high", received_at=ago(100), name="closed late", status="closed")
    rows = {r.young_person_name: r.overdue for r in referral_queue(filters=QueueFilters(status="all"))}
    assert rows == {"late": True, "in time": False, "answered": False, "closed late": False}
    assert names(referral_queue(filters=QueueFilters(overdue=True))) == ["late"]
    counts = queue_counts()
    assert (counts.open, counts.overdue, counts.very_high, counts.unassigned) == (3, 1, 3, 3)


def test_answering_stops_the_clock(school_a, officer):
    referral = referral_row(school_a, level="high", received_at=ago(60))
    assert names(referral_queue(filters=QueueFilters(overdue=True))) == [referral.young_person_name]
    referral_answer(referral=referral, kind="advice", text="Consider a MASE referral.", actor=officer)
    assert not referral_queue(filters=QueueFilters(overdue=True)).exists()


def test_the_manager_sets_targets_and_waiting_referrals_take_them_at_once(school_a, manager, officer):
    waiting = referral_row(school_a, level="high", kind="mase_consultation", received_at=ago(10))
    answered = referral_row(school_a, level="high", kind="mase_consultation", received_at=ago(10), answered=True)
    assert not Referral.objects.get(pk=waiting.pk).due_at < NOW
    referral_target_set(kind="mase_consultation", level="high", hours=8, actor=manager)
    assert Referral.objects.get(pk=waiting.pk).due_at == waiting.received_at + timedelta(hours=8)
    assert Referral.objects.get(pk=answered.pk).due_at == answered.due_at
    assert names(referral_queue(filters=QueueFilters(overdue=True))) == [waiting.young_person_name]
    row = next(r for r in target_table() if (r.kind, r.level) == ("mase_consultation", "high"))
    assert row.hours == 8 and row.set_by_manager
    with pytest.raises(ActionRefused, match="Only an SCU manager"):
        referral_target_set(kind="mase_consultation", level="high", hours=2, actor=officer)
    with pytest.raises(ValidationError) as error:
        referral_target_set(kind="mase_consultation", level="high", hours=0, actor=manager)
    assert "hours" in error.value.message_dict


def test_a_new_referral_takes_the_target_in_force(school_a, dcpo_a, manager, case):
    from tests.scu.conftest import send

    referral_target_set(kind="mase_consultation", level="high", hours=6, actor=manager)
    referral = send(school_a, case("high"), "mase_consultation", by=dcpo_a)
    assert referral.due_at == referral.received_at + timedelta(hours=6)


def test_the_queue_page_orders_filters_and_shows_overdue(signed_in, school_a, school_b):
    referral_row(school_a, level="high", received_at=ago(60), name="Late Lou")
    referral_row(school_b, level="very_high", kind="mase_referral", received_at=ago(1), name="Urgent Uma")
    client, _ = signed_in(Role.SCU_OFFICER)
    page = client.get("/scu/").content.decode()
    assert page.index("Urgent Uma") < page.index("Late Lou")
    assert 'data-testid="overdue"' in page
    filtered = client.get("/scu/", {"school": school_b.pk}).content.decode()
    assert "Urgent Uma" in filtered and "Late Lou" not in filtered
    overdue = client.get("/scu/", {"overdue": "on"}).content.decode()
    assert "Late Lou" in overdue and "Urgent Uma" not in overdue


def test_the_queue_pages_by_fifty(signed_in, school_a):
    for n in range(55):
        referral_row(school_a, received_at=ago(100 - n), name=f"Person {n:02d}")
    client, _ = signed_in(Role.SCU_OFFICER)
    first = client.get("/scu/").content.decode()
    assert "Person 00" in first and "Person 49" in first and "Person 50" not in first
    second = client.get("/scu/", {"page": 2}).content.decode()
    assert "Person 54" in second and "Person 00" not in second
