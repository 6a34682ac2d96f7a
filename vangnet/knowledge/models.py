"""The knowledge base: news, publications, good practices, FAQ, documents, templates and pages.

Knowledge is VVSG's, not a cell's: items are not tenant data and hold no personal data (FAQ items
made from helpdesk questions are rewritten anonymously by VVSG staff). Who may read an item is its
``audience``: everybody (the public website part, no login), every member of a cell (and VVSG
staff), or VVSG staff only. Documents and templates carry versioned files.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connections, models
from django.db.models import Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Left, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vangnet.cells.models import Municipality
from vangnet.lib.choices import label_of
from vangnet.lib.prepared import PreparedQuery
from vangnet.lib.richtext import richtext_clean, richtext_to_text

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from vangnet.accounts.models import User


class Theme(models.Model):
    """A theme shared by knowledge items, helpdesk questions, good practices and statistics."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


# The theme filters of the helpdesk queue and the knowledge search: compiled once per process.
_theme_options = PreparedQuery[tuple[Any, str]](
    lambda key: Theme.objects.order_by("position", "name").values_list(key, "name")
)


def theme_options(key: str = "pk") -> list[tuple[str, str]]:
    """(``key`` as text, name) of every theme in the order of the model, for a select's
    options: what a ``ModelChoiceField`` over the themes lists, without a model per theme.

    Kept like the other slowly changing figures (``lib.aggregates``): a new or renamed theme
    shows in the filters within ``VANGNET_AGGREGATE_CACHE_SECONDS``."""
    from vangnet.lib.aggregates import aggregate_cached

    return aggregate_cached(
        f"knowledge.theme_options:{key}",
        lambda: [(str(value), name) for value, name in _theme_options(key)],
    )


class Tag(models.Model):
    """A free label. Names are unique regardless of case: the first spelling is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(Lower("name"), name="knowledge_tag_unique_name_ci")]

    def __str__(self) -> str:
        return self.name


class ItemKind(models.TextChoices):
    NEWS = "news", _("News")
    PUBLICATION = "publication", _("Publication")
    GOOD_PRACTICE = "good_practice", _("Good practice")
    FAQ = "faq", _("Question and answer")
    DOCUMENT = "document", _("Document")
    TEMPLATE = "template", _("Template")
    PAGE = "page", _("Page")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone (public website)")
    MEMBERS = "members", _("All members of a cell")
    STAFF = "staff", _("VVSG staff only")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# The stored search vector (PostgreSQL only) indexes this many characters of the body text.
SEARCH_BODY_CHARS = 100_000
SEARCH_CONFIG = "dutch"


def search_vector_expression() -> CombinedExpression:
    """Title (weight A), summary (B) and the start of the body text (C), in Dutch."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector(Left("body_text", SEARCH_BODY_CHARS), weight="C", config=SEARCH_CONFIG)
    )


class ItemQuerySet(models.QuerySet["Item"]):
    def published(self) -> ItemQuerySet:
        return self.filter(status=ItemStatus.PUBLISHED)

    def visible_to(
        self, user: User | AnonymousUser | None, *, audiences: list[str] | None = None
    ) -> ItemQuerySet:
        """Items this reader may open: the audience rule, and drafts for VVSG staff only.

        Pass ``audiences`` (from ``audiences_for(user)``) when the view already has them, to
        save the membership query.
        """
        from vangnet.knowledge.access import audiences_for

        if audiences is None:
            audiences = audiences_for(user)
        queryset = self.filter(audience__in=audiences)
        if user is None or not getattr(user, "is_vvsg_staff", False):
            queryset = queryset.filter(status=ItemStatus.PUBLISHED)
        return queryset

    def tagged(self, name: str) -> ItemQuerySet:
        """Items with the tag ``name``, in any case ("Privacy" finds the tag "privacy")."""
        tags = Tag.objects.annotate(key=Lower("name")).filter(key=Lower(Value(name)))
        return self.filter(tags__in=tags.values("pk"))


class Item(models.Model):
    """One piece of knowledge. ``body`` is sanitised HTML; ``body_text`` its plain text.

    On PostgreSQL, ``search_vector`` holds the weighted Dutch ``tsvector`` of the title, summary
    and body text (GIN-indexed by migration 0004); ``save()`` keeps it up to date. Code that
    changes those fields with ``QuerySet.update()`` must call ``search_vector_refresh`` itself.
    On other databases the column stays empty and unused.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=ItemKind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True)
    body_text = models.TextField(editable=False, blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="items", verbose_name=_("themes")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="items", verbose_name=_("tags"))
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("related items")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge items")
        indexes = [models.Index(fields=["status", "audience", "kind"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        # Defence in depth: whatever path wrote the body, only allowlisted HTML is stored.
        self.body = richtext_clean(self.body)
        self.body_text = richtext_to_text(self.body)
        if self.status == ItemStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"title", "summary", "body", "body_text"} & set(
            update_fields  # type: ignore[call-overload]
        ):
            search_vector_refresh(Item.objects.using(self._state.db).filter(pk=self.pk))

    @property
    def kind_label(self) -> str:
        """``get_kind_display()`` for lists (``lib.choices.label_of``)."""
        return label_of(ItemKind, self.kind)

    @property
    def theme_names(self) -> list[str]:
        """The names of the item's themes in theme order, for lists: annotated on the rows of
        the search page (``search._found``: no query and no related manager per item), else
        read through ``themes`` (prefetched where a list shows them)."""
        names: list[str] | None = self.__dict__.get("theme_name_list")
        if names is not None:
            return names
        return [theme.name for theme in self.themes.all()]

    @property
    def has_files(self) -> bool:
        return self.kind in (ItemKind.DOCUMENT, ItemKind.TEMPLATE, ItemKind.PUBLICATION)


def search_vector_refresh(items: models.QuerySet[Item]) -> None:
    """Recompute the stored search vector of ``items`` (PostgreSQL only; a no-op elsewhere)."""
    if connections[items.db].vendor == "postgresql":
        items.update(search_vector=search_vector_expression())


def _item_file_path(instance: ItemFile, filename: str) -> str:
    # Stored by UUID only: the uploaded file name never reaches the disk.
    return f"knowledge/{instance.item_id}/{instance.id}{instance.extension}"


class ItemFile(models.Model):
    """A version of the file of a document, template or publication (PDF, DOCX or ODT)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to=_item_file_path)
    download_name = models.CharField(_("file name"), max_length=150)
    extension = models.CharField(max_length=5)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "version"], name="knowledge_file_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} v{self.version}"


class PracticeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for changes")


class GoodPractice(models.Model):
    """A good practice submitted by a local government, published after VVSG review.

    Structured so practices can be compared: municipality, theme, approach, results and the role
    (not the name) of a contact. Publishing creates a knowledge item of kind good practice.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="practices", verbose_name=_("theme")
    )
    title = models.CharField(_("title"), max_length=200)
    context = models.TextField(_("context (what was the problem?)"), max_length=5000)
    approach = models.TextField(_("approach"), max_length=10000)
    results = models.TextField(_("results"), max_length=5000)
    contact_role = models.CharField(_("contact (role, not a name)"), max_length=150)
    # The author confirmed that text flagged by the personal-data check identifies nobody.
    personal_data_confirmed = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=PracticeStatus.choices, default=PracticeStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    review_note = models.TextField(_("review note"), blank=True, max_length=2000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    item = models.OneToOneField(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="practice"
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    def __str__(self) -> str:
        return self.title
