"""Requests of data subjects (issue 10 item 3, R-22): register, deadline, decision, access export
without other professionals' secrets, erasure by the purge path leaving no trace."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.audit.models import AuditEvent
from vangnet.cases.models import Action, Case, Factor, Participant
from vangnet.cases.services import (
    action_add,
    case_close,
    case_find,
    case_open,
    factors_set,
    legal_hold_set,
    participant_add,
)
from vangnet.intake.models import Signal
from vangnet.intake.services import signal_submit
from vangnet.keyring.fields import EncryptedTextField
from vangnet.lib.dates import add_months
from vangnet.lib.pdf import html_to_pdf
from vangnet.meetings.models import AgendaItem, CarryOver, FeedbackSheet
from vangnet.meetings.services import (
    agenda_propose,
    carry_over,
    item_record,
    meeting_create,
    sheet_save,
)
from vangnet.network.models import Organisation
from vangnet.privacy.models import RequestKind, SubjectRequest
from vangnet.privacy.subjects import (
    subject_request_decide,
    subject_request_extend,
    subject_request_register,
)
from vangnet.tests_support.personas import sign_in

NAME = "Zora Vandervelde-Kwartel"
BIRTH = datetime.date(2009, 3, 14)
ADDRESS = "Kwartelstraat 77, 2800 Mechelen"
SUMMARY = "SAMENVATTING-ZORA-7781"
SECRET_ACTION = "GEHEIM-ACTIE-CLB-5521"
OPEN_ACTION = "OPEN-ACTIE-JEUGDWERK-3310"
SECRET_SIGNAL = "GEHEIM-SIGNAAL-ARTS-9902"
OPEN_SIGNAL = "OPEN-SIGNAAL-SCHOOL-4410"
LOOSE_SIGNAL = "LOSSE-MELDING-ZORA-6620"
FACTOR_NOTE = "FACTOR-ZORA-1209"
SECRET_RECORD = "GEHEIM-BESPREKING-8830"
OPEN_RECORD = "OPEN-BESLISSING-2291"
SHEET = "TERUGKOPPELING-ZORA-4471"
OTHER_NAME = "Bart Anderpersoon"
OTHER_TEXT = "ANDERE-PERSOON-BLIJFT-6006"

PERSON_TRACES = (
    NAME,
    BIRTH.isoformat(),
    ADDRESS,
    SUMMARY,
    SECRET_ACTION,
    OPEN_ACTION,
    SECRET_SIGNAL,
    OPEN_SIGNAL,
    LOOSE_SIGNAL,
    FACTOR_NOTE,
    SECRET_RECORD,
    OPEN_RECORD,
    SHEET,
)


pytestmark = pytest.mark.usefixtures("english")


def base(personas) -> str:
    return f"/cells/{personas.mechelen.pk}/privacy/requests/"


def register(personas, kind: str = RequestKind.ACCESS, **kwargs: Any) -> SubjectRequest:
    values: dict[str, Any] = {
        "cell": personas.mechelen,
        "kind": kind,
        "received_on": timezone.localdate(),
        "subject_name": NAME,
        "subject_birth_date": BIRTH,
        "user": personas.alice,
    }
    values.update(kwargs)
    with scope(cell=personas.mechelen.pk):
        return subject_request_register(**values)


def granted(
    personas, kind: str = RequestKind.ACCESS, decision: str = "granted", **kwargs: Any
) -> SubjectRequest:
    """A request with a verified identity, granted by the mayor (the coordinator, who holds
    the case files, then carries it out: four eyes)."""
    subject = register(personas, kind, identity_verified=True, **kwargs)
    with scope(cell=personas.mechelen.pk):
        subject_request_decide(
            subject=subject,
            decision=decision,
            grounds="Verzoek gegrond.",
            restrictions="" if decision == "granted" else "Art. 17(3)(e) AVG: juridische claim.",
            user=personas.bob,
        )
    return subject


def build_person(personas) -> dict[str, Any]:
    """Zora's file: a case with signals (one marked secret), participants, actions (one
    marked secret), factors, a meeting record (one marked secret), a feedback sheet and a
    carry-over; a loose signal about her; and another person's case and signal."""
    cell, alice = personas.mechelen, personas.alice
    today = timezone.localdate()
    with scope(cell=cell.pk):
        caw = Organisation.objects.get(name="CAW Boom Mechelen Lier")
        secret_signal = signal_submit(
            cell=cell,
            submitted_by=personas.pim,
            received_on=today - datetime.timedelta(days=20),
            category="ideology",
            description=SECRET_SIGNAL,
            professional_secret=True,
            person_name=NAME,
            person_birth_date=BIRTH,
        )
        open_signal = signal_submit(
            cell=cell,
            submitted_by=personas.pim,
            received_on=today - datetime.timedelta(days=19),
            category="online",
            description=OPEN_SIGNAL,
            person_name=NAME,
            person_birth_date=BIRTH,
        )
        loose = signal_submit(
            cell=cell,
            submitted_by=personas.pim,
            received_on=today - datetime.timedelta(days=2),
            category="contacts",
            description=LOOSE_SIGNAL,
            # Written differently: case and accents must not hide her.
            person_name="  zora VANDERVÉLDE-kwartel ",
            person_birth_date=BIRTH,
        )
        case = case_open(
            cell=cell,
            person_name=NAME,
            person_birth_date=BIRTH,
            person_address=ADDRESS,
            is_minor=True,
            summary=SUMMARY,
            signals=[secret_signal, open_signal],
            opened_by=alice,
        )
        participant_add(case=case, reason="Begeleiding", user=alice, organisation=caw)
        secret_action = action_add(
            case=case,
            owner=caw,
            description=SECRET_ACTION,
            due_date=today + datetime.timedelta(days=30),
            professional_secret=True,
            user=alice,
        )
        action_add(
            case=case,
            owner=caw,
            description=OPEN_ACTION,
            due_date=today + datetime.timedelta(days=40),
            user=alice,
        )
        factors_set(case=case, items={("family", "protective"): FACTOR_NOTE}, user=alice)
        start = timezone.now() + datetime.timedelta(days=3)
        meeting = meeting_create(
            cell=cell,
            kind="case",
            title="Casusoverleg",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            chair=alice,
            created_by=alice,
        )
        agenda_propose(meeting=meeting, user=alice)
        item = AgendaItem.objects.get(meeting=meeting, case=case)
        item_record(
            item=item,
            summary=SECRET_RECORD,
            decisions="",
            next_review=None,
            professional_secret=True,
            user=alice,
        )
        sheet_save(item=item, text=SHEET, user=alice)
        carry_over(item=item, action=secret_action, reason="in_progress", user=alice)
        start2 = start + datetime.timedelta(days=30)
        meeting2 = meeting_create(
            cell=cell,
            kind="case",
            title="Casusoverleg 2",
            starts_at=start2,
            ends_at=start2 + datetime.timedelta(hours=2),
            chair=alice,
            created_by=alice,
        )
        item2 = AgendaItem.objects.create(
            cell=cell, meeting=meeting2, kind="review", case=case, position=1
        )
        item_record(item=item2, summary="", decisions=OPEN_RECORD, next_review=None, user=alice)
        other_signal = signal_submit(
            cell=cell,
            submitted_by=personas.pim,
            received_on=today - datetime.timedelta(days=5),
            category="violence",
            description=OTHER_TEXT,
            person_name=OTHER_NAME,
            person_birth_date=datetime.date(2008, 1, 1),
        )
        other_case = case_open(
            cell=cell,
            person_name=OTHER_NAME,
            person_birth_date=datetime.date(2008, 1, 1),
            summary=OTHER_TEXT,
            signals=[other_signal],
            opened_by=alice,
        )
    return {"case": case, "loose": loose, "other_case": other_case, "meeting": meeting}


