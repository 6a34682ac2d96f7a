"""Full-text search in the knowledge base, in Dutch.

``items_search(query, user=...)`` returns the *published* items the reader may see (the audience
rule of ``Item.objects.visible_to``), best match first, as a queryset (so callers can paginate,
filter and prefetch). Drafts and archived items are never search results, not even for VVSG
staff: staff find those in their own list.

PostgreSQL (``connection.vendor == "postgresql"``)
    A weighted ``tsvector`` over the title (A), the summary (B) and the plain text of the body
    (C) with the built-in ``dutch`` text search configuration (Snowball stemming and Dutch stop
    words: "vergaderingen" finds "vergadering"), matched against ``websearch_to_tsquery`` (so
    readers may use "quotes", ``or`` and ``-word``) and ordered by ``ts_rank``, then by
    publication date. The vector is computed per query, not stored or indexed: fine for the
    few thousand items of a knowledge base; add a stored ``SearchVectorField`` with a GIN index
    if it ever grows well beyond that. Only expressions from ``django.contrib.postgres.search``
    are used, which work without ``django.contrib.postgres`` in ``INSTALLED_APPS``.

Any other database (SQLite in development and in half of the test runs)
    A deliberately simple fallback. Query and texts are case-folded and stripped of accents
    ("Coördinator" = "coordinator"); the query is split into words and each word loses one
    common Dutch plural or inflection ending ("-'s", "-en", "-s", "-e") when at least four
    letters remain, so "vergaderingen" finds "vergadering". *Every* word must occur as a
    substring of the title, summary or text. Ranking per word: 3 for a title hit, 2 for the
    summary, 1 for the text; ties by publication date. Limits: no stop words (so "de" matches
    nearly everything), no phrase search or operators (quotes and minus signs are ignored),
    substring matching ("zorg" also finds "zorgvuldig"), and only the ``FALLBACK_CANDIDATES``
    most recently published visible items are searched.

Queries that are empty, only spaces, or longer than ``MAX_QUERY_LENGTH`` characters return
nothing; ``query_problem`` tells the view why.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any, Final

from django.db import connection
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext as _

from vangnet.knowledge.models import Item, ItemQuerySet, Theme

if TYPE_CHECKING:
    from vangnet.accounts.models import User

MAX_QUERY_LENGTH: Final = 200
FALLBACK_CANDIDATES: Final = 2000
SEARCH_CONFIG: Final = "dutch"

_WORD: Final = re.compile(r"\w+(?:'\w+)?")
_APOSTROPHES: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
# Tried in this order; one ending is removed at most.
_ENDINGS: Final = ("'s", "en", "s", "e")
_MIN_STEM: Final = 4
_WEIGHTS: Final = (3, 2, 1)  # title, summary, body


def query_problem(query: str) -> str | None:
    """Why a query returns nothing before anything is searched, or None when it is usable."""
    if not query.strip():
        return _("Type one or more words to search for.")
    if len(query) > MAX_QUERY_LENGTH:
        return _("The search text is too long: use at most %(max)d characters.") % {
            "max": MAX_QUERY_LENGTH
        }
    return None


def items_search(
    query: str,
    *,
    user: User | Any | None,
    kind: str | None = None,
    theme: Theme | None = None,
) -> ItemQuerySet:
    """Published items visible to ``user`` that match ``query``, best match first."""
    if query_problem(query) is not None:
        return Item.objects.none()
    candidates = Item.objects.visible_to(user).published()
    if kind:
        candidates = candidates.filter(kind=kind)
    if theme is not None:
        candidates = candidates.filter(themes=theme)
    if connection.vendor == "postgresql":
        return _search_postgresql(candidates, query.strip())
    return _search_fallback(candidates, query.strip())


def _search_postgresql(candidates: ItemQuerySet, query: str) -> ItemQuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body_text", weight="C", config=SEARCH_CONFIG)
    )
    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    return (
        candidates.annotate(search=vector, rank=SearchRank(vector, search_query))
        .filter(search=search_query)
        .order_by("-rank", "-published_at", "title")
    )


def _search_fallback(candidates: ItemQuerySet, query: str) -> ItemQuerySet:
    terms = [stem(word) for word in words(query)]
    if not terms:
        return Item.objects.none()
    rows = candidates.order_by("-published_at", "title").values_list(
        "pk", "title", "summary", "body_text"
    )[:FALLBACK_CANDIDATES]
    scored: list[tuple[int, int, Any]] = []
    for position, (pk, *texts) in enumerate(rows):
        fields = [normalise(text) for text in texts]
        score = 0
        for term in terms:
            hits = [weight for weight, text in zip(_WEIGHTS, fields, strict=True) if term in text]
            if not hits:
                break
            score += sum(hits)
        else:
            scored.append((-score, position, pk))  # position keeps the date order for ties
    if not scored:
        return Item.objects.none()
    ordered = [pk for _score, _position, pk in sorted(scored)]
    ranking = Case(
        *(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ordered)),
        output_field=IntegerField(),
    )
    return Item.objects.filter(pk__in=ordered).annotate(rank=ranking).order_by("rank")


def normalise(text: str) -> str:
    """Case-folded, without accents, with one kind of apostrophe."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The distinct words of a text, normalised, in order."""
    return list(dict.fromkeys(_WORD.findall(normalise(text))))


def stem(word: str) -> str:
    """Remove one common Dutch plural or inflection ending if a real stem stays."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word
