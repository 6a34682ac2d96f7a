"""Full-text search in the knowledge base, in Dutch.

``items_search(query, user=...)`` returns the *published* items the reader may see (the audience
rule of ``Item.objects.visible_to``), best match first, as a queryset (so callers can paginate,
filter and prefetch). ``search(...)`` returns the same with what the index page needs besides:
the number of results when it is already known, and whether the fallback was limited. Drafts and
archived items are never search results, not even for VVSG staff: staff find those in their own
list.

PostgreSQL (``connection.vendor == "postgresql"``)
    Each item stores a weighted ``tsvector`` (``Item.search_vector``, GIN-indexed) over the
    title (A), the summary (B) and the first ``SEARCH_BODY_CHARS`` characters of the plain text
    of the body (C), built with the built-in ``dutch`` text search configuration (Snowball
    stemming and Dutch stop words: "vergaderingen" finds "vergadering"). ``Item.save()`` keeps
    it up to date. The query goes through ``websearch_to_tsquery`` (so readers may use
    "quotes", ``or`` and ``-word``; it never raises a syntax error) and results are ordered by
    ``ts_rank`` on the stored vector, then by publication date. Only expressions from
    ``django.contrib.postgres.search`` are used, which work without ``django.contrib.postgres``
    in ``INSTALLED_APPS``.

Any other database (SQLite in development and in half of the test runs)
    A deliberately simple fallback. Query and texts are case-folded and stripped of accents
    ("Coördinator" = "coordinator"), and texts are reduced to their words separated by single
    spaces. Each query word loses one common Dutch plural or inflection ending ("-'s", "-en",
    "-s", "-e") when at least four letters remain, so "vergaderingen" finds "vergadering". The
    query syntax follows PostgreSQL's web search:

    - words: *every* word must occur, as a substring, in the title, summary or text;
    - ``-word`` (or ``-"some words"``): items containing it are left out;
    - ``"some words"`` (and hyphenated words such as ``LIVC-R``): the words must occur in this
      order, next to each other; only the last one is stemmed;
    - ``or`` between words: either side may match (``a b or c`` means "a and b, or c", as on
      PostgreSQL). ``or`` is never searched for as a word, not even at the start or the end of
      a query (PostgreSQL would search the word "or" there);
    - any other punctuation (``!``, ``&``, ``|``, ``:*``, ``<->``, brackets) is ignored.

    Ranking per word: 3 for a title hit, 2 for the summary, 1 for the text (the best matching
    side of an ``or`` counts); ties by publication date. Limits: no stop words (so "de" matches
    nearly everything), substring matching ("zorg" also finds "zorgvuldig", and ``-zorg`` leaves
    out items with "zorgvuldig"), and only the ``FALLBACK_CANDIDATES`` most recently published
    items (after the type, theme and tag filters) are searched: the results line says so when
    there were more.

Queries that are empty, only spaces, contain a NUL character or are longer than
``MAX_QUERY_LENGTH`` characters return nothing; ``query_problem`` tells the view why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from django.core.paginator import Page
from django.db import connection
from django.db.models import Case, F, IntegerField, OuterRef, QuerySet, Value, When
from django.db.models.functions import Left
from django.utils.translation import gettext as _

from vangnet.knowledge.models import SEARCH_BODY_CHARS, SEARCH_CONFIG, Item, ItemQuerySet, Theme
from vangnet.lib.prepared import PreparedPage

if TYPE_CHECKING:
    from vangnet.accounts.models import User

MAX_QUERY_LENGTH: Final = 200
FALLBACK_CANDIDATES: Final = 2000

_WORD: Final = re.compile(r"\w+(?:'\w+)?")
# A quoted phrase (the closing quote may be missing, as on PostgreSQL), or any other token.
_TOKEN: Final = re.compile(r'(-*)"([^"]*)"?|(\S+)')
_APOSTROPHES: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
# Tried in this order; one ending is removed at most.
_ENDINGS: Final = ("'s", "en", "s", "e")
_MIN_STEM: Final = 4
_WEIGHTS: Final = (3, 2, 1)  # title, summary, body


@dataclass(frozen=True)
class SearchResult:
    items: ItemQuerySet
    # The number of results when known without another query (the fallback), else None.
    count: int | None = None
    # The fallback searched only this many most recent items (there were more), else None.
    limited_to: int | None = None


@dataclass(frozen=True)
class _Term:
    text: str  # normalised words separated by single spaces
    negated: bool


def query_problem(query: str) -> str | None:
    """Why a query returns nothing before anything is searched, or None when it is usable."""
    if "\x00" in query:
        # PostgreSQL refuses NUL in any string; a browser never sends one.
        return _("The search text contains a character that is not allowed.")
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
    return search(query, user=user, kind=kind, theme=theme).items


def search(
    query: str,
    *,
    user: User | Any | None,
    kind: str | None = None,
    theme: Theme | None = None,
    tag: str = "",
    audiences: list[str] | None = None,
) -> SearchResult:
    """Like ``items_search``, also filtered on a tag name (any case), with what the page shows.

    ``audiences`` (from ``audiences_for(user)``) saves the membership query when the caller
    already has them.
    """
    if query_problem(query) is not None:
        return SearchResult(Item.objects.none(), count=0)
    candidates = _narrowed(
        Item.objects.visible_to(user, audiences=audiences).published(),
        kind=kind or None,
        theme_id=theme.pk if theme is not None else None,
        tag=tag or None,
    )
    if connection.vendor == "postgresql":
        return SearchResult(_search_postgresql(candidates, query.strip()))
    return _search_fallback(candidates, query.strip())


def _narrowed(
    candidates: ItemQuerySet, *, kind: str | None, theme_id: Any, tag: str | None
) -> ItemQuerySet:
    """The search's filters: a kind, a theme, a tag name (any case), each when given."""
    if kind is not None:
        candidates = candidates.filter(kind=kind)
    if theme_id is not None:
        candidates = candidates.filter(themes__id=theme_id)
    if tag is not None:
        candidates = candidates.tagged(tag)
    return candidates


