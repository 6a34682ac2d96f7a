"""Versioned questionnaire templates. A round keeps the version it started with."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Template(models.Model):
    """One version of a questionnaire. Editing makes a new version; old ones never change."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=50)
    version = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    # The validated definition (modules, indicators, bands), see questionnaires/definition.py.
    definition: models.JSONField[Any, Any] = models.JSONField()
    source = models.TextField(blank=True)  # the YAML text this version was made from
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="questionnaires_version")
        ]

    def __str__(self) -> str:
        return f"{self.slug} v{self.version}"
