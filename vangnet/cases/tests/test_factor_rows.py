"""The checklist rows of the case page (``{% factor_rows %}``) give what the template gave."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from vangnet.cases.models import Dimension
from vangnet.cases.templatetags.cases import factor_rows

# The template these rows replaced (until 2 December 2026), as the reference.
REFERENCE = Template(
    """{% load i18n %}{% for value, label, risk, protective in dimensions %}<tr>
      <th scope="row">{{ label }}</th>
      <td>{% if manage %}<label><input type="checkbox" name="{{ value }}__risk" {% if risk %}checked{% endif %}> {% translate "present" %}</label><input type="text" name="{{ value }}__risk__note" value="{{ risk.note|default:'' }}" aria-label="{% translate 'Note' %}: {{ label }}, {% translate 'risk factor' %}" maxlength="500">{% else %}{% if risk %}✔ {{ risk.note }}{% else %}—{% endif %}{% endif %}</td>
      <td>{% if manage %}<label><input type="checkbox" name="{{ value }}__protective" {% if protective %}checked{% endif %}> {% translate "present" %}</label><input type="text" name="{{ value }}__protective__note" value="{{ protective.note|default:'' }}" aria-label="{% translate 'Note' %}: {{ label }}, {% translate 'protective factor' %}" maxlength="500">{% else %}{% if protective %}✔ {{ protective.note }}{% else %}—{% endif %}{% endif %}</td>
    </tr>{% endfor %}"""  # noqa: E501
)


def _normalised(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\s+>", ">", markup)).replace("> <", "><").strip()


def _dimensions() -> list[tuple[str, Any, Any, Any]]:
    notes = ["", 'Zegt "nee" & <b>zwijgt</b>', "Gewone noot"]
    rows: list[tuple[str, Any, Any, Any]] = []
    for n, (value, label) in enumerate(Dimension.choices):
        risk = SimpleNamespace(note=notes[n % 3]) if n % 2 == 0 else None
        protective = SimpleNamespace(note=notes[(n + 1) % 3]) if n % 3 == 0 else None
        rows.append((value, label, risk, protective))
    return rows


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("manage", [True, False])
def test_it_writes_the_markup_the_template_wrote(language: str, manage: bool) -> None:
    dimensions = _dimensions()
    with translation.override(language):
        ours = factor_rows(dimensions, manage)
        reference = REFERENCE.render(Context({"dimensions": dimensions, "manage": manage}))
    assert _normalised(ours) == _normalised(reference)


def test_it_escapes_the_notes() -> None:
    rows = factor_rows(_dimensions(), True) + factor_rows(_dimensions(), False)
    assert "<b>" not in rows and "&lt;b&gt;zwijgt&lt;/b&gt;" in rows
    assert 'value="Zegt &quot;nee&quot; &amp; &lt;b&gt;zwijgt&lt;/b&gt;"' in rows