class TestRegister:
    def test_it_registers_a_request_with_a_one_month_deadline(self, personas, dpo, client):
        sign_in(client, dpo)
        received = timezone.localdate() - datetime.timedelta(days=3)
        response = client.post(
            base(personas) + "new/",
            {
                "kind": "access",
                "received_on": received.isoformat(),
                "subject_name": NAME,
                "subject_birth_date": BIRTH.isoformat(),
                "request_text": "Wil weten wat er over haar bijgehouden wordt.",
                "identity_verified": "on",
            },
        )
        assert response.status_code == 302
        with scope(cell=personas.mechelen.pk):
            subject = SubjectRequest.objects.get()
        assert subject.deadline == add_months(received, 1)
        assert subject.subject_name == NAME and subject.identity_verified
        assert subject.registered_by == dpo
        page = client.get(response["Location"]).content.decode()
        assert NAME in page and "days left" in page

    def test_the_name_is_encrypted_at_rest(self, personas):
        subject = register(personas)
        with scopes_disabled():
            raw = SubjectRequest.objects.filter(pk=subject.pk).values_list(
                "subject_name", "subject_birth_date", flat=False
            )[0]
        for value in raw:
            assert NAME.encode() not in bytes(value)
            assert BIRTH.isoformat().encode() not in bytes(value)

    def test_bad_input_is_refused_and_nothing_is_stored(self, personas, dpo, client):
        sign_in(client, dpo)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        for data in (
            {"kind": "access", "received_on": "", "subject_name": NAME},
            {"kind": "nonsense", "received_on": "2026-01-01", "subject_name": NAME},
            {
                "kind": "access",
                "received_on": tomorrow.isoformat(),
                "subject_name": NAME,
                "subject_birth_date": BIRTH.isoformat(),
            },
            {
                "kind": "erasure",
                "received_on": "2026-01-01",
                "subject_name": "",
                "subject_birth_date": BIRTH.isoformat(),
            },
        ):
            response = client.post(base(personas) + "new/", data)
            assert response.status_code == 400, data
        with scopes_disabled():
            assert not SubjectRequest.objects.exists()

    def test_the_register_lists_open_requests_first_and_flags_late_ones(
        self, personas, dpo, client
    ):
        today = timezone.localdate()
        late = register(personas, received_on=today - datetime.timedelta(days=45))
        fresh = register(personas, kind=RequestKind.OBJECTION, received_on=today)
        done = register(personas, kind=RequestKind.RECTIFICATION, received_on=today)
        with scope(cell=personas.mechelen.pk):
            subject_request_decide(
                subject=done, decision="granted", grounds="Adres gecorrigeerd.", user=dpo
            )
        sign_in(client, dpo)
        page = client.get(base(personas)).content.decode()
        positions = [page.index(f"requests/{s.pk}/") for s in (late, fresh, done)]
        assert positions == sorted(positions)
        assert "days late" in page
        office = client.get(f"/cells/{personas.mechelen.pk}/privacy/").content.decode()
        assert base(personas) in office

    def test_the_empty_register_says_so(self, personas, dpo, client):
        sign_in(client, dpo)
        page = client.get(base(personas))
        assert page.status_code == 200
        assert "requests/new/" in page.content.decode()


