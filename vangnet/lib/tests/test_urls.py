from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse

from vangnet.lib.urls import RowUrl


def test_it_gives_the_same_url_as_reverse_for_every_row() -> None:
    cell_id = uuid.uuid4()
    case_url = RowUrl("cases:case", "case_id", cell_id=cell_id)
    for _ in range(20):
        case_id = uuid.uuid4()
        expected = reverse("cases:case", kwargs={"cell_id": cell_id, "case_id": case_id})
        assert case_url(case_id) == expected


def test_it_gives_urls_with_a_suffix_after_the_row_id() -> None:
    question_id = uuid.uuid4()
    url = RowUrl("helpdesk:question", "question_id")(question_id)
    assert url == reverse("helpdesk:question", kwargs={"question_id": question_id})


def test_it_refuses_a_row_id_that_is_not_a_uuid() -> None:
    case_url = RowUrl("cases:case", "case_id", cell_id=uuid.uuid4())
    with pytest.raises(TypeError):
        case_url("../admin/")  # type: ignore[arg-type]


def test_it_refuses_a_view_without_the_row_argument() -> None:
    with pytest.raises(NoReverseMatch):
        RowUrl("cases:cases", "case_id", cell_id=uuid.uuid4())


def test_it_refuses_a_url_where_the_row_id_is_not_found_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("vangnet.lib.urls.reverse", lambda *a, **k: "/same/")
    with pytest.raises(ImproperlyConfigured):
        RowUrl("cases:case", "case_id", cell_id=uuid.uuid4())
