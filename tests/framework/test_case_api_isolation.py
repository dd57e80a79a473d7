"""Every case endpoint, tried from another school, from the central portal, and by roles that must not."""

import pytest
from django_tenants.utils import schema_context

from safeguarding.rules.roles import Role
from tests.framework.conftest import answers_for, submit_serat


@pytest.fixture
def case(team, young_person):
    person = young_person()
    assessment = submit_serat(team.dcpo, person, 25).json()
    return {"person": person, "assessment": assessment["id"], "plan": assessment["plan"]}


def endpoints(case):
    p, a, yp = case["plan"], case["assessment"], case["person"].pk
    return [
        ("get", f"/api/plans/{p}/", None),
        ("post", f"/api/plans/{p}/agree/", {}),
        ("post", f"/api/plans/{p}/choose-option/", {"option": "option_2_be_wise"}),
        ("post", f"/api/plans/{p}/complete-item/", {"code": "consider_pace", "note": "x"}),
        ("post", f"/api/plans/{p}/consents/", {"young_person": yp, "decision": "given", "given_by": "P",
                                               "relationship": "Father", "method": "phone",
                                               "decided_on": "2026-01-01"}),
        ("post", f"/api/plans/{p}/sessions/", {"group": "small_tutor_group", "held_on": "2026-01-01"}),
        ("get", f"/api/serat-assessments/{a}/", None),
        ("post", f"/api/serat-assessments/{a}/decline-quiz/", {}),
        ("get", f"/api/chronologies/{yp}/", None),
        ("post", "/api/serat-assessments/", {"young_person": yp, "answers": answers_for(3)}),
    ]


def call(client, method, url, body):
    return getattr(client, method)(url, body, content_type="application/json") if body is not None else \
        getattr(client, method)(url)


@pytest.mark.parametrize("role", [Role.DCPO, Role.HEADTEACHER, Role.STAFF])
def test_another_schools_staff_get_404_for_every_case_endpoint(signed_in, school_b, case, role):
    client, _ = signed_in(role, school_b)
    for method, url, body in endpoints(case):
        response = call(client, method, url, body)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert case["person"].last_name.encode() not in response.content


@pytest.mark.parametrize("role", [Role.SCU_OFFICER, Role.SCU_MANAGER, Role.AUTHORITY_ADMIN, Role.ANALYST])
def test_the_central_portal_has_no_case_endpoints(signed_in, case, role):
    client, _ = signed_in(role)
    for method, url, body in endpoints(case):
        assert call(client, method, url, body).status_code == 404, url


@pytest.mark.parametrize("role", [Role.GOVERNOR, Role.SCHOOL_ADMIN])
def test_governors_and_school_admins_see_no_case_content(signed_in, school_a, team, case, role):
    client, _ = signed_in(role, school_a)
    for method, url, body in endpoints(case):
        response = call(client, method, url, body)
        assert response.status_code == 403, (url, response.status_code)
    note = team.dcpo.post("/api/concerns/", {"young_person": case["person"].pk, "source": "staff",
                                             "concern": "Worried."}, content_type="application/json").json()
    if role is Role.GOVERNOR:  # governors log notes of concern, and read only their own
        assert client.get("/api/concerns/").json()["results"] == []
        assert client.get(f"/api/concerns/{note['id']}/").status_code == 404
    else:
        assert client.get("/api/concerns/").status_code == 403


def test_staff_not_working_with_the_young_person_get_404(signed_in, school_a, case):
    client, _ = signed_in(Role.STAFF, school_a)
    for method, url, body in endpoints(case):
        if url.endswith(("/agree/", "/choose-option/", "/complete-item/", "/consents/")):
            continue  # staff may not do these at all: 403 is tested below
        assert call(client, method, url, body).status_code == 404, url


def test_staff_cannot_agree_choose_or_record_consent(signed_in, school_a, case):
    client, user = signed_in(Role.STAFF, school_a)
    with schema_context(school_a.schema_name):
        case["person"].staff.add(user)
    for method, url, body in endpoints(case):
        if url.endswith(("/agree/", "/choose-option/", "/complete-item/", "/consents/")):
            assert call(client, method, url, body).status_code == 403, url


def test_staff_working_with_the_young_person_read_the_case(signed_in, school_a, case):
    client, user = signed_in(Role.STAFF, school_a)
    with schema_context(school_a.schema_name):
        case["person"].staff.add(user)
    assert client.get(f"/api/plans/{case['plan']}/").status_code == 200
    assert client.get(f"/api/chronologies/{case['person'].pk}/").status_code == 200


def test_reads_of_a_case_are_audited(team, school_a, case):
    from cse_platform.audit.models import AuditEvent

    team.head.get(f"/api/chronologies/{case['person'].pk}/")
    with schema_context(school_a.schema_name):
        assert AuditEvent.objects.filter(actor=team.head_user, action="chronology.read",
                                         young_person_id=case["person"].pk).exists()


def test_anonymous_requests_are_refused(client_for, school_a, case):
    client = client_for(school_a)
    for method, url, body in endpoints(case):
        assert call(client, method, url, body).status_code == 401, url