class TestDeadline:
    def test_an_extension_needs_a_reason_and_at_most_two_more_months(self, personas):
        received = timezone.localdate() - datetime.timedelta(days=10)
        subject = register(personas, received_on=received)
        with scope(cell=personas.mechelen.pk):
            with pytest.raises(ValidationError, match="reason"):
                subject_request_extend(
                    subject=subject,
                    until=add_months(received, 2),
                    reason=" ",
                    user=personas.alice,
                )
            with pytest.raises(ValidationError, match="at the latest"):
                subject_request_extend(
                    subject=subject,
                    until=add_months(received, 3) + datetime.timedelta(days=1),
                    reason="Complex",
                    user=personas.alice,
                )
            subject_request_extend(
                subject=subject,
                until=add_months(received, 3),
                reason="Veel dossiers te doorzoeken.",
                user=personas.alice,
            )
            subject.refresh_from_db()
            assert subject.deadline == add_months(received, 3)
            assert subject.extension_reason == "Veel dossiers te doorzoeken."
            with pytest.raises(ValidationError, match="already extended"):
                subject_request_extend(
                    subject=subject,
                    until=add_months(received, 2),
                    reason="Nog eens",
                    user=personas.alice,
                )

    def test_an_extension_must_be_announced_within_the_first_month(self, personas):
        received = timezone.localdate() - datetime.timedelta(days=40)
        subject = register(personas, received_on=received)
        with scope(cell=personas.mechelen.pk), pytest.raises(ValidationError, match="first month"):
            subject_request_extend(
                subject=subject,
                until=add_months(received, 2),
                reason="Te laat",
                user=personas.alice,
            )
        assert subject.is_overdue(timezone.localdate())

    def test_a_bad_extension_through_the_page_shows_the_error_and_changes_nothing(
        self, personas, dpo, client
    ):
        subject = register(personas)
        sign_in(client, dpo)
        response = client.post(
            base(personas) + f"{subject.pk}/extend/", {"until": "2099-01-01", "reason": "x"}
        )
        assert response.status_code == 400
        assert "at the latest" in response.content.decode()
        with scope(cell=personas.mechelen.pk):
            assert SubjectRequest.objects.get().extended_until is None


