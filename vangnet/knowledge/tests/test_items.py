"""VVSG staff write, publish and archive items; nobody else can; rich text stays safe."""

from __future__ import annotations

import re

import pytest

from vangnet.audit.models import AuditEvent
from vangnet.knowledge.models import Audience, Item, ItemKind, ItemStatus, Tag, Theme

pytestmark = pytest.mark.django_db


def item_data(**overrides):
    data = {
        "kind": ItemKind.FAQ,
        "title": "Wie zit er op het casusoverleg?",
        "summary": "De vaste partners en wie de coördinator uitnodigt.",
        "body": "<h2>Antwoord</h2><p>Zie <a href='https://www.vvsg.be'>VVSG</a>.</p>",
        "audience": Audience.PUBLIC,
        "status": ItemStatus.DRAFT,
        "themes": [str(Theme.objects.get(slug="casusoverleg").pk)],
        "tags": "casusoverleg, partners",
    }
    data.update(overrides)
    return data


def test_it_lets_staff_create_an_item(personas, reader):
    client = reader(personas.vera)
    assert client.get("/knowledge/new/").status_code == 200
    response = client.post("/knowledge/new/", item_data())
    item = Item.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/knowledge/{item.pk}/"
    assert item.status == ItemStatus.DRAFT
    assert item.created_by == personas.vera
    assert [t.slug for t in item.themes.all()] == ["casusoverleg"]
    assert sorted(t.name for t in item.tags.all()) == ["casusoverleg", "partners"]
    assert 'rel="noopener noreferrer"' in item.body
    event = AuditEvent.objects.get(action="knowledge.item.created")
    assert "casusoverleg" not in str(event.data).lower()  # no content in the audit log


def test_it_shows_the_allowed_tags_as_help(personas, reader):
    content = reader(personas.vera).get("/knowledge/new/").content.decode()
    assert "&lt;strong&gt;" in content
    assert "Scripts, styles, forms and event handlers are refused." in content


@pytest.mark.parametrize(
    "body",
    [
        "<p>Hallo</p><script>alert(1)</script>",
        '<p><img src="x" onerror="alert(1)"></p>',
        '<p><a href="javascript:alert(1)">klik</a></p>',
        '<p style="color: red">rood</p>',
        "<iframe src='https://example.org'></iframe>",
    ],
)
def test_it_refuses_active_content_in_rich_text(personas, reader, body):
    client = reader(personas.vera)
    response = client.post("/knowledge/new/", item_data(body=body))
    assert response.status_code == 200
    assert "active content" in response.content.decode()
    assert not Item.objects.exists()


def test_it_refuses_active_content_on_edit_and_changes_nothing(personas, reader, make_item):
    item = make_item("Ongewijzigd", body="<p>Oud</p>")
    client = reader(personas.vera)
    response = client.post(
        f"/knowledge/{item.pk}/edit/",
        item_data(title="Gewijzigd", body="<p onclick='steal()'>Nieuw</p>"),
    )
    assert response.status_code == 200
    assert "active content" in response.content.decode()
    item.refresh_from_db()
    assert (item.title, item.body) == ("Ongewijzigd", "<p>Oud</p>")


def test_it_cleans_the_body_on_every_save_whatever_the_path(make_item):
    item = make_item("Model", body='<p onclick="x()">Tekst</p><script>alert(1)</script><p>Rest</p>')
    assert item.body == "<p>Tekst</p><p>Rest</p>"
    item.body = '<a href="javascript:alert(1)">link</a><style>p{}</style>'
    item.save()
    item.refresh_from_db()
    assert "javascript" not in item.body
    assert "<style" not in item.body
    assert item.body_text == "link"


def test_it_renders_the_body_sanitised(reader, make_item):
    item = make_item("Zichtbaar", body="<h2>Kop</h2><p>Een <strong>sterke</strong> tekst.</p>")
    Item.objects.filter(pk=item.pk).update(body="<p>Veilig</p><script>alert(1)</script>")
    content = reader(None).get(f"/knowledge/{item.pk}/").content.decode()
    assert "<p>Veilig</p>" in content
    assert "alert(1)" not in content


