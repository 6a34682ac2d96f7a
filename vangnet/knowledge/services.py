"""Knowledge workflows: items, their files, good practices. Every change is audited.

Audit data holds ids, kinds, statuses, versions and counts only: never titles, texts, file names
or names of people. Downloads only increment a counter (``item_file_downloaded``); they are not
audit events, because most of them are anonymous reads of public documents.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scopes_disabled

from vangnet.audit.services import audit_record
from vangnet.cells.models import Cell, Municipality
from vangnet.knowledge.access import is_local_government_user
from vangnet.knowledge.models import (
    GoodPractice,
    Item,
    ItemFile,
    ItemKind,
    ItemStatus,
    PracticeStatus,
    Tag,
    Theme,
)
from vangnet.lib.richtext import richtext_clean
from vangnet.lib.uploads import document_check

if TYPE_CHECKING:
    from vangnet.accounts.models import User

logger = logging.getLogger(__name__)

DOWNLOAD_NAME_MAX = 100  # characters of the slug, before "-v<n>" and the extension


@transaction.atomic
def item_create(
    *,
    actor: User,
    kind: str,
    title: str,
    audience: str,
    status: str,
    summary: str = "",
    body: str = "",
    themes: Iterable[Theme] = (),
    tags: Iterable[str] = (),
    related: Iterable[Item] = (),
) -> Item:
    """Create a knowledge item; ``body`` is sanitised on save, ``tags`` are names."""
    item = Item(
        kind=kind,
        title=title.strip(),
        summary=summary.strip(),
        body=body,
        audience=audience,
        status=status,
        created_by=actor,
        updated_by=actor,
    )
    item.save()
    item.themes.set(list(themes))
    item.tags.set(_tags(tags))
    item.related.set(list(related))
    audit_record(
        action="knowledge.item.created",
        actor=actor,
        target=item,
        data={"kind": kind, "audience": audience, "status": status},
    )
    return item


def _tags(names: Iterable[str]) -> list[Tag]:
    """Tags by name, regardless of case: an existing tag keeps its first spelling."""
    tags: dict[object, Tag] = {}
    for name in dict.fromkeys(n.strip()[:60] for n in names if n.strip()):
        tag = _tag(name)
        tags.setdefault(tag.pk, tag)
    return list(tags.values())


def _tag(name: str) -> Tag:
    tag = _tag_named(name)
    if tag is not None:
        return tag
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            return Tag.objects.create(name=name)
    except IntegrityError:
        # Created at the same moment by another request, perhaps in another case: use that one.
        tag = _tag_named(name)
        if tag is None:
            raise
        return tag


def _tag_named(name: str) -> Tag | None:
    """The tag called ``name`` in any case (the same comparison as its unique constraint)."""
    return (
        Tag.objects.annotate(key=Lower("name"))
        .filter(key=Lower(Value(name)))
        .order_by("name")
        .first()
    )


@transaction.atomic
def item_update(
    *,
    item: Item,
    actor: User,
    kind: str,
    title: str,
    summary: str,
    body: str,
    audience: str,
    status: str,
    themes: Iterable[Theme],
    tags: Iterable[str],
    related: Iterable[Item],
) -> Item:
    """Change every editable field of an item; ``body`` is sanitised on save."""
    item = Item.objects.select_for_update(no_key=True).get(pk=item.pk)
    before = {f: getattr(item, f) for f in ("kind", "title", "summary", "body", "audience")}
    before_status = item.status
    item.kind = kind
    item.title = title.strip()
    item.summary = summary.strip()
    item.body = body
    item.audience = audience
    item.status = status
    item.updated_by = actor
    item.save()
    item.themes.set(list(themes))
    item.tags.set(_tags(tags))
    item.related.set([other for other in related if other.pk != item.pk])
    changed = sorted(f for f, value in before.items() if getattr(item, f) != value)
    audit_record(
        action="knowledge.item.updated",
        actor=actor,
        target=item,
        data={
            "kind": kind,
            "audience": audience,
            "status": status,
            "previous_status": before_status,
            "changed": changed,
        },
    )
    return item


@transaction.atomic
def item_publish(*, item: Item, actor: User) -> Item:
    """Make an item visible to its audience (a draft or an archived item alike)."""
    return _item_status(item=item, actor=actor, status=ItemStatus.PUBLISHED, verb="published")


@transaction.atomic
def item_archive(*, item: Item, actor: User) -> Item:
    """Take an item off the site; VVSG staff still see it and can publish it again."""
    return _item_status(item=item, actor=actor, status=ItemStatus.ARCHIVED, verb="archived")


def _item_status(*, item: Item, actor: User, status: str, verb: str) -> Item:
    item = Item.objects.select_for_update(no_key=True).get(pk=item.pk)
    previous = item.status
    item.status = status
    item.updated_by = actor
    item.save()
    audit_record(
        action=f"knowledge.item.{verb}",
        actor=actor,
        target=item,
        data={"status": status, "previous_status": previous, "audience": item.audience},
    )
    return item


@transaction.atomic
def item_file_add(
    *,
    item: Item,
    upload: UploadedFile,
    note: str,
    actor: User,
    download_name: str | None = None,
) -> ItemFile:
    """Store the next version of an item's file, checked by its content (PDF, DOCX, ODT).

    Raises ``UploadRejected`` (wrong kind, damaged, too large: nothing is stored) and
    ``ValidationError`` for an item kind that carries no files. The file is stored under its
    UUID; the name offered for download comes from ``download_name`` or the item's title, never
    from the uploaded file's name.
    """
    if not item.has_files:
        raise ValidationError(
            _("Only documents, templates and publications have files."), code="no_files"
        )
    checked = document_check(upload)
    # Lock the item row: two uploads at once must not get the same version number.
    locked = Item.objects.select_for_update(no_key=True).get(pk=item.pk)
    latest = ItemFile.objects.filter(item=locked).aggregate(v=Max("version"))["v"]
    version = (latest or 0) + 1
    item_file = ItemFile(
        item=locked,
        version=version,
        download_name=_download_name(download_name or locked.title, version, checked.extension),
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        note=note.strip()[:300],
        uploaded_by=actor,
    )
    item_file.file.save(f"{item_file.id}{checked.extension}", upload, save=False)
    try:
        item_file.save()
        locked.updated_by = actor
        locked.save(update_fields=["updated_by", "updated_at"])
        audit_record(
            action="knowledge.file.added",
            actor=actor,
            target=item_file,
            data={
                "item": str(locked.pk),
                "version": version,
                "extension": checked.extension,
                "size": checked.size,
            },
        )
    except Exception:
        # The transaction rolls back the row and the audit event; remove the stored file as
        # well, so no unreferenced upload stays on disk.
        _file_discard(item_file)
        raise
    return item_file


def _file_discard(item_file: ItemFile) -> None:
    try:
        item_file.file.delete(save=False)
    except OSError:
        logger.exception("Could not remove the stored file of knowledge file %s", item_file.pk)


def _download_name(base: str, version: int, extension: str) -> str:
    """An ASCII file name safe for a Content-Disposition header: slug, version, extension."""
    stem, ext = os.path.splitext(base)
    if ext.lower() in (".pdf", ".docx", ".odt"):
        base = stem
    slug = slugify(base)[:DOWNLOAD_NAME_MAX].strip("-_") or "document"
    return f"{slug}-v{version}{extension}"


def item_file_downloaded(*, item_file: ItemFile) -> None:
    """Count a download (in the database, so concurrent downloads are all counted)."""
    ItemFile.objects.filter(pk=item_file.pk).update(downloads=F("downloads") + 1)


# --- Good practices ---------------------------------------------------------------------------


def practice_municipalities(user: User) -> list[Municipality]:
    """The municipalities a user may submit a good practice for: those of the user's cells."""
    if not user.is_authenticated:
        return []
    # One's own memberships, across cells by design (row-level security: vangnet/lib/rls.py).
    with scopes_disabled():
        return list(
            Municipality.objects.filter(cells__in=Cell.objects.real().for_user(user)).distinct()
        )


