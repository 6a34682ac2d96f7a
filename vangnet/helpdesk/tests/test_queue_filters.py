"""The queue's filter fields come from memory, yet always show what was asked for."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation

from vangnet.helpdesk.forms import ALL, OPEN, QueueFilterForm
from vangnet.helpdesk.templatetags import helpdesk as tags
from vangnet.lib.fragments import forget_remembered
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept_options(settings):
    """The option lists stay the same objects, as between the cache's renewals."""
    settings.VANGNET_AGGREGATE_CACHE_SECONDS = 600
    forget_remembered()


def _form(query: str | None) -> QueueFilterForm:
    data = QueryDict(query) if query is not None else None
    form = QueueFilterForm(data, initial={"status": OPEN})
    form.is_valid()
    return form


QUERIES = [
    None,
    "status=all",
    "status=new&assigned=me",
    "breached=on",
    "municipality=11002",
    "theme=nope",
]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_fields_are_what_the_template_renders_for_each_query(language, personas) -> None:
    with translation.override(language):
        for _ in range(2):  # rendered, then from memory
            for query in QUERIES:
                form = _form(query)
                expected = render_to_string("helpdesk/_queue_filters.html", {"form": _form(query)})
                assert tags.queue_filter_fields(form) == expected


def test_each_query_shows_its_own_selection(personas) -> None:
    tags.queue_filter_fields(_form("status=all"))
    shown = tags.queue_filter_fields(_form("status=new"))
    assert re.search(r'<option value="new" selected>', shown)
    assert not re.search(rf'<option value="{ALL}" selected>', shown)
    assert "checked" not in tags.queue_filter_fields(_form("status=new"))
    assert "checked" in tags.queue_filter_fields(_form("status=new&breached=on"))


def test_a_field_in_error_is_marked_again_from_memory(personas) -> None:
    first = tags.queue_filter_fields(_form("theme=nope"))
    again = tags.queue_filter_fields(_form("theme=nope"))
    assert first == again and 'aria-invalid="true"' in again
    assert "aria-invalid" not in tags.queue_filter_fields(_form("theme="))


def test_new_options_are_shown_once_the_cache_renews_them(personas, monkeypatch) -> None:
    before = tags.queue_filter_fields(_form(None))
    form = _form(None)
    monkeypatch.setattr(form, "option_sources", ([("x", "Nieuw thema")], []))
    form.fields["theme"].widget.choices = [("", "Alle thema's"), ("x", "Nieuw thema")]
    assert "Nieuw thema" in tags.queue_filter_fields(form)
    assert "Nieuw thema" not in before


def test_the_queue_page_shows_the_filters(personas, client) -> None:
    sign_in(client, personas.vera)
    for query in ("", "?status=all", "?status=new&breached=on"):
        body = client.get(f"/helpdesk/queue/{query}").content.decode()
        assert 'id="id_status"' in body and 'id="id_breached"' in body
    assert '<option value="new" selected>' in body and "checked" in body
