"""Queries whose SQL Django builds once per process, then runs with new values.

Building a queryset and compiling it to SQL costs more than running it on the pages we measure
(issue 11): about half a millisecond for a select with three related tables, on every request,
to produce the same SQL text with other parameter values. ``PreparedQuery`` wraps a function
that builds the queryset from named values; the first call builds it with stand-in values
(sentinels), compiles it, and remembers where each stand-in lands among the SQL parameters.
Later calls put the real values there and run the remembered SQL, then turn the rows into
model instances (or value tuples) as Django's own iterables do.

The rules, checked when the query is compiled (``PreparedQueryError`` otherwise):

- the build function depends only on its arguments (UUIDs, integers, text) and the scope:
  anything else it reads is compiled in once. A closure (a function using its caller's
  variables) is refused, and so are dates and times among the SQL parameters: they are the
  usual sign of "today" computed inside the build function. Other per-request state (the
  active time zone of a ``Trunc``, the language) is not detected: keep it out of the build;
- each argument reaches the SQL as one parameter of its own (not inside a LIKE pattern, not a
  list); a scope's value (``django_scopes``) counts as an argument, so the cell's filter is
  compiled once and gets the current cell's id each time;
- the queryset yields model instances, or tuples (``values_list``), flat or not, in the order
  the query selects them; no related manager (its known related objects are not set), no
  ``Prefetch`` with a queryset of its own;
- a model that needs a scope is only compiled inside it (``ScopeError`` otherwise, as
  django-scopes raises for a queryset used without its scope).

Whatever a scope state we cannot key on (scopes given as lists) runs the queryset as built,
uncompiled. A compiled query is kept per database vendor, argument types and scope shape.
"""

from __future__ import annotations

import datetime
import functools
import re
import secrets
import threading
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.db import connections
from django.db.models import CharField, Expression, Model, Prefetch, Q, QuerySet
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import (  # type: ignore[attr-defined]  # not in the stubs
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
    prefetch_related_objects,
)
from django.db.models.signals import post_init, pre_init
from django_scopes import ScopeError, get_scope, scope
from django_scopes.manager import DisabledQuerySet

from vangnet.lib.pagination import CountedPaginator

T = TypeVar("T")

_Form = Callable[[Any], Any]
# Compiled variants kept per prepared query (the oldest goes first): pages of a long list.
MAX_COMPILED = 64
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}.*)?$")


def own_fields(model: type[Model]) -> list[str]:
    """Every column of ``model`` itself, for ``only(*own_fields(M), "related__column")``: a
    page's rows read the related columns they show, not whole related rows."""
    return [field.name for field in model._meta.concrete_fields]


_CONSTANT = re.compile(r"[a-z0-9_]+\Z")


class _Words(Expression):
    """The right-hand side of an ``__in`` lookup written into the SQL text: ``'a', 'b'``
    (Django's lookup puts the parentheses around it)."""

    def __init__(self, words: tuple[str, ...]) -> None:
        if not words or not all(isinstance(word, str) and _CONSTANT.match(word) for word in words):
            raise ValueError(f"in_constants takes plain lower-case words, not {words!r}")
        super().__init__(output_field=CharField())
        self.words = words

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[()]]:
        # Only words of [a-z0-9_], checked in __init__: nothing to quote, nothing to inject.
        return ", ".join(f"'{word}'" for word in self.words), ()


def in_constants(lookup: str, values: Iterable[str]) -> Q:
    """``Q(<lookup>__in=values)`` with the values written into the SQL text instead of bound.

    For a constant filter of a compiled query that a partial index's predicate repeats: a
    prepared statement's generic plan knows nothing of bound values, so PostgreSQL cannot
    prove the predicate and plans each execution anew (the helpdesk queue: 0.8 ms a request
    instead of 0.2). Only plain words (choice values) are accepted, so quoting is trivial;
    anything else raises ``ValueError``. The column is resolved by the ORM like any lookup's
    (across relations, under the alias of the query or subquery it ends up in)."""
    return Q(**{f"{lookup}__in": _Words(tuple(values))})