@transaction.atomic
def practice_submit(
    *,
    user: User,
    municipality: Municipality,
    theme: Theme,
    title: str,
    context: str,
    approach: str,
    results: str,
    contact_role: str,
    personal_data_confirmed: bool = False,
) -> GoodPractice:
    """A local government shares a good practice; VVSG reviews it before anything is published."""
    if not is_local_government_user(user):
        raise ValidationError(
            _("Only members of a local cell can submit a good practice."), code="not_member"
        )
    if municipality.pk not in {m.pk for m in practice_municipalities(user)}:
        raise ValidationError(
            _("Choose a municipality of your own cell."), code="wrong_municipality"
        )
    fields = {
        "title": title.strip(),
        "context": context.strip(),
        "approach": approach.strip(),
        "results": results.strip(),
        "contact_role": contact_role.strip(),
    }
    if not all(fields.values()):
        raise ValidationError(_("Fill in every part of the good practice."), code="required")
    practice = GoodPractice(
        municipality=municipality,
        theme=theme,
        personal_data_confirmed=personal_data_confirmed,
        submitted_by=user,
        **fields,
    )
    practice.full_clean(exclude=["submitted_by", "reviewed_by", "item"])
    practice.save()
    audit_record(
        action="knowledge.practice.submitted",
        actor=user,
        target=practice,
        data={
            "municipality": municipality.pk,
            "theme": str(theme.pk),
            "personal_data_confirmed": personal_data_confirmed,
        },
    )
    return practice


