"""Open data as published: a year's files are frozen when first published (issue 9).

Everything else in insights is computed on request. Published figures are not: were they
recomputed, a cell that changes what it shares (or a late entry) would change a past year, and
comparing two downloads would single out that cell's figures. A deliberate correction replaces a
year with ``manage.py opendata_publish --year Y --replace`` (audited).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class Publication(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    year = models.PositiveSmallIntegerField(unique=True)
    csv = models.TextField()  # the CSV file as served (aggregates only)
    json = models.TextField()  # the JSON file as served (aggregates only)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
