"""Access, from every role, every school and the other side: a school sees only its own referrals; the SCU
sees referrals and nothing else of a school; only the DCPO sends; only the SCU triages."""

import pytest
from django.utils import timezone

from safeguarding.rules.roles import Audience, Role, roles_for
from scu_portal.models import Referral
from scu_portal.services.mase import mase_meeting_create
from tests.scu.conftest import referral_row, send

SCHOOL_ROLES = roles_for(Audience.SCHOOL)
CENTRAL_ROLES = roles_for(Audience.CENTRAL)
SCU = {Role.SCU_OFFICER, Role.SCU_MANAGER}
READERS = {Role.DCPO, Role.HEADTEACHER}


@pytest.fixture
def sent(school_a, school_b, dcpo_a, dcpo_b, case):
    """A consultation from each school; returns (alpha's, bravo's)."""
    from tests.scu.conftest import make_case

    mine = send(school_a, case("high", first_name="Alfie"), "mase_consultation", by=dcpo_a)
    theirs = send(school_b, make_case(school_b, "high", by=dcpo_b, first_name="Bella"), "mase_consultation",
                  by=dcpo_b)
    return mine, theirs


def school_pages(referral, plan_id):
    return ["/referrals/", "/referrals/new/", f"/referrals/new/plan/{plan_id}/", f"/referrals/{referral.pk}/",
            f"/referrals/young-person/{referral.young_person_ref}/", "/api/referrals/",
            f"/api/referrals/{referral.pk}/", f"/api/referrals/send-options/?plan={plan_id}"]


def central_pages(referral, meeting):
    on_agenda = meeting.referrals.get()
    return ["/scu/", f"/scu/referrals/{referral.pk}/", "/scu/meetings/", "/scu/meetings/new/",
            f"/scu/meetings/{meeting.pk}/", f"/scu/meetings/{meeting.pk}/referrals/{on_agenda.pk}/outcome/",
            "/api/scu/referrals/", f"/api/scu/referrals/{referral.pk}/", "/api/scu/targets/", "/api/scu/meetings/",
            f"/api/scu/meetings/{meeting.pk}/"]


# --- the school side -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", SCHOOL_ROLES)
def test_each_school_role_at_its_own_school(signed_in, school_a, sent, role):
    mine, _ = sent
    client, _ = signed_in(role, school_a)
    senders_only = {"/referrals/new/", f"/referrals/new/plan/{mine.plan_ref}/",
                    f"/api/referrals/send-options/?plan={mine.plan_ref}"}
    for url in school_pages(mine, mine.plan_ref):
        expected = 200 if role is Role.DCPO or (role in READERS and url not in senders_only) else 403
        assert client.get(url).status_code == expected, (role, url)


@pytest.mark.parametrize("role", SCHOOL_ROLES)
def test_school_roles_other_than_the_dcpo_cannot_send_reply_or_withdraw(signed_in, school_a, sent, case, role):
    mine, _ = sent
    plan = case("high")
    client, _ = signed_in(role, school_a)
    writes = [
        (f"/referrals/new/plan/{plan.pk}/", {"kind": "mase_consultation", "reasons": "Worried."}),
        (f"/referrals/{mine.pk}/withdraw/", {"reason": "Mistake."}),
        ("/api/referrals/", {"plan": plan.pk, "kind": "mase_consultation", "reasons": "Worried."}),
        (f"/api/referrals/{mine.pk}/withdraw/", {"reason": "Mistake."}),
        (f"/api/referrals/{mine.pk}/reply/", {"text": "Here."}),
    ]
    for url, data in writes:
        response = client.post(url, data)
        if role is Role.DCPO:
            assert response.status_code in (201, 200, 302, 409), (url, response.status_code)
        else:
            assert response.status_code == 403, (role, url)
    if role is not Role.DCPO:
        assert Referral.objects.filter(school=school_a).count() == 1
        assert Referral.objects.get(pk=mine.pk).status == "received"