def instance_builder(
    model: type[Model], attnames: tuple[str, ...], alias: str
) -> Callable[[Any], Model] | None:
    """What ``model.from_db(alias, attnames, values)`` does, without ``Model.__init__``.

    ``__init__`` sends two signals and sets each field through ``setattr``: about a fifth of a
    prepared query's time on the pages we measure. For a model whose instances are plain (no
    ``__init__`` or ``from_db`` of its own, nobody listening to ``pre_init``/``post_init``) the
    values go straight into the instance's ``__dict__``, except through the descriptors that
    translate what they store (``__set__``: encrypted text keeps ``bytes``). ``None`` where that
    does not hold: use ``from_db``. Fields not in ``attnames`` stay deferred, as with ``only()``.
    The listeners are asked again at each execution (one connected later gets its calls).
    """
    if (
        model.__init__ is not Model.__init__
        or getattr(model.from_db, "__func__", None) is not Model.from_db.__func__  # type: ignore[attr-defined]
        or pre_init.has_listeners(model)
        or post_init.has_listeners(model)
    ):
        return None
    concrete = {field.attname for field in model._meta.concrete_fields}
    if not set(attnames) <= concrete or len(set(attnames)) != len(attnames):
        return None
    # A foreign key's ``__set__`` only forgets a cached related object: a new instance has none.
    through_setattr = frozenset(
        name
        for name in attnames
        if hasattr(type(getattr(model, name, None)), "__set__")
        and type(getattr(model, name)) is not ForeignKeyDeferredAttribute
    )
    new = object.__new__

    def build(values: Any) -> Model:
        obj = new(model)
        state = obj._state = ModelState()
        state.adding = False
        state.db = alias
        if through_setattr:
            for name, value in zip(attnames, values, strict=True):
                if name in through_setattr:
                    setattr(obj, name, value)
                else:
                    obj.__dict__[name] = value
        else:
            obj.__dict__.update(zip(attnames, values, strict=True))
        return obj

    return build


class PreparedQueryError(Exception):
    """The build function does something a compiled query cannot repeat faithfully."""


def _same(value: Any) -> Any:
    return value


def _hex(value: uuid.UUID) -> str:
    return value.hex


def _text(value: Any) -> str:
    return str(value)


def _iso(value: datetime.date) -> str:
    return value.isoformat()


def _as(kind: type, convert: _Form, value: Any) -> Any:
    return kind(convert(value))


def _sentinel(value: Any) -> Any:
    """A stand-in of the same type that no real value or constant equals."""
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    if type(value) is datetime.date:
        return datetime.date(2800 + secrets.randbelow(190), 1 + secrets.randbelow(12), 17)
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PreparedQueryError(
            f"prepared query values are UUIDs, dates, integers or text, not {type(value).__name__}"
        )
    if isinstance(value, int):
        # Within 32 bits: Django turns a lookup beyond an integer column's range into an
        # empty or full result instead of a parameter.
        return 2**30 + secrets.randbelow(2**30)
    return f"prepared-{secrets.token_hex(16)}"


def _forms(sentinel: Any) -> list[tuple[Any, _Form]]:
    """How a backend may pass the value on: as it is, or (a UUID) as hex or as text."""
    if isinstance(sentinel, uuid.UUID):
        return [(sentinel, _same), (sentinel.hex, _hex), (str(sentinel), _text)]
    if isinstance(sentinel, datetime.date):
        return [(sentinel, _same), (sentinel.isoformat(), _iso)]
    return [(sentinel, _same)]


_CONVERTERS = "_vangnet_prepared_converters"


