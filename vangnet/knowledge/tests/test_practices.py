"""Good practices: submitted by a local government, reviewed by VVSG, published as an item."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from vangnet.audit.models import AuditEvent
from vangnet.cells.models import Municipality
from vangnet.knowledge.models import (
    Audience,
    GoodPractice,
    Item,
    ItemKind,
    ItemStatus,
    PracticeStatus,
    Theme,
)
from vangnet.knowledge.search import items_search
from vangnet.knowledge.services import practice_publish, practice_return, practice_submit

pytestmark = pytest.mark.django_db

MECHELEN = "12025"
WINGENE = "37021"
TITLE = "Wijkgerichte vorming voor jeugdwerkers"


def practice_data(**overrides):
    data = {
        "municipality": MECHELEN,
        "theme": str(Theme.objects.get(slug="vorming").pk),
        "title": TITLE,
        "context": "Jeugdwerkers herkenden signalen van polarisatie niet.",
        "approach": "Drie vormingsavonden per wijk.\n\nMet een vaste contactpersoon bij de cel.",
        "results": "Meer en betere doorverwijzingen naar de cel.",
        "contact_role": "Preventiewerker van de stad",
    }
    data.update(overrides)
    return data


def submit(personas, user=None, **overrides) -> GoodPractice:
    data = practice_data(**overrides)
    return practice_submit(
        user=user or personas.mona,
        municipality=Municipality.objects.get(pk=data["municipality"]),
        theme=Theme.objects.get(pk=data["theme"]),
        title=data["title"],
        context=data["context"],
        approach=data["approach"],
        results=data["results"],
        contact_role=data["contact_role"],
    )


def test_it_lets_a_local_government_user_submit_a_practice(personas, reader):
    client = reader(personas.mona)
    page = client.get("/knowledge/practices/new/")
    assert page.status_code == 200
    assert f'<option value="{MECHELEN}" selected>' in page.content.decode()
    assert f'value="{WINGENE}"' not in page.content.decode()  # only the municipalities of her cells
    response = client.post("/knowledge/practices/new/", practice_data())
    assert response.status_code == 302
    assert response["Location"] == "/knowledge/practices/mine/"
    practice = GoodPractice.objects.get()
    assert practice.status == PracticeStatus.SUBMITTED
    assert practice.submitted_by == personas.mona
    assert practice.item is None
    mine = client.get("/knowledge/practices/mine/").content.decode()
    assert TITLE in mine
    assert "Submitted, awaiting review" in mine
    event = AuditEvent.objects.get(action="knowledge.practice.submitted")
    assert "vorming" not in str(event.data).lower()


def test_it_refuses_a_municipality_of_another_cell(personas, reader):
    response = reader(personas.mona).post(
        "/knowledge/practices/new/", practice_data(municipality=WINGENE)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(ValidationError):
        submit(personas, municipality=WINGENE)
    assert not GoodPractice.objects.exists()


def test_it_refuses_users_without_a_cell(personas):
    with pytest.raises(ValidationError):
        submit(personas, user=personas.olaf)
    with pytest.raises(ValidationError):
        submit(personas, user=personas.vera)
    assert not GoodPractice.objects.exists()


@pytest.mark.parametrize("name", ["olaf", "vera"])
def test_it_keeps_the_practice_pages_from_users_without_a_cell(personas, reader, name):
    client = reader(getattr(personas, name))
    assert client.get("/knowledge/practices/new/").status_code == 403
    assert client.post("/knowledge/practices/new/", practice_data()).status_code == 403
    assert client.get("/knowledge/practices/mine/").status_code == 403
    assert not GoodPractice.objects.exists()


def test_it_asks_to_anonymise_personal_data_before_submitting(personas, reader):
    client = reader(personas.alice)
    data = practice_data(results="Bel Jan Peeters op 0470 12 34 56 voor meer uitleg.")
    response = client.post("/knowledge/practices/new/", data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Possible personal data" in content
    assert "0470 12 34 56" in content
    assert not GoodPractice.objects.exists()
    response = client.post("/knowledge/practices/new/", {**data, "personal_data_confirmed": "on"})
    assert response.status_code == 302
    assert GoodPractice.objects.get().personal_data_confirmed is True


def test_it_refuses_empty_and_oversized_fields(personas, reader):
    client = reader(personas.mona)
    for data in (
        practice_data(title=""),
        practice_data(approach="   "),
        practice_data(context="x" * 5001),
        practice_data(contact_role="x" * 151),
        practice_data(theme="not-a-theme"),
    ):
        response = client.post("/knowledge/practices/new/", data)
        assert response.status_code == 200
        assert "error-summary" in response.content.decode()
    assert not GoodPractice.objects.exists()


def test_it_publishes_a_reviewed_practice_as_a_visible_item(personas, reader):
    practice = submit(
        personas,
        context="Het <script>alert(1)</script> probleem & de <b>aanpak</b>.",
    )
    staff = reader(personas.vera)
    queue = staff.get("/knowledge/practices/review/").content.decode()
    assert TITLE in queue
    review = staff.get(f"/knowledge/practices/{practice.pk}/")
    assert review.status_code == 200
    assert "&lt;script&gt;" in review.content.decode()
    response = staff.post(
        f"/knowledge/practices/{practice.pk}/publish/", {"audience": Audience.PUBLIC}
    )
    item = Item.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/knowledge/{item.pk}/"
    assert item.kind == ItemKind.GOOD_PRACTICE
    assert item.status == ItemStatus.PUBLISHED
    assert item.audience == Audience.PUBLIC
    assert [t.slug for t in item.themes.all()] == ["vorming"]
    assert "<script" not in item.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in item.body
    assert "&lt;b&gt;aanpak&lt;/b&gt;" in item.body
    assert "<p>Drie vormingsavonden per wijk.</p>" in item.body
    assert "Mechelen" in item.body
    assert "Preventiewerker van de stad" in item.body
    practice.refresh_from_db()
    assert (practice.status, practice.item, practice.reviewed_by) == (
        PracticeStatus.PUBLISHED,
        item,
        personas.vera,
    )
    public = reader(None).get(f"/knowledge/{item.pk}/")
    assert public.status_code == 200
    assert "Drie vormingsavonden per wijk." in public.content.decode()
    assert [i.pk for i in items_search("vormingsavonden", user=None)] == [item.pk]
    assert TITLE not in staff.get("/knowledge/practices/review/").content.decode()
    mine = reader(personas.mona).get("/knowledge/practices/mine/").content.decode()
    assert f"/knowledge/{item.pk}/" in mine
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"knowledge.practice.viewed", "knowledge.practice.published"} <= actions


def test_it_publishes_a_practice_only_once(personas):
    practice = submit(personas)
    practice_publish(practice=practice, reviewer=personas.vera, audience=Audience.MEMBERS)
    with pytest.raises(ValidationError):
        practice_publish(practice=practice, reviewer=personas.vera, audience=Audience.MEMBERS)
    with pytest.raises(ValidationError):
        practice_return(practice=practice, reviewer=personas.vera, note="Toch niet")
    assert Item.objects.count() == 1


def test_it_reports_a_second_review_with_a_message(personas, reader):
    practice = submit(personas)
    staff = reader(personas.vera)
    staff.post(f"/knowledge/practices/{practice.pk}/publish/", {"audience": Audience.PUBLIC})
    response = staff.post(
        f"/knowledge/practices/{practice.pk}/publish/", {"audience": Audience.PUBLIC}, follow=True
    )
    assert "already been reviewed" in response.content.decode()
    assert Item.objects.count() == 1


def test_it_refuses_an_unknown_audience(personas, reader):
    practice = submit(personas)
    response = reader(personas.vera).post(
        f"/knowledge/practices/{practice.pk}/publish/", {"audience": "world"}
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Item.objects.exists()


def test_it_needs_a_note_to_return_a_practice(personas, reader):
    practice = submit(personas)
    staff = reader(personas.vera)
    response = staff.post(f"/knowledge/practices/{practice.pk}/return/", {"note": "  "})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED
    with pytest.raises(ValidationError):
        practice_return(practice=practice, reviewer=personas.vera, note="")
    response = staff.post(
        f"/knowledge/practices/{practice.pk}/return/",
        {"note": "Beschrijf de resultaten concreter."},
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.RETURNED
    assert practice.review_note == "Beschrijf de resultaten concreter."
    assert not Item.objects.exists()
    event = AuditEvent.objects.get(action="knowledge.practice.returned")
    assert "resultaten" not in str(event.data)
    mine = reader(personas.mona).get("/knowledge/practices/mine/").content.decode()
    assert "Returned for changes" in mine
    assert "Beschrijf de resultaten concreter." in mine
    assert f"?from={practice.pk}" in mine


def test_it_starts_a_new_submission_from_a_returned_practice(personas, reader):
    practice = submit(personas)
    practice_return(practice=practice, reviewer=personas.vera, note="Concreter graag.")
    content = reader(personas.mona).get(f"/knowledge/practices/new/?from={practice.pk}")
    assert "Drie vormingsavonden per wijk." in content.content.decode()
    # Someone else's practice, or a malformed id, gives an empty form.
    other = reader(personas.alice).get(f"/knowledge/practices/new/?from={practice.pk}")
    assert "Drie vormingsavonden per wijk." not in other.content.decode()
    assert reader(personas.mona).get("/knowledge/practices/new/?from=x").status_code == 200


@pytest.mark.parametrize("name", ["alice", "mona", "olaf"])
def test_it_keeps_the_review_from_anyone_but_staff(personas, reader, name):
    practice = submit(personas)
    client = reader(getattr(personas, name))
    assert client.get("/knowledge/practices/review/").status_code == 403
    assert client.get(f"/knowledge/practices/{practice.pk}/").status_code == 404
    publish = client.post(f"/knowledge/practices/{practice.pk}/publish/", {"audience": "public"})
    assert publish.status_code == 404
    returned = client.post(f"/knowledge/practices/{practice.pk}/return/", {"note": "Nee"})
    assert returned.status_code == 404
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED
    assert not Item.objects.exists()


def test_it_shows_empty_states(personas, reader):
    assert (
        "No good practices waiting"
        in reader(personas.vera).get("/knowledge/practices/review/").content.decode()
    )
    assert (
        "You have not shared a good practice yet."
        in reader(personas.mona).get("/knowledge/practices/mine/").content.decode()
    )


def test_the_queue_does_not_grow_its_queries_with_data(
    personas, reader, django_assert_max_num_queries
):
    staff = reader(personas.vera)
    for number in range(3):
        submit(personas, title=f"Praktijk {number}")
    with django_assert_max_num_queries(10):
        staff.get("/knowledge/practices/review/")
    for number in range(20):
        submit(personas, title=f"Meer {number}")
    with django_assert_max_num_queries(10):
        staff.get("/knowledge/practices/review/")
    mona = reader(personas.mona)
    with django_assert_max_num_queries(14):
        mona.get("/knowledge/practices/mine/")


def test_it_links_a_published_practice_only_if_its_author_may_read_it(personas, reader):
    shared = submit(personas, title="Voor de leden")
    internal = submit(personas, title="Enkel intern")
    shared_item = practice_publish(
        practice=shared, reviewer=personas.vera, audience=Audience.MEMBERS
    )
    internal_item = practice_publish(
        practice=internal, reviewer=personas.vera, audience=Audience.STAFF
    )
    client = reader(personas.mona)
    mine = client.get("/knowledge/practices/mine/").content.decode()
    assert f"/knowledge/{shared_item.pk}/" in mine
    assert "Enkel intern" in mine
    assert f"/knowledge/{internal_item.pk}/" not in mine  # staff only: it would be a 404
    assert client.get(f"/knowledge/{internal_item.pk}/").status_code == 404