# --- The search page on PostgreSQL, compiled once per process (lib/prepared.py) --------------

PAGE_SIZE = 20


def _found(**values: Any) -> QuerySet[Item]:
    """What ``search`` gives on PostgreSQL, for the search page: published items of the
    audiences given (``audience_0``, ``audience_1``...) matching ``query``, filtered on
    ``kind``, ``theme_id`` and ``tag`` when given, with their themes, best match first."""
    audiences = [values[name] for name in sorted(values) if name.startswith("audience_")]
    candidates = _narrowed(
        Item.objects.filter(audience__in=audiences).published(),
        kind=values.get("kind"),
        theme_id=values.get("theme_id"),
        tag=values.get("tag"),
    )
    from django.contrib.postgres.expressions import ArraySubquery

    # The theme names as an array on each row (``Item.theme_names``): the same names in the
    # same order as prefetching the themes, without a second query and a manager per item.
    theme_names = Theme.objects.filter(items=OuterRef("pk")).order_by("position", "name")
    return (
        _search_postgresql(candidates, values["query"])
        .annotate(theme_name_list=ArraySubquery(theme_names.values("name")))
        .defer("body", "body_text", "search_vector")
    )


_found_pages = PreparedPage[Item](_found, PAGE_SIZE)


def search_page(
    query: str,
    *,
    audiences: list[str],
    number: Any,
    kind: str | None = None,
    theme: Theme | None = None,
    tag: str = "",
) -> Page | None:
    """A page of ``search`` results as the knowledge index shows them, or None where this
    database searches otherwise (SQLite: ``search``) or the query is refused."""
    if connection.vendor != "postgresql" or query_problem(query) is not None or not audiences:
        return None
    values: dict[str, Any] = {f"audience_{i}": a for i, a in enumerate(sorted(audiences))}
    values["query"] = query.strip()
    if kind:
        values["kind"] = kind
    if theme is not None:
        values["theme_id"] = theme.pk
    if tag:
        values["tag"] = tag
    return _found_pages.get_page(number, **values)


