"""Full-text search in Dutch: PostgreSQL with the dutch configuration, a fallback elsewhere."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vangnet.knowledge.models import SEARCH_BODY_CHARS, Audience, Item, ItemKind, ItemStatus, Theme
from vangnet.knowledge.search import (
    MAX_QUERY_LENGTH,
    items_search,
    normalise,
    parse,
    stem,
    words,
)

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Dutch stemming needs PostgreSQL"
)
fallback_only = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="tests the fallback used on other databases"
)


def titles(query, user=None, **filters):
    return [item.title for item in items_search(query, user=user, **filters)]


def test_it_finds_items_by_title_and_by_text(make_item):
    make_item("Gedeeld beroepsgeheim in de praktijk")
    make_item(
        "Werking van de cel", body="<p>Over het <strong>beroepsgeheim</strong> en 458ter.</p>"
    )
    make_item("Iets anders", body="<p>Niets hierover.</p>")
    assert sorted(titles("beroepsgeheim")) == [
        "Gedeeld beroepsgeheim in de praktijk",
        "Werking van de cel",
    ]


def test_it_ranks_title_hits_before_text_hits(make_item):
    make_item("Het draaiboek", body="<p>Inleiding.</p>")
    make_item("Nieuwsbrief", body="<p>Het nieuwe casusoverleg werd besproken.</p>")
    make_item("Casusoverleg organiseren", body="<p>Zo organiseer je het.</p>")
    assert titles("casusoverleg") == ["Casusoverleg organiseren", "Nieuwsbrief"]


def test_it_ranks_summary_hits_before_text_hits(make_item):
    make_item("Eerste", body="<p>Een woord over screening.</p>")
    make_item("Tweede", summary="Alles over screening.")
    assert titles("screening") == ["Tweede", "Eerste"]


def test_it_requires_every_word(make_item):
    make_item("Privacy en beroepsgeheim")
    make_item("Privacy bij partners")
    assert titles("privacy beroepsgeheim") == ["Privacy en beroepsgeheim"]


def test_it_finds_a_published_faq_item(make_item):
    make_item(
        "Mag de politie een naam delen op het casusoverleg?",
        kind=ItemKind.FAQ,
        body="<p>Ja, binnen het gedeeld beroepsgeheim van artikel 458ter.</p>",
    )
    assert titles("politie casusoverleg", kind=ItemKind.FAQ) == [
        "Mag de politie een naam delen op het casusoverleg?"
    ]
    assert titles("458ter") == ["Mag de politie een naam delen op het casusoverleg?"]


def test_it_never_returns_drafts_or_archived_items_even_to_staff(personas, make_item):
    make_item("Ontwerp over radicalisering", status=ItemStatus.DRAFT)
    make_item("Oud over radicalisering", status=ItemStatus.ARCHIVED)
    make_item("Actueel over radicalisering")
    assert titles("radicalisering", user=personas.vera) == ["Actueel over radicalisering"]


def test_it_filters_on_kind_and_theme(make_item):
    theme = Theme.objects.get(slug="preventie")
    make_item("Preventie nieuws", kind=ItemKind.NEWS, themes=[theme])
    make_item("Preventie sjabloon", kind=ItemKind.TEMPLATE)
    assert titles("preventie", kind=ItemKind.NEWS) == ["Preventie nieuws"]
    assert titles("preventie", theme=theme) == ["Preventie nieuws"]


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "x" * (MAX_QUERY_LENGTH + 1)])
def test_it_returns_nothing_for_an_empty_or_overlong_query(make_item, query):
    make_item("x" * 50)
    assert titles(query) == []


def test_it_tells_the_reader_why_a_query_returns_nothing(make_item, reader):
    make_item("Vorming")
    client = reader(None)
    content = client.get("/knowledge/", {"q": "   "}).content.decode()
    assert "Type one or more words to search for." in content
    content = client.get("/knowledge/", {"q": "vorming " * 30}).content.decode()
    assert "The search text is too long" in content
    assert "Vorming</a>" not in content


def test_it_says_when_nothing_is_found(make_item, reader):
    make_item("Vorming")
    content = reader(None).get("/knowledge/", {"q": "onbestaandwoord"}).content.decode()
    assert "0 items found" in content
    assert "Nothing found" in content


def test_it_shows_an_empty_knowledge_base(reader):
    content = reader(None).get("/knowledge/").content.decode()
    assert "No items yet." in content


def test_it_reports_an_unknown_filter_and_ignores_it(make_item, reader):
    make_item("Vorming")
    response = reader(None).get("/knowledge/", {"kind": "bogus", "theme": "nope"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Select a valid choice" in content
    assert "Vorming</a>" in content


def test_it_filters_the_list_on_a_tag(make_item, reader):
    make_item("Met tag", tags=["draaiboek"])
    make_item("Zonder tag")
    content = reader(None).get("/knowledge/", {"tag": "draaiboek"}).content.decode()
    assert "Met tag" in content
    assert "Zonder tag" not in content


@postgresql_only
def test_it_matches_dutch_word_forms_on_postgresql(make_item):
    make_item("Verslag", body="<p>De vergadering van de cel.</p>")
    assert titles("vergaderingen") == ["Verslag"]
    make_item("Gemeenten", body="<p>Een overzicht.</p>")
    assert titles("gemeente") == ["Gemeenten"]


@fallback_only
def test_it_ignores_accents_and_case_in_the_fallback(make_item):
    make_item("De rol van de Coördinator", body="<p>Zie ook het CAW.</p>")
    assert titles("coordinator") == ["De rol van de Coördinator"]
    assert titles("COÖRDINATOR caw") == ["De rol van de Coördinator"]


@fallback_only
def test_it_matches_plural_forms_in_the_fallback(make_item):
    make_item("Verslag", body="<p>De vergadering van de cel.</p>")
    assert titles("vergaderingen") == ["Verslag"]


def test_the_fallback_stems_only_when_a_real_stem_remains():
    assert stem("vergaderingen") == "vergadering"
    assert stem("partners") == "partner"
    assert stem("auto's") == "auto"
    assert stem("preventie") == "preventi"
    assert stem("cellen") == "cell"
    assert stem("wens") == "wens"  # "wen" would be too short
    assert stem("de") == "de"


def test_the_fallback_normalises_text():
    assert normalise("Coördinator É\u2019s") == "coordinator e's"
    assert words("Het LIVC-R, het draaiboek!") == ["het", "livc", "r", "draaiboek"]


def test_the_index_page_does_not_grow_its_queries_with_data(
    personas, make_item, reader, django_assert_max_num_queries
):
    theme = Theme.objects.get(slug="werking")

    def count(client, params):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/knowledge/", params)
            assert response.status_code == 200
        return len(queries), response.content.decode()

    def add(number, audience):
        for n in range(number):
            make_item(f"Werking {audience} {n}", audience=audience, themes=[theme], tags=["x"])

    anonymous, member = reader(None), reader(personas.pim)
    clients = (anonymous, member)
    pages = ({}, {"q": "werking"}, {"tag": "X"}, {"q": "werking", "theme": "werking"})
    add(3, Audience.PUBLIC)
    add(3, Audience.MEMBERS)
    few = [count(c, p) for c in clients for p in pages]
    add(40, Audience.PUBLIC)
    add(40, Audience.MEMBERS)
    many = [count(c, p) for c in clients for p in pages]
    assert [n for n, _content in few] == [n for n, _content in many]
    # Both readers really saw more items the second time (the anonymous one public items only).
    for (_n, before), (_m, after) in zip(few, many, strict=True):
        assert "Werking public 0" in before
        assert "Werking public 39" in after or "Page 1 of" in after
    assert all("Werking members" not in content for _n, content in many[: len(pages)])
    assert all("Werking members" in content for _n, content in many[len(pages) :])
    with django_assert_max_num_queries(6):
        anonymous.get("/knowledge/", {"q": "werking"})
    with django_assert_max_num_queries(16):  # session, user, MFA device, session guard, ...
        member.get("/knowledge/", {"q": "werking", "theme": "werking", "page": "2"})


def membership_checks(queries):
    """The "is a member of a cell" queries (not the navigation's list of the reader's cells)."""
    return [q for q in queries if q["sql"].startswith('SELECT 1 AS "a" FROM "cells_membership"')]


def test_the_index_page_reads_cell_memberships_once(personas, make_item, reader):
    make_item("Werking", audience=Audience.MEMBERS)
    with CaptureQueriesContext(connection) as queries:
        content = reader(personas.pim).get("/knowledge/", {"q": "werking"}).content.decode()
    assert "Werking</a>" in content
    assert "/knowledge/practices/new/" in content  # the membership also decides the links
    # The navigation's list of the reader's cells answers the audience question too.
    assert not membership_checks(queries)
    assert len([q for q in queries if 'FROM "cells_membership"' in q["sql"]]) == 1


def test_the_item_page_asks_only_what_it_shows(personas, make_item, reader):
    item = make_item("Een goede praktijk", kind=ItemKind.GOOD_PRACTICE, audience=Audience.MEMBERS)
    with CaptureQueriesContext(connection) as queries:
        assert reader(personas.pim).get(f"/knowledge/{item.pk}/").status_code == 200
    sql = [q["sql"] for q in queries]
    assert not [q for q in sql if "knowledge_goodpractice" in q]
    assert len(membership_checks(queries)) == 1


# --- Bad and unusual queries, on every database -------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x\x00y"},
        {"q": "\x00"},
        {"q": "vorming", "tag": "a\x00b"},
        {"q": "vorming", "theme": "\x00", "kind": "\x00"},
        {"tag": "\x00"},
    ],
)
def test_it_refuses_a_nul_character_without_an_error(make_item, reader, params):
    make_item("Vorming")
    response = reader(None).get("/knowledge/", params)
    assert response.status_code == 200
    content = response.content.decode()
    if "\x00" in params.get("q", ""):
        assert "The search text contains a character that is not allowed." in content
        assert "Vorming</a>" not in content
    assert titles("x\x00y") == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"vorming',
        'vorming"',
        '""',
        "-",
        "-vorming",
        "--",
        "!!",
        "!vorming",
        ":*",
        "vorm:*",
        "&|",
        "vorming & | dag",
        "<->",
        "vorming <-> dag",
        "(((",
        ")))",
        "((vorming",
        "or",
        "or or",
        "vorming or",
        "-or",
        "'",
        "\\",
        "%_",
        "vorming:A",
        "a <2> b",
    ],
)
def test_it_answers_any_web_search_syntax(make_item, reader, query):
    make_item("Vorming", body="<p>Een dag vorming.</p>")
    response = reader(None).get("/knowledge/", {"q": query})
    assert response.status_code == 200
    assert list(items_search(query, user=None)) is not None


def test_it_understands_web_search_syntax(make_item):
    make_item("Privacy en beroepsgeheim")
    make_item("Privacy bij partners")
    make_item("Signalen van radicalisering", body="<p>Een vroeg signaal herkennen.</p>")
    assert titles("privacy -beroepsgeheim") == ["Privacy bij partners"]
    assert titles('privacy -"bij partners"') == ["Privacy en beroepsgeheim"]
    assert sorted(titles("beroepsgeheim or partners")) == [
        "Privacy bij partners",
        "Privacy en beroepsgeheim",
    ]
    assert sorted(titles("privacy beroepsgeheim or radicalisering")) == [
        "Privacy en beroepsgeheim",
        "Signalen van radicalisering",
    ]
    assert titles("-privacy") == ["Signalen van radicalisering"]


def test_it_searches_phrases_in_quotes(make_item):
    make_item("Gedeeld beroepsgeheim")
    make_item("Beroepsgeheim, gedeeld")
    assert titles('"gedeeld beroepsgeheim"') == ["Gedeeld beroepsgeheim"]
    assert titles('"beroepsgeheim gedeeld"') == ["Beroepsgeheim, gedeeld"]
    assert len(titles("gedeeld beroepsgeheim")) == 2


def test_it_filters_search_results_on_a_tag_in_any_case(make_item, reader):
    make_item("Vorming met tag", tags=["Draaiboek"])
    make_item("Vorming zonder tag")
    content = reader(None).get("/knowledge/", {"q": "vorming", "tag": "draaiBOEK"}).content
    assert "Vorming met tag" in content.decode()
    assert "Vorming zonder tag" not in content.decode()
    assert "1 item found" in content.decode()


# --- The SQLite fallback ------------------------------------------------------------------------


@fallback_only
def test_the_fallback_does_not_search_for_the_word_or(make_item):
    make_item("Coordinatie", body="<p>De coordinator organiseert het overleg.</p>")
    make_item("Partners")
    # "or" is part of "coordinator" and "organiseert", but it is an operator, never a word.
    assert titles("partners or") == ["Partners"]
    assert titles("or partners") == ["Partners"]
    assert titles("or") == []
    assert sorted(titles("overleg or partners")) == ["Coordinatie", "Partners"]


@fallback_only
def test_the_fallback_leaves_out_words_after_a_minus(make_item):
    make_item("Zorg en welzijn")
    make_item("Zorg voor partners")
    assert titles("zorg -welzijn") == ["Zorg voor partners"]
    assert titles("zorg -welzijn -partners") == []
    assert titles("-welzijn") == ["Zorg voor partners"]


@fallback_only
def test_the_fallback_ranks_the_best_matching_alternative(make_item):
    make_item("Iets anders", body="<p>Over preventie.</p>")
    make_item("Preventie")
    assert titles("onbestaand or preventie") == ["Preventie", "Iets anders"]


@fallback_only
def test_the_fallback_says_when_it_searched_only_the_newest_items(make_item, reader, monkeypatch):
    from vangnet.knowledge import search

    for number in range(3):
        make_item(f"Vorming {number}")
    content = reader(None).get("/knowledge/", {"q": "vorming"}).content.decode()
    assert "most recent items were searched" not in content
    monkeypatch.setattr(search, "FALLBACK_CANDIDATES", 2)
    content = reader(None).get("/knowledge/", {"q": "vorming"}).content.decode()
    assert "2 items found" in content
    assert "Only the 2 most recent items were searched" in content
    assert search.search("vorming", user=None).limited_to == 2
    assert search.search("vorming", user=None, kind=ItemKind.NEWS).limited_to is None


def test_the_fallback_parses_the_web_search_syntax():
    def parsed(query):
        return [[("-" if t.negated else "") + t.text for t in terms] for terms in parse(query)]

    assert parsed("Privacy -Beroepsgeheim") == [["privacy", "-beroepsgeheim"]]
    assert parsed("a b or c") == [["a", "b"], ["c"]]
    assert parsed("or a or or b or") == [["a"], ["b"]]
    assert parsed('"De vergaderingen" -"LIVC-R"') == [["de vergadering", "-livc r"]]
    assert parsed('"onafgesloten citaat') == [["onafgesloten citaat"]]
    assert parsed("LIVC-R !! :* &| <-> (((") == [["livc r"]]
    assert parsed('- -- ""') == []


@fallback_only
def test_the_fallback_leaves_the_stored_vector_empty(make_item):
    item = make_item("Vorming")
    assert Item.objects.values_list("search_vector", flat=True).get(pk=item.pk) is None


# --- PostgreSQL: the stored, indexed search vector ----------------------------------------------


@postgresql_only
def test_it_stores_the_search_vector_when_an_item_is_saved(make_item):
    item = make_item("Casusoverleg", summary="Een samenvatting.", body="<p>De vergaderingen.</p>")

    def stored():
        return Item.objects.values_list("search_vector", flat=True).get(pk=item.pk)

    assert "'casusoverleg':1A" in stored()
    assert "'samenvat':" in stored()
    assert "'vergader':" in stored()
    item.title = "Screening"
    item.save()
    assert "'screening':1A" in stored()
    assert "casusoverleg" not in stored()
    assert titles("casusoverleg") == []
    assert titles("screening") == ["Screening"]


@postgresql_only
def test_it_searches_the_stored_vector_and_not_the_text(make_item, reader):
    make_item("Casusoverleg", body="<p>De vergaderingen.</p>")
    with CaptureQueriesContext(connection) as queries:
        assert titles("vergadering") == ["Casusoverleg"]
    sql = " ".join(q["sql"] for q in queries)
    assert '"knowledge_item"."search_vector" @@' in sql
    assert 'ts_rank("knowledge_item"."search_vector"' in sql
    assert "to_tsvector" not in sql
    with CaptureQueriesContext(connection) as queries:
        content = reader(None).get("/knowledge/", {"q": "vergadering"}).content.decode()
    assert "1 item found" in content
    searches = [q["sql"] for q in queries if "websearch_to_tsquery" in q["sql"]]
    assert len(searches) == 2  # the count and the page
    assert all("to_tsvector" not in q for q in searches)
    count = next(q for q in searches if "COUNT(" in q)
    assert "ts_rank" not in count  # the count does not rank


@postgresql_only
def test_the_search_vector_has_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["knowledge_item_search_gin"]
        )
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition


@postgresql_only
def test_the_search_vector_indexes_only_the_start_of_a_long_text(make_item):
    filler = "<p>" + "tekst " * (SEARCH_BODY_CHARS // 6) + "</p>"
    make_item("Lang", body=filler + "<p>eindwoord</p>")
    make_item("Kort", body="<p>eindwoord</p>")
    assert titles("eindwoord") == ["Kort"]


@postgresql_only
def test_the_migration_fills_the_vector_of_existing_items(make_item):
    from django.apps import apps

    migration = importlib.import_module("vangnet.knowledge.migrations.0004_item_search_vector")
    item = make_item("Vorming")
    Item.objects.update(search_vector=None)
    assert titles("vorming") == []
    migration.vectors_fill(apps, SimpleNamespace(connection=connection))
    assert titles("vorming") == [item.title]


# --- The search page on PostgreSQL (compiled once, lib/prepared.py) ------------------------------


@postgresql_only
def test_the_search_page_gives_what_search_gives(make_item, monkeypatch):
    from vangnet.knowledge import search as search_module
    from vangnet.knowledge.search import search, search_page
    from vangnet.lib.prepared import PreparedPage

    monkeypatch.setattr(search_module, "_found_pages", PreparedPage(search_module._found, 2))
    theme = Theme.objects.get(slug="preventie")
    make_item("Vorming een", kind=ItemKind.NEWS, themes=[theme], tags=["Draaiboek"])
    make_item("Vorming twee", kind=ItemKind.NEWS, audience=Audience.MEMBERS)
    make_item("Vorming drie", kind=ItemKind.TEMPLATE, themes=[theme])
    make_item("Vorming vier", summary="vorming vorming", tags=["draaiboek"])
    make_item("Vorming concept", status=ItemStatus.DRAFT)
    cases = [
        ({}, [Audience.PUBLIC]),
        ({}, [Audience.PUBLIC, Audience.MEMBERS]),
        ({"kind": ItemKind.NEWS}, [Audience.PUBLIC, Audience.MEMBERS]),
        ({"theme": theme}, [Audience.PUBLIC]),
        ({"tag": "DRAAIBOEK"}, [Audience.PUBLIC]),
        ({"kind": ItemKind.NEWS, "theme": theme, "tag": "draaiboek"}, [Audience.PUBLIC]),
    ]
    for filters, audiences in cases:
        expected = list(search("vorming", user=None, audiences=audiences, **filters).items)
        shown = []
        for number in ("1", "2", "3"):
            page = search_page("vorming", audiences=audiences, number=number, **filters)
            assert page is not None
            assert page.paginator.count == len(expected)
            if page.number == int(number):
                shown += list(page.object_list)
        assert [item.pk for item in shown] == [item.pk for item in expected], filters
        assert all("Concept" not in item.title for item in shown)
    assert search_page("   ", audiences=[Audience.PUBLIC], number="1") is None


@postgresql_only
def test_the_search_page_names_each_items_themes_in_theme_order_without_more_queries(make_item):
    from vangnet.knowledge.search import search_page

    first, second = Theme.objects.order_by("position", "name")[:2]
    make_item("Vorming met twee", themes=[second, first])
    make_item("Vorming zonder thema")
    with CaptureQueriesContext(connection) as queries:
        page = search_page("vorming", audiences=[Audience.PUBLIC], number="1")
        assert page is not None
        names = {item.title: item.theme_names for item in page.object_list}
    assert len(queries) == 2  # the count and the page: no query for the themes
    assert names == {"Vorming met twee": [first.name, second.name], "Vorming zonder thema": []}
    prefetched = Item.objects.prefetch_related("themes").get(title="Vorming met twee")
    assert prefetched.theme_names == names["Vorming met twee"]  # the index's way, the same
