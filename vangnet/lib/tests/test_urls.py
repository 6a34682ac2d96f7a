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


# --- The {% url %} tag of every template remembers what it reversed -------------------------


def _render(source: str, **context: object) -> str:
    from django.template import engines

    return engines["django"].from_string(source).render(context)


def test_the_url_tag_is_the_remembering_one() -> None:
    from django.template import engines

    from vangnet.lib.templatefilters import RememberedURLNode

    template = engines["django"].from_string("{% url 'home' %}")
    assert isinstance(template.template.nodelist[0], RememberedURLNode)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "source",
    [
        "{% url 'home' %}",
        "{% url 'cases:case' cell_id=cell case_id=case %}",
        "{% url 'cases:case' cell case %}",
        "{% url name cell_id=cell %}",
        "{% url 'cases:case' cell_id=cell case_id=case as link %}[{{ link }}]",
        "{% url 'no-such-view' as link %}[{{ link }}]",
    ],
)
def test_the_url_tag_writes_what_reverse_gives(source: str) -> None:
    cell, case = uuid.uuid4(), uuid.uuid4()
    expected = {
        "{% url 'home' %}": reverse("home"),
        "{% url 'cases:case' cell_id=cell case_id=case %}": reverse(
            "cases:case", kwargs={"cell_id": cell, "case_id": case}
        ),
        "{% url 'cases:case' cell case %}": reverse("cases:case", args=[cell, case]),
        "{% url name cell_id=cell %}": reverse("cases:cases", kwargs={"cell_id": cell}),
        "{% url 'cases:case' cell_id=cell case_id=case as link %}[{{ link }}]": "["
        + reverse("cases:case", kwargs={"cell_id": cell, "case_id": case})
        + "]",
        "{% url 'no-such-view' as link %}[{{ link }}]": "[]",
    }[source]
    for _ in range(2):  # reversed, then remembered
        assert _render(source, cell=cell, case=case, name="cases:cases") == expected


def test_the_url_tag_still_refuses_what_does_not_reverse() -> None:
    with pytest.raises(NoReverseMatch):
        _render("{% url 'cases:case' cell_id=cell %}", cell=uuid.uuid4())
    with pytest.raises(NoReverseMatch):
        _render("{% url 'cases:case' cell_id='not-a-uuid' case_id='x' %}")


def test_remembered_urls_follow_the_script_prefix_and_an_unhashable_argument_still_works() -> None:
    from django.urls import get_script_prefix, set_script_prefix

    from vangnet.lib.urls import reverse_remembered

    before = get_script_prefix()
    try:
        assert reverse_remembered("home") == "/"
        set_script_prefix("/vangnet/")
        assert reverse_remembered("home") == "/vangnet/"
    finally:
        set_script_prefix(before)
    cell = uuid.uuid4()

    class Unhashable:
        __hash__ = None  # type: ignore[assignment]

        def __str__(self) -> str:
            return str(cell)

    expected = reverse("cases:cases", kwargs={"cell_id": cell})
    assert reverse_remembered("cases:cases", args=[Unhashable()]) == expected
    assert reverse_remembered("cases:cases", kwargs={"cell_id": Unhashable()}) == expected


def test_remembered_urls_follow_the_urlconf(settings) -> None:
    from vangnet.lib.urls import reverse_remembered

    assert reverse_remembered("home") == "/"
    settings.ROOT_URLCONF = "vangnet.lib.tests.urls_elsewhere"
    assert reverse_remembered("home") == "/elsewhere/"


def test_values_that_are_equal_but_read_differently_are_never_confused() -> None:
    from decimal import Decimal

    from vangnet.lib.urls import reverse_remembered

    name = "insights:report_pdf"
    assert reverse_remembered(name, kwargs={"year": 2026}) == reverse(name, kwargs={"year": 2026})
    # 2026.0 == 2026 and Decimal("2026") == 2026, but they are written differently: the first
    # matches no URL (reverse() refuses it), the second does.
    with pytest.raises(NoReverseMatch):
        reverse_remembered(name, kwargs={"year": 2026.0})
    odd = Decimal("2026")
    assert reverse_remembered(name, kwargs={"year": odd}) == reverse(name, kwargs={"year": odd})


def test_remembered_urls_follow_the_urlconf_of_the_request() -> None:
    from django.urls import set_urlconf

    from vangnet.lib.urls import reverse_remembered

    assert reverse_remembered("home") == "/"
    set_urlconf("vangnet.lib.tests.urls_elsewhere")
    try:
        assert reverse_remembered("home") == "/elsewhere/"
    finally:
        set_urlconf(None)
    assert reverse_remembered("home") == "/"


def test_links_with_a_token_are_never_remembered() -> None:
    from vangnet.lib.urls import _reversed, reverse_remembered

    _reversed.cache_clear()
    url = reverse_remembered("scans:respond", kwargs={"token": "geheim-token"})
    assert url == reverse("scans:respond", kwargs={"token": "geheim-token"})
    assert _reversed.cache_info().currsize == 0
    reverse_remembered("cases:cases", kwargs={"cell_id": uuid.uuid4()})
    assert _reversed.cache_info().currsize == 1
