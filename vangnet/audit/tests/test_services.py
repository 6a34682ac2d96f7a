from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction
from django.test import RequestFactory

from vangnet.audit.models import GENESIS_HASH, AuditEvent
from vangnet.audit.services import VerifyResult, audit_record, audit_verify, compute_hash

from .helpers import tamper

pytestmark = pytest.mark.django_db


def _user() -> SimpleNamespace:
    return SimpleNamespace(pk=uuid.uuid4(), is_authenticated=True)


def _chain(count: int) -> list[AuditEvent]:
    return [audit_record(action="tests.event.recorded", data={"n": n}) for n in range(count)]


class TestAuditRecord:
    def test_it_records_the_first_event_against_the_genesis_hash(self) -> None:
        event = audit_record(action="accounts.login.succeeded")

        stored = AuditEvent.objects.get()
        assert stored.position == event.position == 1
        assert stored.prev_hash == GENESIS_HASH
        assert stored.hash == event.hash == compute_hash(stored)
        assert len(stored.hash) == 64

    def test_it_links_each_event_to_the_previous_one(self) -> None:
        first, second, third = _chain(3)

        assert [first.position, second.position, third.position] == [1, 2, 3]
        assert second.prev_hash == first.hash
        assert third.prev_hash == second.hash
        assert len({first.hash, second.hash, third.hash}) == 3

    def test_it_takes_the_actor_and_request_id_from_the_request(self) -> None:
        user = _user()
        request = RequestFactory().get("/")
        request.user = user  # type: ignore[assignment]
        request.request_id = "req-123"  # type: ignore[attr-defined]

        event = audit_record(action="cells.cell.viewed", request=request, role="coordinator")

        assert event.actor_id == str(user.pk)
        assert event.actor_role == "coordinator"
        assert event.request_id == "req-123"

    def test_it_prefers_an_explicit_actor_and_ignores_anonymous_users(self) -> None:
        request = RequestFactory().get("/")
        request.user = AnonymousUser()

        anonymous = audit_record(action="accounts.login.failed", request=request)
        explicit = audit_record(action="accounts.user.created", request=request, actor=_user())

        assert anonymous.actor_id == ""
        assert anonymous.request_id == ""
        assert explicit.actor_id != ""

    def test_it_fills_the_object_from_a_target_model(self) -> None:
        group = Group.objects.create(name="x")

        event = audit_record(action="tests.group.changed", target=group)

        assert event.object_type == "auth.group"
        assert event.object_id == str(group.pk)

    def test_it_accepts_a_cell_object_or_uuid(self) -> None:
        cell_id = uuid.uuid4()

        from_object = audit_record(action="cells.cell.viewed", cell=SimpleNamespace(pk=cell_id))  # type: ignore[arg-type]
        from_uuid = audit_record(action="cells.cell.viewed", cell=cell_id)

        assert AuditEvent.objects.get(position=from_object.position).cell_id == cell_id
        assert from_uuid.cell_id == cell_id

    def test_it_stores_occurred_at_in_utc(self) -> None:
        event = audit_record(action="tests.event.recorded")

        stored = AuditEvent.objects.get(position=event.position)
        assert stored.occurred_at.utcoffset() == dt.timedelta(0)
        assert stored.occurred_at == event.occurred_at

    def test_it_stores_data_exactly_as_it_was_hashed(self) -> None:
        audit_record(
            action="tests.event.recorded",
            data={"b": (1, 2), "a": {"nested": [True, None, "é"]}},
        )

        stored = AuditEvent.objects.get()
        assert stored.data == {"a": {"nested": [True, None, "é"]}, "b": [1, 2]}
        assert compute_hash(stored) == stored.hash

    @pytest.mark.parametrize(
        "action",
        [
            "",
            "login",
            "accounts.login",
            "Accounts.login.ok",
            "accounts..login",
            "a.b.c.",
            "a.b c.d",
        ],
    )
    def test_it_rejects_invalid_action_codes(self, action: str) -> None:
        with pytest.raises(ValueError, match="invalid audit action"):
            audit_record(action=action)
        assert not AuditEvent.objects.exists()

    @pytest.mark.parametrize(
        "data", [{"ratio": 0.5}, {1: "x"}, {"when": dt.date(2025, 1, 1)}, {"s": "a\x00b"}]
    )
    def test_it_rejects_data_that_would_not_round_trip(self, data: dict) -> None:
        with pytest.raises(ValueError, match="audit data"):
            audit_record(action="tests.event.recorded", data=data)

    def test_it_rejects_fields_that_are_too_long(self) -> None:
        with pytest.raises(ValueError, match="invalid audit event"):
            audit_record(action="tests.event.recorded", object_type="x" * 101)

    def test_it_truncates_an_overlong_request_id(self) -> None:
        request = RequestFactory().get("/")
        request.request_id = "r" * 200  # type: ignore[attr-defined]

        event = audit_record(action="tests.event.recorded", request=request)

        assert event.request_id == "r" * 64

    def test_it_keeps_the_chain_consistent_when_the_caller_rolls_back(self) -> None:
        audit_record(action="tests.event.recorded")
        with pytest.raises(RuntimeError), transaction.atomic():
            audit_record(action="tests.event.rolled_back")
            raise RuntimeError
        last = audit_record(action="tests.event.recorded")

        assert last.position == 2
        assert audit_verify().ok


