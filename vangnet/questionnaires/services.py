"""Template versions: load the shipped YAML once, and make a new version on every edit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max

from vangnet.audit.services import audit_record
from vangnet.questionnaires.definition import (
    SURVEY_KINDS,
    definition_file,
    definition_parse,
)
from vangnet.questionnaires.models import Template

if TYPE_CHECKING:
    from vangnet.accounts.models import User

DEFAULT_SCAN = "livc-scan"


def _parse(source: str, *, survey: bool) -> dict[str, Any]:
    """Scans and event feedback: the scored kinds only; surveys (`survey=True`) also allow
    choice and multi questions, and modules without a scored question or bands."""
    if survey:
        return definition_parse(source, kinds=SURVEY_KINDS, require_scored=False)
    return definition_parse(source)


@transaction.atomic
def template_current(slug: str = DEFAULT_SCAN, *, survey: bool = False) -> Template:
    """The newest version; the shipped YAML file becomes version 1 the first time."""
    latest = Template.objects.filter(slug=slug).order_by("-version").first()
    if latest is not None:
        return latest
    source = definition_file(slug)
    definition = _parse(source, survey=survey)
    return Template.objects.create(
        slug=slug, version=1, title=definition["title"]["nl"], definition=definition, source=source
    )


@transaction.atomic
def template_edit(*, slug: str, source: str, user: User, survey: bool = False) -> Template:
    """A VVSG edit: validate, then store as the next version. Rounds keep their version."""
    # Raises DefinitionError with a clear message.
    definition = _parse(source, survey=survey)
    if definition["slug"] != slug:
        raise ValueError("the slug cannot change")
    template_current(slug, survey=survey)
    version = (Template.objects.filter(slug=slug).aggregate(v=Max("version"))["v"] or 0) + 1
    template = Template.objects.create(
        slug=slug,
        version=version,
        title=definition["title"]["nl"],
        definition=definition,
        source=source,
        created_by=user,
    )
    audit_record(
        action="questionnaires.template.edited",
        actor=user,
        target=template,
        data={"version": version},
    )
    return template
