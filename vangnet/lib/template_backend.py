"""Django's template backend, whose duplicate-library check knows our one deliberate override.

``TEMPLATES[...]["OPTIONS"]["libraries"]`` registers ``vangnet.lib.i18n_tags`` under the name
``i18n`` on purpose (the same tags, constant text rendered once per language), which Django's
check reports as two modules for one name (``templates.W003``). This backend runs the same
check with that pair left out, so that any other clash is still reported.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.checks import Warning
from django.template.backends import django
from django.template.backends.django import get_template_tag_modules

# Library name -> (Django's module, the module that deliberately replaces it).
DELIBERATE_OVERRIDES = {"i18n": ("django.templatetags.i18n", "vangnet.lib.i18n_tags")}


class DjangoTemplates(django.DjangoTemplates):
    def _check_for_template_tags_with_the_same_name(self) -> list[Any]:
        libraries: dict[str, set[str]] = defaultdict(set)
        for module_name, module_path in get_template_tag_modules():
            libraries[module_name].add(module_path)
        for module_name, module_path in self.engine.libraries.items():
            libraries[module_name].add(module_path)
        for name, (original, replacement) in DELIBERATE_OVERRIDES.items():
            if self.engine.libraries.get(name) == replacement:
                libraries[name].discard(original)
        return [
            Warning(
                f"{name!r} is used for multiple template tag modules: "
                + ", ".join(repr(item) for item in sorted(items)),
                obj=self,
                id="templates.W003",
            )
            for name, items in libraries.items()
            if len(items) > 1
        ]
