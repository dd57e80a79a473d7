def test_unknown_school_host_is_a_plain_404(client_for, db):
    from tests.conftest import HostClient

    response = HostClient("nowhere.localhost").get("/accounts/sign-in/")
    assert response.status_code == 404


def test_an_unknown_host_says_nothing_of_the_portal_even_in_debug(db, settings):
    from tests.conftest import HostClient

    settings.DEBUG = True
    response = HostClient("nowhere.localhost").get("/scu/")
    assert (response.status_code, response.content) == (404, b"Not found")


def test_a_host_outside_the_base_domain_is_a_404(db):
    from tests.conftest import HostClient

    assert HostClient("evil.example.com").get("/").status_code == 404


def test_school_host_serves_the_school(client_for, school_a):
    response = client_for(school_a).get("/accounts/sign-in/")
    assert response.status_code == 200
    assert b"Sign in to Alpha School" in response.content


def test_base_domain_serves_the_central_portal(client_for, db):
    response = client_for(None).get("/accounts/sign-in/")
    assert response.status_code == 200
    assert b"Safeguarding Children Unit portal" in response.content


def test_central_only_urls_do_not_exist_at_a_school(client_for, signed_in, school_a):
    client, _ = signed_in("dcpo", school_a)
    assert client.get("/api/schools/").status_code == 404
