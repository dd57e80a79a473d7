"""Every route of both hosts, found from the URL confs, so that a page or endpoint added later is covered
without anyone listing it: an anonymous visitor reaches none but the public ones, and no route of one host
answers at the other. The areas' own access tests try each role and each school's objects."""

import re

import pytest
from django.urls import URLResolver, get_resolver

from safeguarding.rules.roles import Role

SCHOOL, CENTRAL = "cse_platform.urls_school", "cse_platform.urls_central"
# Pages anyone may open: signing in (page and API token), the health check, and a set-password link (whose
# token is the check).
PUBLIC = {"accounts/sign-in/", "api/token/", "healthz", "school/set-password/MQ/x-y/"}
# A value for each kind of path parameter; ids that exist nowhere still have to be refused before lookup.
SAMPLES = {"kind": "serat", "code": "inform_dcpo", "event": "serat_completed", "uidb64": "MQ", "token": "x-y"}


def _concrete(route: str) -> str | None:
    """The route as a path to request, or None for a format-suffix twin of another route."""
    if "format" in route:
        return None
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: SAMPLES.get(m.group(1), "1"), route)  # the API's regexes
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLES.get(m.group(1), "1"), route)


def routes(urlconf: str) -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return sorted({path for path in map(_concrete, walk(get_resolver(urlconf).url_patterns)) if path is not None})


def refused_to_anonymous(response) -> bool:
    if response.status_code == 302:
        return response["Location"].startswith("/accounts/sign-in/")
    return response.status_code in (401, 403, 404, 405)


@pytest.mark.parametrize(("urlconf", "path"), [(conf, path) for conf in (SCHOOL, CENTRAL) for path in routes(conf)
                                               if path not in PUBLIC])
def test_no_route_serves_an_anonymous_visitor(client_for, school_a, urlconf, path):
    client = client_for(school_a if urlconf == SCHOOL else None)
    for method in (client.get, client.post):
        response = method(f"/{path}")
        assert refused_to_anonymous(response), (method.__name__, path, response.status_code)


@pytest.mark.parametrize("path", sorted(set(routes(SCHOOL)) - set(routes(CENTRAL))))
def test_no_school_route_exists_at_the_central_portal(signed_in, path):
    client, _ = signed_in(Role.AUTHORITY_ADMIN)
    assert client.get(f"/{path}").status_code == 404, path


@pytest.mark.parametrize("path", sorted(set(routes(CENTRAL)) - set(routes(SCHOOL))))
def test_no_central_route_exists_at_a_school(signed_in, school_a, path):
    client, _ = signed_in(Role.DCPO, school_a)
    assert client.get(f"/{path}").status_code == 404, path


def test_the_sweep_finds_the_routes_of_every_area():
    school, central = routes(SCHOOL), routes(CENTRAL)
    for prefix in ("young-people/", "cases/", "school/", "referrals/", "framework/", "inbox/", "api/plans/"):
        assert any(path.startswith(prefix) for path in school), prefix
    for prefix in ("scu/", "instruments/", "training/", "governance/", "api/schools/"):
        assert any(path.startswith(prefix) for path in central), prefix


CASE_CONTENT = ("cases/", "referrals/", "api/serat-assessments/", "api/plans/", "api/chronologies/",
                "api/concerns/", "api/referrals/")
# The analyst's own page: aggregate figures, no child's identity.
ANALYST_PAGES = {"scu/figures/", "api/scu/figures/"}
IDENTIFYING = ("scu/", "api/scu/")


@pytest.mark.parametrize("path", [p for p in routes(SCHOOL) if p.startswith(CASE_CONTENT)])
def test_a_school_administrator_reaches_no_case_content(signed_in, school_a, path):
    client, _ = signed_in(Role.SCHOOL_ADMIN, school_a)
    assert client.get(f"/{path}").status_code in (403, 404, 405), path


@pytest.mark.parametrize("path", [p for p in routes(CENTRAL) if p.startswith(IDENTIFYING) and p not in ANALYST_PAGES])
def test_an_analyst_reaches_no_referral_or_meeting(signed_in, path):
    client, _ = signed_in(Role.ANALYST)
    assert client.get(f"/{path}").status_code in (403, 404, 405), path
