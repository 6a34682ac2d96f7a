from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from vangnet.events import services
from vangnet.events.models import (
    BodyDocument,
    BodyKind,
    BodyMembership,
    BodyRole,
    Event,
    EventAudience,
    EventSeries,
    EventStatus,
    NetworkBody,
    Registration,
)
from vangnet.events.tests.conftest import make_event
from vangnet.knowledge.models import Audience, Item, ItemKind, ItemStatus
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(**overrides):
    day = timezone.localdate() + dt.timedelta(days=30)
    data = {
        "kind": "intervision",
        "title": "Intervision Q1",
        "description": "Cases of the quarter, without names.",
        "date": day.isoformat(),
        "start": "13:30",
        "end": "16:00",
        "location": "Leuven",
        "online_url": "",
        "capacity": "12",
        "audience": "local_government",
        "feedback": "on",
    }
    data.update(overrides)
    return data


def make_body(**fields) -> NetworkBody:
    return NetworkBody.objects.create(
        kind=fields.pop("kind", BodyKind.INTERVISION),
        name=fields.pop("name", "Intervision"),
        **fields,
    )


def test_staff_create_publish_and_cancel_an_event(client, personas):
    sign_in(client, personas.vera)
    response = client.post("/events/manage/new/", form_data())
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.status == EventStatus.DRAFT and event.capacity == 12
    assert event.feedback_template is not None
    assert event.feedback_template.slug == "event-feedback"
    assert timezone.localtime(event.starts_at).hour == 13
    client.post(f"/events/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    client.post(f"/events/{event.pk}/cancel/")
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start": "16:00", "end": "13:00"}, "must end after it starts"),
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"online_url": "http://meet.example.org/x"}, "Only https:// links"),
        ({"location": "", "online_url": ""}, "a location, an online link or both"),
        ({"audience": "body_members"}, "Choose the network body"),
        ({"title": "x" * 151}, "at most 150 characters"),
        ({"date": "2025-13-45"}, "Enter a valid date"),
    ],
)
def test_it_refuses_bad_event_input(client, personas, overrides, message):
    sign_in(client, personas.vera)
    response = client.post("/events/manage/new/", form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_it_creates_a_series_of_events(client, personas):
    body = make_body()
    sign_in(client, personas.vera)
    data = form_data(
        name="Intervision 2026",
        dates="2026-03-10\n2026-06-09\n2026-09-08\n2026-12-08",
        body=str(body.pk),
        audience="body_members",
    )
    response = client.post("/events/manage/series/new/", data)
    assert response.status_code == 302, response.content.decode()
    series = EventSeries.objects.get()
    assert series.events.count() == 4
    assert set(series.events.values_list("body", flat=True)) == {body.pk}


def test_it_refuses_a_series_with_a_bad_date(client, personas):
    sign_in(client, personas.vera)
    response = client.post(
        "/events/manage/series/new/", form_data(name="S", dates="2026-03-10\nsoon")
    )
    assert response.status_code == 400
    assert not EventSeries.objects.exists()


@pytest.mark.parametrize(
    "path",
    ["/events/manage/", "/events/manage/new/", "/events/manage/series/new/", "/events/bodies/new/"],
)
def test_staff_pages_refuse_everybody_else(client, personas, path):
    sign_in(client, personas.alice)
    assert client.get(path).status_code == 403


def test_staff_object_pages_answer_404_to_others(client, personas):
    event = make_event(personas.vera)
    body = make_body()
    sign_in(client, personas.alice)
    for path in (
        f"/events/{event.pk}/edit/",
        f"/events/{event.pk}/attendance/",
        f"/events/{event.pk}/results/",
        f"/events/bodies/{body.pk}/",
        f"/events/bodies/{body.pk}/edit/",
        f"/events/bodies/{body.pk}/members/add/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/events/{event.pk}/cancel/").status_code == 404


def test_the_manage_list_has_a_fixed_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    body = make_body()
    for index in range(8):
        event = make_event(personas.vera, days=index + 1, capacity=3, body=body)
        services.registration_create(event=event, user=personas.alice)
    sign_in(client, personas.vera)
    with django_assert_max_num_queries(10):
        response = client.get("/events/manage/")
    assert response.status_code == 200


def test_materials_show_only_items_the_reader_may_open(client, personas):
    public = Item.objects.create(
        kind=ItemKind.PUBLICATION,
        title="Public guide",
        audience=Audience.PUBLIC,
        status=ItemStatus.PUBLISHED,
    )
    staff_only = Item.objects.create(
        kind=ItemKind.PUBLICATION,
        title="Staff notes",
        audience=Audience.STAFF,
        status=ItemStatus.PUBLISHED,
    )
    event = make_event(personas.vera)
    event.materials.set([public, staff_only])
    sign_in(client, personas.alice)
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "Public guide" in page and "Staff notes" not in page


def test_body_members_see_their_body_and_its_events(client, personas):
    body = make_body()
    services.body_member_add(
        body=body, user=personas.alice, role=BodyRole.MEMBER, actor=personas.vera
    )
    event = make_event(personas.vera, audience=EventAudience.BODY_MEMBERS, body=body)
    sign_in(client, personas.alice)
    page = client.get(f"/events/bodies/{body.pk}/").content.decode()
    assert event.title in page
    assert client.get(f"/events/{event.pk}/").status_code == 200
    services.registration_create(event=event, user=personas.alice)
    sign_in(client, personas.walter)
    assert client.get(f"/events/bodies/{body.pk}/").status_code == 404
    assert client.get(f"/events/{event.pk}/").status_code == 404


def test_staff_add_members_by_email_of_a_local_government_user(client, personas):
    body = make_body()
    sign_in(client, personas.vera)
    response = client.post(
        f"/events/bodies/{body.pk}/members/add/", {"email": personas.walter.email, "role": "chair"}
    )
    assert response.status_code == 302
    assert BodyMembership.objects.get().role == BodyRole.CHAIR
    for email, message in (
        (personas.walter.email, "already a member"),
        (personas.olaf.email, "Only users of a local government"),
        ("nobody@example.org", "no account with this e-mail"),
    ):
        response = client.post(
            f"/events/bodies/{body.pk}/members/add/", {"email": email, "role": "member"}
        )
        assert response.status_code == 400
        assert message in response.content.decode()
    membership = BodyMembership.objects.get()
    client.post(f"/events/bodies/{body.pk}/members/{membership.pk}/end/")
    membership.refresh_from_db()
    assert membership.ended_at is not None


def test_body_documents_are_versioned_and_access_checked(client, personas):
    body = make_body()
    services.body_member_add(
        body=body, user=personas.alice, role=BodyRole.MEMBER, actor=personas.vera
    )
    sign_in(client, personas.vera)
    for _ in range(2):
        response = client.post(
            f"/events/bodies/{body.pk}/documents/upload/",
            {"title": "Terms of reference", "file": SimpleUploadedFile("x.pdf", PDF)},
        )
        assert response.status_code == 302
    assert sorted(BodyDocument.objects.values_list("version", flat=True)) == [1, 2]
    response = client.post(
        f"/events/bodies/{body.pk}/documents/upload/",
        {"title": "Bad", "file": SimpleUploadedFile("x.pdf", b"MZ not a pdf")},
    )
    assert response.status_code == 400
    document = BodyDocument.objects.first()
    sign_in(client, personas.alice)
    response = client.get(f"/events/bodies/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    sign_in(client, personas.walter)
    assert client.get(f"/events/bodies/documents/{document.pk}/").status_code == 404


def test_the_index_shows_an_empty_state(client, personas):
    sign_in(client, personas.mona)
    page = client.get("/events/").content.decode()
    assert "No upcoming events for you" in page
    assert not Registration.objects.exists()


def test_every_page_renders(client, personas):
    body = make_body(province="40000")
    services.body_member_add(
        body=body, user=personas.alice, role=BodyRole.MEMBER, actor=personas.vera
    )
    event = make_event(personas.vera, capacity=1, body=body, feedback=True)
    draft = make_event(personas.vera, publish=False)
    services.registration_create(event=event, user=personas.alice)
    services.registration_create(event=event, user=personas.walter)
    sign_in(client, personas.vera)
    for path in (
        "/events/",
        "/events/manage/",
        "/events/manage/new/",
        "/events/manage/series/new/",
        f"/events/{event.pk}/",
        f"/events/{draft.pk}/",
        f"/events/{event.pk}/edit/",
        f"/events/{event.pk}/attendance/",
        f"/events/{event.pk}/results/",
        "/events/bodies/",
        "/events/bodies/new/",
        f"/events/bodies/{body.pk}/",
        f"/events/bodies/{body.pk}/edit/",
        f"/events/bodies/{body.pk}/members/add/",
        f"/events/bodies/{body.pk}/documents/upload/",
    ):
        assert client.get(path).status_code == 200, path
    sign_in(client, personas.alice)
    for path in ("/events/", "/events/mine/", "/events/bodies/", f"/events/{event.pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "style=" not in response.content.decode()


def test_staff_actions_answer_404_to_others(client, personas):
    event = make_event(personas.vera, publish=False)
    body = make_body()
    membership = services.body_member_add(
        body=body, user=personas.alice, role=BodyRole.MEMBER, actor=personas.vera
    )
    sign_in(client, personas.alice)
    assert client.post(f"/events/{event.pk}/publish/").status_code == 404
    assert client.post(f"/events/bodies/{body.pk}/members/{membership.pk}/end/").status_code == 404
    response = client.post(
        f"/events/bodies/{body.pk}/documents/upload/",
        {"title": "Mine", "file": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert response.status_code == 404
    event.refresh_from_db()
    membership.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    assert membership.ended_at is None
    assert not BodyDocument.objects.exists()


def test_a_body_member_without_a_cell_membership_loses_access(client, personas):
    body = make_body()
    services.body_member_add(
        body=body, user=personas.walter, role=BodyRole.MEMBER, actor=personas.vera
    )
    sign_in(client, personas.walter)
    assert client.get(f"/events/bodies/{body.pk}/").status_code == 200
    from django_scopes import scopes_disabled

    from vangnet.cells.models import Membership

    with scopes_disabled():
        Membership.objects.filter(user=personas.walter).update(ended_at=timezone.now())
    assert client.get(f"/events/bodies/{body.pk}/").status_code == 404


def test_body_members_see_names_not_email_addresses(client, personas):
    body = make_body()
    for user in (personas.alice, personas.walter):
        services.body_member_add(body=body, user=user, role=BodyRole.MEMBER, actor=personas.vera)
    personas.walter.full_name = ""
    personas.walter.save(update_fields=["full_name"])
    sign_in(client, personas.alice)
    page = client.get(f"/events/bodies/{body.pk}/").content.decode()
    assert personas.alice.full_name in page
    assert "(no name)" in page
    assert personas.walter.email not in page


def test_a_new_start_time_resets_reminders(personas, mailoutbox):
    event = make_event(personas.vera, days=1.5)
    services.registration_create(event=event, user=personas.alice)
    assert services.reminders_send() == 1
    services.event_save(
        actor=personas.vera,
        event=event,
        data={
            "starts_at": event.starts_at + dt.timedelta(days=1),
            "ends_at": event.ends_at + dt.timedelta(days=1),
        },
    )
    assert Registration.objects.get(event=event).reminded_at is None