@dataclass(frozen=True, eq=False)  # hashed by identity: a key of each connection's converters
class _Compiled:
    alias: str
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str, _Form], ...]
    # The selected expressions and how many columns to keep. Their converters are kept on each
    # connection (a backend's converters are methods of the connection's operations): nothing
    # here refers to a thread's connection, which would keep it open after the thread ends.
    fields: tuple[Any, ...]
    trim_to: int | None
    kind: str  # "model", "tuple" or "flat"
    prefetch: tuple[Any, ...]
    model: type[Model] | None
    init_list: tuple[str, ...]
    model_fields: slice
    build: Callable[[Any], Model] | None
    populators: tuple[Any, ...]
    annotations: tuple[tuple[str, int], ...]

    def run(self, values: dict[str, Any]) -> list[Any]:
        params = list(self.params)
        for index, name, form in self.slots:
            params[index] = form(values[name])
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows: list[Any] = cursor.fetchall()
        if self.trim_to is not None:
            rows = [row[: self.trim_to] for row in rows]
        converters = self._converters_for(connection)
        if converters:
            rows = [self._converted(row, converters, connection) for row in rows]
        if self.kind == "flat":
            return [row[0] for row in rows]
        if self.kind == "tuple":
            return [tuple(row) for row in rows]
        assert self.model is not None
        objects = []
        build = self.build
        model = self.model
        if build is None or pre_init.has_listeners(model) or post_init.has_listeners(model):
            # Someone listens now (connected after this query was compiled): through __init__.
            build = functools.partial(model.from_db, self.alias, self.init_list)
        for row in rows:
            obj = build(row[self.model_fields])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        if self.prefetch:
            prefetch_related_objects(objects, *self.prefetch)
        return objects

    def _converters_for(self, connection: Any) -> dict[int, Any]:
        """As ``SQLCompiler.get_converters``, for this connection."""
        kept = connection.__dict__.get(_CONVERTERS)
        if kept is None:
            kept = connection.__dict__[_CONVERTERS] = weakref.WeakKeyDictionary()
        found: dict[int, Any] | None = kept.get(self)
        if found is None:
            found = {}
            for position, expression in enumerate(self.fields):
                if expression:
                    backend = connection.ops.get_db_converters(expression)
                    field = expression.get_db_converters(connection)
                    if backend or field:
                        found[position] = (backend + field, expression)
            kept[self] = found
        return found

    @staticmethod
    def _converted(row: Any, converters: dict[int, Any], connection: Any) -> list[Any]:
        """As ``SQLCompiler.apply_converters``, with this thread's connection."""
        row = list(row)
        for position, (functions, expression) in converters.items():
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        return row


