"""The public answer form: every kind, bad values, single-use and anonymous links."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.surveys import services
from vangnet.surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from vangnet.surveys.tests.conftest import FULL_POST

pytestmark = pytest.mark.django_db


def _answers():
    with scopes_disabled():
        return {
            (a.module, a.indicator): (a.value, a.choices, a.text)
            for a in SurveyAnswer.objects.all()
        }


def test_it_renders_every_kind_without_signing_in(make_survey, client):
    _survey, tokens = make_survey()
    response = client.get(f"/survey/{tokens[0]}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="checkbox" name="q__signals__phenomena" value="far_right"' in html
    assert 'type="radio" name="q__signals__frequency" value="monthly"' in html
    assert 'name="q__needs__collaboration_good" value="5"' in html
    assert 'name="q__needs__knows_how_to_reach" value="0"' in html
    assert '<textarea id="q__needs__open_remark"' in html
    assert "anonymous" in html and "Do not mention names" in html


def test_it_stores_each_kind_and_uses_the_personal_link_once(make_survey, client):
    _survey, tokens = make_survey()
    response = client.post(f"/survey/{tokens[0]}/", FULL_POST)
    assert response.status_code == 200 and b"Thank you" in response.content
    assert _answers() == {
        ("signals", "phenomena"): (None, ["far_right", "online"], None),
        ("signals", "frequency"): (None, ["few_times"], None),
        ("signals", "trend"): (None, [], None),  # not applicable
        ("needs", "support_needs"): (None, ["training"], None),
        ("needs", "knows_how_to_reach"): (1, [], None),
        ("needs", "collaboration_good"): (4, [], None),
        ("needs", "open_remark"): (None, [], "More feedback please"),
    }
    with scopes_disabled():
        assert SurveyInvitation.objects.count() == 3  # the used link is gone
    assert client.get(f"/survey/{tokens[0]}/").status_code == 410
    assert client.post(f"/survey/{tokens[0]}/", FULL_POST).status_code == 410
    with scopes_disabled():
        assert SurveyResponse.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="surveys.response").exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"q__signals__frequency": "daily"},
        {"q__signals__phenomena": ["far_right", "unknown"]},
        {"q__signals__phenomena": "na"},  # multi has no "not applicable"
        {"q__needs__collaboration_good": "6"},
        {"q__needs__knows_how_to_reach": "2"},
        {"q__needs__knows_how_to_reach": "na"},  # not allowed for this question
        {"q__needs__open_remark": "x" * 2001},
    ],
)
def test_an_impossible_value_stores_nothing(make_survey, client, bad):
    _survey, tokens = make_survey()
    response = client.post(f"/survey/{tokens[0]}/", {**FULL_POST, **bad})
    assert response.status_code == 400
    assert b"Please correct" in response.content
    with scopes_disabled():
        assert not SurveyResponse.objects.exists()
        assert SurveyInvitation.objects.count() == 4  # the link still works


def test_nothing_is_mandatory_but_one_answer_is_needed(make_survey, client):
    _survey, tokens = make_survey()
    response = client.post(f"/survey/{tokens[0]}/", {"q__needs__open_remark": "   "})
    assert response.status_code == 400 and b"at least one question" in response.content
    response = client.post(f"/survey/{tokens[0]}/", {"q__needs__collaboration_good": "2"})
    assert response.status_code == 200
    assert _answers() == {("needs", "collaboration_good"): (2, [], None)}


def test_it_asks_to_confirm_text_that_looks_like_personal_data(make_survey, client):
    _survey, tokens = make_survey()
    post = {"q__needs__open_remark": "Call me on 0475 12 34 56"}
    response = client.post(f"/survey/{tokens[0]}/", post)
    assert response.status_code == 400 and b"personal_data_confirmed" in response.content
    response = client.post(f"/survey/{tokens[0]}/", {**post, "personal_data_confirmed": "1"})
    assert response.status_code == 200


def test_a_text_answer_is_encrypted_at_rest(make_survey, client):
    _survey, tokens = make_survey(cell=None, audience="coordinators", slug="cell-needs")
    client.post(f"/survey/{tokens[0]}/", {"q__support__suggestion": "More intervision"})
    with scopes_disabled():
        raw = SurveyAnswer.objects.values_list("text", flat=True).get()
        assert b"intervision" not in bytes(raw)
        assert SurveyAnswer.objects.get().text == "More intervision"


def test_the_anonymous_link_works_repeatedly_until_revoked(personas, make_survey, client):
    survey, _tokens = make_survey(anonymous_link=True, send=False)
    with scopes_disabled():
        token = services.anonymous_link_create(survey=survey, user=personas.alice)
    page = client.get(f"/survey/{token}/")
    assert page.status_code == 200 and b"cannot prevent" in page.content
    for _ in range(3):
        assert client.post(f"/survey/{token}/", FULL_POST).status_code == 200
    with scopes_disabled():
        assert SurveyResponse.objects.count() == 3
        services.anonymous_link_revoke(survey=survey, user=personas.alice)
    assert client.get(f"/survey/{token}/").status_code == 410


def test_a_new_anonymous_link_replaces_the_old_one(personas, make_survey, client):
    survey, _tokens = make_survey(anonymous_link=True, send=False)
    with scopes_disabled():
        old = services.anonymous_link_create(survey=survey, user=personas.alice)
        new = services.anonymous_link_create(survey=survey, user=personas.alice)
    assert client.get(f"/survey/{old}/").status_code == 410
    assert client.get(f"/survey/{new}/").status_code == 200


def test_a_revoked_link_refuses_a_form_opened_before(personas, make_survey, client):
    survey, _tokens = make_survey(anonymous_link=True, send=False)
    with scopes_disabled():
        token = services.anonymous_link_create(survey=survey, user=personas.alice)
        link = services.link_by_token(token)
        services.anonymous_link_create(survey=survey, user=personas.alice)
        answers = {("needs", "collaboration_good"): (3, [], "")}
        with pytest.raises(ValidationError):
            services.response_submit(link=link, answers=answers)


def test_no_anonymous_link_without_the_option(personas, make_survey):
    survey, _tokens = make_survey(anonymous_link=False, send=False)
    with scopes_disabled(), pytest.raises(ValidationError):
        services.anonymous_link_create(survey=survey, user=personas.alice)


def test_closing_ends_every_link(personas, make_survey, client):
    survey, tokens = make_survey(anonymous_link=True)
    with scopes_disabled():
        token = services.anonymous_link_create(survey=survey, user=personas.alice)
        services.survey_close(survey=survey, user=personas.alice)
        assert not SurveyInvitation.objects.exists()
    assert client.get(f"/survey/{token}/").status_code == 410
    assert client.get(f"/survey/{tokens[0]}/").status_code == 410
    assert client.get("/survey/not-a-token/").status_code == 410


def test_links_stop_after_the_closing_date(personas, make_survey, client):
    survey, tokens = make_survey()
    with scopes_disabled():
        survey.closes_on = timezone.localdate()
        survey.save(update_fields=["closes_on"])
    assert client.get(f"/survey/{tokens[0]}/").status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert client.get(f"/survey/{tokens[0]}/").status_code == 410


def test_a_response_keeps_no_person_and_no_time():
    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert fields == {"id", "cell", "survey", "answers"}
    answer_fields = {f.name for f in SurveyAnswer._meta.get_fields()}
    assert answer_fields == {
        "id",
        "cell",
        "response",
        "module",
        "indicator",
        "value",
        "choices",
        "text",
    }
    invitation_fields = {f.name for f in SurveyInvitation._meta.get_fields()}
    assert invitation_fields == {"id", "cell", "survey", "token_hash"}
