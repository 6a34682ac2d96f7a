"""Full-text search in Dutch: PostgreSQL with the dutch configuration, a fallback elsewhere."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vangnet.knowledge.models import Audience, ItemKind, ItemStatus, Theme
from vangnet.knowledge.search import MAX_QUERY_LENGTH, items_search, normalise, stem, words

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


@postgresql_only
def test_it_understands_web_search_syntax_on_postgresql(make_item):
    make_item("Privacy en beroepsgeheim")
    make_item("Privacy bij partners")
    assert titles("privacy -beroepsgeheim") == ["Privacy bij partners"]
    assert sorted(titles("beroepsgeheim or partners")) == [
        "Privacy bij partners",
        "Privacy en beroepsgeheim",
    ]


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
            assert client.get("/knowledge/", params).status_code == 200
        return len(queries)

    anonymous, member = reader(None), reader(personas.pim)
    for number in range(3):
        make_item(f"Werking {number}", audience=Audience.MEMBERS, themes=[theme], tags=["x"])
    few = [count(c, p) for c in (anonymous, member) for p in ({}, {"q": "werking"})]
    for number in range(40):
        make_item(f"Werking meer {number}", audience=Audience.MEMBERS, themes=[theme])
    many = [count(c, p) for c in (anonymous, member) for p in ({}, {"q": "werking"})]
    assert few == many
    with django_assert_max_num_queries(6):
        anonymous.get("/knowledge/", {"q": "werking"})
    with django_assert_max_num_queries(16):  # session, user, MFA device, session guard, ...
        member.get("/knowledge/", {"q": "werking", "theme": "werking", "page": "2"})
