"""The participant and action rows of the case page (``{% participant_rows %}``,
``{% action_rows %}``) give what the template gave."""

from __future__ import annotations

import datetime
import re
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from vangnet.cases.tests.test_factor_rows import _normalised

# The template these rows replaced (until 2 December 2026), as the reference.
PARTICIPANTS = Template(
    """{% load i18n %}{% for p, remove_url in participants %}<tr>
      <td>{% if p.organisation %}{{ p.organisation.name }}{% endif %}{% if p.user %}{{ p.user.full_name }}{% endif %}{% if p.is_case_manager %} <span class="badge badge-ok">{% translate "case manager" %}</span>{% endif %}</td>
      <td>{{ p.reason }}</td>
      <td>{% if p.until_action %}{% translate "until action" %} {{ p.until_action.due_date|date:"DATE_FORMAT" }}{% else %}—{% endif %}</td>
      {% if manage %}<td><form method="post" action="{{ remove_url }}" class="inline-form">{% csrf_token %}<button type="submit" class="secondary outline">{% translate "Remove" %}</button></form></td>{% endif %}
    </tr>{% endfor %}"""  # noqa: E501
)
ACTIONS = Template(
    """{% load i18n %}{% for a, status_url in actions %}<tr>
      <td>{{ a.owner.name }}</td><td>{{ a.description }}{% if a.professional_secret %} <small class="muted">({% translate "another professional's secret: left out of an access export" %})</small>{% endif %}</td>
      <td>{% if a.status == "open" and a.due_date < today %}<span class="badge badge-warn">{{ a.due_date|date:"DATE_FORMAT" }}</span>{% else %}{{ a.due_date|date:"DATE_FORMAT" }}{% endif %}</td>
      <td>{{ a.get_status_display }}
        {% if case.is_open and a.status == "open" %}{% if manage or a.owner_id in my_organisations %}
        <form method="post" action="{{ status_url }}" class="inline-form">{% csrf_token %}<input type="hidden" name="status" value="done"><button type="submit" class="secondary outline">{% translate "Mark done" %}</button></form>
        {% endif %}{% endif %}
      </td>
    </tr>{% endfor %}"""  # noqa: E501
)
OURS = Template(
    "{% load cases %}{% participant_rows participants manage %}"
    "|{% action_rows actions case.is_open manage my_organisations today %}"
)
TODAY = datetime.date(2026, 12, 2)
HOSTILE = 'Zegt "nee" & <b>zwijgt</b>'


def _participants() -> list[tuple[Any, str]]:
    caw = SimpleNamespace(name="CAW <Boven>")
    action = SimpleNamespace(due_date=datetime.date(2027, 1, 15))
    rows = [
        SimpleNamespace(organisation=caw, user=None, is_case_manager=True, reason=HOSTILE,
                        until_action=None),
        SimpleNamespace(organisation=None, user=SimpleNamespace(full_name="Ilse O'Neil"),
                        is_case_manager=False, reason="Begeleiding", until_action=action),
        SimpleNamespace(organisation=caw, user=SimpleNamespace(full_name="Pim"),
                        is_case_manager=False, reason="", until_action=None),
    ]  # fmt: skip
    return [(row, f"/cells/x/cases/y/participants/{uuid.uuid4()}/remove/") for row in rows]


def _actions(owners: list[uuid.UUID]) -> list[tuple[Any, str]]:
    def action(owner: int, status: str, due: datetime.date, secret: bool) -> Any:
        label = {"open": "Open", "done": "Done"}[status]
        return SimpleNamespace(
            owner=SimpleNamespace(name=f"Partner {owner} & co"),
            owner_id=owners[owner],
            description=HOSTILE if secret else "Gesprek met de school",
            professional_secret=secret,
            status=status,
            due_date=due,
            get_status_display=lambda: label,
        )

    rows = [
        action(0, "open", TODAY - datetime.timedelta(days=3), False),  # overdue
        action(1, "open", TODAY + datetime.timedelta(days=3), True),
        action(0, "done", TODAY - datetime.timedelta(days=9), False),  # done: never flagged
        action(1, "open", TODAY, False),  # due today: not overdue
    ]
    return [(row, f"/cells/x/cases/y/actions/{uuid.uuid4()}/status/") for row in rows]


def _managed_open_case() -> dict[str, Any]:
    """The rows' context for a coordinator on an open case, with hostile values."""
    return {
        "participants": _participants(),
        "actions": _actions([uuid.uuid4(), uuid.uuid4()]),
        "manage": True,
        "case": SimpleNamespace(is_open=True),
        "my_organisations": set(),
        "today": TODAY,
        "csrf_token": "t0ken",
    }


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("manage", [True, False])
@pytest.mark.parametrize("case_open", [True, False])
def test_they_write_the_markup_the_template_wrote(language, manage, case_open) -> None:
    owners = [uuid.uuid4(), uuid.uuid4()]
    context = {
        "participants": _participants(),
        "actions": _actions(owners),
        "manage": manage,
        "case": SimpleNamespace(is_open=case_open),
        "my_organisations": {owners[1]},
        "today": TODAY,
        "csrf_token": "t0ken",
    }
    with translation.override(language):
        ours = OURS.render(Context(context))
        reference = PARTICIPANTS.render(Context(context)) + "|" + ACTIONS.render(Context(context))
    # Our rows escape the translations too: an apostrophe, the same text in the browser
    # (``{% translate %}`` leaves it as it is), so apostrophes are compared as written.
    assert _normalised(ours).replace("&#x27;", "'") == _normalised(reference).replace("&#x27;", "'")
    assert ("Remove" in ours or "Verwijder" in ours) == manage


def test_they_escape_every_value() -> None:
    context = _managed_open_case()
    ours = OURS.render(Context(context))
    assert "<b>" not in ours and "<Boven>" not in ours
    assert "Zegt &quot;nee&quot; &amp; &lt;b&gt;zwijgt&lt;/b&gt;" in ours
    assert "Ilse O&#x27;Neil" in ours
    assert len(re.findall(r'name="csrfmiddlewaretoken" value="t0ken"', ours)) == 3 + 3


def test_a_translation_with_braces_does_not_break_the_rows(monkeypatch) -> None:
    from vangnet.cases.templatetags import cases as tags

    monkeypatch.setattr(tags, "gettext", lambda text: "{url} {0} " + text)
    context = _managed_open_case()
    ours = OURS.render(Context(context))
    assert ours.count("{url} {0} Remove") == 3 and ours.count("{url} {0} Mark done") == 3
