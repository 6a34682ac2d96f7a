"""Who sees which survey: cells never see VVSG surveys, VVSG never sees a cell's."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from vangnet.questionnaires.models import Template
from vangnet.surveys import services
from vangnet.surveys.models import Audience
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db

ACTIONS = ("open/", "send/", "close/", "link/", "link/revoke/")


def test_the_cell_list_shows_an_empty_state_and_the_new_button(personas, client):
    sign_in(client, personas.alice)
    response = client.get(f"/cells/{personas.mechelen.pk}/surveys/")
    assert response.status_code == 200
    assert b"No surveys yet" in response.content and b"New survey" in response.content


def test_the_nav_links_to_surveys_for_those_who_oversee(personas, client):
    sign_in(client, personas.bob)
    url = f"/cells/{personas.mechelen.pk}/surveys/"
    assert url.encode() in client.get(f"/cells/{personas.mechelen.pk}/").content
    sign_in(client, personas.pim)
    assert url.encode() not in client.get(f"/cells/{personas.mechelen.pk}/").content


def test_the_cell_list_query_count_does_not_grow(
    personas, client, make_survey, django_assert_max_num_queries
):
    for _ in range(5):
        make_survey(send=False)
    sign_in(client, personas.alice)
    with django_assert_max_num_queries(15):
        response = client.get(f"/cells/{personas.mechelen.pk}/surveys/")
    assert response.content.count(b"Signals 2025") == 5


def test_the_vvsg_list_query_count_does_not_grow(
    personas, client, make_survey, django_assert_max_num_queries
):
    for _ in range(5):
        make_survey(cell=None, audience=Audience.COORDINATORS, send=False)
    sign_in(client, personas.vera)
    with django_assert_max_num_queries(15):
        response = client.get("/support/surveys/")
    assert response.content.count(b"Signals 2025") == 5


def test_another_cell_and_outsiders_get_404_for_a_cell_survey(personas, client, make_survey):
    survey, _tokens = make_survey()
    base = f"/cells/{personas.mechelen.pk}/surveys/{survey.pk}/"
    for user in (personas.walter, personas.olaf, personas.vera, personas.mona):
        sign_in(client, user)
        assert client.get(base).status_code == 404, user
        assert client.get(base + "export.csv").status_code == 404
        for action in ACTIONS:
            assert client.post(base + action).status_code == 404
    # Walter through his own cell: the survey does not exist there.
    sign_in(client, personas.walter)
    own = f"/cells/{personas.wingene.pk}/surveys/{survey.pk}/"
    assert client.get(own).status_code == 404
    assert client.post(own + "close/").status_code == 404


def test_a_partner_without_a_role_gets_403(personas, client, make_survey):
    survey, _tokens = make_survey()
    sign_in(client, personas.pim)
    base = f"/cells/{personas.mechelen.pk}/surveys/"
    assert client.get(base).status_code == 403
    assert client.get(f"{base}{survey.pk}/").status_code == 403
    assert client.post(f"{base}{survey.pk}/close/").status_code == 403


def test_vvsg_cannot_open_a_cell_survey_through_the_support_pages(personas, client, make_survey):
    survey, _tokens = make_survey()
    sign_in(client, personas.vera)
    base = f"/support/surveys/{survey.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(base + "export.xlsx").status_code == 404
    for action in ACTIONS:
        assert client.post(base + action).status_code == 404
    assert b"Signals 2025" not in client.get("/support/surveys/").content


def test_a_coordinator_cannot_open_vvsg_survey_pages(personas, client, make_survey):
    survey, _tokens = make_survey(cell=None, audience=Audience.COORDINATORS)
    sign_in(client, personas.alice)
    assert client.get("/support/surveys/").status_code == 403
    assert client.get("/support/surveys/new/").status_code == 403
    assert client.get("/support/surveys/library/").status_code == 403
    assert client.get("/support/surveys/library/cell-needs/").status_code == 404
    base = f"/support/surveys/{survey.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(base + "export.csv").status_code == 404
    for action in ACTIONS:
        assert client.post(base + action).status_code == 404
    # Nor through the cell: a VVSG survey is not a survey of the cell.
    assert client.get(f"/cells/{personas.mechelen.pk}/surveys/{survey.pk}/").status_code == 404
    assert b"Signals 2025" not in client.get(f"/cells/{personas.mechelen.pk}/surveys/").content


def test_the_anonymous_link_is_shown_once(personas, client, make_survey):
    survey, _tokens = make_survey(anonymous_link=True, send=False)
    sign_in(client, personas.alice)
    base = f"/cells/{personas.mechelen.pk}/surveys/{survey.pk}/"
    response = client.post(base + "link/")
    assert response.status_code == 200 and b"/survey/" in response.content
    assert b"shown only this once" in response.content
    assert b"/survey/" not in client.get(base).content
    assert b"An anonymous link is active" in client.get(base).content


def test_vvsg_edits_a_library_survey_as_a_new_version(personas, client, make_survey):
    survey, _tokens = make_survey(cell=None, audience=Audience.COORDINATORS, slug="cell-needs")
    sign_in(client, personas.vera)
    url = "/support/surveys/library/cell-needs/"
    page = client.get(url)
    assert page.status_code == 200
    source = page.context["source"]
    response = client.post(url, {"source": source.replace("Tafeloefeningen", "Oefeningen")})
    assert response.status_code == 302
    versions = list(Template.objects.filter(slug="cell-needs").values_list("version", flat=True))
    assert sorted(versions) == [1, 2]
    with scopes_disabled():
        survey.refresh_from_db()
    assert survey.template.version == 1  # the survey keeps its version
    assert services.library()[2].version == 2


def test_the_library_editor_shows_definition_errors(personas, client):
    sign_in(client, personas.vera)
    url = "/support/surveys/library/cell-needs/"
    source = client.get(url).context["source"]
    bad_options = source.replace("kind: text", "kind: choice", 1)  # a choice without options
    response = client.post(url, {"source": bad_options})
    assert response.status_code == 400 and b"2 to 20 options" in response.content
    response = client.post(url, {"source": source.replace("kind: likert", "kind: slider", 1)})
    assert response.status_code == 400 and b"one of likert" in response.content
    response = client.post(url, {"source": source.replace("slug: cell-needs", "slug: other")})
    assert response.status_code == 400 and b"cannot change" in response.content
    assert client.get("/support/surveys/library/livc-scan/").status_code == 404
    assert Template.objects.filter(slug="cell-needs").count() == 1
