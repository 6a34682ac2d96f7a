"""Results (only closed and from three responses), computations, charts and exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from vangnet.audit.models import AuditEvent
from vangnet.surveys import services
from vangnet.surveys.tests.conftest import FULL_POST, submit
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db

POSTS = [
    FULL_POST,
    {
        "q__signals__phenomena": ["online"],
        "q__signals__frequency": "monthly",
        "q__needs__knows_how_to_reach": "0",
        "q__needs__collaboration_good": "2",
        "q__needs__open_remark": '=HYPERLINK("http://evil")',
    },
    {
        "q__signals__phenomena": ["far_right", "online", "polarisation"],
        "q__signals__frequency": "few_times",
        "q__needs__knows_how_to_reach": "1",
        "q__needs__collaboration_good": "na",
        "q__needs__open_remark": "another remark",
    },
]


@pytest.fixture
def closed_survey(personas, make_survey):
    survey, tokens = make_survey(anonymous_link=True)
    for token, post in zip(tokens, POSTS, strict=False):
        submit(survey, token, **post)
    with scopes_disabled():
        services.survey_close(survey=survey, user=personas.alice)
        survey.refresh_from_db()
    return survey


def _page(client, personas, survey):
    sign_in(client, personas.alice)
    return client.get(f"/cells/{personas.mechelen.pk}/surveys/{survey.pk}/")


def test_results_wait_for_closing(personas, make_survey, client):
    survey, tokens = make_survey()
    for token, post in zip(tokens, POSTS, strict=False):
        submit(survey, token, **post)
    response = _page(client, personas, survey)
    assert b"The results appear when the survey is closed" in response.content
    assert b"another remark" not in response.content
    assert b"3 responses" in response.content  # counts only
    assert client.get(response.wsgi_request.path + "export.csv").status_code == 302


def test_results_wait_for_three_responses(personas, make_survey, client):
    survey, tokens = make_survey()
    submit(survey, tokens[0], **POSTS[0])
    submit(survey, tokens[1], **POSTS[1])
    with scopes_disabled():
        services.survey_close(survey=survey, user=personas.alice)
    response = _page(client, personas, survey)
    assert b"The results appear" in response.content and b"More feedback" not in response.content
    event = AuditEvent.objects.get(action="surveys.survey.closed")
    assert event.data == {"responses": 2, "invited": 4}


def test_it_computes_the_results_per_question(closed_survey):
    with scopes_disabled():
        results = {r.key: r for r in services.survey_results(closed_survey, "en")}
    likert = results["collaboration_good"]
    assert [row["count"] for row in likert.rows] == [0, 1, 0, 1, 0]
    assert likert.mean == 3.0 and likert.answered == 2 and likert.not_applicable == 1
    yesno = results["knows_how_to_reach"]
    assert [(row["label"], row["count"], row["share"]) for row in yesno.rows] == [
        ("Yes", 2, 67),
        ("No", 1, 33),
    ]
    frequency = results["frequency"]
    assert {row["label"]: row["count"] for row in frequency.rows}["A few times"] == 2
    phenomena = results["phenomena"]
    shares = {row["label"]: row["share"] for row in phenomena.rows}
    assert shares["Online radicalisation (social media, gaming)"] == 100  # all three chose it
    assert shares["Far right"] == 67 and shares["Far left"] == 0
    trend = results["trend"]
    assert trend.not_applicable == 1 and trend.answered == 0
    texts = results["open_remark"].texts
    assert texts == sorted(texts, key=str.casefold) and len(texts) == 3


def test_the_results_page_shows_charts_and_tables(personas, client, closed_survey):
    response = _page(client, personas, closed_survey)
    html = response.content.decode()
    assert 'id="survey-charts"' in html and "data-survey-chart=" in html
    assert "survey-charts.js" in html and "<table>" in html
    assert "another remark" in html and "mean 3.0 on 1\u20135" in html
    assert "<script>" not in html.replace('<script type="application/json"', "")


def test_the_results_page_queries_do_not_grow_with_responses(
    personas, client, make_survey, django_assert_max_num_queries
):
    survey, _tokens = make_survey(anonymous_link=True)
    for post in POSTS * 4:
        submit(survey, None, **post)
    with scopes_disabled():
        services.survey_close(survey=survey, user=personas.alice)
    sign_in(client, personas.alice)
    url = f"/cells/{personas.mechelen.pk}/surveys/{survey.pk}/"
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_the_csv_export_has_one_row_per_response_and_neutralises_formulas(
    personas, client, closed_survey
):
    sign_in(client, personas.alice)
    url = f"/cells/{personas.mechelen.pk}/surveys/{closed_survey.pk}/export.csv"
    response = client.get(url)
    assert response.status_code == 200
    assert 'filename="bevraging-partner-signals-needs-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["signals.phenomena", "signals.frequency", "signals.trend"]
    assert len(body) == 3
    column = dict(zip(header, zip(*body, strict=True), strict=True))
    assert sorted(column["needs.open_remark"]) == sorted(
        ["More feedback please", '\'=HYPERLINK("http://evil")', "another remark"]
    )
    assert "far_right; online" in column["signals.phenomena"]
    assert "n/a" in column["signals.trend"] and "n/a" in column["needs.collaboration_good"]
    event = AuditEvent.objects.get(action="surveys.results.exported")
    assert event.data == {"format": "csv", "responses": 3}


def test_the_xlsx_export_reads_back_with_neutralised_formulas(personas, client, closed_survey):
    sign_in(client, personas.alice)
    url = f"/cells/{personas.mechelen.pk}/surveys/{closed_survey.pk}/export.xlsx"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["responses"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4
    header = rows[0]
    remarks = [row[header.index("needs.open_remark")] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in remarks
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)  # no formula anywhere
    likert = [row[header.index("needs.collaboration_good")] for row in rows[1:]]
    assert sorted(v for v in likert if isinstance(v, int)) == [2, 4]
    assert workbook["questions"].max_row == 8  # header + seven questions


def test_the_mayor_reads_results_but_changes_nothing(personas, client, closed_survey):
    sign_in(client, personas.bob)
    base = f"/cells/{personas.mechelen.pk}/surveys/{closed_survey.pk}/"
    response = client.get(base)
    assert response.status_code == 200 and b"another remark" in response.content
    assert b"Close the survey" not in response.content
    assert client.get(base + "export.csv").status_code == 200
    assert client.post(base + "close/").status_code == 403


def test_the_service_refuses_values_the_form_would_refuse(make_survey):
    _survey, tokens = make_survey()
    with scopes_disabled():
        link = services.link_by_token(tokens[0])
        for bad in (
            {("needs", "collaboration_good"): (9, [], "")},
            {("signals", "frequency"): (None, ["few_times", "monthly"], "")},
            {("signals", "phenomena"): (None, ["bogus"], "")},
            {("needs", "knows_how_to_reach"): (None, [], "")},  # n/a not allowed here
            {("nope", "nope"): (1, [], "")},
        ):
            with pytest.raises(ValidationError):
                services.response_submit(link=link, answers=bad)
