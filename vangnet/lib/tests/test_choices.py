from __future__ import annotations

from django.utils import translation

from vangnet.cases.models import Case, CaseStatus
from vangnet.helpdesk.models import Question, QuestionStatus
from vangnet.knowledge.models import Item
from vangnet.knowledge.models import ItemKind as KnowledgeKind
from vangnet.lib.choices import label_of
from vangnet.meetings.models import AgendaItem
from vangnet.meetings.models import ItemKind as AgendaKind


def test_it_gives_what_get_display_gives_in_each_language() -> None:
    for language in ("nl", "en"):
        with translation.override(language):
            for value in CaseStatus.values:
                assert Case(status=value).status_label == Case(status=value).get_status_display()
            for value in QuestionStatus.values:
                question = Question(status=value)
                assert question.status_label == question.get_status_display()
            for value in KnowledgeKind.values:
                assert Item(kind=value).kind_label == Item(kind=value).get_kind_display()
            for value in AgendaKind.values:
                item = AgendaItem(kind=value)
                assert item.kind_label == item.get_kind_display()


def test_it_shows_an_unknown_value_as_it_is() -> None:
    assert label_of(CaseStatus, "vanished") == "vanished"
    assert label_of(CaseStatus, None) == ""