@pytest.mark.parametrize("role", sorted(READERS))
def test_a_school_sees_only_its_own_referrals(signed_in, school_a, sent, role):
    mine, theirs = sent
    client, _ = signed_in(role, school_a)
    listing = client.get("/referrals/").content.decode()
    assert "Alfie" in listing and "Bella" not in listing
    api = client.get("/api/referrals/").json()
    assert [row["id"] for row in api["results"]] == [mine.pk]
    for url in (f"/referrals/{theirs.pk}/", f"/api/referrals/{theirs.pk}/"):
        assert client.get(url).status_code == 404
    filtered = client.get(f"/api/referrals/?young_person={theirs.young_person_ref}").json()["results"]
    assert all(row["id"] == mine.pk for row in filtered)


def test_a_school_cannot_act_on_another_schools_referral(signed_in, school_a, sent):
    _, theirs = sent
    client, _ = signed_in(Role.DCPO, school_a)
    assert client.post(f"/referrals/{theirs.pk}/withdraw/", {"reason": "Not ours"}).status_code == 404
    assert client.post(f"/api/referrals/{theirs.pk}/withdraw/", {"reason": "Not ours"}).status_code == 404
    assert client.post(f"/api/referrals/{theirs.pk}/reply/", {"text": "Not ours"}).status_code == 404
    assert Referral.objects.get(pk=theirs.pk).status == "received"


def test_the_school_side_never_shows_which_officer_holds_it(signed_in, school_a, sent, officer, manager):
    from scu_portal.services.triage import referral_assign

    mine, _ = sent
    referral_assign(referral=mine, officer=officer, actor=manager)
    client, _ = signed_in(Role.DCPO, school_a)
    data = client.get(f"/api/referrals/{mine.pk}/").json()
    assert "assigned_to" not in data and officer.email not in str(data)
    assert "Olu Officer" not in client.get(f"/referrals/{mine.pk}/").content.decode()


def test_anonymous_at_a_school(client_for, school_a, sent):
    mine, _ = sent
    client = client_for(school_a)
    for url in school_pages(mine, mine.plan_ref):
        response = client.get(url)
        assert response.status_code == (401 if url.startswith("/api/") else 302), url


def test_no_scu_page_at_a_school_and_no_school_page_at_the_portal(signed_in, school_a, sent):
    mine, _ = sent
    dcpo, _ = signed_in(Role.DCPO, school_a)
    for url in ("/scu/", f"/scu/referrals/{mine.pk}/", "/scu/meetings/", f"/api/scu/referrals/{mine.pk}/"):
        assert dcpo.get(url).status_code == 404, url
    scu, _ = signed_in(Role.SCU_MANAGER)
    for url in ("/referrals/", f"/referrals/{mine.pk}/", f"/api/referrals/{mine.pk}/", "/young-people/",
                "/api/young-people/", "/cases/"):
        assert scu.get(url).status_code == 404, url


def test_the_central_api_offers_nothing_of_a_schools_records(signed_in):
    client, _ = signed_in(Role.SCU_OFFICER)
    root = client.get("/api/").json()
    assert "scu/referrals" in root and "referrals" not in root
    assert not any(name.startswith(("young-people", "cases", "plans", "assessments", "sessions")) for name in root)


# --- the central side ------------------------------------------------------------------------------


@pytest.fixture
def meeting(school_a, officer):
    """A MASE meeting with one very high referral on its agenda."""
    on_agenda = referral_row(school_a, kind="mase_referral", level="very_high", status="under_review")
    return mase_meeting_create(held_on=timezone.localdate(), agencies=["Police"], referrals=[on_agenda],
                               actor=officer)


@pytest.mark.parametrize("role", CENTRAL_ROLES)
def test_each_central_role_at_the_portal(signed_in, sent, meeting, role):
    mine, _ = sent
    client, _ = signed_in(role)
    for url in central_pages(mine, meeting):
        assert client.get(url).status_code == (200 if role in SCU else 403), (role, url)
    assert client.get("/scu/targets/").status_code == (200 if role is Role.SCU_MANAGER else 403)
    assert client.get("/scu/figures/").status_code == (200 if role is Role.ANALYST else 403)
    assert client.get("/api/scu/figures/").status_code == (200 if role is Role.ANALYST else 403)
    assert client.get("/scu/schools/").status_code == (200 if role is Role.AUTHORITY_ADMIN else 403)


