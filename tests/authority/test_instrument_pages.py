"""The authority admin's instrument pages (central portal)."""

import pytest

from safeguarding.instruments.models import InstrumentStatus, InstrumentVersion
from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.rules.instruments import DEFAULT_NOTICE, InstrumentKind
from tests.authority.conftest import formset_data, serat_items

SERAT, QUIZ = InstrumentKind.SERAT, InstrumentKind.PERSONAL_QUIZ


def latest(kind=SERAT) -> InstrumentVersion:
    return InstrumentVersion.objects.filter(kind=kind).order_by("-version").first()


def test_the_list_shows_each_instrument_in_force_and_marks_the_defaults(admin_client):
    client, _ = admin_client
    response = client.get("/instruments/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sexual Exploitation Risk Assessment Tool (SERAT)" in page and "Personal quiz" in page
    assert page.count("In force") >= 2
    assert "Default items, to be replaced by the authority's approved items" in page


def test_a_default_version_says_it_is_a_default_to_be_replaced(admin_client):
    client, _ = admin_client
    page = client.get("/instruments/serat/1/").content.decode()
    assert 'data-testid="default-notice"' in page
    assert "to be replaced by the authority&#x27;s approved items" in page
    assert "Going missing" in page and "from 0 to 5" in page
    assert 'data-testid="max-total">55<' in page


def test_an_admin_creates_a_copy_edits_it_and_publishes_it(admin_client):
    client, _ = admin_client
    source = instrument_in_force(kind=SERAT)
    response = client.post("/instruments/new/", {"kind": "serat", "copy_of": source.pk, "title": ""})
    draft = latest()
    assert response.status_code == 302 and response["Location"] == f"/instruments/serat/{draft.version}/edit/"
    assert draft.status == InstrumentStatus.DRAFT and draft.items == source.items
    edit = client.get(response["Location"])
    assert edit.status_code == 200 and "Going missing" in edit.content.decode()

    items = serat_items(55)
    items[0]["text"] = "Goes missing, in the authority's words."
    response = client.post(f"/instruments/serat/{draft.version}/edit/", formset_data(items, title="Authority SERAT"))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.title == "Authority SERAT"
    assert draft.items[0]["text"] == "Goes missing, in the authority's words."
    assert draft.items[0]["guidance"]["0"] == "No concern."
    assert draft.notice == ""

    detail = client.get(f"/instruments/serat/{draft.version}/").content.decode()
    assert "can be published" in detail
    response = client.post(f"/instruments/serat/{draft.version}/publish/")
    assert response.status_code == 302
    assert instrument_in_force(kind=SERAT).pk == draft.pk
    assert InstrumentVersion.objects.get(pk=source.pk).status == InstrumentStatus.RETIRED


def test_publishing_a_54_point_serat_from_the_page_is_refused_with_the_reason(admin_client):
    client, _ = admin_client
    client.post("/instruments/new/", {"kind": "serat", "title": "Short SERAT"})
    draft = latest()
    client.post(f"/instruments/serat/{draft.version}/edit/", formset_data(serat_items(54), title="Short SERAT"))
    response = client.post(f"/instruments/serat/{draft.version}/publish/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "was not published" in page
    assert "The highest possible total is 54; a SERAT must total exactly 55" in page
    draft.refresh_from_db()
    assert draft.status == InstrumentStatus.DRAFT
    assert instrument_in_force(kind=SERAT).version == 1


def test_the_edit_form_names_what_people_typed_wrong(admin_client):
    client, _ = admin_client
    client.post("/instruments/new/", {"kind": "serat", "title": "Typos"})
    draft = latest()
    items = serat_items(55)
    items[2]["allowed_scores"] = ["0", "one", "2"]
    data = formset_data(items, title="Typos")
    data["items-2-allowed_scores"] = "0, one, 2"
    data["items-4-guidance"] = "no colon here"
    response = client.post(f"/instruments/serat/{draft.version}/edit/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "&quot;one&quot; is not a whole number" in page
    assert "Line 1 needs a score, a colon" in page
    draft.refresh_from_db()
    assert draft.items == [], "nothing is saved from a form with errors"


def test_items_are_added_removed_and_reordered(admin_client):
    client, _ = admin_client
    client.post("/instruments/new/", {"kind": "serat", "copy_of": instrument_in_force(kind=SERAT).pk})
    draft = latest()
    items = draft.items
    data = formset_data(items, title=draft.title)
    data["items-0-DELETE"] = "on"
    data["items-1-ORDER"] = "20"
    n = len(items)
    data.update({f"items-{n}-code": "new_item", f"items-{n}-title": "New", f"items-{n}-text": "A new indicator.",
                 f"items-{n}-allowed_scores": "0,1, 2 3", f"items-{n}-guidance": "0: None\n3: A lot",
                 f"items-{n}-ORDER": ""})
    response = client.post(f"/instruments/serat/{draft.version}/edit/", {**data, "continue": "1"})
    assert response.status_code == 302 and response["Location"].endswith("/edit/")
    draft.refresh_from_db()
    codes = [item["code"] for item in draft.items]
    assert items[0]["code"] not in codes
    assert codes[-2:] == [items[1]["code"], "new_item"]
    assert draft.items[-1]["allowed_scores"] == [0, 1, 2, 3]
    assert draft.items[-1]["guidance"] == {"0": "None", "3": "A lot"}


def test_quiz_thresholds_are_edited_on_the_page(admin_client):
    client, _ = admin_client
    client.post("/instruments/new/", {"kind": "personal_quiz", "copy_of": instrument_in_force(kind=QUIZ).pk})
    draft = latest(QUIZ)
    bands = [["very_low", 0, 5], ["low", 6, 20], ["medium", 21, 30], ["high", 31, 40], ["very_high", 41, 55]]
    response = client.post(f"/instruments/personal_quiz/{draft.version}/edit/",
                           formset_data(draft.items, title=draft.title, bands=bands))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.bands == bands


def test_a_published_version_has_no_edit_form(admin_client):
    client, _ = admin_client
    version = instrument_in_force(kind=SERAT)
    response = client.get("/instruments/serat/1/edit/", follow=True)
    assert "only a draft can be changed" in response.content.decode()
    response = client.post("/instruments/serat/1/edit/", formset_data(serat_items(55), title="Changed"))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.title != "Changed" and version.notice == DEFAULT_NOTICE


def test_retiring_from_the_page(admin_client):
    client, _ = admin_client
    client.post("/instruments/new/", {"kind": "serat", "title": "Unwanted"})
    draft = latest()
    assert client.post(f"/instruments/serat/{draft.version}/retire/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == InstrumentStatus.RETIRED
    refused = client.post("/instruments/serat/1/retire/")
    assert refused.status_code == 200 and "was not retired" in refused.content.decode()


@pytest.mark.parametrize("path", ["/instruments/serat/999/", "/instruments/nonsense/1/",
                                  "/instruments/serat/999/edit/"])
def test_unknown_versions_are_not_found(admin_client, path):
    client, _ = admin_client
    assert client.get(path).status_code == 404
