import pytest
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token

from safeguarding.rules.roles import Role
from tenants.models import School


def test_api_root_per_host_lists_its_own_endpoints(signed_in, school_a):
    school_client, _ = signed_in(Role.DCPO, school_a)
    root = school_client.get("/api/").json()
    assert "me" in root and "schools" not in root
    central_client, _ = signed_in(Role.AUTHORITY_ADMIN)
    assert "schools" in central_client.get("/api/").json()


def test_me_says_who_and_where(signed_in, school_a):
    client, user = signed_in(Role.HEADTEACHER, school_a)
    me = client.get("/api/me/").json()
    assert me == {"email": user.email, "full_name": user.full_name, "role": "headteacher",
                  "role_label": "Headteacher", "audience": "school", "portal": "Alpha School"}


def test_the_api_needs_authentication(client_for, school_a):
    assert client_for(school_a).get("/api/me/").status_code == 401
    assert client_for(None).get("/api/schools/").status_code == 401


def test_token_authentication_works_only_at_the_tokens_school(client_for, make_user, school_a, school_b):
    user = make_user(Role.STAFF, school_a)
    response = client_for(school_a).post("/api/token/", {"username": user.email,
                                                          "password": "correct-horse-battery-staple"})
    token = response.json()["token"]
    header = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client_for(school_a).get("/api/me/", **header).status_code == 200
    assert client_for(school_b).get("/api/me/", **header).status_code == 401
    assert client_for(None).get("/api/me/", **header).status_code == 401
    with schema_context(school_a.schema_name):
        assert Token.objects.filter(key=token).exists()


def test_a_token_cannot_be_had_for_another_schools_account(client_for, make_user, school_a, school_b):
    user = make_user(Role.STAFF, school_a)
    response = client_for(school_b).post("/api/token/", {"username": user.email,
                                                          "password": "correct-horse-battery-staple"})
    assert response.status_code == 400


def test_openapi_schema_and_docs_per_host(signed_in, school_a):
    client, _ = signed_in(Role.STAFF, school_a)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/me/" in schema.json()["paths"]
    assert "/api/schools/" not in schema.json()["paths"]
    assert client.get("/api/docs/").status_code == 200
    central, _ = signed_in(Role.SCU_OFFICER)
    assert "/api/schools/" in central.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]


def test_authority_admin_provisions_a_school_through_the_api(signed_in):
    client, _ = signed_in(Role.AUTHORITY_ADMIN)
    response = client.post("/api/schools/", {"name": "Foxtrot High", "urn": "934567", "kind": "high_school",
                                             "slug": "foxtrot"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["domain"] == "foxtrot.localhost"
    assert School.objects.filter(slug="foxtrot").exists()


def test_bad_school_input_names_the_field_and_saves_nothing(signed_in):
    client, _ = signed_in(Role.AUTHORITY_ADMIN)
    response = client.post("/api/schools/", {"name": "Bad", "urn": "12", "kind": "high_school", "slug": "bad"},
                           content_type="application/json")
    assert response.status_code == 400
    assert "urn" in response.json()
    assert not School.objects.filter(slug="bad").exists()


def test_other_central_roles_cannot_provision_or_list_schools(signed_in):
    for role in (Role.SCU_OFFICER, Role.SCU_MANAGER, Role.ANALYST):
        client, _ = signed_in(role)
        assert client.get("/api/schools/").status_code == 403
        response = client.post("/api/schools/", {"name": "No", "urn": "945678", "kind": "academy", "slug": "no"},
                               content_type="application/json")
        assert response.status_code == 403
    assert not School.objects.filter(slug="no").exists()


def test_authority_admin_archives_a_school_through_the_api(signed_in, school_b):
    client, _ = signed_in(Role.AUTHORITY_ADMIN)
    response = client.post(f"/api/schools/{school_b.slug}/archive/")
    assert response.status_code == 200
    assert response.json()["status"] == "archived"


@pytest.mark.parametrize("urlconf", ["cse_platform.urls_school", "cse_platform.urls_central"])
def test_each_hosts_openapi_schema_is_complete_and_has_no_warnings(urlconf, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", urlconf=urlconf, validate=True, fail_on_warn=True, file=str(out))
    assert out.read_text().count("operationId") > 5