class TestAuditVerify:
    def test_it_accepts_an_empty_log(self) -> None:
        assert audit_verify() == VerifyResult(ok=True, checked=0)

    def test_it_accepts_an_intact_chain(self) -> None:
        _chain(5)

        result = audit_verify()

        assert result.ok
        assert result.checked == 5
        assert result.first_broken_position is None

    def test_it_detects_a_changed_field(self) -> None:
        _chain(4)
        tamper("UPDATE audit_auditevent SET object_id = %s WHERE position = %s", ["evil", 2])

        result = audit_verify()

        assert not result.ok
        assert result.first_broken_position == 2
        assert result.checked == 1
        assert "hash does not match" in result.reason

    def test_it_detects_a_changed_row_whose_hash_was_recomputed(self) -> None:
        events = _chain(4)
        forged = AuditEvent.objects.get(position=2)
        forged.action = "tests.event.forged"
        tamper(
            "UPDATE audit_auditevent SET action = %s, hash = %s WHERE position = %s",
            [forged.action, compute_hash(forged), 2],
        )

        result = audit_verify()

        assert events[2].position == 3
        assert not result.ok
        assert result.first_broken_position == 3
        assert "prev_hash does not match the hash of event 2" in result.reason

    def test_it_detects_a_deleted_middle_event(self) -> None:
        _chain(5)
        tamper("DELETE FROM audit_auditevent WHERE position = %s", [3])

        result = audit_verify()

        assert not result.ok
        assert result.first_broken_position == 3
        assert result.reason == "event 3 is missing"

    def test_it_detects_deleted_first_events(self) -> None:
        _chain(4)
        tamper("DELETE FROM audit_auditevent WHERE position <= %s", [2])

        result = audit_verify()

        assert result.first_broken_position == 1
        assert result.reason == "events 1 to 2 are missing"

    def test_it_detects_a_forged_genesis(self) -> None:
        _chain(2)
        tamper("UPDATE audit_auditevent SET prev_hash = %s WHERE position = %s", ["f" * 64, 1])

        result = audit_verify()

        assert result.first_broken_position == 1
        assert "genesis" in result.reason


def test_the_canonical_text_is_what_json_dumps_gives() -> None:
    import json

    from vangnet.audit.services import _dumps

    values = [
        {"b": 1, "a": [1.5, None, True], "é": "ü\u2028", "nested": {"z": "x", "y": []}},
        {"action": "cases.case.viewed", "position": 10**12, "data": {}},
        [],
        "plain",
    ]
    for value in values:
        expected = json.dumps(
            value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
        )
        assert _dumps(value) == expected
    with pytest.raises(ValueError):
        _dumps({"x": float("nan")})
