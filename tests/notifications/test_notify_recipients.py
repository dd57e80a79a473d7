"""Every event of issue 5 reaches exactly the right people, and no one else (item 3)."""

import pytest
from cse_platform.accounts.models import User
from django_tenants.utils import schema_context

from notifications.events import Event, events_for
from notifications.models import InboxItem, OutboxMessage
from notifications.services import notify, notify_central_roles, notify_roles, notify_school_roles
from safeguarding.rules.roles import Audience as A
from safeguarding.rules.roles import Role, roles_for

SCHOOL_ROLES = roles_for(A.SCHOOL)
CENTRAL_ROLES = roles_for(A.CENTRAL)
LINK = "/cases/young-people/7/"


@pytest.fixture
def people(make_user, school_a, school_b):
    """One active account of every role at alpha, bravo and the portal; a second DCPO at alpha;
    an inactive DCPO at alpha and an inactive SCU officer."""
    made = {}
    for school in (school_a, school_b):
        for role in SCHOOL_ROLES:
            made[(school.slug, role)] = make_user(role, school)
    made[("alpha", "dcpo2")] = make_user(Role.DCPO, school_a)
    for role in CENTRAL_ROLES:
        made[("central", role)] = make_user(role)
    inactive = [make_user(Role.DCPO, school_a), make_user(Role.SCU_OFFICER)]
    with schema_context(school_a.schema_name):
        User.objects.filter(pk=inactive[0].pk).update(is_active=False)
    User.objects.filter(pk=inactive[1].pk).update(is_active=False)
    return made


def told(school_a, school_b) -> set[tuple[str, str, str, bool]]:
    """(where, email, event, urgent) of every inbox item in the portal and both schools."""
    items = set()
    for where, schema in (("central", "public"), ("alpha", school_a.schema_name), ("bravo", school_b.schema_name)):
        with schema_context(schema):
            items |= {(where, email, event, urgent) for email, event, urgent
                      in InboxItem.objects.values_list("user__email", "event", "urgent")}
    return items


def expect(people, keys, event, urgent=False) -> set:
    return {(key[0], people[key].email, event.value, urgent) for key in keys}


SCHOOL_EVENTS = [
    (Event.SERAT_COMPLETED, [("alpha", Role.DCPO), ("alpha", "dcpo2")]),
    (Event.PLAN_AWAITING_AGREEMENT, [("alpha", Role.HEADTEACHER)]),
    (Event.CONSENT_RECORDED, [("alpha", Role.DCPO), ("alpha", "dcpo2")]),
    (Event.CONSENT_REFUSED, [("alpha", Role.DCPO), ("alpha", "dcpo2")]),
    (Event.CONCERN_LOGGED, [("alpha", Role.DCPO), ("alpha", "dcpo2")]),
]


@pytest.mark.parametrize(("event", "expected"), SCHOOL_EVENTS, ids=[e.value for e, _ in SCHOOL_EVENTS])
def test_school_events_reach_their_roles_at_that_school_only(event, expected, people, school_a, school_b,
                                                             deliver_all, mailoutbox):
    with schema_context(school_a.schema_name):
        notify_roles(event=event, roles=event.roles, link=LINK)
    deliver_all()
    assert told(school_a, school_b) == expect(people, expected, event)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(people[key].email for key in expected)


@pytest.mark.parametrize("urgent", [False, True])
def test_a_referral_from_a_school_reaches_the_scu_officers_and_managers(urgent, people, school_a, school_b,
                                                                        deliver_all, mailoutbox):
    with schema_context(school_a.schema_name):
        written = notify_roles(event=Event.REFERRAL_RECEIVED, roles=[Role.SCU_OFFICER, Role.SCU_MANAGER],
                               link="/scu/referrals/3/", urgent=urgent)
        assert [m.fan_out for m in written] == ["central"], "one fan-out row in the school's outbox"
    deliver_all()
    expected = [("central", Role.SCU_OFFICER), ("central", Role.SCU_MANAGER)]
    assert told(school_a, school_b) == expect(people, expected, Event.REFERRAL_RECEIVED, urgent)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(people[key].email for key in expected)
    assert all(m.subject.startswith("Urgent: ") == urgent for m in mailoutbox)
    assert all("Alpha School" in m.subject for m in mailoutbox), "the SCU sees which school"


def test_notify_central_roles_is_the_same_fan_out(people, school_a, school_b, deliver_all):
    with schema_context(school_a.schema_name):
        notify_central_roles(event=Event.REFERRAL_RECEIVED, roles=[Role.SCU_OFFICER], link="/scu/referrals/3/")
    deliver_all()
    assert told(school_a, school_b) == expect(people, [("central", Role.SCU_OFFICER)], Event.REFERRAL_RECEIVED)


