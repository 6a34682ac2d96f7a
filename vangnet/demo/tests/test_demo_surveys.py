from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from vangnet.demo import services
from vangnet.demo.surveys import CELL_TITLE, VVSG_RESPONSES, VVSG_TITLE
from vangnet.surveys import services as survey_services
from vangnet.surveys.models import Survey, SurveyResponse

pytestmark = pytest.mark.django_db


def test_it_loads_a_closed_vvsg_survey_with_results_and_an_open_cell_survey(
    demo_without_support_desk, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.demo_load()
    # Demo addresses are .invalid: the demo surveys invite without mail.
    assert not [m for m in mailoutbox if "/survey/" in str(m.body)]
    with scopes_disabled():
        counts = (Survey.objects.count(), SurveyResponse.objects.count())
        vvsg = Survey.objects.get(title=VVSG_TITLE)
        assert vvsg.cell_id is None and vvsg.is_closed
        assert survey_services.response_count(vvsg) == VVSG_RESPONSES
        assert survey_services.results_visible(vvsg)
        results = survey_services.survey_results(vvsg, "nl")
        phenomena = next(r for r in results if r.key == "phenomena")
        assert sum(1 for row in phenomena.rows if row["count"]) >= 4  # varied answers
        cell = Survey.objects.get(title=CELL_TITLE)
        assert cell.cell is not None and cell.is_open and cell.invited_user_ids
        assert not survey_services.results_visible(cell)
    services.demo_load()  # idempotent
    with scopes_disabled():
        assert (Survey.objects.count(), SurveyResponse.objects.count()) == counts