class TestDecision:
    def test_a_refusal_needs_the_restriction_and_its_legal_basis(self, personas, dpo, client):
        subject = register(personas)
        sign_in(client, dpo)
        url = base(personas) + f"{subject.pk}/decide/"
        response = client.post(url, {"decision": "refused", "grounds": "Lopend onderzoek."})
        assert response.status_code == 400
        with scope(cell=personas.mechelen.pk):
            assert not SubjectRequest.objects.get().is_decided
        response = client.post(
            url,
            {
                "decision": "refused",
                "grounds": "Lopend onderzoek.",
                "restrictions": "Inzage beperkt, art. 23 AVG en art. 11 WVG.",
            },
        )
        assert response.status_code == 302
        with scope(cell=personas.mechelen.pk):
            subject = SubjectRequest.objects.get()
        assert subject.decision == "refused" and subject.decided_by == dpo
        assert "art. 23" in subject.restrictions
        event = AuditEvent.objects.get(action="privacy.subject_request.decided")
        assert event.data == {"decision": "refused", "restricted": True, "amended": False}
        # Amending a decision needs the same: grounds (and a restriction unless granted).
        assert client.post(url, {"decision": "partly", "grounds": "x"}).status_code == 400

    def test_every_step_is_audited_without_the_persons_identity(self, personas, dpo, client):
        build_person(personas)
        subject = granted(personas)
        sign_in(client, personas.alice)
        client.get(base(personas))
        client.get(base(personas) + f"{subject.pk}/")
        client.get(base(personas) + f"{subject.pk}/export.json")
        erasure = granted(personas, RequestKind.ERASURE)
        client.post(base(personas) + f"{erasure.pk}/erase/")
        actions = set(
            AuditEvent.objects.filter(action__startswith="privacy.subject_request").values_list(
                "action", flat=True
            )
        )
        assert actions == {
            "privacy.subject_request.registered",
            "privacy.subject_request.decided",
            "privacy.subject_request.listed",
            "privacy.subject_request.viewed",
            "privacy.subject_request.exported",
            "privacy.subject_request.erased",
        }
        for event in AuditEvent.objects.all():
            text = json.dumps(event.data)
            for trace in PERSON_TRACES:
                assert trace not in text, (event.action, trace)