@pytest.mark.parametrize(("event", "urgent"), [(Event.SCU_ANSWER, False), (Event.SCU_ANSWER, True),
                                               (Event.MASE_OUTCOME, False)])
def test_scu_answers_advice_and_outcomes_reach_that_schools_dcpos_only(event, urgent, people, school_a, school_b,
                                                                       deliver_all, mailoutbox):
    notify_school_roles(school=school_a, event=event, roles=[Role.DCPO], link="/referrals/3/", urgent=urgent)
    with schema_context(school_a.schema_name):
        assert not OutboxMessage.objects.exists(), "the request wrote nothing in the school's schema"
    assert OutboxMessage.objects.get().fan_out == "school"
    deliver_all()
    expected = [("alpha", Role.DCPO), ("alpha", "dcpo2")]
    assert told(school_a, school_b) == expect(people, expected, event, urgent)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(people[key].email for key in expected)


def test_a_mase_meeting_reaches_the_scu_officers_only(people, school_a, school_b, deliver_all, mailoutbox):
    notify_roles(event=Event.MASE_SCHEDULED, roles=Event.MASE_SCHEDULED.roles, link="/scu/meetings/1/")
    deliver_all()
    assert told(school_a, school_b) == expect(people, [("central", Role.SCU_OFFICER)], Event.MASE_SCHEDULED)
    assert [m.to[0] for m in mailoutbox] == [people[("central", Role.SCU_OFFICER)].email]


def test_also_adds_people_once_and_notify_names_exact_people(people, school_a, school_b, deliver_all):
    staff, dcpo = people[("alpha", Role.STAFF)], people[("alpha", Role.DCPO)]
    with schema_context(school_a.schema_name):
        notify_roles(event=Event.REVIEW_DUE_SOON, roles=[Role.DCPO], link=LINK, also=[staff, dcpo])
        notify(event=Event.CONCERN_LOGGED, recipients=[staff, staff], link=LINK)
    deliver_all()
    assert told(school_a, school_b) == (
        expect(people, [("alpha", Role.DCPO), ("alpha", "dcpo2"), ("alpha", Role.STAFF)], Event.REVIEW_DUE_SOON)
        | expect(people, [("alpha", Role.STAFF)], Event.CONCERN_LOGGED)
    )


def test_an_event_that_cannot_be_urgent_is_sent_as_not_urgent(people, school_a, school_b, deliver_all):
    with schema_context(school_a.schema_name):
        [message, *_] = notify_roles(event=Event.SERAT_COMPLETED, roles=[Role.DCPO], link=LINK, urgent=True)
    assert message.urgent is False


def test_misuse_is_refused_before_anything_is_written(people, school_a):
    with pytest.raises(ValueError, match="notify_school_roles"):
        notify_roles(event=Event.SCU_ANSWER, roles=[Role.DCPO], link=LINK)
    with pytest.raises(ValueError, match="school roles only"):
        notify_school_roles(school=school_a, event=Event.SCU_ANSWER, roles=[Role.SCU_OFFICER], link=LINK)
    with pytest.raises(ValueError, match=r"another schema|do not belong"):
        notify(event=Event.MASE_SCHEDULED, recipients=[people[("alpha", Role.DCPO)]], link=LINK)
    for link in ("https://evil.example/", "//evil.example/x", "cases/1/", "/cases/1/?name=Amelia", ""):
        with pytest.raises(ValueError, match="link"):
            notify_roles(event=Event.MASE_SCHEDULED, roles=[Role.SCU_OFFICER], link=link)
    with schema_context(school_a.schema_name):
        with pytest.raises(ValueError, match="from the central portal"):
            notify_school_roles(school=school_a, event=Event.SCU_ANSWER, roles=[Role.DCPO], link=LINK)
        assert not OutboxMessage.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_every_event_has_a_title_and_reaches_someone():
    for event in Event:
        assert event.title and event.title[0].isupper()
        assert any(event.may_reach(role) for role in Role)
    assert Event.REFERRAL_RECEIVED.can_be_urgent and not Event.SERAT_COMPLETED.can_be_urgent
    assert Event.REVIEW_DUE_SOON in events_for(Role.STAFF), "the assessor may be any member of staff"
    assert Event.TRAINING_EXPIRING in events_for(Role.STAFF)
    assert events_for(Role.GOVERNOR) == [] and events_for(Role.ANALYST) == []
    assert set(events_for(Role.SCU_OFFICER)) == {Event.REFERRAL_RECEIVED, Event.MASE_SCHEDULED}
