"""A prepared query gives what its queryset gives, with each call's values and the current cell."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from vangnet.cases.models import Action, Case, Participant
from vangnet.cases.services import action_add, case_open, participant_add
from vangnet.lib.prepared import PreparedQuery, PreparedQueryError
from vangnet.meetings.models import AgendaItem
from vangnet.network.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(personas):
    """Two cases in Mechelen (one with a participant and an action), one in Wingene."""
    with scope(cell=personas.mechelen.pk):
        caw = Organisation.objects.get()
        first = case_open(
            cell=personas.mechelen,
            person_name="Eerste Fictief",
            person_birth_date=None,
            opened_by=personas.alice,
        )
        participant_add(case=first, organisation=caw, reason="Begeleiding", user=personas.alice)
        action_add(
            case=first,
            owner=caw,
            description="Gesprek",
            due_date=datetime.date(2027, 1, 15),
            user=personas.alice,
        )
        second = case_open(
            cell=personas.mechelen,
            person_name="Tweede Fictief",
            person_birth_date=None,
            opened_by=personas.alice,
        )
    with scope(cell=personas.wingene.pk):
        elsewhere = case_open(
            cell=personas.wingene,
            person_name="Elders Fictief",
            person_birth_date=None,
            opened_by=personas.walter,
        )
    return personas, first, second, elsewhere


def test_it_returns_what_the_queryset_returns_with_related_rows(cases):
    personas, first, _second, _elsewhere = cases

    def build(case_id):
        return Participant.objects.filter(case_id=case_id).select_related(
            "organisation", "user", "until_action"
        )

    prepared = PreparedQuery[Participant](build)
    with scope(cell=personas.mechelen.pk):
        expected = list(build(first.pk))
        for _ in range(2):  # compiled, then from what was compiled
            rows = prepared(case_id=first.pk)
            assert [row.pk for row in rows] == [row.pk for row in expected]
            assert rows[0].organisation.name == expected[0].organisation.name
            assert rows[0].reason == "Begeleiding"  # decrypted as usual
            assert not rows[0]._state.adding


def test_each_call_gets_its_own_values(cases):
    personas, first, second, _elsewhere = cases
    prepared = PreparedQuery[Case](lambda case_id: Case.objects.filter(pk=case_id))
    with scope(cell=personas.mechelen.pk):
        assert [c.person_name for c in prepared(case_id=first.pk)] == ["Eerste Fictief"]
        assert [c.person_name for c in prepared(case_id=second.pk)] == ["Tweede Fictief"]
        assert prepared(case_id=uuid.uuid4()) == []


def test_the_current_cell_goes_into_the_compiled_query(cases):
    personas, first, second, elsewhere = cases
    prepared = PreparedQuery[Case](lambda case_id: Case.objects.filter(pk=case_id))
    every = PreparedQuery[uuid.UUID](lambda: Case.objects.values_list("pk", flat=True))
    with scope(cell=personas.mechelen.pk):
        assert set(every()) == {first.pk, second.pk}
        assert prepared(case_id=elsewhere.pk) == []
    with scope(cell=personas.wingene.pk):
        assert set(every()) == {elsewhere.pk}
        assert prepared(case_id=first.pk) == []
        assert [c.pk for c in prepared(case_id=elsewhere.pk)] == [elsewhere.pk]
    with scopes_disabled():
        assert set(every()) == {first.pk, second.pk, elsewhere.pk}
    with scope(cell=personas.mechelen.pk):
        assert set(every()) == {first.pk, second.pk}


def test_it_gives_tuples_and_single_values_for_values_list(cases):
    personas, first, second, _elsewhere = cases
    pairs = PreparedQuery[tuple[str, str]](
        lambda: Case.objects.order_by("code").values_list("code", "status")
    )
    with scope(cell=personas.mechelen.pk):
        assert pairs() == [(first.code, "open"), (second.code, "open")]


def test_it_prefetches_what_the_queryset_prefetches(cases):
    personas, first, _second, _elsewhere = cases
    prepared = PreparedQuery[Case](
        lambda case_id: Case.objects.filter(pk=case_id).prefetch_related("actions")
    )
    with scope(cell=personas.mechelen.pk):
        (case,) = prepared(case_id=first.pk)
        with CaptureQueriesContext(connection) as captured:
            assert [a.description for a in case.actions.all()] == ["Gesprek"]
        assert len(captured.captured_queries) == 0


def test_it_runs_one_query_per_call(cases):
    personas, first, _second, _elsewhere = cases
    prepared = PreparedQuery[Action](
        lambda case_id: Action.objects.filter(case_id=case_id).select_related("owner")
    )
    with scope(cell=personas.mechelen.pk):
        prepared(case_id=first.pk)
        with CaptureQueriesContext(connection) as captured:
            (action,) = prepared(case_id=first.pk)
            assert action.owner.name
        assert len(captured.captured_queries) == 1


def test_it_refuses_a_date_compiled_into_the_query(cases):
    personas, first, _second, _elsewhere = cases
    prepared = PreparedQuery[Action](
        lambda case_id: Action.objects.filter(case_id=case_id, due_date__lt=datetime.date.today())
    )
    with scope(cell=personas.mechelen.pk), pytest.raises(PreparedQueryError, match="date"):
        prepared(case_id=first.pk)


def test_it_refuses_a_value_inside_a_pattern(cases):
    personas, _first, _second, _elsewhere = cases
    prepared = PreparedQuery[Case](lambda code: Case.objects.filter(code__contains=code))
    with scope(cell=personas.mechelen.pk), pytest.raises(PreparedQueryError, match="pattern"):
        prepared(code="2026")


def test_it_refuses_a_value_that_does_not_reach_the_query(cases):
    personas, _first, _second, _elsewhere = cases
    prepared = PreparedQuery[Case](lambda case_id: Case.objects.all())
    with scope(cell=personas.mechelen.pk), pytest.raises(PreparedQueryError, match="case_id"):
        prepared(case_id=uuid.uuid4())


def test_it_refuses_values_other_than_ids_numbers_and_text(cases):
    personas, _first, _second, _elsewhere = cases
    prepared = PreparedQuery[Case](lambda minor: Case.objects.filter(is_minor=minor))
    with scope(cell=personas.mechelen.pk), pytest.raises(PreparedQueryError, match="bool"):
        prepared(minor=True)


def test_it_refuses_a_related_manager(cases):
    personas, first, _second, _elsewhere = cases
    prepared = PreparedQuery[Participant](lambda case_id: Case(pk=case_id).participants.all())
    with scope(cell=personas.mechelen.pk), pytest.raises(PreparedQueryError, match="related"):
        prepared(case_id=first.pk)


def test_it_refuses_a_build_function_that_uses_its_caller_s_variables():
    status = "open"
    with pytest.raises(PreparedQueryError, match="caller"):
        PreparedQuery[Case](lambda: Case.objects.filter(status=status))


def test_it_refuses_a_scoped_model_outside_its_scope(cases):
    from django_scopes import ScopeError

    _personas, _first, _second, _elsewhere = cases
    # select_related passes django-scopes' guard; running the query would not.
    prepared = PreparedQuery[Case](lambda: Case.objects.select_related("cell"))
    with pytest.raises(ScopeError):
        prepared()


def test_it_refuses_a_prefetch_with_its_own_queryset(cases):
    personas, first, _second, _elsewhere = cases
    prepared = PreparedQuery[Case](
        lambda case_id: Case.objects.filter(pk=case_id).prefetch_related(
            Prefetch("actions", queryset=Action.objects.all())
        )
    )
    with scope(cell=personas.mechelen.pk), pytest.raises(PreparedQueryError, match="Prefetch"):
        prepared(case_id=first.pk)


def test_it_takes_integers_for_ordinary_integer_columns(cases):
    personas, _first, _second, _elsewhere = cases
    prepared = PreparedQuery[AgendaItem](
        lambda position: AgendaItem.objects.filter(position=position)
    )
    with scope(cell=personas.mechelen.pk):
        assert prepared(position=1) == []


def _cases_by_code(status):
    return Case.objects.filter(status=status).order_by("code")


def test_a_prepared_page_gives_what_the_paginator_gives(cases, personas):
    from django.core.paginator import Paginator

    from vangnet.lib.prepared import PreparedPage

    with scope(cell=personas.mechelen.pk):
        for n in range(3):
            case_open(
                cell=personas.mechelen,
                person_name=f"Extra {n} Fictief",
                person_birth_date=None,
                opened_by=personas.alice,
            )
        pages = PreparedPage[Case](_cases_by_code, 2)
        expected = Paginator(_cases_by_code("open"), 2)
        for number in ["1", "2", "3", "4", "x", None, "0"]:
            ours, theirs = pages.get_page(number, status="open"), expected.get_page(number)
            assert ours.number == theirs.number
            assert [c.pk for c in ours] == [c.pk for c in theirs]
            assert ours.paginator.count == 5 and ours.paginator.num_pages == 3
        assert pages.get_page("1", status="closed").object_list == []
    with scope(cell=personas.wingene.pk):
        assert pages.get_page("1", status="open").paginator.count == 1


def test_it_takes_a_date_as_a_value(cases):
    personas, first, _second, _elsewhere = cases
    prepared = PreparedQuery[Action](
        lambda case_id, before: Action.objects.filter(case_id=case_id, due_date__lt=before)
    )
    with scope(cell=personas.mechelen.pk):
        assert len(prepared(case_id=first.pk, before=datetime.date(2027, 1, 16))) == 1
        assert prepared(case_id=first.pk, before=datetime.date(2027, 1, 15)) == []


def _cases_counted_per_status():
    from django.db.models import Count

    return Case.objects.values("status").annotate(n=Count("pk")).order_by("status")


def test_a_prepared_page_refuses_a_grouped_list(cases):
    from vangnet.lib.prepared import PreparedPage

    personas, _first, _second, _elsewhere = cases
    pages = PreparedPage[Case](_cases_counted_per_status, 10)
    with scope(cell=personas.mechelen.pk), pytest.raises(PreparedQueryError, match="grouping"):
        pages.get_page("1")


def _page_of_cases(offset):
    return Case.objects.order_by("code")[offset : offset + 1]


def test_each_variant_compiles_its_own_query_and_the_least_used_go_first(cases, monkeypatch):
    from vangnet.lib import prepared as module

    personas, first, second, _elsewhere = cases
    monkeypatch.setattr(module, "MAX_COMPILED", 2)
    pages = PreparedQuery[Case](_page_of_cases)
    with scope(cell=personas.mechelen.pk):
        assert [c.pk for c in pages(0)] == [first.pk]
        assert [c.pk for c in pages(1)] == [second.pk]
        assert [c.pk for c in pages(True)] == [second.pk]  # True is 1, yet its own entry
        assert [key[0] for key in pages._compiled] == [(("int", 1),), (("bool", True),)]
        pages(1)
        pages(2)
        assert [key[0] for key in pages._compiled] == [(("int", 1),), (("int", 2),)]


def _reaches(value, kind, seen, depth=0):
    """Whether ``value`` refers to an instance of ``kind`` (through containers and objects)."""
    import types

    if isinstance(value, kind):
        return True
    if depth > 8 or id(value) in seen or isinstance(value, type | types.ModuleType):
        return False
    seen.add(id(value))
    if isinstance(value, dict):
        children = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple | set | frozenset):
        children = list(value)
    elif isinstance(value, types.MethodType):
        children = [value.__self__]
    elif hasattr(value, "__dict__") and not callable(value):
        children = list(vars(value).values())
    elif hasattr(value, "__slots__"):
        children = [getattr(value, name, None) for name in value.__slots__]
    else:
        children = []
    return any(_reaches(child, kind, seen, depth + 1) for child in children)


def test_a_compiled_query_keeps_no_connection_alive(cases):
    from django.db.backends.base.base import BaseDatabaseWrapper

    personas, first, _second, _elsewhere = cases
    prepared = PreparedQuery[Participant](
        lambda case_id: Participant.objects.filter(case_id=case_id).select_related("organisation")
    )
    with scope(cell=personas.mechelen.pk):
        assert prepared(case_id=first.pk)
    (compiled,) = prepared._compiled.values()
    assert not _reaches(compiled, BaseDatabaseWrapper, set())


def _state_of(obj):
    """What a test can compare of two instances: every loaded attribute and the state."""
    loaded = {
        name: value
        for name, value in vars(obj).items()
        if name != "_state" and not name.startswith("_")
    }
    return loaded, obj._state.adding, obj._state.db, obj.get_deferred_fields()


@pytest.mark.parametrize("fields", [None, ("id", "cell_id", "person_name", "status")])
def test_its_instances_equal_those_of_from_db_with_all_or_some_fields(cases, fields):
    personas, first, _second, _elsewhere = cases

    def build(only, case_id):
        found = Case.objects.filter(pk=case_id)
        return found.only(*only) if only else found

    prepared = PreparedQuery[Case](build)
    with scope(cell=personas.mechelen.pk):
        expected = list(build(fields, first.pk))
        expected_states = [_state_of(row) for row in expected]
        for _ in range(2):
            rows = prepared(fields, case_id=first.pk)
            assert [_state_of(row) for row in rows] == expected_states
            assert rows[0].person_name == "Eerste Fictief"  # decrypted from the stored bytes
            assert isinstance(vars(rows[0])["person_name"], bytes)
            if fields:  # the rest is deferred and loads on access, as with only()
                assert "summary" in rows[0].get_deferred_fields()
                assert rows[0].summary == expected[0].summary


def test_it_builds_through_init_for_a_model_with_an_init_listener(cases):
    from django.db.models.signals import post_init

    personas, first, _second, _elsewhere = cases
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(listener, sender=Case)
    try:
        prepared = PreparedQuery[Case](lambda case_id: Case.objects.filter(pk=case_id))
        with scope(cell=personas.mechelen.pk):
            rows = prepared(case_id=first.pk)
    finally:
        post_init.disconnect(listener, sender=Case)
    assert seen == [first.pk]
    assert rows[0].person_name == "Eerste Fictief"


def test_it_builds_through_init_once_a_listener_comes_after_compiling(cases):
    from django.db.models.signals import post_init

    personas, first, _second, _elsewhere = cases
    prepared = PreparedQuery[Case](lambda case_id: Case.objects.filter(pk=case_id))
    with scope(cell=personas.mechelen.pk):
        prepared(case_id=first.pk)  # compiled while nobody listens
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(listener, sender=Case)
    try:
        with scope(cell=personas.mechelen.pk):
            prepared(case_id=first.pk)
    finally:
        post_init.disconnect(listener, sender=Case)
    assert seen == [first.pk]


def test_a_built_instance_saves_and_refreshes_as_any_other(cases):
    personas, first, _second, _elsewhere = cases
    prepared = PreparedQuery[Case](lambda case_id: Case.objects.filter(pk=case_id))
    with scope(cell=personas.mechelen.pk):
        built = prepared(case_id=first.pk)[0]
        built.summary = "Samen afgesproken"
        built.save(update_fields=["summary"])
        assert Case.objects.get(pk=first.pk).summary == "Samen afgesproken"
        built.refresh_from_db()
        assert built.summary == "Samen afgesproken"
        assert built.opened_by_id == personas.alice.pk


def test_in_constants_writes_plain_words_into_the_sql(cases):
    from vangnet.cases.models import CaseStatus
    from vangnet.lib.prepared import in_constants

    personas, first, second, _elsewhere = cases
    condition = in_constants("status", [CaseStatus.OPEN])
    with scope(cell=personas.mechelen.pk):
        found = Case.objects.filter(condition)
        sql, params = found.query.sql_with_params()
        assert "IN ('open')" in sql and "open" not in [str(p) for p in params]
        assert {case.pk for case in found} == {first.pk, second.pk}
        assert not Case.objects.filter(in_constants("status", ["closed"])).exists()


def test_in_constants_takes_the_alias_of_the_table_it_filters(cases):
    """Across a relation, and with the same table joined twice (a subquery on the case table
    inside a query on the case table): each condition is on its own table's column."""
    from django.db.models import Exists, OuterRef

    from vangnet.cases.models import CaseStatus, Participant
    from vangnet.lib.prepared import in_constants

    personas, first, second, _elsewhere = cases
    with scope(cell=personas.mechelen.pk):
        Case.objects.filter(pk=second.pk).update(status=CaseStatus.CLOSED)
        on_open = Participant.objects.filter(in_constants("case__status", [CaseStatus.OPEN]))
        assert {p.case_id for p in on_open} == {first.pk}
        other_open = Case.objects.exclude(pk=OuterRef("pk")).filter(
            in_constants("status", [CaseStatus.OPEN])
        )
        closed_beside_open = Case.objects.filter(
            in_constants("status", [CaseStatus.CLOSED]), Exists(other_open)
        )
        assert list(closed_beside_open) == [second]


@pytest.mark.parametrize("values", [[], ["open'); DROP TABLE x; --"], ["Open"], [1], ["a b"]])
def test_in_constants_refuses_anything_but_plain_words(values):
    from vangnet.lib.prepared import in_constants

    with pytest.raises(ValueError):
        in_constants("status", values)
