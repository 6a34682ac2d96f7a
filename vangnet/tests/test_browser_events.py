"""End to end (issue 8): event → registration → attendance → anonymous feedback → results.

Vera (VVSG staff) creates an intervision for coordinators and deputies and publishes it. Alice
(coordinator of Mechelen) finds it in the calendar, registers and downloads the .ics file. Walter
(coordinator) and Dora (deputy coordinator) of Wingene register too. After the event (moved to
the past in the database: the live server shares this process's database, not its clock), Vera
records who attended, Alice gives her feedback through the form, Walter and Dora through the
service, and with three responses Vera sees the results per question.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.cells.models import Role
from vangnet.cells.reference import municipalities_load
from vangnet.cells.services import membership_add
from vangnet.events import services
from vangnet.events.models import (
    Event,
    EventAudience,
    EventKind,
    EventStatus,
    FeedbackAnswer,
    FeedbackResponse,
    Registration,
    RegistrationStatus,
)
from vangnet.scans.forms import answers_from_post
from vangnet.tests_support.browser import (
    axe_violations,
    browser_page,
    sign_in_browser,
)
from vangnet.tests_support.personas import make_personas, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
TITLE = "Intervisie coördinatoren provincie Antwerpen"
LOCATION = "VVSG, Bischoffsheimlaan 1, Brussel"
CAPACITY = 12
ALICE_ANSWERS = {
    "a__event____useful": "5",
    "a__event____content_quality": "4",
    "a__event____exchange": "na",
    "a__event____organisation": "5",
    "a__event____recommend": "1",
    "a__event____improvement": "Meer tijd voor casussen",
}
OTHER_ANSWERS = [
    {
        "a__event____useful": "4",
        "a__event____content_quality": "4",
        "a__event____exchange": "3",
        "a__event____organisation": "na",
        "a__event____recommend": "1",
        "a__event____improvement": "Een andere locatie",
    },
    {
        "a__event____useful": "5",
        "a__event____content_quality": "2",
        "a__event____exchange": "4",
        "a__event____organisation": "4",
        "a__event____recommend": "0",
    },
]


def post(page, button) -> None:
    """Click a submit button, wait for the redirect's page, and fail on an error message."""
    with page.expect_navigation():
        button.click()
    errors = page.locator("main .message-error, main .error-summary")
    assert errors.count() == 0, errors.all_inner_texts()