class TestAccessExport:
    def test_it_exports_the_persons_data_without_other_professionals_secrets(
        self, personas, client
    ):
        build_person(personas)
        subject = granted(personas)
        sign_in(client, personas.alice)
        response = client.get(base(personas) + f"{subject.pk}/export.json")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        text = response.content.decode()
        export = json.loads(text)
        for expected in (
            NAME,
            BIRTH.isoformat(),
            ADDRESS,
            SUMMARY,
            OPEN_ACTION,
            OPEN_SIGNAL,
            LOOSE_SIGNAL,
            FACTOR_NOTE,
            OPEN_RECORD,
            "CAW Boom Mechelen Lier",
        ):
            assert expected in text, expected
        for secret in (SECRET_ACTION, SECRET_SIGNAL, SECRET_RECORD, OTHER_NAME, OTHER_TEXT):
            assert secret not in text, secret
        assert export["withheld"] == {"signals": 1, "actions": 1, "discussions": 1}
        assert len(export["cases"]) == 1 and len(export["signals"]) == 1
        event = AuditEvent.objects.get(action="privacy.subject_request.exported")
        assert event.data == {"cases": 1, "signals": 2, "withheld": 3}
        # The case's own access log shows the export too.
        assert AuditEvent.objects.filter(
            action="cases.case.exported", object_id=str(export_case(personas).pk)
        ).exists()

    def test_no_export_before_the_identity_is_verified_and_access_granted(self, personas, client):
        build_person(personas)
        unverified = register(personas)
        refused = granted(personas, decision="refused")
        undecided = register(personas, identity_verified=True)
        with scope(cell=personas.mechelen.pk):
            subject_request_decide(
                subject=unverified, decision="granted", grounds="x", user=personas.bob
            )
        sign_in(client, personas.alice)
        for subject in (unverified, refused, undecided):
            page = client.get(base(personas) + f"{subject.pk}/").content.decode()
            assert "export.json" not in page
            for suffix in ("export.json", "export.pdf"):
                response = client.get(base(personas) + f"{subject.pk}/{suffix}")
                assert response.status_code == 302
        assert not AuditEvent.objects.filter(action="privacy.subject_request.exported").exists()

    def test_the_pdf_export_holds_the_same_data(self, personas, client, monkeypatch):
        from vangnet.privacy import views

        rendered: list[str] = []

        def spy(html: str) -> bytes:  # the real renderer, keeping the HTML it was given
            rendered.append(html)
            return html_to_pdf(html)

        monkeypatch.setattr(views, "html_to_pdf", spy)
        build_person(personas)
        subject = granted(personas)
        sign_in(client, personas.alice)
        response = client.get(base(personas) + f"{subject.pk}/export.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        text = rendered[0]
        for expected in (NAME, SUMMARY, OPEN_ACTION, OPEN_SIGNAL, LOOSE_SIGNAL, OPEN_RECORD):
            assert expected in text, expected
        for secret in (SECRET_ACTION, SECRET_SIGNAL, SECRET_RECORD, OTHER_TEXT):
            assert secret not in text, secret

    def test_a_person_without_data_gets_an_empty_export(self, personas, client):
        subject = granted(personas, subject_name="Niemand Bekend")
        sign_in(client, personas.alice)
        export = client.get(base(personas) + f"{subject.pk}/export.json").json()
        assert export["cases"] == [] and export["signals"] == []

    def test_only_an_access_request_has_an_export(self, personas, client):
        subject = granted(personas, kind=RequestKind.OBJECTION)
        sign_in(client, personas.alice)
        response = client.get(base(personas) + f"{subject.pk}/export.json")
        assert response.status_code == 302
        assert not AuditEvent.objects.filter(action="privacy.subject_request.exported").exists()

    def test_the_dpo_and_mayor_register_but_do_not_compile_the_export(self, personas, dpo, client):
        data = build_person(personas)
        subject = granted(personas)
        for user in (dpo, personas.bob):
            sign_in(client, user)
            for suffix in ("export.json", "export.pdf"):
                assert client.get(base(personas) + f"{subject.pk}/{suffix}").status_code == 403
            page = client.get(base(personas) + f"{subject.pk}/").content.decode()
            # The detail page never tells the DPO or the mayor which cases the person has.
            assert data["case"].code not in page and SUMMARY not in page

    def test_the_coordinator_sees_the_persons_case_codes(self, personas, client):
        data = build_person(personas)
        subject = granted(personas)
        sign_in(client, personas.alice)
        page = client.get(base(personas) + f"{subject.pk}/").content.decode()
        assert data["case"].code in page and data["other_case"].code not in page


class TestAccess:
    def test_other_members_are_forbidden(self, personas, client):
        subject = register(personas)
        sign_in(client, personas.pim)
        for suffix in ("", f"{subject.pk}/", f"{subject.pk}/export.json", "new/"):
            assert client.get(base(personas) + suffix).status_code == 403, suffix

    def test_another_cell_and_outsiders_get_404(self, personas, client):
        subject = register(personas)
        for user in (personas.walter, personas.olaf, personas.vera):
            sign_in(client, user)
            for suffix in ("", f"{subject.pk}/", f"{subject.pk}/export.json"):
                assert client.get(base(personas) + suffix).status_code == 404, (user, suffix)
            assert client.post(base(personas) + f"{subject.pk}/erase/").status_code == 404

    def test_a_request_of_another_cell_is_not_found_in_ones_own(self, personas, client):
        subject = register(personas)
        sign_in(client, personas.walter)
        own = f"/cells/{personas.wingene.pk}/privacy/requests/{subject.pk}/"
        assert client.get(own).status_code == 404
        assert client.get(own + "export.json").status_code == 404
        assert client.post(own + "erase/").status_code == 404


def export_case(personas) -> Case:
    with scope(cell=personas.mechelen.pk):
        return next(c for c in Case.objects.all() if c.person_name == NAME)


def _all_stored_text(*, exclude: tuple[type[Any], ...] = ()) -> str:
    """Every value of every row of every model, encrypted fields decrypted, as one text."""
    parts: list[str] = []
    with scopes_disabled():
        for model in apps.get_models():
            if issubclass(model, exclude):
                continue
            fields = [f for f in model._meta.concrete_fields]
            for obj in model._base_manager.all():
                for f in fields:
                    value = getattr(obj, f.name if isinstance(f, EncryptedTextField) else f.attname)
                    if value is not None:
                        parts.append(str(value))
    return "\n".join(parts)


def _all_files_bytes() -> bytes:
    root = Path(settings.MEDIA_ROOT)
    return (
        b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file()) if root.exists() else b""
    )


