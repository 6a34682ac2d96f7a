"""Malformed input never stores anything and never gives a 500; roles that may not act get 403
or 404; exports neutralise formulas even behind control characters; audit data holds no content.
"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from vangnet.audit.models import AuditEvent
from vangnet.lib.spreadsheet import spreadsheet_safe
from vangnet.questionnaires.services import template_current
from vangnet.surveys import services
from vangnet.surveys.models import Audience, SurveyAnswer, SurveyInvitation, SurveyResponse
from vangnet.surveys.tests.conftest import FULL_POST, submit
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


def _nothing_stored(invitations: int = 4) -> None:
    with scopes_disabled():
        assert not SurveyResponse.objects.exists()
        assert SurveyInvitation.objects.count() == invitations  # the link still works


@pytest.mark.parametrize(
    "bad",
    [
        {"q__signals__frequency": ["few_times", "monthly"]},  # one option, sent twice
        {"q__needs__collaboration_good": ["4", "5"]},  # a repeated likert field
        {"q__needs__open_remark": ["one", "two"]},  # a repeated text field
        {"q__signals__phenomena": ["online", "online"]},  # a duplicate option
        {"q__signals__phenomena": ["far_right"] * 400},  # a huge list of one option
        {"q__signals__phenomena": [f"o{n}" for n in range(300)]},  # many unknown options
        {"q__signals__frequency": "FEW_TIMES"},  # keys are exact
        {"q__needs__collaboration_good": " 4.0"},
        {"q__needs__collaboration_good": "-1"},
    ],
)
def test_a_malformed_post_is_a_400_and_stores_nothing(make_survey, client, bad):
    _survey, tokens = make_survey()
    response = client.post(f"/survey/{tokens[0]}/", {**FULL_POST, **bad})
    assert response.status_code == 400 and b"Please correct" in response.content
    _nothing_stored()


def test_unknown_fields_alone_are_no_answer(make_survey, client):
    _survey, tokens = make_survey()
    response = client.post(f"/survey/{tokens[0]}/", {"q__nope__nope": "1", "x": "y"})
    assert response.status_code == 400 and b"at least one question" in response.content
    _nothing_stored()


def test_too_many_fields_is_a_400_not_a_500(make_survey, client):
    _survey, tokens = make_survey()
    data = {f"f{n}": "1" for n in range(600)}
    assert client.post(f"/survey/{tokens[0]}/", data).status_code == 400
    _nothing_stored()


@pytest.mark.parametrize("token", ["x" * 101, "%00", "..", "a b", "🙂"])
def test_odd_tokens_get_the_410_page(client, token):
    assert client.get(f"/survey/{token}/").status_code == 410


def test_the_answer_form_never_shows_earlier_answers(personas, make_survey, client):
    survey, _tokens = make_survey(anonymous_link=True, send=False)
    with scopes_disabled():
        token = services.anonymous_link_create(survey=survey, user=personas.alice)
    client.post(f"/survey/{token}/", {**FULL_POST, "q__needs__open_remark": "secret remark"})
    page = client.get(f"/survey/{token}/")
    assert page.status_code == 200 and b"secret remark" not in page.content
    assert b"checked" not in page.content


def test_control_characters_are_dropped_from_texts(make_survey, client):
    _survey, tokens = make_survey()
    post = {"q__needs__open_remark": "\x00\x01=CMD()\x7f"}
    assert client.post(f"/survey/{tokens[0]}/", post).status_code == 200
    with scopes_disabled():
        assert SurveyAnswer.objects.get().text == "=CMD()"


def test_the_service_refuses_control_characters_and_duplicate_options(make_survey):
    _survey, tokens = make_survey()
    with scopes_disabled():
        link = services.link_by_token(tokens[0])
        assert link is not None
        for bad in (
            {("needs", "open_remark"): (None, [], "\x01=CMD()")},
            {("signals", "phenomena"): (None, ["online", "online"], "")},
        ):
            with pytest.raises(ValidationError):
                services.response_submit(link=link, answers=bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("  @SUM(A1)", "'  @SUM(A1)"),
        ("\x01=CMD()", "'\x01=CMD()"),
        ("\x00\x1f-2", "'\x00\x1f-2"),
        ("\tx", "'\tx"),
        ("plain - text", "plain - text"),
        (3, 3),
        (None, None),
    ],
)
def test_spreadsheet_safe_looks_past_whitespace_and_control_characters(value, expected):
    assert spreadsheet_safe(value) == expected


def test_the_xlsx_export_neutralises_a_formula_behind_a_control_character(
    personas, make_survey, client
):
    survey, _tokens = make_survey(anonymous_link=True, send=False)
    for remark in ("first", "second", "third"):
        submit(survey, None, **{"q__needs__open_remark": remark})
    with scopes_disabled():
        # Stored below the form (the form drops control characters): the export still copes.
        answer = SurveyAnswer.objects.filter(text__isnull=False).first()
        assert answer is not None
        answer.text = '\x01=HYPERLINK("http://evil")'
        answer.save()
        services.survey_close(survey=survey, user=personas.alice)
    sign_in(client, personas.alice)
    base = f"/cells/{personas.mechelen.pk}/surveys/{survey.pk}/"
    sheet = load_workbook(io.BytesIO(client.get(base + "export.xlsx").content))["responses"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert '\'=HYPERLINK("http://evil")' in [cell.value for cell in cells]
    csv_body = client.get(base + "export.csv").content.decode("utf-8-sig")
    assert "'\x01=HYPERLINK" in csv_body


def test_roles_that_may_not_act_are_refused(personas, client, make_survey):
    survey, _tokens = make_survey()
    cell = f"/cells/{personas.mechelen.pk}/surveys/"
    base = f"{cell}{survey.pk}/"
    # The mayor reads but changes nothing.
    sign_in(client, personas.bob)
    assert client.get(cell + "new/").status_code == 403
    for action in ("open/", "send/", "close/", "link/", "link/revoke/"):
        assert client.post(base + action).status_code == 403
    # Members without a managing role or the mayor's: nothing at all.
    for user in (personas.pim, personas.ilse):
        sign_in(client, user)
        assert client.get(cell + "new/").status_code == 403
        assert client.get(base + "export.csv").status_code == 403
        assert client.get(base + "export.xlsx").status_code == 403
        assert client.post(base + "send/").status_code == 403
    # VVSG and outsiders do not see that the cell has surveys.
    for user in (personas.vera, personas.olaf):
        sign_in(client, user)
        assert client.get(cell).status_code == 404
        assert client.get(cell + "new/").status_code == 404
    with scopes_disabled():
        survey.refresh_from_db()
    assert survey.is_open and len(survey.invited_user_ids) == 4


def test_the_library_editor_refuses_broken_yaml_without_a_500(personas, client):
    sign_in(client, personas.vera)
    url = "/support/surveys/library/cell-needs/"
    for source in ("", "[]", "a: [", "!!python/object:os.system x", "slug: cell-needs\nmodules: 5"):
        assert client.post(url, {"source": source}).status_code == 400, source
    assert client.post("/support/surveys/library/../livc-scan/", {"source": ""}).status_code in (
        403,
        404,
    )


def test_audit_events_hold_ids_and_counts_only(personas, client, make_survey):
    survey, tokens = make_survey(anonymous_link=True)
    for token in tokens[:3]:
        submit(survey, token, **{**FULL_POST, "q__needs__open_remark": "a private remark"})
    sign_in(client, personas.alice)
    base = f"/cells/{personas.mechelen.pk}/surveys/{survey.pk}/"
    client.post(base + "link/")
    client.post(base + "link/revoke/")
    client.post(base + "close/")
    client.get(base + "export.csv")
    client.get(base + "export.xlsx")
    events = list(AuditEvent.objects.filter(action__startswith="surveys."))
    assert {e.action for e in events} >= {
        "surveys.survey.created",
        "surveys.survey.opened",
        "surveys.survey.invited",
        "surveys.link.created",
        "surveys.link.revoked",
        "surveys.survey.closed",
        "surveys.results.exported",
    }
    allowed = {"template_version", "audience", "count", "responses", "invited", "format"}
    for event in events:
        assert set(event.data or {}) <= allowed, event.action
        assert "remark" not in str(event.data) and "Signals" not in str(event.data)
    assert not any(e.action.startswith("surveys.response") for e in events)


def test_a_vvsg_survey_is_not_a_cell_template_choice(personas, client):
    """A cell cannot start a survey from a template outside the library (e.g. the scan)."""
    sign_in(client, personas.alice)
    scan = template_current()
    response = client.post(
        f"/cells/{personas.mechelen.pk}/surveys/new/",
        {"template": str(scan.pk), "title": "X", "audience": Audience.CELL_MEMBERS},
    )
    assert response.status_code == 400
