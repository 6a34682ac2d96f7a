"""The staff queue's rows (``{% queue_rows %}``) give what the template gave."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.template import Context, Template
from django.utils import timezone, translation

from vangnet.helpdesk.models import Question
from vangnet.helpdesk.services import question_assign
from vangnet.helpdesk.templatetags.helpdesk import queue_rows
from vangnet.helpdesk.tests.factories import answer, at, make_question, wingene

pytestmark = pytest.mark.django_db

# The template these rows replaced (until 2 December 2026), as the reference.
REFERENCE = Template(
    """{% load i18n %}{% for q, sla, url in rows %}<tr{% if sla == "overdue" %} class="sla-breached"{% endif %}>
    <td><a href="{{ url }}">{{ q.reference }}</a></td>
    <td>{{ q.subject|truncatechars:80 }}</td>
    <td>{{ q.municipality.name_nl }}</td>
    <td>{{ q.theme.name }}</td>
    <td>{{ q.created_at|date:"SHORT_DATETIME_FORMAT" }}</td>
    <td>{{ q.due_at|date:"SHORT_DATETIME_FORMAT" }}{% if sla == "overdue" %} <span class="badge sla-breach">{% translate "Overdue: no first reply yet" %}</span>{% elif sla == "answered_late" %} <span class="muted">{% translate "answered late" %}</span>{% endif %}</td>
    <td>{{ q.assigned_to.full_name|default:"—" }}</td>
    <td>{{ q.status_label }}</td>
  </tr>{% endfor %}"""  # noqa: E501
)


@pytest.fixture
def rows(personas, theme):
    now = at("2026-03-20 12:00")
    with time_machine.travel(now, tick=False):
        overdue = make_question(personas.pim, now=at("2026-03-16 09:00"), subject="Te <laat> & zo")
        late = make_question(personas.alice, now=at("2026-03-10 09:00"), subject="x" * 120)
        answer(late, personas.vera, now=at("2026-03-13 10:00"))
        fresh = make_question(personas.walter, now=at("2026-03-19 10:00"), municipality=wingene())
        question_assign(question=fresh, assignee=personas.vera, actor=personas.vera)
    questions = Question.objects.select_related("municipality", "theme", "assigned_to")
    found = {q.pk: q for q in questions.filter(pk__in=[overdue.pk, late.pk, fresh.pk])}
    return [
        (found[q.pk], found[q.pk].sla_state(now), f"/helpdesk/{q.pk}/?a=1&b=2")
        for q in (overdue, late, fresh)
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("zone", ["Europe/Brussels", "UTC"])
def test_it_writes_the_markup_the_template_wrote(rows, language, zone):
    assert {sla for _, sla, _ in rows} == {"overdue", "answered_late", ""}
    with translation.override(language), timezone.override(zone):
        ours = queue_rows(rows)
        reference = REFERENCE.render(Context({"rows": rows}))
    assert re.sub(r"\s+", " ", ours).strip() == re.sub(r"\s+", " ", reference).strip()
    assert "Te &lt;laat&gt; &amp; zo" in ours and "x" * 79 + "…" in ours
    assert 'href="/helpdesk/' in ours and "a=1&amp;b=2" in ours
