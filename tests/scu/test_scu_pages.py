"""The pages: for the DCPO, sending and following a referral; for the SCU, the queue, a referral, target
times, a meeting and recording an outcome; for the authority, schools and figures."""

from datetime import timedelta

from django.utils import timezone

from safeguarding.rules.roles import Role
from scu_portal.models import MaseMeeting, MaseOutcome, Referral, ScuAnswer
from scu_portal.models.referrals import ReferralTarget
from scu_portal.services.triage import referral_answer, referral_status_set
from tenants.models import School
from tests.helpers import client_signed_in_as
from tests.scu.conftest import make_case, referral_row, send

TODAY = timezone.localdate()


def html(response) -> str:
    return response.content.decode()


# --- the DCPO --------------------------------------------------------------------------------------


def test_the_send_page_at_very_high_asks_for_the_phone_call_first(school_a, dcpo_a, case):
    plan = case("very_high", first_name="Vera")
    client = client_signed_in_as(dcpo_a, school_a)
    chooser = html(client.get("/referrals/new/"))
    assert "Vera" in chooser and f"/referrals/new/plan/{plan.pk}/" in chooser
    page = html(client.get(f"/referrals/new/plan/{plan.pk}/"))
    assert page.index("The phone call to the SCU") < page.index("Why you are sending it")
    assert "MASE referral" in page and "Consultation about a MASE referral" not in page.split("Why other")[0]
    refused = client.post(f"/referrals/new/plan/{plan.pk}/", {"kind": "mase_referral", "reasons": "Disclosure."})
    assert refused.status_code == 400 and "When you phoned" in html(refused)
    assert not Referral.objects.exists()
    sent = client.post(f"/referrals/new/plan/{plan.pk}/", {
        "phoned_at": (timezone.localtime() - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
        "phoned_to": "Duty officer Sam", "phone_summary": "Told them of the disclosure.", "kind": "mase_referral",
        "reasons": "Disclosure of abuse.", "dcpo_phone": "0161 111 2222"})
    referral = Referral.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/referrals/{referral.pk}/"
    assert referral.urgent and referral.phoned_to == "Duty officer Sam"
    detail = html(client.get(sent["Location"]))
    assert "has not answered yet" in detail and "Duty officer Sam" in detail
    again = html(client.get(f"/referrals/new/plan/{plan.pk}/"))
    assert "Nothing can be sent on this plan now" in again and "Already sent on this plan" in again
    assert "already with the Safeguarding Children Unit" in again


def test_the_send_page_offers_only_what_the_level_allows_and_says_why_not(school_a, dcpo_a, case):
    plan = case("medium", consent="given")
    client = client_signed_in_as(dcpo_a, school_a)
    page = html(client.get(f"/referrals/new/plan/{plan.pk}/"))
    assert "Nothing can be sent on this plan now" in page
    assert "when a parent or carer has refused" in page
    forced = client.post(f"/referrals/new/plan/{plan.pk}/", {"kind": "mase_referral", "reasons": "Try anyway."})
    assert forced.status_code == 400 and not Referral.objects.exists()


def test_a_refusal_of_the_service_shows_with_the_form(school_a, dcpo_a, case):
    from safeguarding.models import Plan

    plan = case("high")
    client = client_signed_in_as(dcpo_a, school_a)
    client.get(f"/referrals/new/plan/{plan.pk}/")
    from django_tenants.utils import schema_context

    with schema_context(school_a.schema_name):
        Plan.objects.filter(pk=plan.pk).update(status="superseded")
    response = client.post(f"/referrals/new/plan/{plan.pk}/", {"kind": "mase_consultation", "reasons": "Worried."})
    assert response.status_code == 400
    assert "There is a problem" in html(response)


def test_the_dcpo_follows_replies_and_withdraws(school_a, dcpo_a, case, officer):
    referral = send(school_a, case("high", first_name="Rhea"), "mase_consultation", by=dcpo_a)
    referral_answer(referral=referral, kind="information_request", text="What did the police say?", actor=officer)
    client = client_signed_in_as(dcpo_a, school_a)
    listing = html(client.get("/referrals/"))
    assert "Rhea" in listing and "More information requested" in listing
    detail = html(client.get(f"/referrals/{referral.pk}/"))
    assert "What did the police say?" in detail and "Olu Officer" in detail and "Send reply" in detail
    assert client.post(f"/referrals/{referral.pk}/reply/", {"text": ""}).status_code == 400
    assert client.post(f"/referrals/{referral.pk}/reply/", {"text": "They visited."}).status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "school_replied"
    assert ScuAnswer.objects.filter(referral=referral, kind="school_reply", text="They visited.").exists()
    assert client.post(f"/referrals/{referral.pk}/withdraw/", {"reason": "Family moved away."}).status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "withdrawn"
    assert "Withdraw this" not in html(client.get(f"/referrals/{referral.pk}/"))


def test_the_young_persons_referrals_show_every_answer(school_a, dcpo_a, case, officer):
    plan = case("high", first_name="Yara")
    referral = send(school_a, plan, "mase_consultation", by=dcpo_a)
    referral_answer(referral=referral, kind="advice", text="Refer to MASE now.", actor=officer)
    client = client_signed_in_as(dcpo_a, school_a)
    page = html(client.get(f"/referrals/young-person/{plan.young_person_id}/"))
    assert "Refer to MASE now." in page and "Consultation about a MASE referral" in page


# --- the SCU ---------------------------------------------------------------------------------------


def test_the_scu_triages_answers_and_assigns_on_the_referral_page(signed_in, school_a, dcpo_a, case, officer):
    referral = send(school_a, case("high", agreed=True), "material_agreement", by=dcpo_a)
    client, manager = signed_in(Role.SCU_MANAGER)
    page = html(client.get(f"/scu/referrals/{referral.pk}/"))
    assert "Acknowledged" in page and "Agreement to use the material pending MASE" in page
    assert client.post(f"/scu/referrals/{referral.pk}/status/", {"status": "closed"}).status_code == 400
    assert client.post(f"/scu/referrals/{referral.pk}/status/", {"status": "acknowledged"}).status_code == 302
    answered = client.post(f"/scu/referrals/{referral.pk}/answer/", {
        "kind": "material_agreed", "text": "Agreed pending MASE.", "conditions": "1:1 only.",
        "review_on": (TODAY + timedelta(days=21)).isoformat()})
    assert answered.status_code == 302
    answer = ScuAnswer.objects.get(referral=referral)
    assert (answer.kind, answer.conditions, answer.by_name) == ("material_agreed", "1:1 only.", manager.full_name)
    assert client.post(f"/scu/referrals/{referral.pk}/assign/", {"officer": officer.pk}).status_code == 302
    assert Referral.objects.get(pk=referral.pk).assigned_to == officer
    bad = client.post(f"/scu/referrals/{referral.pk}/answer/", {"kind": "advice", "text": ""})
    assert bad.status_code == 400


def test_the_manager_sets_target_times_on_their_page(signed_in):
    client, _ = signed_in(Role.SCU_MANAGER)
    page = client.get("/scu/targets/")
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data["hours__mase_referral__very_high"] = 2
    assert client.post("/scu/targets/", data).status_code == 302
    assert ReferralTarget.objects.get(kind="mase_referral", level="very_high").hours == 2
    data["hours__mase_referral__very_high"] = 0
    assert client.post("/scu/targets/", data).status_code == 400


def test_a_meeting_is_arranged_and_its_outcome_recorded_on_the_pages(signed_in, school_a, very_high_referral):
    client, officer = signed_in(Role.SCU_OFFICER)
    referral_status_set(referral=very_high_referral, status="acknowledged", actor=officer)
    referral_status_set(referral=very_high_referral, status="under_review", actor=officer)
    form = html(client.get(f"/scu/meetings/new/?referral={very_high_referral.pk}"))
    assert very_high_referral.young_person_name in form
    made = client.post("/scu/meetings/new/", {"held_on": TODAY.isoformat(), "agencies": "Police\nHealth",
                                              "referrals": [very_high_referral.pk]})
    meeting = MaseMeeting.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/scu/meetings/{meeting.pk}/"
    assert "Record the outcome" in html(client.get(made["Location"]))
    url = f"/scu/meetings/{meeting.pk}/referrals/{very_high_referral.pk}/outcome/"
    missing = client.post(url, {"agreed_level": "high", "material_use": "without_consent",
                                "next_review_on": (TODAY + timedelta(days=30)).isoformat()})
    assert missing.status_code == 400 and "Give the plan" in html(missing)
    recorded = client.post(url, {"agreed_level": "high", "material_use": "without_consent",
                                 "next_review_on": (TODAY + timedelta(days=30)).isoformat(),
                                 "action_1": "Police visit", "owner_1": "Police", "action_2": "Sessions 1:1",
                                 "owner_2": "DCPO"})
    assert recorded.status_code == 302
    assert MaseOutcome.objects.get().actions == [{"action": "Police visit", "owner": "Police"},
                                                 {"action": "Sessions 1:1", "owner": "DCPO"}]
    assert client.get(f"/scu/meetings/{meeting.pk}/referrals/999999/outcome/").status_code == 404
    listing = html(client.get("/scu/meetings/"))
    assert TODAY.strftime("%Y") in listing


def test_a_referral_is_added_to_a_meetings_agenda(signed_in, school_a, officer):
    client, _ = signed_in(Role.SCU_OFFICER)
    referral = referral_row(school_a, kind="mase_referral", level="very_high", status="under_review",
                            name="Agenda Anna")
    meeting = MaseMeeting.objects.create(held_on=TODAY, agencies="Police")
    assert "Agenda Anna" in html(client.get(f"/scu/meetings/{meeting.pk}/"))
    assert client.post(f"/scu/meetings/{meeting.pk}/", {"referral": referral.pk}).status_code == 302
    assert list(meeting.referrals.all()) == [referral]


# --- the authority ---------------------------------------------------------------------------------


def test_the_authority_admin_provisions_a_school(signed_in):
    client, _ = signed_in(Role.AUTHORITY_ADMIN)
    assert "Alpha School" in html(client.get("/scu/schools/"))
    bad = client.post("/scu/schools/", {"name": "Bad", "urn": "12", "kind": "academy", "slug": "bad"})
    assert bad.status_code == 400 and not School.objects.filter(slug="bad").exists()
    made = client.post("/scu/schools/", {"name": "Golf Academy", "urn": "923456", "kind": "academy",
                                         "slug": "golf"})
    assert made.status_code == 302 and School.objects.filter(slug="golf").exists()


def test_the_analyst_sees_counts_and_no_names(signed_in, school_a, school_b, dcpo_b):
    referral_row(school_a, level="very_high", kind="mase_referral", name="Secret Sally")
    send(school_b, make_case(school_b, "high", by=dcpo_b, first_name="Hidden"), "mase_consultation", by=dcpo_b)
    client, _ = signed_in(Role.ANALYST)
    page = html(client.get("/scu/figures/"))
    assert "Secret Sally" not in page and "Hidden" not in page and "Alpha School" not in page
    data = client.get("/api/scu/figures/").json()
    assert data["total"] == 2
    assert {row["label"]: row["count"] for row in data["by_level"]}["Very High Risk"] == 1
    assert {row["label"]: row["count"] for row in data["by_school_kind"]} == {
        "High school": 1, "Academy": 1, "College": 0, "Pupil referral unit": 0}
    assert sum(row["count"] for row in data["by_month"]) == 2


def test_a_referral_that_moved_on_is_put_back_on_its_meetings_agenda_from_the_pages(signed_in, school_a, officer):
    from scu_portal.services.mase import mase_meeting_create

    client, _ = signed_in(Role.SCU_OFFICER)
    referral = referral_row(school_a, kind="mase_referral", level="very_high", status="under_review",
                            name="Back Billie")
    meeting = mase_meeting_create(held_on=TODAY, agencies=["Police"], referrals=[referral], actor=officer)
    referral_status_set(referral=referral, status="under_review", actor=officer)
    page = html(client.get(f"/scu/meetings/{meeting.pk}/"))
    assert "Put back on the agenda" in page and "Record the outcome" not in page
    outcome_page = html(client.get(f"/scu/meetings/{meeting.pk}/referrals/{referral.pk}/outcome/"))
    assert "put it back on the meeting&#x27;s agenda" in outcome_page and "Next review date" not in outcome_page
    assert f'action="/scu/meetings/{meeting.pk}/"' in html(client.get(f"/scu/referrals/{referral.pk}/"))
    assert client.post(f"/scu/meetings/{meeting.pk}/", {"referral": referral.pk}).status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "mase_scheduled"
    assert list(meeting.referrals.all()) == [referral]
    page = html(client.get(f"/scu/meetings/{meeting.pk}/"))
    assert "Record the outcome" in page and "Put back on the agenda" not in page
    assert client.post(f"/scu/meetings/{meeting.pk}/", {"referral": referral.pk}).status_code == 400