@transaction.atomic
def practice_publish(*, practice: GoodPractice, reviewer: User, audience: str) -> Item:
    """Publish a submitted practice as a knowledge item of kind good practice."""
    practice = _practice_for_review(practice)
    item = item_create(
        actor=reviewer,
        kind=ItemKind.GOOD_PRACTICE,
        title=practice.title,
        summary=Truncator(" ".join(practice.context.split())).chars(300),
        body=practice_body(practice),
        audience=audience,
        status=ItemStatus.PUBLISHED,
        themes=[practice.theme],
    )
    practice.status = PracticeStatus.PUBLISHED
    practice.reviewed_by = reviewer
    practice.reviewed_at = timezone.now()
    practice.item = item
    practice.save(update_fields=["status", "reviewed_by", "reviewed_at", "item"])
    audit_record(
        action="knowledge.practice.published",
        actor=reviewer,
        target=practice,
        data={"item": str(item.pk), "audience": audience},
    )
    return item


@transaction.atomic
def practice_return(*, practice: GoodPractice, reviewer: User, note: str) -> GoodPractice:
    """Send a practice back to its author with a note saying what to change."""
    note = note.strip()
    if not note:
        raise ValidationError(
            _("Write a note that tells the author what to change."), code="note_required"
        )
    practice = _practice_for_review(practice)
    practice.status = PracticeStatus.RETURNED
    practice.review_note = note[:2000]
    practice.reviewed_by = reviewer
    practice.reviewed_at = timezone.now()
    practice.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    audit_record(
        action="knowledge.practice.returned",
        actor=reviewer,
        target=practice,
        data={"status": PracticeStatus.RETURNED},
    )
    return practice


def _practice_for_review(practice: GoodPractice) -> GoodPractice:
    locked = GoodPractice.objects.select_for_update(no_key=True).get(pk=practice.pk)
    if locked.status != PracticeStatus.SUBMITTED:
        raise ValidationError(
            _("This good practice has already been reviewed."), code="already_reviewed"
        )
    return locked


def practice_body(practice: GoodPractice) -> str:
    """The item text built from the structured fields: every user text escaped, then cleaned.

    Headings are written in the site's language (the knowledge base is in Dutch), whatever
    language the reviewer uses.
    """
    with override(settings.LANGUAGE_CODE):
        sections = [
            (_("Municipality"), practice.municipality.name_nl),
            (_("Theme"), practice.theme.name),
            (_("Context"), practice.context),
            (_("Approach"), practice.approach),
            (_("Results"), practice.results),
            (_("Contact"), practice.contact_role),
        ]
        html = "\n".join(
            f"<h2>{escape(heading)}</h2>\n{_paragraphs(text)}" for heading, text in sections
        )
    return richtext_clean(html)


def _paragraphs(text: str) -> str:
    """Plain text as escaped HTML paragraphs (blank lines split, single newlines break)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [block.strip() for block in lines.split("\n\n") if block.strip()]
    return "\n".join(
        "<p>" + "<br>".join(escape(line.strip()) for line in block.split("\n")) + "</p>"
        for block in blocks
    )
