"""`written` writes a value as the template engine does."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from vangnet.lib.markup import written


@pytest.mark.parametrize(
    "value",
    ['<a href="x">&\'</a>', mark_safe("<b>veilig</b>"), gettext_lazy("Edit"), 42, None, ""],
)
def test_it_writes_what_the_template_engine_writes(value: object) -> None:
    assert written(value) == Template("{{ v }}").render(Context({"v": value}))
