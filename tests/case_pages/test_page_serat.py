"""The SERAT page: the instrument in force as a form, its running total fed from the instrument's own bands,
and a submission that makes the plan or names each item that is wrong and saves nothing."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django_tenants.utils import schema_context

from safeguarding.instruments.models import InstrumentVersion
from safeguarding.instruments.selectors import instrument_in_force
from safeguarding.models import Plan, SeratAssessment
from safeguarding.rules.instruments import InstrumentKind
from safeguarding.rules.levels import Level
from tests.case_pages.conftest import answers_for


def serat_instrument():
    return instrument_in_force(kind=InstrumentKind.SERAT).as_instrument()


def test_the_form_shows_every_item_its_scores_and_guidance(tutor_client):
    client, _, person = tutor_client
    html = client.get(f"/cases/young-people/{person.pk}/serat/").content.decode()
    instrument = serat_instrument()
    for item in instrument.items:
        assert item.title in html
        assert item.text.replace("'", "&#x27;") in html
        for score in item.allowed_scores:
            assert f'name="{item.code}" type="radio" value="{score}"' in html
        for _, guidance in item.guidance:
            assert guidance.replace("'", "&#x27;") in html


def test_the_default_instrument_says_it_is_a_default(tutor_client):
    client, _, person = tutor_client
    html = client.get(f"/cases/young-people/{person.pk}/serat/").content.decode()
    assert serat_instrument().is_default
    notice = html.split('data-testid="default-notice"')[1].split("</div>")[0]
    assert "a default, to be replaced by the authority's approved items" in notice


def test_the_running_total_reads_the_instruments_own_items_and_bands(tutor_client):
    client, _, person = tutor_client
    html = client.get(f"/cases/young-people/{person.pk}/serat/").content.decode()
    data = json.loads(re.search(r'<script id="serat-instrument" type="application/json">(.*?)</script>', html,
                                re.S).group(1))
    instrument = serat_instrument()
    assert [item["code"] for item in data["items"]] == [item.code for item in instrument.items]
    assert [(b["level"], b["minimum"], b["maximum"]) for b in data["bands"]] == [
        (band.level.value, band.minimum, band.maximum) for band in instrument.bands]
    assert data["max_total"] == instrument.max_total
    assert 'src="/static/safeguarding/serat.js"' in html


def test_the_script_restates_no_threshold(db):
    script = Path(finders.find("safeguarding/serat.js")).read_text()
    numbers = set(re.findall(r"\b\d+\b", script))
    for band in serat_instrument().bands:
        assert str(band.maximum) not in numbers
        assert band.minimum == 0 or str(band.minimum) not in numbers


@pytest.mark.parametrize("level, next_step", [
    (Level.LOW, "waits for the headteacher"),
    (Level.MEDIUM, "personal quiz"),
    (Level.HIGH, "personal quiz"),
    (Level.VERY_HIGH, "waits for advice from the Safeguarding Children Unit"),
])
def test_submitting_makes_the_plan_and_says_what_happens_next(school_a, tutor_client, level, next_step):
    client, tutor, person = tutor_client
    response = client.post(f"/cases/young-people/{person.pk}/serat/", answers_for(InstrumentKind.SERAT, level),
                           follow=True)
    assert response.redirect_chain[-1][0] == f"/cases/young-people/{person.pk}/"
    html = response.content.decode()
    assert level.label in html
    assert next_step in html
    with schema_context(school_a.schema_name):
        assessment = SeratAssessment.objects.get(young_person_id=person.pk)
        assert assessment.level == level.value and assessment.assessed_by_id == tutor.pk
        assert Plan.objects.get(young_person_id=person.pk, status="active").level == level.value


def test_a_missing_item_is_named_linked_and_nothing_is_saved(school_a, tutor_client):
    client, _, person = tutor_client
    answers = answers_for(InstrumentKind.SERAT, Level.MEDIUM)
    missing = serat_instrument().items[2]
    del answers[missing.code]
    response = client.post(f"/cases/young-people/{person.pk}/serat/", answers)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#id_{missing.code}_0"' in html
    assert f'id="id_{missing.code}_0"' in html
    assert missing.title in html.split("govuk-error-summary__list")[1].split("</ul>")[0]
    with schema_context(school_a.schema_name):
        assert not SeratAssessment.objects.filter(young_person_id=person.pk).exists()
        assert not Plan.objects.filter(young_person_id=person.pk).exists()


def test_a_score_outside_the_item_is_refused_on_that_item(school_a, tutor_client):
    client, _, person = tutor_client
    answers = answers_for(InstrumentKind.SERAT, Level.LOW)
    item = serat_instrument().items[0]
    answers[item.code] = max(item.allowed_scores) + 4
    response = client.post(f"/cases/young-people/{person.pk}/serat/", answers)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="#id_{item.code}_0"' in html
    assert "Choose a score" in html
    with schema_context(school_a.schema_name):
        assert not SeratAssessment.objects.filter(young_person_id=person.pk).exists()


def test_without_an_instrument_in_force_nothing_can_be_submitted(school_a, tutor_client):
    client, _, person = tutor_client
    InstrumentVersion.objects.filter(kind="serat").update(status="retired")
    html = client.get(f"/cases/young-people/{person.pk}/serat/").content.decode()
    assert 'data-testid="no-instrument"' in html
    response = client.post(f"/cases/young-people/{person.pk}/serat/", {})
    assert response.status_code == 409
    with schema_context(school_a.schema_name):
        assert not SeratAssessment.objects.filter(young_person_id=person.pk).exists()
