"""The framework page at a school, a governor's acknowledgement, and the authority's oversight page."""

import pytest
from django.urls import reverse

from safeguarding.rules.levels import Level
from safeguarding.rules.plans import plan_for
from safeguarding.rules.roles import Role
from scu_portal.models import GovernorAcknowledgement
from scu_portal.services.governance import framework_version_publish
from tests.helpers import client_signed_in_as


def test_a_governor_reads_the_framework_rendered_from_the_rules(signed_in, school_a):
    client, _ = signed_in(Role.GOVERNOR, school_a)
    response = client.get("/framework/")
    assert response.status_code == 200
    page = response.content.decode()
    for level in Level:
        plan = plan_for(level)
        assert f'data-testid="level-{level.value}"' in page
        assert level.label in page
        assert plan.review.text in page
    assert "Acknowledge version 2026.1" in page


def test_a_governor_acknowledges_on_the_page_once(signed_in, school_a):
    client, governor = signed_in(Role.GOVERNOR, school_a)
    response = client.post("/framework/acknowledge/", {"version": "2026.1"})
    assert response.status_code == 302 and response["Location"] == "/framework/"
    made = GovernorAcknowledgement.objects.get(school=school_a)
    assert made.governor_email == governor.email
    page = client.get("/framework/").content.decode()
    assert "You acknowledged version 2026.1" in page and "Acknowledge version 2026.1" not in page
    again = client.post("/framework/acknowledge/", {"version": "2026.1"})
    assert again.status_code == 200 and "You acknowledged framework version 2026.1" in again.content.decode()
    assert GovernorAcknowledgement.objects.filter(school=school_a).count() == 1


def test_an_out_of_date_page_cannot_acknowledge_a_newer_version(signed_in, make_user, school_a):
    client, _ = signed_in(Role.GOVERNOR, school_a)
    framework_version_publish(version="2027.1", title="Revised", summary="Changed.",
                              actor=make_user(Role.AUTHORITY_ADMIN))
    response = client.post("/framework/acknowledge/", {"version": "2026.1"})
    assert "no longer the version in force" in response.content.decode()
    assert not GovernorAcknowledgement.objects.filter(school=school_a).exists()


@pytest.mark.parametrize("role", [Role.DCPO, Role.HEADTEACHER])
def test_dcpo_and_headteacher_read_it_but_cannot_acknowledge(signed_in, school_a, role):
    client, _ = signed_in(role, school_a)
    page = client.get("/framework/").content.decode()
    assert "What each level of risk requires" in page and "Acknowledge version" not in page
    assert client.post("/framework/acknowledge/", {"version": "2026.1"}).status_code == 403
    assert not GovernorAcknowledgement.objects.filter(school=school_a).exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.SCHOOL_ADMIN])
def test_other_school_roles_cannot_read_or_acknowledge(signed_in, school_a, role):
    client, _ = signed_in(role, school_a)
    assert client.get("/framework/").status_code == 403
    assert client.post("/framework/acknowledge/", {"version": "2026.1"}).status_code == 403
    assert not GovernorAcknowledgement.objects.filter(school=school_a).exists()


def test_the_figures_count_current_levels_and_open_reviews_without_names(signed_in, school_a, school_records):
    records = school_records(school_a)
    first = records.young_person(first_name="Zephyrine", last_name="Quarrington")
    records.assessment(first, "low", total=15)
    records.assessment(first, "medium", total=25, quiz_level="high", open_review=True)  # latest; quiz raises it
    second = records.young_person(first_name="Bartholomew", last_name="Fennimore")
    records.assessment(second, "very_low", total=3, open_review=True)
    records.young_person(first_name="Never", last_name="Assessed")
    client, _ = signed_in(Role.GOVERNOR, school_a)
    page = client.get("/framework/").content.decode()
    assert 'data-testid="count-high">1<' in page
    assert 'data-testid="count-medium">0<' in page, "the latest SERAT counts, raised by the quiz"
    assert 'data-testid="count-low">0<' in page, "an earlier SERAT does not count"
    assert 'data-testid="count-very_low">1<' in page
    assert 'data-testid="count-not-assessed">1<' in page
    assert 'data-testid="open-reviews">2<' in page
    for name in ("Zephyrine", "Quarrington", "Bartholomew", "Fennimore"):
        assert name not in page


def test_a_school_sees_only_its_own_acknowledgements_and_figures(signed_in, school_a, school_b, school_records):
    alpha, _ = signed_in(Role.GOVERNOR, school_a)
    alpha.post("/framework/acknowledge/", {"version": "2026.1"})
    records = school_records(school_a)
    records.assessment(records.young_person(), "high", total=40)
    bravo, _ = signed_in(Role.GOVERNOR, school_b)
    page = bravo.get("/framework/").content.decode()
    assert "No governor has acknowledged version 2026.1 yet" in page
    assert 'data-testid="count-high">0<' in page
    assert "Acknowledge version 2026.1" in page


def test_a_governors_session_means_nothing_at_another_school(make_user, school_a, school_b):
    governor = make_user(Role.GOVERNOR, school_a)
    client = client_signed_in_as(governor, school_a)
    client.defaults["HTTP_HOST"] = f"{school_b.slug}.localhost"
    assert client.get("/framework/").status_code == 302
    assert client.post("/framework/acknowledge/", {"version": "2026.1"}).status_code == 302
    assert not GovernorAcknowledgement.objects.exists()


def test_the_framework_pages_do_not_exist_on_the_central_portal(admin_client):
    client, _ = admin_client
    assert client.get("/framework/").status_code == 404
    assert client.post("/framework/acknowledge/", {"version": "2026.1"}).status_code == 404


# --- the authority's oversight (central portal) ------------------------------------------------------


def test_the_oversight_page_is_named_for_navigation():
    assert reverse("governance:oversight", urlconf="cse_platform.urls_central") == "/governance/"
    assert reverse("governance:framework", urlconf="cse_platform.urls_school") == "/framework/"


def test_the_authority_sees_which_schools_have_not_acknowledged(admin_client, signed_in, school_a, school_b):
    governor, _ = signed_in(Role.GOVERNOR, school_a)
    governor.post("/framework/acknowledge/", {"version": "2026.1"})
    client, _ = admin_client
    response = client.get("/governance/")
    assert response.status_code == 200
    page = response.content.decode()
    not_yet = page.split('data-testid="not-acknowledged"')[1].split("</table>")[0]
    done = page.split('data-testid="acknowledged"')[1].split("</table>")[0]
    assert school_b.name in not_yet and school_a.name not in not_yet
    assert school_a.name in done and "Test Governor" in done


def test_the_authority_publishes_a_new_version_on_the_page(admin_client, signed_in, school_a):
    governor, _ = signed_in(Role.GOVERNOR, school_a)
    governor.post("/framework/acknowledge/", {"version": "2026.1"})
    client, _ = admin_client
    form = client.get("/governance/versions/new/")
    assert form.status_code == 200
    response = client.post("/governance/versions/new/", {"version": "2027.1", "title": "Revised framework",
                                                         "summary": "What changed, in plain words."})
    assert response.status_code == 302 and response["Location"] == "/governance/"
    page = client.get("/governance/").content.decode()
    not_yet = page.split('data-testid="not-acknowledged"')[1].split("</table>")[0]
    assert school_a.name in not_yet and "2026.1" in not_yet, "acknowledged an earlier version only"
    duplicate = client.post("/governance/versions/new/", {"version": "2027.1", "title": "X", "summary": "Y"})
    assert duplicate.status_code == 200 and "already exists" in duplicate.content.decode()