def test_an_intervision_from_creation_to_feedback_results(live_server):
    municipalities_load()
    personas = make_personas()
    base = live_server.url
    with scopes_disabled():
        dora = make_user("dora@example.org", "Dora Adjunct")
        membership_add(cell=personas.wingene, user=dora, role=Role.DEPUTY_COORDINATOR)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with browser_page() as vera:
        browser = vera.context.browser

        # 1. Vera creates the intervision as a draft and publishes it.
        sign_in_browser(vera, base, "vera@example.org", "**/support/")
        vera.goto(f"{base}/events/manage/")
        assert axe_violations(vera) == []
        with vera.expect_navigation():
            vera.locator('main a[href="/events/manage/new/"]').click()
        assert vera.url == f"{base}/events/manage/new/"
        assert axe_violations(vera) == []
        form = vera.locator("main form")
        form.locator('select[name="kind"]').select_option(EventKind.INTERVISION)
        form.locator('input[name="title"]').fill(TITLE)
        form.locator('textarea[name="description"]').fill("Casussen bespreken met collega's.")
        form.locator('input[name="date"]').fill(tomorrow.isoformat())
        form.locator('input[name="start"]').fill("14:00")
        form.locator('input[name="end"]').fill("16:30")
        form.locator('input[name="location"]').fill(LOCATION)
        form.locator('input[name="capacity"]').fill(str(CAPACITY))
        form.locator('select[name="audience"]').select_option(EventAudience.COORDINATORS)
        form.locator('input[name="feedback"]').check()
        post(vera, form.locator("button[type=submit]"))
        assert re.fullmatch(rf"{re.escape(base)}/events/({UUID})/", vera.url), vera.url
        event = Event.objects.get()
        event_url = f"{base}/events/{event.pk}/"
        assert vera.url == event_url
        assert event.status == EventStatus.DRAFT
        assert (event.kind, event.audience, event.capacity) == (
            EventKind.INTERVISION,
            EventAudience.COORDINATORS,
            CAPACITY,
        )
        assert (event.title, event.location) == (TITLE, LOCATION)
        starts = timezone.localtime(event.starts_at)
        assert (starts.date(), starts.hour, starts.minute) == (tomorrow, 14, 0)
        assert event.feedback_template is not None
        assert event.feedback_template.slug == "event-feedback"
        assert vera.locator("main .message-success").count() == 1
        assert axe_violations(vera) == []

        post(vera, vera.locator('main form[action$="/publish/"] button[type=submit]'))
        assert vera.url == event_url
        event.refresh_from_db()
        assert event.status == EventStatus.PUBLISHED
        assert vera.locator('main form[action$="/publish/"]').count() == 0
        assert axe_violations(vera) == []

        # 2. Alice (her own browser context) finds the event in the calendar and registers.
        alice = browser.new_context(locale="nl-BE").new_page()
        sign_in_browser(alice, base, "alice@example.org", "**/cells/**")
        alice.goto(f"{base}/events/")
        assert axe_violations(alice) == []
        link = alice.locator(f'main table a[href="/events/{event.pk}/"]')
        assert link.inner_text() == TITLE
        with alice.expect_navigation():
            link.click()
        assert alice.url == event_url
        assert alice.locator("main h1").inner_text() == TITLE
        assert axe_violations(alice) == []
        post(alice, alice.locator('main form[action$="/register/"] button[type=submit]'))
        assert alice.url == event_url
        registration = Registration.objects.get(event=event, user=personas.alice)
        assert registration.status == RegistrationStatus.REGISTERED
        assert alice.locator("main .message-success").count() == 1
        assert alice.locator('main form[action$="/register/"]').count() == 0
        assert alice.locator('main form[action$="/unregister/"]').count() == 1
        assert axe_violations(alice) == []

        # The event is in her registrations on the calendar, with a badge in the table.
        alice.goto(f"{base}/events/")
        mine = alice.locator(f'main ul a[href="/events/{event.pk}/"]')
        assert mine.count() == 1
        row = alice.locator(
            "main table tbody tr", has=alice.locator(f'a[href="/events/{event.pk}/"]')
        )
        assert row.count() == 1
        assert row.locator(".badge-ok").count() == 1
        assert axe_violations(alice) == []

        # She downloads the .ics file from the event page.
        alice.goto(event_url)
        with alice.expect_download() as download_info:
            alice.locator(f'main a[href="/events/{event.pk}/event.ics"]').click()
        download = download_info.value
        ics = download.path().read_text(encoding="utf-8")
        assert ics.startswith("BEGIN:VCALENDAR"), ics[:80]
        assert "BEGIN:VEVENT" in ics
        assert TITLE.split()[0] in ics

        # Walter (coordinator) and Dora (deputy) of Wingene register through the service.
        others = [personas.walter, dora]
        for user in others:
            services.registration_create(event=event, user=user)
        assert (
            Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count()
            == 3
        )

        # 3. Time passes: the event took place this morning (moved in the database).
        now = timezone.now()
        Event.objects.filter(pk=event.pk).update(
            starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=1)
        )

        # 4. Vera records the attendance: everyone came.
        vera.goto(event_url)
        with vera.expect_navigation():
            vera.locator(f'main a[href="/events/{event.pk}/attendance/"]').click()
        assert vera.url == f"{event_url}attendance/"
        assert axe_violations(vera) == []
        registrations = list(Registration.objects.filter(event=event))
        for each in registrations:
            vera.check(f'main input[type=radio][name="r_{each.pk}"][value="yes"]')
        post(vera, vera.locator("main form button[type=submit]"))
        assert vera.url == f"{event_url}attendance/"
        assert vera.locator("main .message-success").count() == 1
        for each in registrations:
            each.refresh_from_db()
            assert each.attended is True
            assert vera.is_checked(f'main input[type=radio][name="r_{each.pk}"][value="yes"]')
        assert axe_violations(vera) == []

        # Too few responses yet: the results page shows no answers.
        vera.goto(f"{event_url}results/")
        assert vera.locator("main section").count() == 0
        assert axe_violations(vera) == []

        # 5. Alice gives her feedback from the past events on the calendar.
        alice.goto(f"{base}/events/")
        feedback_link = alice.locator(f'main ul.events-past a[href="/events/{event.pk}/feedback/"]')
        assert feedback_link.count() == 1
        assert axe_violations(alice) == []
        with alice.expect_navigation():
            feedback_link.click()
        assert alice.url == f"{event_url}feedback/"
        assert axe_violations(alice) == []
        feedback = alice.locator("main form")
        for name, value in ALICE_ANSWERS.items():
            if name.endswith("improvement"):
                feedback.locator(f'textarea[name="{name}"]').fill(value)
            else:
                feedback.locator(f'input[type=radio][name="{name}"][value="{value}"]').check()
        post(alice, feedback.locator("button[type=submit]"))
        assert alice.url == event_url
        assert alice.locator("main .message-success").count() == 1
        assert alice.locator(f'main a[href="/events/{event.pk}/feedback/"]').count() == 0
        assert axe_violations(alice) == []
        registration.refresh_from_db()
        assert registration.feedback_given is True
        assert FeedbackResponse.objects.filter(event=event).count() == 1

        # Walter and Dora answer too (through the service), which reaches the threshold.
        modules = event.feedback_template.definition["modules"]
        for user, data in zip(others, OTHER_ANSWERS, strict=True):
            answers, errors = answers_from_post(data, modules)
            assert errors == []
            services.feedback_submit(
                registration=Registration.objects.get(event=event, user=user), answers=answers
            )
        assert FeedbackResponse.objects.filter(event=event).count() == services.RESULTS_THRESHOLD
        assert not FeedbackAnswer.objects.filter(response__event=event, text__contains="Alice")

        # Results stay hidden while feedback is open (so no answer can be traced to a late
        # responder); two weeks later feedback has closed.
        vera.goto(f"{event_url}results/")
        assert vera.locator("main section[aria-labelledby]").count() == 0
        later = timezone.now()
        Event.objects.filter(pk=event.pk).update(
            starts_at=later - dt.timedelta(days=16), ends_at=later - dt.timedelta(days=15)
        )

        # 6. Vera opens the results: one section per question.
        vera.goto(event_url)
        with vera.expect_navigation():
            vera.locator(f'main a[href="/events/{event.pk}/results/"]').click()
        assert vera.url == f"{event_url}results/"
        keys = [i["key"] for m in modules for i in m["indicators"]]
        sections = vera.locator("main section[aria-labelledby]")
        assert [s.get_attribute("aria-labelledby") for s in sections.all()] == [
            f"q-{key}" for key in keys
        ]

        def counts(key: str) -> list[str]:
            section = vera.locator(f'main section[aria-labelledby="q-{key}"]')
            return section.locator("tbody td").all_inner_texts()

        # Likert 1..5 (and "not applicable" where allowed); yes/no as yes, no.
        all_answers = [ALICE_ANSWERS, *OTHER_ANSWERS]
        for key in ("useful", "content_quality", "exchange", "organisation"):
            given = [a.get(f"a__event____{key}") for a in all_answers]
            expected = [str(given.count(v)) for v in ("1", "2", "3", "4", "5")]
            if key in ("exchange", "organisation"):
                expected.append(str(given.count("na")))
            assert counts(key) == expected, key
        assert counts("recommend") == ["2", "1"]
        comments = vera.locator('main section[aria-labelledby="q-improvement"] li')
        assert sorted(comments.all_inner_texts()) == [
            "Een andere locatie",
            "Meer tijd voor casussen",
        ]
        assert axe_violations(vera) == []
