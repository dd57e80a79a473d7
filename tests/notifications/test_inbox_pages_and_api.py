"""Inbox, preferences and failures: pages and API on both hosts, and who may see what."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from notifications.context import unread
from notifications.events import Event
from notifications.models import DeliveryFailure, EmailPreference, InboxItem
from notifications.services import notify, notify_roles
from safeguarding.rules.roles import Role

LINK = "/cases/young-people/7/"


@pytest.fixture
def inbox_of(deliver_all):
    """inbox_of(user, school, n, event=...) → n delivered items for that user."""

    def make(user, school, n=1, event=Event.CONCERN_LOGGED, link=LINK):
        schema = school.schema_name if school else "public"
        with schema_context(schema):
            for _ in range(n):
                notify(event=event, recipients=[user], link=link)
        deliver_all()
        with schema_context(schema):
            return list(InboxItem.objects.filter(user=user).order_by("pk"))

    return make


def test_the_inbox_shows_my_items_unread_first_and_opening_one_marks_it_read(signed_in, school_a, inbox_of):
    client, me = signed_in(Role.DCPO, school_a)
    first, second = inbox_of(me, school_a, 2)
    page = client.get("/inbox/")
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="inbox-item"') == 2
    opened = client.get(f"/inbox/{first.pk}/")
    assert opened.status_code == 302 and opened["Location"] == LINK
    with schema_context(school_a.schema_name):
        first.refresh_from_db()
        assert first.read_at is not None
    html = client.get("/inbox/").content.decode()
    assert html.index(f"/inbox/{second.pk}/") < html.index(f"/inbox/{first.pk}/"), "unread first"
    assert client.post("/inbox/read-all/").status_code == 302
    with schema_context(school_a.schema_name):
        assert not InboxItem.objects.filter(user=me, read_at__isnull=True).exists()


def test_no_one_else_sees_or_opens_my_items(signed_in, school_a, school_b, make_user, inbox_of):
    me = make_user(Role.DCPO, school_a)
    [mine] = inbox_of(me, school_a)
    colleague_client, _ = signed_in(Role.DCPO, school_a)
    other_school_client, _ = signed_in(Role.DCPO, school_b)
    central_client, _ = signed_in(Role.AUTHORITY_ADMIN)
    for client in (colleague_client, other_school_client, central_client):
        assert 'data-testid="inbox-item"' not in client.get("/inbox/").content.decode()
        assert client.get(f"/inbox/{mine.pk}/").status_code == 404
        assert client.post(f"/api/inbox/{mine.pk}/read/").status_code == 404
        assert client.get("/api/inbox/").json()["count"] == 0
        client.post("/inbox/read-all/")
        client.post("/api/inbox/read-all/")
    with schema_context(school_a.schema_name):
        mine.refresh_from_db()
        assert mine.read_at is None, "nobody else could mark it read"


def test_the_inbox_needs_a_sign_in(client_for, school_a):
    assert client_for(school_a).get("/inbox/").status_code == 302
    assert client_for(None).get("/inbox/preferences/").status_code == 302
    assert client_for(school_a).get("/api/inbox/").status_code == 401


def test_the_central_portal_has_its_own_inbox(signed_in, inbox_of):
    client, officer = signed_in(Role.SCU_OFFICER)
    inbox_of(officer, None, 3, event=Event.MASE_SCHEDULED, link="/scu/meetings/1/")
    assert client.get("/api/inbox/unread/").json() == {"unread": 3}
    assert client.get("/inbox/").content.decode().count('data-testid="inbox-item"') == 3


def unread_counts(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries
            if "COUNT(*)" in q["sql"] and '"notifications_inboxitem"' in q["sql"]]


def test_the_unread_count_is_on_every_page_in_one_query(signed_in, school_a, inbox_of, django_assert_num_queries):
    """With the project's own settings (its context processors), every page shows the count, from one
    count query (django-tenants also shows its `SET search_path`, issued per cursor)."""
    client, me = signed_in(Role.HEADTEACHER, school_a)
    inbox_of(me, school_a, 4, event=Event.PLAN_AWAITING_AGREEMENT)
    for path in ("/", "/inbox/preferences/"):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(path)
        assert page.status_code == 200
        html = page.content.decode()
        assert 'class="app-badge"' in html and ">4<" in html, path
        assert len(unread_counts(queries)) == 1, path
    request = RequestFactory().get("/")
    request.user = me
    with schema_context(school_a.schema_name), CaptureQueriesContext(connection) as queries:
        assert unread(request) == {"unread_count": 4}
    counted = [q["sql"] for q in queries.captured_queries if not q["sql"].upper().startswith("SET SEARCH_PATH")]
    assert len(counted) == 1 and "COUNT(*)" in counted[0]
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    with django_assert_num_queries(0):
        assert unread(request) == {"unread_count": 0}


def test_the_inbox_api_lists_marks_and_counts(signed_in, school_a, inbox_of):
    client, me = signed_in(Role.DCPO, school_a)
    first, second = inbox_of(me, school_a, 2)
    listing = client.get("/api/inbox/").json()
    assert [item["id"] for item in listing["results"]] == [second.pk, first.pk]
    assert listing["results"][0] == {"id": second.pk, "event": "concern_logged",
                                     "title": "A note of concern was logged – Alpha School", "link": LINK,
                                     "urgent": False, "created_at": listing["results"][0]["created_at"],
                                     "read_at": None, "is_read": False}
    assert client.post(f"/api/inbox/{first.pk}/read/").json()["is_read"] is True
    assert [i["id"] for i in client.get("/api/inbox/?unread=true").json()["results"]] == [second.pk]
    assert client.get("/api/inbox/unread/").json() == {"unread": 1}
    assert client.post("/api/inbox/read-all/").json() == {"marked": 1}
    assert client.get("/api/inbox/unread/").json() == {"unread": 0}


def test_preferences_page_offers_my_roles_events_and_saves(signed_in, school_a):
    client, me = signed_in(Role.DCPO, school_a)
    page = client.get("/inbox/preferences/").content.decode()
    for event in (Event.SERAT_COMPLETED, Event.SCU_ANSWER, Event.REVIEW_DUE_SOON):
        assert f'name="{event.value}"' in page
    assert 'name="plan_awaiting_agreement"' not in page and 'name="referral_received"' not in page
    assert "Urgent ones are always emailed" in page, "shown for the kinds that can be urgent"
    on = {"concern_logged": "on", "scu_answer": "on"}
    assert client.post("/inbox/preferences/", on).status_code == 302
    with schema_context(school_a.schema_name):
        chosen = dict(EmailPreference.objects.filter(user=me).values_list("event", "email_on"))
    assert chosen["serat_completed"] is False and chosen["concern_logged"] is True and chosen["scu_answer"] is True


def test_preferences_api(signed_in, school_a):
    client, me = signed_in(Role.HEADTEACHER, school_a)
    rows = client.get("/api/notification-preferences/").json()
    assert {row["event"] for row in rows} == {"plan_awaiting_agreement", "review_overdue"}
    response = client.patch("/api/notification-preferences/review_overdue/", {"email_on": False},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["email_on"] is False
    refused = client.patch("/api/notification-preferences/serat_completed/", {"email_on": False},
                           content_type="application/json")
    assert refused.status_code == 400 and "event" in refused.json()
    assert client.patch("/api/notification-preferences/nonsense/", {"email_on": False},
                        content_type="application/json").status_code == 404
    with schema_context(school_a.schema_name):
        assert list(EmailPreference.objects.values_list("user_id", "event", "email_on")) == [
            (me.pk, "review_overdue", False)]


@pytest.fixture
def failures(school_a):
    DeliveryFailure.objects.create(school=school_a, schema_name=school_a.schema_name, message_id=41,
                                   event="serat_completed", recipient_role="dcpo", attempts=8,
                                   reason="SMTPRecipientsRefused: 550 [address] mailbox unavailable")
    DeliveryFailure.objects.create(school=None, schema_name="public", message_id=42, event="mase_scheduled",
                                   recipient_role="scu_officer", attempts=8, reason="SMTPServerDisconnected")
    return DeliveryFailure.objects.all()


def test_failed_deliveries_are_shown_to_authority_admins_only(signed_in, client_for, school_a, failures):
    client, _ = signed_in(Role.AUTHORITY_ADMIN)
    page = client.get("/inbox/failures/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="failure"') == 2
    assert "Alpha School" in html and "Central portal" in html and "mailbox unavailable" in html
    api = client.get("/api/delivery-failures/").json()
    assert {(row["school"], row["event"]) for row in api["results"]} == {
        ("alpha", "serat_completed"), (None, "mase_scheduled")}
    for role in (Role.SCU_OFFICER, Role.SCU_MANAGER, Role.ANALYST):
        other, _ = signed_in(role)
        assert other.get("/inbox/failures/").status_code == 403
        assert other.get("/api/delivery-failures/").status_code == 403
    assert client_for(None).get("/inbox/failures/").status_code == 302
    assert client_for(None).get("/api/delivery-failures/").status_code == 401
    for role in (Role.DCPO, Role.HEADTEACHER, Role.SCHOOL_ADMIN):
        at_school, _ = signed_in(role, school_a)
        assert at_school.get("/inbox/failures/").status_code == 404
        assert at_school.get("/api/delivery-failures/").status_code == 404
        assert at_school.post(f"/inbox/failures/{failures[0].pk}/retry/").status_code == 404
    assert client_for(school_a).get("/inbox/failures/").status_code == 404


def test_an_authority_admin_can_ask_for_a_retry(signed_in, failures, notifications_broker):
    client, _ = signed_in(Role.AUTHORITY_ADMIN)
    failure = failures[0]
    response = client.post(f"/inbox/failures/{failure.pk}/retry/")
    assert response.status_code == 302
    assert client.post(f"/api/delivery-failures/{failure.pk}/retry/").status_code == 202
    officer, _ = signed_in(Role.SCU_OFFICER)
    assert officer.post(f"/inbox/failures/{failure.pk}/retry/").status_code == 403
    assert officer.post(f"/api/delivery-failures/{failure.pk}/retry/").status_code == 403


def test_the_openapi_schemas_document_the_inbox_without_warnings(signed_in, school_a):
    client, _ = signed_in(Role.DCPO, school_a)
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert "/api/inbox/" in paths and "/api/notification-preferences/{event}/" in paths


def test_inbox_items_of_a_role_never_carry_a_childs_details(signed_in, school_a, deliver_all):
    client, _ = signed_in(Role.DCPO, school_a)
    with schema_context(school_a.schema_name):
        notify_roles(event=Event.SERAT_COMPLETED, roles=[Role.DCPO], link="/cases/young-people/99/")
    deliver_all()
    [item] = client.get("/api/inbox/").json()["results"]
    assert set(item) == {"id", "event", "title", "link", "urgent", "created_at", "read_at", "is_read"}
    assert item["title"] == "A SERAT was completed – Alpha School"