class PreparedQuery(Generic[T]):
    """``build(**values)`` compiled once per process (per vendor, value types and scope shape).

    Calling it returns a list: model instances, or tuples / single values for a
    ``values_list`` query. See the module's docstring for what ``build`` may do.
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], *, counting: bool = False) -> None:
        # A closure over a caller's variables would be compiled in with its first value.
        if getattr(getattr(build, "__code__", None), "co_freevars", ()):
            raise PreparedQueryError("the build function may not use its caller's variables")
        self.build = build
        # A count of a list (PreparedPage) leaves out what only orders or annotates its rows,
        # and the values used there with it; the rows' query still must use every value.
        self.counting = counting
        self._compiled: OrderedDict[tuple[Any, ...], _Compiled] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, *variant: Hashable, **values: Any) -> list[T]:
        """The rows for these values. Positional arguments (``variant``) go to the build
        function as they are and are compiled in: each distinct variant compiles its own SQL
        (for what Django writes into the SQL text, such as a page's offset)."""
        state = get_scope()
        enabled = state.get("_enabled", True)
        scoped = {
            name: value
            for name, value in state.items()
            if enabled and name != "_enabled" and value is not None
        }
        if any(isinstance(value, list | tuple) for value in scoped.values()):
            return list(self.build(*variant, **values))
        key = (
            tuple((type(part).__name__, part) for part in variant),  # True and 1 are equal
            connections["default"].vendor,
            enabled,
            tuple(sorted((name, type(value).__name__) for name, value in values.items())),
            tuple(sorted((name, type(value).__name__) for name, value in scoped.items())),
            tuple(sorted(name for name, value in state.items() if value is None)),
        )
        with self._lock:
            compiled = self._compiled.get(key)
            if compiled is not None:
                self._compiled.move_to_end(key)  # the least recently used go first
        if compiled is None:
            compiled = self._compile(variant, state, values, scoped)
            with self._lock:
                self._compiled[key] = compiled
                while len(self._compiled) > MAX_COMPILED:
                    self._compiled.popitem(last=False)
        return compiled.run({**values, **{f"scope:{k}": v for k, v in scoped.items()}})

    def forget(self) -> None:
        """Compile again on the next call (tests that change the schema or the backend)."""
        self._compiled.clear()

    def _compile(
        self,
        variant: tuple[Hashable, ...],
        state: dict[str, Any],
        values: dict[str, Any],
        scoped: dict[str, Any],
    ) -> _Compiled:
        stand_ins = {name: _sentinel(value) for name, value in values.items()}
        scope_stand_ins = {f"scope:{name}": _sentinel(value) for name, value in scoped.items()}
        with scope(**{**state, **{name[6:]: v for name, v in scope_stand_ins.items()}}):
            queryset: Any = self.build(*variant, **stand_ins)
            if isinstance(queryset, DisabledQuerySet):
                # Without the scope a model needs, django-scopes refuses to run the query; a
                # compiled one would read every cell.
                raise ScopeError(f"a scope on {', '.join(queryset.missing_scopes)} is needed")
            if queryset._known_related_objects:
                raise PreparedQueryError("build the queryset from the model, not a related manager")
            if any(
                isinstance(lookup, Prefetch) and lookup.queryset is not None
                for lookup in queryset._prefetch_related_lookups
            ):
                raise PreparedQueryError(
                    "a Prefetch with its own queryset would keep the stand-ins"
                )
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
        all_stand_ins = {**stand_ins, **scope_stand_ins}
        slots = []
        for index, param in enumerate(params):
            slot = self._slot(param, all_stand_ins)
            if slot is not None:
                slots.append((index, *slot))
            elif isinstance(param, datetime.date | datetime.time | datetime.timedelta) or (
                isinstance(param, str) and _ISO_DATE.match(param)  # as SQLite is given dates
            ):
                raise PreparedQueryError(
                    "a date or time is compiled into the query: pass it as a value"
                )
        found = {name for _index, name, _form in slots}
        for name, stand_in in all_stand_ins.items():
            # A scope's value is absent from queries of models it does not scope.
            missing = name not in found and name in stand_ins and not self.counting
            if missing or any(str(form) in sql for form, _f in _forms(stand_in)):
                raise PreparedQueryError(f"{name!r} does not reach the query as one parameter")
        return self._compiled_from(queryset, compiler, sql, tuple(params), tuple(slots))

    @staticmethod
    def _slot(param: Any, stand_ins: dict[str, Any]) -> tuple[str, _Form] | None:
        for name, stand_in in stand_ins.items():
            for form, convert in _forms(stand_in):
                if type(param) is type(form) and param == form:
                    return name, convert
                if isinstance(param, type(form)) and param == form:
                    # A backend's own subtype (psycopg's Int4 for an integer column).
                    return name, functools.partial(_as, type(param), convert)
            if isinstance(param, str) and any(
                str(form) in param for form, _convert in _forms(stand_in)
            ):
                raise PreparedQueryError(f"{name!r} is part of a larger parameter (a pattern?)")
        return None

    @staticmethod
    def _compiled_from(
        queryset: Any,  # a QuerySet: its private attributes are not in the stubs
        compiler: Any,
        sql: str,
        params: tuple[Any, ...],
        slots: tuple[tuple[int, str, _Form], ...],
    ) -> _Compiled:
        fields = [selected[0] for selected in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise PreparedQueryError("composite fields are not supported")
        common = {
            "alias": queryset.db,
            "sql": sql,
            "params": params,
            "slots": slots,
            "fields": tuple(fields),
            "trim_to": compiler.col_count if compiler.has_extra_select else None,
            "prefetch": tuple(queryset._prefetch_related_lookups),
        }
        iterable = queryset._iterable_class
        if iterable is FlatValuesListIterable or iterable is ValuesListIterable:
            query = queryset.query
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            wanted = [
                *queryset._fields,
                *(name for name in query.annotation_select if name not in queryset._fields),
            ]
            if queryset._fields and wanted != names:
                raise PreparedQueryError("values_list in another order than the query selects")
            kind = "flat" if iterable is FlatValuesListIterable else "tuple"
            return _Compiled(
                **common,
                kind=kind,
                model=None,
                init_list=(),
                model_fields=slice(0),
                build=None,
                populators=(),
                annotations=(),
            )
        if iterable is not ModelIterable:
            raise PreparedQueryError(f"{iterable.__name__} is not supported")
        select, klass_info = compiler.select, compiler.klass_info
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        init_list = tuple(f[0].target.attname for f in select[start:end])
        return _Compiled(
            **common,
            kind="model",
            model=klass_info["model"],
            init_list=init_list,
            model_fields=slice(start, end),
            build=instance_builder(klass_info["model"], init_list, queryset.db),
            populators=tuple(get_related_populators(klass_info, select, queryset.db)),
            annotations=tuple(compiler.annotation_col_map.items()),
        )


def _count_of(
    build: Callable[..., QuerySet[Any]], /, *variant: Any, **values: Any
) -> QuerySet[Any]:
    queryset = build(*variant, **values)
    query = queryset.query
    if (
        query.distinct
        or query.is_sliced
        or query.combinator
        or query.group_by is not None
        or any(getattr(a, "contains_aggregate", False) for a in query.annotations.values())
    ):
        raise PreparedQueryError(
            "a prepared page counts rows: no distinct, slice, union, grouping or aggregate"
        )
    # COUNT(*) as a plain expression: as an aggregate, values_list() would group by the pk.
    return queryset.select_related(None).order_by().values_list(RawSQL("COUNT(*)", ()), flat=True)


def _page_of(
    build: Callable[..., QuerySet[Any]], offset: int, limit: int, /, *variant: Any, **values: Any
) -> QuerySet[Any]:
    return build(*variant, **values)[offset : offset + limit]


class PreparedPage(Generic[T]):
    """A paginated list: its count and a page of rows, each compiled once per process (per
    page number too: a page's offset is part of the SQL text). ``build`` follows the rules of
    ``PreparedQuery`` and returns the whole ordered list."""

    def __init__(self, build: Callable[..., QuerySet[Any]], per_page: int) -> None:
        PreparedQuery[Any](build)  # the same checks for the function itself
        self.per_page = per_page
        self._count = PreparedQuery[int](functools.partial(_count_of, build), counting=True)
        self._rows = PreparedQuery[T](functools.partial(_page_of, build))

    def get_page(self, number: Any, *variant: Hashable, **values: Any) -> Page:
        """The page as ``Paginator.get_page`` gives it: the first for a number that is not
        one, the last for one past the end. ``variant``: as for ``PreparedQuery``."""
        (count,) = self._count(*variant, **values)
        paginator = CountedPaginator([], self.per_page, count=count)
        try:
            page_number = paginator.validate_number(number)
        except PageNotAnInteger:
            page_number = 1
        except EmptyPage:
            page_number = paginator.num_pages
        offset = (page_number - 1) * self.per_page
        # Also when there are none: the rows' query checks that every value reaches it (the
        # count may leave some out), as Paginator's page would ask it too.
        rows = self._rows(offset, self.per_page, *variant, **values)
        return Page(rows, page_number, paginator)
