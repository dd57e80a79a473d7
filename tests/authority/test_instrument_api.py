"""The instruments API (central portal): drafts, publishing refused with reasons (409), immutability."""

from safeguarding.instruments.models import InstrumentStatus, InstrumentVersion
from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.rules.instruments import InstrumentKind
from tests.authority.conftest import serat_items

SERAT = InstrumentKind.SERAT


def test_the_versions_are_listed_with_the_one_in_force_and_the_defaults_marked(admin_client):
    client, _ = admin_client
    body = client.get("/api/instruments/?kind=serat").json()
    rows = body["results"]
    assert {row["kind"] for row in rows} == {"serat"}
    first = next(row for row in rows if row["version"] == 1)
    assert first["in_force"] and first["is_default"] and first["status"] == "published"
    assert first["max_total"] == 55 and len(first["items"]) == 11
    assert first["bands"][0] == {"level": "very_low", "minimum": 0, "maximum": 11}


def test_a_draft_is_created_refused_corrected_and_published(admin_client):
    client, _ = admin_client
    response = client.post("/api/instruments/", {"kind": "serat", "title": "API SERAT", "items": serat_items(54)},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    draft = response.json()
    assert draft["status"] == "draft" and not draft["publishable"]
    assert any("exactly 55" in problem for problem in draft["problems"])

    refused = client.post(f"/api/instruments/{draft['id']}/publish/")
    assert refused.status_code == 409
    assert any("highest possible total is 54" in reason for reason in refused.json()["reasons"])
    assert InstrumentVersion.objects.get(pk=draft["id"]).status == InstrumentStatus.DRAFT

    fixed = client.patch(f"/api/instruments/{draft['id']}/", {"items": serat_items(55)},
                         content_type="application/json")
    assert fixed.status_code == 200 and fixed.json()["publishable"]
    published = client.post(f"/api/instruments/{draft['id']}/publish/")
    assert published.status_code == 200 and published.json()["in_force"]
    assert instrument_in_force(kind=SERAT).pk == draft["id"]
    in_force = client.get("/api/instruments/in-force/?kind=serat").json()
    assert in_force["id"] == draft["id"]


def test_a_published_version_cannot_be_changed_through_the_api(admin_client):
    client, _ = admin_client
    version = instrument_in_force(kind=SERAT)
    response = client.patch(f"/api/instruments/{version.pk}/", {"title": "Changed"}, content_type="application/json")
    assert response.status_code == 409
    assert "cannot be changed" in response.json()["reasons"][0]
    version.refresh_from_db()
    assert version.title != "Changed"


def test_bad_input_names_the_field(admin_client):
    client, _ = admin_client
    bad_items = client.post("/api/instruments/", {"kind": "serat", "title": "X", "items": [{"code": "a"}]},
                            content_type="application/json")
    assert bad_items.status_code == 400 and "items" in bad_items.json()
    bad_kind = client.post("/api/instruments/", {"kind": "poll", "title": "X"}, content_type="application/json")
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()
    bad_bands = client.post("/api/instruments/", {"kind": "personal_quiz", "title": "X",
                                                  "bands": [{"level": "very_low", "minimum": 0, "maximum": 55}]},
                            content_type="application/json")
    assert bad_bands.status_code == 201, "a draft may be unfinished; the rules judge it when it is published"
    refused = client.post(f"/api/instruments/{bad_bands.json()['id']}/publish/")
    assert refused.status_code == 409
    assert any("one band for each level" in reason for reason in refused.json()["reasons"])


def test_retiring_through_the_api(admin_client):
    client, _ = admin_client
    draft = client.post("/api/instruments/", {"kind": "serat", "title": "Spare"}, content_type="application/json")
    assert client.post(f"/api/instruments/{draft.json()['id']}/retire/").json()["status"] == "retired"
    in_force = instrument_in_force(kind=SERAT)
    assert client.post(f"/api/instruments/{in_force.pk}/retire/").status_code == 409


def test_in_force_for_an_unknown_kind_is_not_found(admin_client):
    client, _ = admin_client
    assert client.get("/api/instruments/in-force/?kind=poll").status_code == 404