def _search_postgresql(candidates: ItemQuerySet, query: str) -> ItemQuerySet:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    # Match and rank on the stored, indexed vector. A count of this queryset (the paginator's)
    # leaves the unused rank out, so it is an index lookup only.
    return (
        candidates.filter(search_vector=search_query)
        .annotate(rank=SearchRank(F("search_vector"), search_query))
        .order_by("-rank", "-published_at", "title")
    )


def _search_fallback(candidates: ItemQuerySet, query: str) -> SearchResult:
    alternatives = parse(query)
    if not alternatives:
        return SearchResult(Item.objects.none(), count=0)
    rows = list(
        candidates.order_by("-published_at", "title")
        .annotate(body_start=Left("body_text", SEARCH_BODY_CHARS))
        .values_list("pk", "title", "summary", "body_start")[: FALLBACK_CANDIDATES + 1]
    )
    limited_to = FALLBACK_CANDIDATES if len(rows) > FALLBACK_CANDIDATES else None
    scored: list[tuple[int, int, Any]] = []
    for position, (pk, *texts) in enumerate(rows[:FALLBACK_CANDIDATES]):
        fields = [flat(text) for text in texts]
        score = _score(alternatives, fields)
        if score is not None:
            scored.append((-score, position, pk))  # position keeps the date order for ties
    if not scored:
        return SearchResult(Item.objects.none(), count=0, limited_to=limited_to)
    ordered = [pk for _score, _position, pk in sorted(scored)]
    ranking = Case(
        *(When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ordered)),
        output_field=IntegerField(),
    )
    items = Item.objects.filter(pk__in=ordered).annotate(rank=ranking).order_by("rank")
    return SearchResult(items, count=len(ordered), limited_to=limited_to)


def _score(alternatives: list[list[_Term]], fields: list[str]) -> int | None:
    """The score of the best matching alternative, or None when none matches."""
    best: int | None = None
    for terms in alternatives:
        score = 0
        for term in terms:
            hits = [w for w, text in zip(_WEIGHTS, fields, strict=True) if term.text in text]
            if bool(hits) == term.negated:
                break
            score += sum(hits)
        else:
            best = score if best is None else max(best, score)
    return best


def parse(query: str) -> list[list[_Term]]:
    """The query as alternatives (``or``) of terms that must all hold, for the fallback."""
    alternatives: list[list[_Term]] = [[]]
    for match in _TOKEN.finditer(query):
        minus, phrase, token = match.groups()
        if token is not None:
            if token.casefold() == "or":
                if alternatives[-1]:
                    alternatives.append([])
                continue
            stripped = token.lstrip("-")
            negated, found = stripped != token, _WORD.findall(normalise(stripped))
        else:
            negated, found = bool(minus), _WORD.findall(normalise(phrase))
        if not found:
            continue
        term = _Term(" ".join([*found[:-1], stem(found[-1])]), negated)
        if term not in alternatives[-1]:
            alternatives[-1].append(term)
    return [terms for terms in alternatives if terms]


def normalise(text: str) -> str:
    """Case-folded, without accents, with one kind of apostrophe."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def flat(text: str) -> str:
    """The normalised words of a text separated by single spaces (punctuation dropped)."""
    return " ".join(_WORD.findall(normalise(text)))


def words(text: str) -> list[str]:
    """The distinct words of a text, normalised, in order."""
    return list(dict.fromkeys(_WORD.findall(normalise(text))))


def stem(word: str) -> str:
    """Remove one common Dutch plural or inflection ending if a real stem stays."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word
