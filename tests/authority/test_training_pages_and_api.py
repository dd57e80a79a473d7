"""The training register's pages and API (central portal, authority admin)."""

from datetime import timedelta

from cse_platform.audit.models import AuditEvent
from django.utils import timezone

from scu_portal.models import TrainingRecord
from scu_portal.selectors.training import staff_trained

TODAY = timezone.localdate()


def form(school, **fields):
    return {"school": school.pk, "staff_name": "Pat Pastoral", "staff_email": "pat@alpha.test",
            "course": "Detailed training", "completed_on": (TODAY - timedelta(days=10)).isoformat(),
            "expires_on": (TODAY + timedelta(days=355)).isoformat(), **fields}


def test_an_admin_records_corrects_and_deletes_training_on_the_pages(admin_client, school_a, school_b):
    client, admin = admin_client
    assert client.get("/training/new/").status_code == 200
    response = client.post("/training/new/", form(school_a))
    assert response.status_code == 302 and response["Location"] == "/training/?school=alpha"
    made = TrainingRecord.objects.get(staff_email="pat@alpha.test")
    assert staff_trained(school=school_a, email="pat@alpha.test", on=TODAY)

    listing = client.get("/training/?school=alpha").content.decode()
    assert "Pat Pastoral" in listing and "Current" in listing
    assert "Pat Pastoral" not in client.get("/training/?school=bravo").content.decode()
    assert "Pat Pastoral" in client.get("/training/?q=pat@").content.decode()

    assert client.get(f"/training/{made.pk}/edit/").status_code == 200
    response = client.post(f"/training/{made.pk}/edit/", form(school_a, staff_name="Pat Pastoral-Jones"))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.staff_name == "Pat Pastoral-Jones"

    assert "Delete this training record?" in client.get(f"/training/{made.pk}/delete/").content.decode()
    assert client.post(f"/training/{made.pk}/delete/").status_code == 302
    assert not TrainingRecord.objects.filter(pk=made.pk).exists()
    assert AuditEvent.objects.filter(action="training_record.delete", subject_id=str(made.pk), actor=admin).exists()


def test_the_form_shows_what_is_wrong_and_saves_nothing(admin_client, school_a):
    client, _ = admin_client
    response = client.post("/training/new/", form(school_a, completed_on=(TODAY + timedelta(days=2)).isoformat(),
                                                  expires_on=""))
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not TrainingRecord.objects.filter(staff_email="pat@alpha.test").exists()


def test_an_expired_record_is_shown_as_expired(admin_client, school_a):
    client, _ = admin_client
    TrainingRecord.objects.create(school=school_a, staff_name="Old Course", staff_email="old@alpha.test",
                                  completed_on=TODAY - timedelta(days=800), expires_on=TODAY - timedelta(days=70))
    page = client.get("/training/?q=old@").content.decode()
    assert "Expired" in page


def test_the_register_through_the_api(admin_client, school_a):
    client, _ = admin_client
    payload = {"school": "alpha", "staff_name": "Api Person", "staff_email": "API@alpha.test",
               "completed_on": (TODAY - timedelta(days=1)).isoformat(), "expires_on": None}
    created = client.post("/api/training-records/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["staff_email"] == "api@alpha.test" and body["current"] and body["school"] == "alpha"
    assert staff_trained(school=school_a, email="api@alpha.test", on=TODAY)

    listed = client.get("/api/training-records/?school=alpha").json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    assert client.get("/api/training-records/?school=bravo").json()["results"] == []

    changed = client.patch(f"/api/training-records/{body['id']}/", {"course": "Refresher"},
                           content_type="application/json")
    assert changed.status_code == 200 and changed.json()["course"] == "Refresher"
    bad = client.patch(f"/api/training-records/{body['id']}/", {"expires_on": "2000-01-01"},
                       content_type="application/json")
    assert bad.status_code == 400 and "expires_on" in bad.json()

    assert client.delete(f"/api/training-records/{body['id']}/").status_code == 204
    assert not staff_trained(school=school_a, email="api@alpha.test", on=TODAY)


def test_bad_api_input_names_the_field(admin_client):
    client, _ = admin_client
    response = client.post("/api/training-records/", {"school": "nowhere", "staff_name": "X",
                                                      "staff_email": "x@x.test", "completed_on": "2026-01-01"},
                           content_type="application/json")
    assert response.status_code == 400 and "school" in response.json()