class TestErasure:
    def test_an_erasure_leaves_no_trace_of_the_person(self, personas, client):
        data = build_person(personas)
        case = data["case"]
        index = case.identity_index
        assert index
        with scope(cell=personas.mechelen.pk):
            ids = {
                Case: [case.pk],
                Participant: list(
                    Participant.objects.filter(case=case).values_list("pk", flat=True)
                ),
                Action: list(Action.objects.filter(case=case).values_list("pk", flat=True)),
                Factor: list(Factor.objects.filter(case=case).values_list("pk", flat=True)),
                AgendaItem: list(AgendaItem.objects.filter(case=case).values_list("pk", flat=True)),
                FeedbackSheet: list(
                    FeedbackSheet.objects.filter(item__case=case).values_list("pk", flat=True)
                ),
                CarryOver: list(
                    CarryOver.objects.filter(item__case=case).values_list("pk", flat=True)
                ),
                Signal: [
                    *Signal.objects.filter(case=case).values_list("pk", flat=True),
                    data["loose"].pk,
                ],
            }
        assert all(ids.values())
        # An earlier access request of the same person names her too.
        earlier = granted(personas, request_text=f"Inzage voor {NAME}")
        sign_in(client, personas.alice)
        assert client.get(base(personas) + f"{earlier.pk}/export.pdf").status_code == 200
        before = _all_stored_text()
        for trace in (*PERSON_TRACES, index):
            assert trace in before, trace  # the check below can fail

        subject = granted(personas, RequestKind.ERASURE, request_text=f"{NAME} wil gewist worden")
        response = client.post(base(personas) + f"{subject.pk}/erase/")
        assert response.status_code == 302

        with scopes_disabled():
            for model, pks in ids.items():
                assert not model._base_manager.filter(pk__in=pks).exists(), model
        after = _all_stored_text()
        for trace in (*PERSON_TRACES, index):
            assert trace not in after, trace
        # Not even the case's id, except in the append-only audit chain, which holds ids and
        # counts, never content (the events of the case stay, as for a retention purge).
        assert str(case.pk) not in _all_stored_text(exclude=(AuditEvent,))
        # Nothing about her was ever written to storage (exports are built on request).
        media = Path(settings.MEDIA_ROOT)
        assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
        # Search and blind index: the case search finds nothing any more.
        with scope(cell=personas.mechelen.pk):
            assert case_find(cell=personas.mechelen, name=NAME, birth_date=BIRTH) is None
        found = client.post(
            f"/cells/{personas.mechelen.pk}/cases/find/",
            {"name": NAME, "birth_date": BIRTH.isoformat()},
        )
        assert found.status_code == 200
        assert AuditEvent.objects.filter(action="cases.case.searched").last().data == {
            "found": False
        }
        # The other person is untouched; the register keeps counts, not the person.
        assert OTHER_TEXT in after and OTHER_NAME in after
        with scope(cell=personas.mechelen.pk):
            subject.refresh_from_db()
            earlier.refresh_from_db()
        assert (subject.erased_cases, subject.erased_signals, subject.kept_cases) == (1, 3, 0)
        assert subject.decision == "granted" and subject.erased_at
        assert earlier.subject_name == "" and earlier.request_text == ""
        purge = AuditEvent.objects.get(action="cases.purge.completed")
        assert purge.data == {"cases": 1, "signals": 3, "reason": "erasure_request"}
        page = client.get(base(personas) + f"{subject.pk}/").content.decode()
        assert NAME not in page

    def test_the_search_finds_the_person_before_an_erasure(self, personas, client):
        build_person(personas)
        sign_in(client, personas.alice)
        client.post(
            f"/cells/{personas.mechelen.pk}/cases/find/",
            {"name": NAME, "birth_date": BIRTH.isoformat()},
        )
        assert AuditEvent.objects.filter(action="cases.case.searched").last().data == {
            "found": True
        }

    def test_records_under_the_name_alone_are_erased_only_once_confirmed(self, personas, client):
        build_person(personas)
        with scope(cell=personas.mechelen.pk):
            nameless_case = case_open(
                cell=personas.mechelen,
                person_name=NAME.upper(),
                person_birth_date=None,
                opened_by=personas.alice,
            )
            nameless_signal = signal_submit(
                cell=personas.mechelen,
                submitted_by=personas.pim,
                received_on=timezone.localdate(),
                category="online",
                person_name=NAME,
            )
            variant = case_open(
                cell=personas.mechelen,
                person_name="Zora Vandervelde",
                person_birth_date=BIRTH,
                opened_by=personas.alice,
            )
        subject = granted(personas, RequestKind.ERASURE)
        sign_in(client, personas.alice)
        page = client.get(base(personas) + f"{subject.pk}/").content.decode()
        assert str(nameless_case.pk) in page and str(nameless_signal.pk) in page
        # A bad pick changes nothing.
        client.post(base(personas) + f"{subject.pk}/confirm/", {"record": [str(variant.pk)]})
        client.post(base(personas) + f"{subject.pk}/confirm/", {"case_code": "1999-999"})
        with scope(cell=personas.mechelen.pk):
            assert SubjectRequest.objects.get(pk=subject.pk).confirmed_ids == []
        client.post(
            base(personas) + f"{subject.pk}/confirm/",
            {"record": [str(nameless_case.pk)], "case_code": variant.code},
        )
        client.post(base(personas) + f"{subject.pk}/erase/")
        with scopes_disabled():
            assert not Case.objects.filter(pk__in=[nameless_case.pk, variant.pk]).exists()
            # Not confirmed: kept, it may be someone else with the same name.
            assert Signal.objects.filter(pk=nameless_signal.pk).exists()
        assert AuditEvent.objects.filter(action="privacy.subject_request.confirmed").count() == 1

    def test_a_legal_hold_stops_a_full_erasure_and_nothing_is_deleted(self, personas, client):
        data = build_person(personas)
        with scope(cell=personas.mechelen.pk):
            case_close(case=data["case"], reason="unfounded", outcome="", user=personas.alice)
            legal_hold_set(
                case=data["case"],
                hold=True,
                reason="Gerechtelijk onderzoek",
                review_on=timezone.localdate() + datetime.timedelta(days=90),
                user=personas.alice,
            )
        subject = granted(personas, RequestKind.ERASURE)
        sign_in(client, personas.alice)
        response = client.post(base(personas) + f"{subject.pk}/erase/", follow=True)
        assert data["case"].code in response.content.decode()
        with scopes_disabled():
            assert Case.objects.filter(pk=data["case"].pk).exists()
            assert Signal.objects.filter(pk=data["loose"].pk).exists()
            assert SubjectRequest.objects.get(pk=subject.pk).erased_at is None

        # Amended to "partly granted" (the hold as ground), everything else goes.
        sign_in(client, personas.bob)
        client.post(
            base(personas) + f"{subject.pk}/decide/",
            {
                "identity_verified": "on",
                "decision": "partly",
                "grounds": "Wissen behalve het dossier onder gerechtelijke bewaring.",
                "restrictions": "Art. 17(3)(e) AVG.",
            },
        )
        assert (
            AuditEvent.objects.filter(action="privacy.subject_request.decided")
            .last()
            .data["amended"]
        )
        sign_in(client, personas.alice)
        client.post(base(personas) + f"{subject.pk}/erase/")
        with scopes_disabled():
            assert Case.objects.filter(pk=data["case"].pk).exists()
            assert not Signal.objects.filter(pk=data["loose"].pk).exists()
            subject = SubjectRequest.objects.get(pk=subject.pk)
        assert (subject.erased_cases, subject.erased_signals, subject.kept_cases) == (0, 1, 1)

    def test_an_erasure_needs_a_granting_decision_by_someone_else(self, personas, dpo, client):
        data = build_person(personas)
        subject = register(personas, kind=RequestKind.ERASURE, identity_verified=True)
        sign_in(client, personas.alice)
        client.post(base(personas) + f"{subject.pk}/erase/")
        with scope(cell=personas.mechelen.pk):
            subject_request_decide(
                subject=subject, decision="granted", grounds="x", user=personas.alice
            )
        page = client.get(base(personas) + f"{subject.pk}/").content.decode()
        assert "/erase/" not in page
        response = client.post(base(personas) + f"{subject.pk}/erase/", follow=True)
        assert "Four eyes" in response.content.decode()
        with scopes_disabled():
            assert Case.objects.filter(pk=data["case"].pk).exists()
        # The DPO decides but cannot press the button: the coordinator holds the files.
        sign_in(client, dpo)
        assert client.post(base(personas) + f"{subject.pk}/erase/").status_code == 403

    def test_an_erasure_runs_once(self, personas, client):
        build_person(personas)
        subject = granted(personas, RequestKind.ERASURE)
        sign_in(client, personas.alice)
        client.post(base(personas) + f"{subject.pk}/erase/")
        client.post(base(personas) + f"{subject.pk}/erase/")
        with scopes_disabled():
            subject = SubjectRequest.objects.get(pk=subject.pk)
        assert (subject.erased_cases, subject.erased_signals) == (1, 3)
        assert AuditEvent.objects.filter(action="privacy.subject_request.erased").count() == 1
        with scope(cell=personas.mechelen.pk), pytest.raises(ValidationError):
            subject_request_decide(
                subject=subject,
                decision="refused",
                grounds="x",
                restrictions="y",
                user=personas.bob,
            )

    def test_an_access_request_never_erases(self, personas, client):
        data = build_person(personas)
        subject = granted(personas)
        sign_in(client, personas.alice)
        client.post(base(personas) + f"{subject.pk}/erase/")
        with scopes_disabled():
            assert Case.objects.filter(pk=data["case"].pk).exists()


class TestMarking:
    def test_a_coordinator_marks_an_action_as_another_professionals_secret(self, personas, client):
        with scope(cell=personas.mechelen.pk):
            case = case_open(
                cell=personas.mechelen,
                person_name=NAME,
                person_birth_date=BIRTH,
                opened_by=personas.alice,
            )
            caw = Organisation.objects.get(name="CAW Boom Mechelen Lier")
        sign_in(client, personas.alice)
        response = client.post(
            f"/cells/{personas.mechelen.pk}/cases/{case.pk}/actions/add/",
            {
                "owner": caw.pk,
                "description": SECRET_ACTION,
                "due_date": (timezone.localdate() + datetime.timedelta(days=9)).isoformat(),
                "professional_secret": "on",
            },
        )
        assert response.status_code == 302
        with scope(cell=personas.mechelen.pk):
            assert Action.objects.get(case=case).professional_secret