def test_it_lets_staff_edit_an_item(personas, reader, make_item):
    other = make_item("Ander item")
    item = make_item("Oude titel", tags=["oud"])
    client = reader(personas.vera)
    assert client.get(f"/knowledge/{item.pk}/edit/").status_code == 200
    response = client.post(
        f"/knowledge/{item.pk}/edit/",
        item_data(title="Nieuwe titel", status=ItemStatus.PUBLISHED, related=[str(other.pk)]),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Nieuwe titel"
    assert item.published_at is not None
    assert [t.name for t in item.tags.all()] == ["casusoverleg", "partners"]
    assert list(item.related.all()) == [other]
    assert list(other.related.all()) == [item]  # related works both ways
    event = AuditEvent.objects.get(action="knowledge.item.updated")
    assert event.data["changed"] == ["body", "kind", "summary", "title"]
    assert "Nieuwe" not in str(event.data)


def test_it_refuses_bad_input_with_a_message(personas, reader):
    client = reader(personas.vera)
    for data in (
        item_data(title=""),
        item_data(title="x" * 201),
        item_data(kind="bogus"),
        item_data(audience="everyone"),
        item_data(tags=",".join(f"tag{n}" for n in range(21))),
        item_data(tags="x" * 61),
    ):
        response = client.post("/knowledge/new/", data)
        assert response.status_code == 200
        assert "error-summary" in response.content.decode()
    assert not Item.objects.exists()


def test_it_publishes_and_archives_an_item(personas, reader, make_item):
    item = make_item("Nieuwsbericht", status=ItemStatus.DRAFT)
    staff, anonymous = reader(personas.vera), reader(None)
    assert anonymous.get(f"/knowledge/{item.pk}/").status_code == 404
    assert staff.post(f"/knowledge/{item.pk}/publish/").status_code == 302
    assert anonymous.get(f"/knowledge/{item.pk}/").status_code == 200
    assert staff.post(f"/knowledge/{item.pk}/archive/").status_code == 302
    assert anonymous.get(f"/knowledge/{item.pk}/").status_code == 404
    assert staff.get(f"/knowledge/{item.pk}/").status_code == 200
    actions = list(
        AuditEvent.objects.filter(action__startswith="knowledge.item.").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "knowledge.item.created",
        "knowledge.item.published",
        "knowledge.item.archived",
    ]


def test_it_lists_drafts_for_staff(personas, reader, make_item):
    make_item("Een ontwerp", status=ItemStatus.DRAFT)
    make_item("Gepubliceerd")
    content = reader(personas.vera).get("/knowledge/manage/").content.decode()
    assert "Een ontwerp" in content
    assert "Gepubliceerd" not in content
    archived = reader(personas.vera).get("/knowledge/manage/", {"status": "archived"})
    assert "No items with this status." in archived.content.decode()
    assert reader(personas.vera).get("/knowledge/manage/", {"status": "x"}).status_code == 200


@pytest.mark.parametrize("name", ["alice", "pim", "mona", "olaf"])
def test_it_keeps_staff_pages_from_others(personas, reader, make_item, name):
    item = make_item("Publiek item", kind=ItemKind.DOCUMENT)
    client = reader(getattr(personas, name))
    for path in ("/knowledge/new/", "/knowledge/manage/", "/knowledge/practices/review/"):
        assert client.get(path).status_code == 403, path
    assert client.post("/knowledge/new/", item_data()).status_code == 403
    for path in ("edit/", "files/new/"):
        assert client.get(f"/knowledge/{item.pk}/{path}").status_code == 404, path
    for path in ("edit/", "publish/", "archive/", "files/new/"):
        assert client.post(f"/knowledge/{item.pk}/{path}").status_code == 404, path
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert Item.objects.count() == 1


def test_it_sends_anonymous_visitors_of_staff_pages_to_login(reader, make_item):
    item = make_item("Publiek item")
    for path in ("/knowledge/new/", f"/knowledge/{item.pk}/edit/", "/knowledge/manage/"):
        response = reader(None).get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_it_shows_staff_controls_only_to_staff(personas, reader, make_item):
    item = make_item("Publiek item")
    assert "/edit/" in reader(personas.vera).get(f"/knowledge/{item.pk}/").content.decode()
    assert "/edit/" not in reader(personas.pim).get(f"/knowledge/{item.pk}/").content.decode()
    assert "/edit/" not in reader(None).get(f"/knowledge/{item.pk}/").content.decode()


def test_it_shows_themes_tags_and_links_to_filters(reader, make_item):
    theme = Theme.objects.get(slug="preventie")
    item = make_item("Preventieplan", themes=[theme], tags=["plan"])
    content = reader(None).get(f"/knowledge/{item.pk}/").content.decode()
    assert "?theme=preventie" in content
    assert "?tag=plan" in content


def test_it_keeps_links_to_archived_items_when_an_item_is_edited(personas, reader, make_item):
    old = make_item("Oude versie", status=ItemStatus.ARCHIVED)
    current = make_item("Huidige versie")
    item = make_item("Met verwijzingen", related=[old, current])
    client = reader(personas.vera)
    form = client.get(f"/knowledge/{item.pk}/edit/").content.decode()
    assert re.search(rf'<option value="{old.pk}"[^>]*selected>Oude versie \(archived\)', form)
    assert re.search(rf'<option value="{current.pk}"[^>]*selected>Huidige versie<', form)
    response = client.post(
        f"/knowledge/{item.pk}/edit/",
        item_data(title="Met verwijzingen", related=[str(old.pk), str(current.pk)]),
    )
    assert response.status_code == 302
    assert set(item.related.all()) == {old, current}
    # An archived item that is not linked yet is not offered.
    other = make_item("Ander archief", status=ItemStatus.ARCHIVED)
    form = client.get(f"/knowledge/{item.pk}/edit/").content.decode()
    assert str(other.pk) not in form
    response = client.post(
        f"/knowledge/{item.pk}/edit/", item_data(related=[str(old.pk), str(other.pk)])
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert set(item.related.all()) == {old, current}


def test_it_treats_tags_in_any_case_as_one_and_keeps_the_first_spelling(
    personas, reader, make_item
):
    first = make_item("Eerste", tags=["Privacy", "LIVC-R"])
    second = make_item("Tweede", tags=["privacy", "PRIVACY", "livc-r", "Nieuw"])
    assert Tag.objects.count() == 3
    assert sorted(t.name for t in second.tags.all()) == ["LIVC-R", "Nieuw", "Privacy"]
    assert set(first.tags.all()) <= set(second.tags.all())
    client = reader(personas.vera)
    response = client.post("/knowledge/new/", item_data(tags="Draaiboek, draaiboek, DRAAIBOEK"))
    assert response.status_code == 302
    assert [t.name for t in Item.objects.get(title=item_data()["title"]).tags.all()] == [
        "Draaiboek"
    ]
    content = reader(None).get("/knowledge/", {"tag": "privacy"}).content.decode()
    assert "Eerste" in content
    assert "Tweede" in content


def test_it_uses_a_tag_created_at_the_same_moment_by_someone_else(personas, make_item, monkeypatch):
    from vangnet.knowledge import services

    real = services._tag_named
    calls = []

    def racing(name):
        # The first look-up runs before the other request created the tag.
        calls.append(name)
        if len(calls) == 1:
            Tag.objects.create(name="Privacy")
            return None
        return real(name)

    monkeypatch.setattr(services, "_tag_named", racing)
    item = make_item("Gelijktijdig", tags=["privacy"])
    assert [t.name for t in item.tags.all()] == ["Privacy"]
    assert Tag.objects.count() == 1
    assert Item.objects.filter(pk=item.pk).exists()  # the transaction survived the conflict


def test_an_empty_post_shows_what_is_missing_and_creates_nothing(personas, reader):
    response = reader(personas.vera).post("/knowledge/new/", {})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Item.objects.exists()
