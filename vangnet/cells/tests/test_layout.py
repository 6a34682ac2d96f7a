"""The header and the cell's menu come from memory, yet each reader sees their own."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from vangnet.cells.models import Role
from vangnet.cells.services import membership_add
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db


def _header(body: str) -> str:
    return body[body.index("<header") : body.index("</header>")]


def _page(client: Client, user, path: str) -> str:
    client.logout()
    sign_in(client, user)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_each_reader_sees_their_own_cells_in_the_header(personas, client) -> None:
    with scopes_disabled():
        membership_add(cell=personas.wingene, user=personas.alice, role=Role.MEMBER)
    home = f"/cells/{personas.mechelen.pk}/"
    alice = _header(_page(client, personas.alice, home))
    assert 'id="cell-switch"' in alice
    assert f'<option value="{personas.wingene.pk}" >' in alice
    assert f'<option value="{personas.mechelen.pk}" selected>' in alice

    walter = _header(_page(client, personas.walter, f"/cells/{personas.wingene.pk}/"))
    assert personas.wingene.name in walter
    assert personas.mechelen.name not in walter
    assert 'id="cell-switch"' not in walter  # one cell: nothing to switch

    bob = _header(_page(client, personas.bob, home))
    assert personas.wingene.name not in bob and personas.mechelen.name in bob


def test_a_renamed_cell_shows_its_new_name(personas, client) -> None:
    home = f"/cells/{personas.mechelen.pk}/"
    assert personas.mechelen.name in _header(_page(client, personas.alice, home))
    with scopes_disabled():
        personas.mechelen.name = "LIVC R Mechelen-Nieuw"
        personas.mechelen.save(update_fields=["name"])
    assert "LIVC R Mechelen-Nieuw" in _header(_page(client, personas.alice, home))


def test_vvsg_staff_get_the_support_link_and_no_cell(personas, client) -> None:
    vera = _header(_page(client, personas.vera, "/"))
    assert "/support/" in vera
    assert personas.mechelen.name not in vera
    alice = _header(_page(client, personas.alice, "/"))
    assert 'href="/support/"' not in alice


@pytest.mark.parametrize("first", ["alice", "walter"])
def test_the_header_s_forms_carry_this_session_s_token(personas, first) -> None:
    """Sign-out through the header works for each reader, whoever's header was made first."""
    second = "walter" if first == "alice" else "alice"
    for name in (first, second):
        client = Client(enforce_csrf_checks=True)
        sign_in(client, getattr(personas, name))
        body = client.get("/", follow=True).content.decode()
        sign_out = re.search(
            r'action="/logout/" class="inline-form">'
            r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
            body,
        )
        assert sign_out is not None
        assert client.post("/logout/").status_code == 403  # without the token
        answer = client.post("/logout/", {"csrfmiddlewaretoken": sign_out.group(1)})
        assert answer.status_code == 302


def test_the_language_switch_returns_to_this_page_escaped(personas, client) -> None:
    sign_in(client, personas.alice)
    body = client.get("/knowledge/", {"q": '"><script>x</script>'}).content.decode()
    escaped = "/knowledge/?q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E"
    assert f'<input type="hidden" name="next" value="{escaped}">' in body
    other = client.get("/knowledge/", {"q": "radicalisering"}).content.decode()
    assert 'name="next" value="/knowledge/?q=radicalisering"' in other


def test_the_cell_menu_shows_oversight_and_privacy_only_to_who_may_use_them(
    personas, client, dpo
) -> None:
    home = f"/cells/{personas.mechelen.pk}/"
    privacy = f'href="/cells/{personas.mechelen.pk}/privacy/"'
    scans = f'href="/cells/{personas.mechelen.pk}/scans/"'
    alice = _page(client, personas.alice, home)
    assert privacy in alice and scans in alice
    dora = _page(client, dpo, home)
    assert privacy in dora and scans not in dora
    pim = _page(client, personas.pim, home)
    assert privacy not in pim and scans not in pim


def test_a_header_without_a_token_has_no_empty_token_field() -> None:
    """As {% csrf_token %}: no field at all where the page has no token (a form with an empty
    token would only be refused on sending)."""
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    header = Template("{% load layout %}{% site_header %}")
    urls = {"home": "/", "set_language": "/i18n/setlang/"}
    without = header.render(Context({"user": AnonymousUser(), "nav_urls": urls}))
    assert 'action="/i18n/setlang/"' in without
    assert "csrfmiddlewaretoken" not in without
    given = header.render(Context({"user": AnonymousUser(), "nav_urls": urls, "csrf_token": "t"}))
    assert '<input type="hidden" name="csrfmiddlewaretoken" value="t">' in given
