"""Every page and endpoint of the authority's areas, tried from the wrong host, by roles that must not use
it, without signing in, and (for the school-side ones) from another school."""

import pytest
from django.utils import timezone

from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.rules.instruments import InstrumentKind
from safeguarding.rules.roles import Role
from scu_portal.models import GovernorAcknowledgement, TrainingRecord
from tests.authority.conftest import CENTRAL_ROLES_OTHER_THAN_ADMIN, SCHOOL_ROLES


@pytest.fixture
def record(school_a):
    return TrainingRecord.objects.create(school=school_a, staff_name="Kept", staff_email="kept@alpha.test",
                                         completed_on=timezone.localdate())


def central_pages(record):
    v1 = instrument_in_force(kind=InstrumentKind.SERAT)
    return [
        ("get", "/instruments/"), ("get", "/instruments/new/"), ("post", "/instruments/new/"),
        ("get", f"/instruments/serat/{v1.version}/"), ("get", f"/instruments/serat/{v1.version}/edit/"),
        ("post", f"/instruments/serat/{v1.version}/edit/"), ("post", f"/instruments/serat/{v1.version}/publish/"),
        ("post", f"/instruments/serat/{v1.version}/retire/"),
        ("get", "/training/"), ("get", "/training/new/"), ("post", "/training/new/"),
        ("get", f"/training/{record.pk}/edit/"), ("post", f"/training/{record.pk}/edit/"),
        ("get", f"/training/{record.pk}/delete/"), ("post", f"/training/{record.pk}/delete/"),
        ("get", "/governance/"), ("get", "/governance/versions/new/"), ("post", "/governance/versions/new/"),
    ]


def central_endpoints(record):
    v1 = instrument_in_force(kind=InstrumentKind.SERAT)
    return [
        ("get", "/api/instruments/"), ("post", "/api/instruments/"), ("get", f"/api/instruments/{v1.pk}/"),
        ("patch", f"/api/instruments/{v1.pk}/"), ("post", f"/api/instruments/{v1.pk}/publish/"),
        ("post", f"/api/instruments/{v1.pk}/retire/"), ("get", "/api/instruments/in-force/?kind=serat"),
        ("get", "/api/training-records/"), ("post", "/api/training-records/"),
        ("get", f"/api/training-records/{record.pk}/"), ("patch", f"/api/training-records/{record.pk}/"),
        ("delete", f"/api/training-records/{record.pk}/"),
        ("get", "/api/governance-oversight/"), ("get", "/api/framework-versions/"),
        ("post", "/api/framework-versions/"),
    ]


SCHOOL_PAGES = [("get", "/framework/"), ("post", "/framework/acknowledge/")]
SCHOOL_ENDPOINTS = [
    ("get", "/api/framework/"), ("get", "/api/framework/figures/"), ("get", "/api/framework-acknowledgements/"),
    ("post", "/api/framework-acknowledgements/"),
]


def call(client, method, path):
    return getattr(client, method)(path, **({"content_type": "application/json"} if path.startswith("/api/") else {}))


def assert_nothing_changed(record, v1_status="published"):
    assert TrainingRecord.objects.filter(pk=record.pk, staff_name="Kept").exists()
    assert instrument_in_force(kind=InstrumentKind.SERAT).version == 1
    assert instrument_in_force(kind=InstrumentKind.SERAT).status == v1_status
    assert not GovernorAcknowledgement.objects.exists()


@pytest.mark.parametrize("role", CENTRAL_ROLES_OTHER_THAN_ADMIN)
def test_other_central_roles_are_refused_every_central_page_and_endpoint(signed_in, record, role):
    client, _ = signed_in(role)
    for method, path in central_pages(record) + central_endpoints(record):
        assert call(client, method, path).status_code == 403, (role, method, path)
    assert_nothing_changed(record)


@pytest.mark.parametrize("role", SCHOOL_ROLES)
def test_the_central_pages_and_endpoints_do_not_exist_at_a_school(signed_in, school_a, record, role):
    client, _ = signed_in(role, school_a)
    for method, path in central_pages(record) + central_endpoints(record):
        assert call(client, method, path).status_code == 404, (role, method, path)
    assert_nothing_changed(record)


def test_signing_in_is_needed_for_every_central_page_and_endpoint(client_for, record):
    client = client_for(None)
    for method, path in central_pages(record):
        response = call(client, method, path)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"], path
    for method, path in central_endpoints(record):
        assert call(client, method, path).status_code == 401, path
    assert_nothing_changed(record)


@pytest.mark.parametrize("role", [Role.AUTHORITY_ADMIN, *CENTRAL_ROLES_OTHER_THAN_ADMIN])
def test_the_school_pages_and_endpoints_do_not_exist_on_the_central_portal(signed_in, record, role):
    client, _ = signed_in(role)
    for method, path in SCHOOL_PAGES + SCHOOL_ENDPOINTS:
        assert call(client, method, path).status_code == 404, (role, method, path)
    assert_nothing_changed(record)


def test_a_school_session_or_token_means_nothing_at_another_school(client_for, make_user, school_a, school_b, record):
    governor = make_user(Role.GOVERNOR, school_a)
    token = client_for(school_a).post("/api/token/", {"username": governor.email,
                                                      "password": "correct-horse-battery-staple"}).json()["token"]
    other = client_for(school_b)
    for method, path in SCHOOL_ENDPOINTS:
        response = getattr(other, method)(path, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")
        assert response.status_code == 401, path
    for method, path in SCHOOL_PAGES:
        assert call(other, method, path).status_code == 302, path
    assert_nothing_changed(record)


def test_the_schools_own_acknowledgements_are_all_a_school_lists(signed_in, school_a, school_b):
    alpha, _ = signed_in(Role.GOVERNOR, school_a)
    alpha.post("/api/framework-acknowledgements/", {}, content_type="application/json")
    bravo, _ = signed_in(Role.GOVERNOR, school_b)
    assert bravo.get("/api/framework-acknowledgements/").json()["results"] == []
    assert len(alpha.get("/api/framework-acknowledgements/").json()["results"]) == 1
