"""The agenda's items and the attendance boxes (meeting tags) give what the template gave."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from vangnet.meetings.templatetags.meetings import agenda_items, attendance_boxes

# The template these tags replaced (until 2 December 2026), as the reference.
AGENDA = Template(
    """{% load i18n %}{% for item, item_url, move_url, remove_url in agenda %}<li>
      <a href="{{ item_url }}">{% if item.case %}{{ item.kind_label }}: {{ item.case.code }}{% else %}{{ item.title }}{% endif %}</a>
      {% if access.can_manage %}
      <form method="post" action="{{ move_url }}" class="inline-form">{% csrf_token %}
        <button type="submit" name="direction" value="up" class="secondary outline" aria-label="{% translate 'Move up' %}">↑</button>
        <button type="submit" name="direction" value="down" class="secondary outline" aria-label="{% translate 'Move down' %}">↓</button>
      </form>
      <form method="post" action="{{ remove_url }}" class="inline-form">{% csrf_token %}<button type="submit" class="secondary outline">{% translate "Remove" %}</button></form>
      {% endif %}
    </li>{% endfor %}"""  # noqa: E501
)
ATTENDANCE = Template(
    """{% for person_id, name in invitees %}
      <label><input type="checkbox" name="present" value="{{ person_id }}" {% if person_id in present_ids %}checked{% endif %}> {{ name }}</label>
    {% endfor %}"""  # noqa: E501
)


def _tags(markup: str) -> list[tuple[str, list[str]]]:
    """Each tag with its attributes sorted, and the text between tags."""
    return [
        (tag, sorted(re.findall(r'[\w-]+(?:="[^"]*")?', attrs)))
        for tag, attrs in re.findall(r"<(/?\w+)([^>]*)>", markup)
    ] + [("text", [t.strip() for t in re.findall(r">([^<]+)<", markup) if t.strip()])]


def _agenda() -> list[tuple[object, str, str, str]]:
    case_item = SimpleNamespace(case=SimpleNamespace(code="LIV-2026-0001"), kind_label="Nieuw")
    topic = SimpleNamespace(case=None, title='Rondvraag <"alle"> & co')
    return [
        (item, f"/m/{n}/?x=1&y=2", f"/m/{n}/move/", f"/m/{n}/remove/")
        for n, item in enumerate([case_item, topic])
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("manage", [True, False])
def test_the_agenda_items_are_what_the_template_wrote(language, manage):
    values = {"agenda": _agenda(), "csrf_token": "t0k3n", "access": {"can_manage": manage}}
    with translation.override(language):
        ours = agenda_items(Context(values), values["agenda"], manage)
        reference = AGENDA.render(Context(values))
    assert _tags(ours) == _tags(reference)
    assert ("t0k3n" in ours) is manage and "&lt;&quot;alle&quot;&gt; &amp; co" in ours


def test_the_attendance_boxes_are_what_the_template_wrote():
    invitees = [(1, "An <Peeters>"), (2, "Bo & Co"), (3, "Cas")]
    values = {"invitees": invitees, "present_ids": {2, 3}}
    ours = attendance_boxes(invitees, values["present_ids"])
    assert _tags(ours) == _tags(ATTENDANCE.render(Context(values)))
    assert ours.count(" checked") == 2 and "An &lt;Peeters&gt;" in ours
