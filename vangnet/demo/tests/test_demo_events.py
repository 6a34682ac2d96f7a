"""The demo's network: bodies with members and documents, a year of events, coaching."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Model
from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.accounts.models import User
from vangnet.cells.models import Membership
from vangnet.coaching.models import (
    CoachingDocument,
    CoachingNote,
    Milestone,
    Trajectory,
    TrajectoryStatus,
)
from vangnet.demo import services
from vangnet.demo.knowledge_content import DEMO_ITEMS
from vangnet.demo.network_content import DEMO_EVENTS, DEMO_TRAJECTORIES, FEEDBACK_COMMENTS
from vangnet.demo.people import DEMO_DOMAIN
from vangnet.events.models import (
    BodyDocument,
    BodyKind,
    BodyMembership,
    Event,
    EventKind,
    EventSeries,
    FeedbackAnswer,
    FeedbackResponse,
    NetworkBody,
    Registration,
    RegistrationStatus,
)
from vangnet.events.services import RESULTS_THRESHOLD
from vangnet.lib.personaldata import personal_data_find
from vangnet.lib.uploads import document_check
from vangnet.tests_support.personas import sign_in

pytestmark = pytest.mark.django_db

MODELS: tuple[type[Model], ...] = (
    NetworkBody,
    BodyMembership,
    BodyDocument,
    EventSeries,
    Event,
    Registration,
    FeedbackResponse,
    FeedbackAnswer,
    Trajectory,
    Milestone,
    CoachingNote,
    CoachingDocument,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


def _staff() -> User:
    return User.objects.get(email=f"ondersteuning@{DEMO_DOMAIN}")


def test_it_loads_a_year_of_network_events_and_coaching_and_is_idempotent(client):
    out = StringIO()
    call_command("demo", stdout=out)
    first = _counts()
    call_command("demo", stdout=StringIO())
    assert _counts() == first
    text = out.getvalue()
    assert "/events/" in text and "/coaching/" in text

    # Bodies: the working group, intervision and regional platforms in three provinces, each
    # with members (local-government personas only) and a document that is a real PDF or ODT.
    bodies = list(NetworkBody.objects.all())
    kinds = [b.kind for b in bodies]
    assert kinds.count(BodyKind.WORKING_GROUP) == 1
    assert kinds.count(BodyKind.INTERVISION) == 1
    assert len({b.province for b in bodies if b.kind == BodyKind.REGIONAL_PLATFORM}) == 3
    for body in bodies:
        assert body.memberships.filter(ended_at__isnull=True).count() >= 5, body.name
        document = body.documents.get()
        with document.file.open("rb") as handle:
            assert document_check(handle).extension in (".pdf", ".odt")
    with scopes_disabled():
        local = set(Membership.objects.values_list("user_id", flat=True))
    assert set(BodyMembership.objects.values_list("user_id", flat=True)) <= local

    # Events over the last nine months and the next three, of every kind, some in a series.
    now = timezone.now()
    events = list(Event.objects.all())
    assert {e.kind for e in events} == set(EventKind.values)
    assert all(e.status == "published" for e in events)
    starts = sorted(e.starts_at for e in events)
    assert now - datetime.timedelta(days=280) < starts[0] < now - datetime.timedelta(days=200)
    assert now + datetime.timedelta(days=45) < starts[-1] < now + datetime.timedelta(days=100)
    assert len({(s.year, s.month) for s in starts}) >= 10
    past = [e for e in events if e.ends_at < now]
    assert len(past) >= 10 and len(events) - len(past) >= 5
    series = EventSeries.objects.get(body__kind=BodyKind.INTERVISION)
    assert series.events.count() == 4
    # Past events: attendance recorded, materials linked (published, not staff-only).
    for event in past:
        registered = event.registrations.filter(status=RegistrationStatus.REGISTERED)
        assert registered.exists(), event.title
        assert not registered.filter(attended__isnull=True).exists(), event.title
        assert registered.filter(attended=True).exists(), event.title
        assert event.materials.exists(), event.title
        assert not event.materials.exclude(status="published").exists()
        assert not event.materials.filter(audience="staff").exists()
        assert event.created_at < event.starts_at
    # Future events: nobody's attendance yet; registrations are dated before today.
    for event in set(events) - set(past):
        assert not event.registrations.filter(attended__isnull=False).exists()
    assert not Registration.objects.filter(created_at__gt=now).exists()
    # Feedback: anonymous forms on past events, enough on several to show the results.
    with_results = [e for e in past if e.feedback.count() >= RESULTS_THRESHOLD]
    assert len(with_results) >= 2
    assert not FeedbackResponse.objects.filter(event__starts_at__gt=now).exists()
    given = Registration.objects.filter(feedback_given=True).count()
    assert given == FeedbackResponse.objects.count()
    # A full event with a waiting list, where a cancellation gave someone a place.
    full = [
        e
        for e in events
        if e.capacity
        and e.registrations.filter(status=RegistrationStatus.REGISTERED).count() == e.capacity
        and e.registrations.filter(status=RegistrationStatus.WAITLISTED).exists()
    ]
    assert full
    assert any(e.registrations.filter(status=RegistrationStatus.CANCELLED).exists() for e in full)
    assert any(e.ends_at > now for e in full)

    # Coaching: trajectories in several categories and provinces, coached by VVSG staff.
    trajectories = list(Trajectory.objects.prefetch_related("cells__municipalities"))
    assert len(trajectories) >= 4
    assert len({t.category for t in trajectories}) >= 3
    provinces = {
        m.province_nis for t in trajectories for c in t.cells.all() for m in c.municipalities.all()
    }
    assert len(provinces) >= 3
    assert {t.coach for t in trajectories} == {_staff()}
    statuses = {t.status for t in trajectories}
    assert {TrajectoryStatus.ACTIVE, TrajectoryStatus.CLOSED} <= statuses
    done = Milestone.objects.filter(done_on__isnull=False)
    assert done.exists() and Milestone.objects.filter(done_on__isnull=True).exists()
    assert not done.filter(done_on__gt=timezone.localdate()).exists()
    assert CoachingNote.objects.filter(shared_with_cell=True).exists()
    assert CoachingNote.objects.filter(shared_with_cell=False).exists()
    document = CoachingDocument.objects.get()
    with document.file.open("rb") as handle:
        assert document_check(handle).extension == ".pdf"

    # The pages show it: VVSG's results of a past event and the coaching overview.
    sign_in(client, _staff())
    assert client.get(f"/events/{with_results[0].pk}/results/").status_code == 200
    assert client.get("/coaching/").status_code == 200
    member = User.objects.get(email=f"coordinator.mechelen@{DEMO_DOMAIN}")
    sign_in(client, member)
    assert client.get("/events/").status_code == 200


def test_it_loads_the_network_without_the_support_desk_part(monkeypatch):
    """Without the other local governments: fewer members and cells, nothing breaks."""
    monkeypatch.setattr(services, "support_load", lambda *, staff: [])
    call_command("demo", stdout=StringIO())
    assert Event.objects.filter(ends_at__lt=timezone.now(), feedback__isnull=False).exists()
    assert Trajectory.objects.count() == 3
    assert BodyMembership.objects.filter(body__name="Werkgroep LIVC R").count() == 3


def test_its_texts_and_materials_hold_no_personal_data_and_exist():
    texts = [e.title for e in DEMO_EVENTS] + [e.description for e in DEMO_EVENTS]
    texts += [c for c in FEEDBACK_COMMENTS if c]
    texts += [text for t in DEMO_TRAJECTORIES for _days, _shared, text in t.notes]
    flagged = {text[:60]: personal_data_find(text) for text in texts if personal_data_find(text)}
    assert flagged == {}
    titles = {item.title for item in DEMO_ITEMS if item.audience != "staff"}
    assert {m for e in DEMO_EVENTS for m in e.materials} <= titles
