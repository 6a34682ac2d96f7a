from __future__ import annotations

from django.utils import translation

from vangnet.cases.models import Case, CaseStatus
from vangnet.helpdesk.models import Question, QuestionStatus
from vangnet.lib.choices import label_of


def test_it_gives_what_get_display_gives_in_each_language() -> None:
    for language in ("nl", "en"):
        with translation.override(language):
            for value in CaseStatus.values:
                assert Case(status=value).status_label == Case(status=value).get_status_display()
            for value in QuestionStatus.values:
                question = Question(status=value)
                assert question.status_label == question.get_status_display()


def test_it_shows_an_unknown_value_as_it_is() -> None:
    assert label_of(CaseStatus, "vanished") == "vanished"
    assert label_of(CaseStatus, None) == ""
