"""Governance over the API: on both hosts' routers, each endpoint answering on its own host only."""

import pytest

from safeguarding.rules.roles import Role
from scu_portal.models import GovernorAcknowledgement


def test_a_governor_reads_the_framework_and_acknowledges_it(signed_in, school_a):
    client, governor = signed_in(Role.GOVERNOR, school_a)
    framework = client.get("/api/framework/").json()
    assert framework["version"] == "2026.1"
    assert [level["level"] for level in framework["levels"]] == ["very_low", "low", "medium", "high", "very_high"]
    assert framework["levels"][4]["awaits_scu_advice"] and framework["levels"][2]["quiz_required"]
    made = client.post("/api/framework-acknowledgements/", {"version": "2026.1"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["governor_email"] == governor.email
    again = client.post("/api/framework-acknowledgements/", {"version": "2026.1"}, content_type="application/json")
    assert again.status_code == 409 and "You acknowledged" in again.json()["reasons"][0]
    listed = client.get("/api/framework-acknowledgements/").json()["results"]
    assert [row["version"] for row in listed] == ["2026.1"]


def test_the_figures_endpoint_gives_counts_only(signed_in, school_a, school_records):
    records = school_records(school_a)
    records.assessment(records.young_person(first_name="Hidden"), "medium", total=30, open_review=True)
    client, _ = signed_in(Role.HEADTEACHER, school_a)
    figures = client.get("/api/framework/figures/").json()
    assert {"level": "medium", "count": 1} in figures["at_level"]
    assert figures["open_reviews"] == 1
    assert "Hidden" not in str(figures)


@pytest.mark.parametrize("role", [Role.STAFF, Role.DCPO, Role.HEADTEACHER, Role.SCHOOL_ADMIN])
def test_only_a_governor_acknowledges_through_the_api(signed_in, school_a, role):
    client, _ = signed_in(role, school_a)
    response = client.post("/api/framework-acknowledgements/", {}, content_type="application/json")
    assert response.status_code == 403
    assert not GovernorAcknowledgement.objects.exists()


@pytest.mark.parametrize("role", [Role.STAFF, Role.SCHOOL_ADMIN])
def test_staff_and_school_admins_cannot_read_the_framework_endpoints(signed_in, school_a, role):
    client, _ = signed_in(role, school_a)
    for path in ("/api/framework/", "/api/framework/figures/", "/api/framework-acknowledgements/"):
        assert client.get(path).status_code == 403, path


def test_the_authority_oversight_and_versions_through_the_api(admin_client, signed_in, school_a, school_b):
    governor, _ = signed_in(Role.GOVERNOR, school_a)
    governor.post("/api/framework-acknowledgements/", {}, content_type="application/json")
    client, _ = admin_client
    oversight = client.get("/api/governance-oversight/").json()
    rows = {row["school"]: row for row in oversight["schools"]}
    assert oversight["version"]["version"] == "2026.1"
    assert rows["alpha"]["acknowledged"] and not rows["bravo"]["acknowledged"]
    assert rows["alpha"]["acknowledgements"][0]["governor_name"] == "Test Governor"
    published = client.post("/api/framework-versions/", {"version": "2027.1", "title": "Revised",
                                                         "summary": "Changed."}, content_type="application/json")
    assert published.status_code == 201
    rows = {row["school"]: row for row in client.get("/api/governance-oversight/").json()["schools"]}
    assert not rows["alpha"]["acknowledged"] and rows["alpha"]["earlier_versions"] == ["2026.1"]
    duplicate = client.post("/api/framework-versions/", {"version": "2027.1", "title": "X", "summary": "Y"},
                            content_type="application/json")
    assert duplicate.status_code == 400 and "version" in duplicate.json()
