"""Staff accounts, kept by the school administrator: only school roles; a set-password link instead of a password;
a deactivated account cannot sign in and its sessions end."""

import re

import pytest
from cse_platform.accounts.models import User
from cse_platform.audit.models import AuditEvent
from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token

from safeguarding.rules.roles import Audience, Role, roles_for
from tests.conftest import PASSWORD, HostClient, host_of, sign_in

NEW_PASSWORD = "a-brand-new-long-passphrase"


def account_data(**changes) -> dict:
    return {"email": "New.Teacher@Alpha.test", "full_name": "Nia Teacher", "role": "staff", **changes}


def set_password(client, link: str, password: str = NEW_PASSWORD):
    """Follow a set-password link as its owner would, and choose a password."""
    path = re.sub(r"^https?://[^/]+", "", link)
    form = client.get(path, follow=True)
    assert form.status_code == 200
    return client.post(form.redirect_chain[-1][0] if form.redirect_chain else path,
                       {"new_password1": password, "new_password2": password}), form


@pytest.mark.parametrize("role", roles_for(Audience.SCHOOL))
def test_an_account_can_be_made_for_every_school_role(school_a, signed_in, role):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = client.post("/api/staff-accounts/", account_data(role=role.value), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "new.teacher@alpha.test" and body["role"] == role.value
    assert not body["has_password"] and "/school/set-password/" in body["set_password_url"]


@pytest.mark.parametrize("role", [*roles_for(Audience.CENTRAL), "superuser", ""])
def test_central_roles_and_unknown_roles_are_refused(school_a, signed_in, role):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = client.post("/api/staff-accounts/", account_data(role=role), content_type="application/json")
    assert response.status_code == 400 and "role" in response.json()
    page = client.post("/school/staff/new/", account_data(role=role))
    assert page.status_code == 200 and b"govuk-error-summary" in page.content
    with schema_context(school_a.schema_name):
        assert not User.objects.filter(email="new.teacher@alpha.test").exists()


def test_an_email_already_used_at_the_school_is_refused(school_a, signed_in, make_user):
    existing = make_user(Role.STAFF, school_a)
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = client.post("/api/staff-accounts/", account_data(email=existing.email.upper()),
                           content_type="application/json")
    assert response.status_code == 400 and "already an account" in response.json()["email"][0]


def test_the_new_member_of_staff_sets_their_password_with_the_link_and_signs_in(school_a, signed_in, client_for):
    admin, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = admin.post("/school/staff/new/", account_data(), follow=True)
    assert response.status_code == 200
    match = re.search(rb'<code[^>]*>([^<]+)</code>', response.content)
    assert match, "the page shows the set-password link"
    link = match.group(1).decode()
    newcomer = client_for(school_a)
    with schema_context(school_a.schema_name):
        user = User.objects.get(email="new.teacher@alpha.test")
    assert sign_in(newcomer, user, "").status_code == 200  # no password yet
    weak, _ = set_password(newcomer, link, "password")
    assert weak.status_code == 200 and b"govuk-error-summary" in weak.content
    done, _ = set_password(newcomer, link)
    assert done.status_code == 302 and done["Location"] == "/accounts/sign-in/"
    assert sign_in(newcomer, user, NEW_PASSWORD).status_code == 302
    # The link is spent.
    again = client_for(school_a).get(re.sub(r"^https?://[^/]+", "", link), follow=True)
    assert b'data-testid="link-invalid"' in again.content


def test_setting_a_new_password_ends_the_accounts_api_token(school_a, signed_in, make_user):
    admin, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    member = make_user(Role.STAFF, school_a)
    with schema_context(school_a.schema_name):
        Token.objects.create(user=member)
    link = admin.post(f"/api/staff-accounts/{member.pk}/set-password-link/").json()["set_password_url"]
    done, _ = set_password(HostClient(host_of(school_a)), link)
    assert done.status_code == 302
    with schema_context(school_a.schema_name):
        assert not Token.objects.filter(user=member).exists()


def test_a_set_password_link_works_only_at_its_own_school(school_a, school_b, signed_in, client_for):
    admin, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    link = admin.post("/api/staff-accounts/", account_data(), content_type="application/json").json()[
        "set_password_url"]
    with schema_context(school_b.schema_name):
        from cse_platform.accounts.services import user_create

        user_create(email="someone@bravo.test", full_name="Bravo Person", role=Role.STAFF, password=PASSWORD)
    response = client_for(school_b).get(re.sub(r"^https?://[^/]+", "", link), follow=True)
    assert b'data-testid="link-invalid"' in response.content


def test_deactivated_accounts_cannot_sign_in_and_their_sessions_end(school_a, signed_in, client_for):
    staff_client, staff = signed_in(Role.STAFF, school_a)
    token = client_for(school_a).post("/api/token/", {"username": staff.email, "password": PASSWORD}).json()["token"]
    assert staff_client.get("/young-people/").status_code == 200
    admin, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = admin.post(f"/school/staff/{staff.pk}/deactivate/")
    assert response.status_code == 302
    assert staff_client.get("/young-people/").status_code == 302  # the session has ended
    assert sign_in(client_for(school_a), staff).status_code == 200
    assert client_for(school_a).get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    with schema_context(school_a.schema_name):
        assert not User.objects.get(pk=staff.pk).is_active
        assert not Token.objects.filter(user_id=staff.pk).exists()
        assert AuditEvent.objects.filter(action="staff_account.deactivate", subject_id=str(staff.pk)).exists()
    page = admin.get(f"/school/staff/{staff.pk}/")
    assert b"Deactivated" in page.content
    assert admin.post(f"/api/staff-accounts/{staff.pk}/reactivate/").status_code == 200
    assert sign_in(client_for(school_a), staff).status_code == 302


def test_deactivation_spends_outstanding_set_password_links(school_a, signed_in, client_for):
    admin, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    body = admin.post("/api/staff-accounts/", account_data(), content_type="application/json").json()
    assert admin.post(f"/api/staff-accounts/{body['id']}/deactivate/").status_code == 200
    response = client_for(school_a).get(re.sub(r"^https?://[^/]+", "", body["set_password_url"]), follow=True)
    assert b'data-testid="link-invalid"' in response.content
    refused = admin.post(f"/api/staff-accounts/{body['id']}/set-password-link/")
    assert refused.status_code == 409


def test_an_administrator_cannot_deactivate_themselves_or_change_their_own_role(school_a, signed_in):
    admin, me = signed_in(Role.SCHOOL_ADMIN, school_a)
    assert admin.post(f"/api/staff-accounts/{me.pk}/deactivate/").status_code == 409
    page = admin.post(f"/school/staff/{me.pk}/deactivate/")
    assert page.status_code == 409 and b"cannot deactivate your own account" in page.content
    response = admin.patch(f"/api/staff-accounts/{me.pk}/", {"role": "dcpo"}, content_type="application/json")
    assert response.status_code == 409
    with schema_context(school_a.schema_name):
        me = User.objects.get(pk=me.pk)
        assert me.is_active and me.role == "school_admin"


def test_names_and_roles_can_be_changed(school_a, signed_in, make_user):
    teacher = make_user(Role.STAFF, school_a)
    admin, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    response = admin.post(f"/school/staff/{teacher.pk}/", {"full_name": "Pat Pastoral", "role": "dcpo"})
    assert response.status_code == 302
    with schema_context(school_a.schema_name):
        teacher = User.objects.get(pk=teacher.pk)
        assert (teacher.full_name, teacher.role) == ("Pat Pastoral", "dcpo")


def test_the_staff_list_shows_the_schools_accounts_only(school_a, school_b, make_user, signed_in):
    make_user(Role.STAFF, school_a, name="Alpha Teacher")
    make_user(Role.STAFF, school_b, name="Bravo Teacher")
    admin, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    page = admin.get("/school/staff/")
    assert b"Alpha Teacher" in page.content and b"Bravo Teacher" not in page.content
    names = {a["full_name"] for a in admin.get("/api/staff-accounts/").json()["results"]}
    assert "Alpha Teacher" in names and "Bravo Teacher" not in names


def test_the_school_administrator_never_sees_case_content(school_a, people, signed_in, assess, make_user):
    """Every page a school administrator can reach shows no level, no case link."""
    s = people(school_a)
    assess(school_a, s.in_9a, "high", make_user(Role.DCPO, school_a))
    admin, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    for path in ("/young-people/", f"/young-people/{s.in_9a.pk}/edit/", f"/young-people/{s.in_9a.pk}/staff/",
                 "/young-people/tutor-groups/", "/school/staff/", "/school/calendar/", "/young-people/import/"):
        page = admin.get(path)
        assert page.status_code == 200, path
        assert b"High Risk" not in page.content and b"data-level" not in page.content, path
        assert b'href="/cases/' not in page.content, path