@pytest.mark.parametrize("role", CENTRAL_ROLES)
def test_central_roles_other_than_scu_cannot_triage(signed_in, sent, meeting, officer, role):
    mine, _ = sent
    client, _ = signed_in(role)
    writes = [
        (f"/scu/referrals/{mine.pk}/status/", {"status": "acknowledged"}),
        (f"/scu/referrals/{mine.pk}/answer/", {"kind": "advice", "text": "Hello"}),
        (f"/api/scu/referrals/{mine.pk}/status/", {"status": "acknowledged"}),
        (f"/api/scu/referrals/{mine.pk}/answers/", {"kind": "advice", "text": "Hello"}),
        ("/api/scu/meetings/", {"held_on": "2026-01-01", "agencies": ["Police"]}),
    ]
    for url, data in writes:
        response = client.post(url, data, content_type="application/json") if url.startswith("/api/") \
            else client.post(url, data)
        if role in SCU:
            assert response.status_code in (200, 201, 302, 409), (role, url, response.status_code)
        else:
            assert response.status_code == 403, (role, url)
    assign = client.post(f"/api/scu/referrals/{mine.pk}/assign/", {"officer": officer.pk},
                         content_type="application/json")
    assert assign.status_code == (200 if role is Role.SCU_MANAGER else 403)
    target = client.post("/api/scu/targets/", {"kind": "mase_referral", "level": "high", "hours": 5},
                         content_type="application/json")
    assert target.status_code == (200 if role is Role.SCU_MANAGER else 403)


def test_anonymous_at_the_portal(client_for, sent, meeting):
    mine, _ = sent
    client = client_for(None)
    for url in central_pages(mine, meeting):
        assert client.get(url).status_code == (401 if url.startswith("/api/") else 302), url


def test_the_scu_sees_every_schools_referrals_and_only_what_was_sent(signed_in, sent, school_a):
    mine, theirs = sent
    client, _ = signed_in(Role.SCU_OFFICER)
    names = {row["young_person_name"] for row in client.get("/api/scu/referrals/").json()["results"]}
    assert {mine.young_person_name, theirs.young_person_name} <= names
    page = client.get(f"/scu/referrals/{mine.pk}/").content.decode()
    assert mine.reasons in page
    assert "Private note" not in page and "Headteacher's private note" not in page


def test_a_school_session_means_nothing_at_the_portal_and_a_portal_session_nothing_at_a_school(
        signed_in, client_for, school_a):
    dcpo, _ = signed_in(Role.DCPO, school_a)
    scu, _ = signed_in(Role.SCU_OFFICER)
    portal = client_for(None)
    portal.cookies["sessionid"] = dcpo.cookies["sessionid"].value
    assert portal.get("/scu/").status_code == 302
    school = client_for(school_a)
    school.cookies["sessionid"] = scu.cookies["sessionid"].value
    assert school.get("/referrals/").status_code == 302


def test_another_schools_referrals_do_not_reach_a_schools_gates(school_a, school_b, case, officer):
    from scu_portal.selectors.answers import plan_scu_facts
    from scu_portal.services.triage import referral_answer

    plan = case("very_high")
    theirs = referral_row(school_b, kind="mase_referral", level="very_high")
    Referral.objects.filter(pk=theirs.pk).update(plan_ref=plan.pk)
    referral_answer(referral=theirs, kind="advice", text="For bravo only.", actor=officer)
    assert not plan_scu_facts(school=school_a, plan_id=plan.pk).advice_recorded


def test_every_read_of_a_referral_is_audited_on_its_side(signed_in, school_a, sent):
    from cse_platform.audit.models import AuditEvent
    from django_tenants.utils import schema_context

    mine, _ = sent
    dcpo, user = signed_in(Role.DCPO, school_a)
    dcpo.get(f"/referrals/{mine.pk}/")
    dcpo.get("/api/referrals/")
    with schema_context(school_a.schema_name):
        read = AuditEvent.objects.get(action="referral.read", actor=user)
        assert (read.subject_id, read.young_person_id) == (str(mine.pk), mine.young_person_ref)
        assert AuditEvent.objects.get(action="referral.list", actor=user).detail == {"shown": [mine.pk]}
    scu, officer = signed_in(Role.SCU_OFFICER)
    scu.get("/scu/")
    scu.get(f"/scu/referrals/{mine.pk}/")
    central = AuditEvent.objects.filter(actor=officer)
    assert set(central.values_list("action", flat=True)) == {"referral.queue", "referral.read"}
    assert central.get(action="referral.read").detail["school"] == school_a.pk
