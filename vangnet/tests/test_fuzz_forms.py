"""Fuzzing (issue 12, item 3): every form, hostile input, no server error, nothing unescaped.

The forms are found the way a browser finds them: every page of the authorization matrix is
requested by an actor the matrix allows, and every `<form method="post">` on it is read (its
action, its inputs, selects with their options, textareas). Each POST route of the matrix is then
fuzzed by Hypothesis as an actor allowed to use it: every field of its form gets either a value it
offers (an option, a checkbox) or hostile text: XSS and SQL payloads, template and format
strings, control characters, unusual Unicode (right-to-left overrides, combining marks, emoji,
other scripts' digits), very long strings, numbers and dates that are not, and fields sent twice.
Each example runs in a savepoint rolled back afterwards.

Holds for every example: the answer is not a server error, and an HTML answer never contains the
payload's marker tag unescaped. Derandomised (the same examples on every run), 12 per route;
`VANGNET_FUZZ_EXAMPLES` raises it. With `VANGNET_VERIFY_DIR` set the figures are written there.
"""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vangnet.tests_support import authorization as az

MATRIX = az.load_matrix()
ROUTES = dict(az.routes())
# The actor who fuzzes a route: the first of these the matrix allows on it.
PREFERENCE = [
    "coordinator",
    "vvsg_staff",
    "dpo",
    "mayor",
    "information_officer",
    "deputy",
    "partner",
    "prevention_official",
    "municipal_staff",
    "other_cell",
    "no_cell",
    "anonymous",  # the steps of signing in, the public answer forms
]
POST_ROUTES = sorted(
    name
    for (name, method), verdicts in MATRIX.items()
    if method == "POST" and any(verdicts[a] == az.ALLOW for a in PREFERENCE)
)
EXAMPLES = int(os.environ.get("VANGNET_FUZZ_EXAMPLES", "12"))
MARKER = "x-fz"
PAYLOADS = [
    f"<{MARKER}>",
    f'"><{MARKER} onmouseover=alert(1)>',
    f"'><{MARKER}>",
    f"<script>/*<{MARKER}>*/</script>",
    f"javascript:/*<{MARKER}>*/alert(1)",
    "' OR '1'='1' --",
    "'; DROP TABLE cases_case; --",
    '" UNION SELECT password FROM accounts_user --',
    "{{ 7|add:7 }}{% debug %}",
    "%(x)s %s %d {0} ${x}",
    "\x00\x01\x07\x1b[31m",
    "\u202eevil\u202c \u200b\u200d\ufeff",
    "Z\u0351\u0334\u0336\u0335a\u0337\u0338",
    "\U0001f9e8\U0001f4a5\U0001f600",
    "\u0661\u0662\u0663\u0664",  # Arabic-Indic digits
    "\uff21\uff22\uff23\uff11\uff12\uff13",  # full-width letters and digits
    "9" * 400,
    "-1",
    "1e309",
    "NaN",
    "2026-02-30",
    "00:61",
    "00000000-0000-0000-0000-000000000000",
    "../../etc/passwd",
    "a" * 100_000,
    "",
    " ",
]
hostile = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=300),
    st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS), st.text(max_size=40)),
)


# A valid value per input type, so that an example can get past the form's validation and
# reach the code behind it (a field without a value of its own offers this one).
VALID = {
    "date": "2027-03-15",
    "time": "10:00",
    "datetime-local": "2027-03-15T10:00",
    "number": "3",
    "email": "fuzz@example.org",
    "url": "https://example.org/",
    "checkbox": "on",
    "radio": "on",
    "text": "Fuzz",
    "search": "fuzz",
}


class FormReader(HTMLParser):
    """The POST forms of a page: [(action, {field name: [offered values]})]."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._fields: dict[str, list[str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form" and attr.get("method", "get").lower() == "post":
            self._fields = {}
            self.forms.append((attr.get("action", ""), self._fields))
        elif self._fields is None:
            return
        elif tag == "option" and self._select:  # options have no name of their own
            self._fields[self._select].append(attr.get("value", ""))
        elif not attr.get("name"):
            return
        elif tag == "input" and attr.get("type") not in ("submit", "button", "file", "image"):
            if attr["name"] != "csrfmiddlewaretoken":
                kind = attr.get("type", "text")
                offered = attr.get("value") or VALID.get(kind, "")
                values = self._fields.setdefault(attr["name"], [])
                if offered:
                    values.append(offered)
        elif tag in ("textarea", "select"):
            self._fields.setdefault(attr["name"], [])
            self._select = attr["name"] if tag == "select" else None

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None


@pytest.fixture(scope="module")
def forms_by_path(world: az.World, django_db_blocker: Any) -> dict[str, dict[str, list[str]]]:
    """Every POST form reachable from the matrix's GET pages, by the path it posts to."""
    found: dict[str, dict[str, list[str]]] = {}
    with django_db_blocker.unblock():
        for (name, method), verdicts in sorted(MATRIX.items()):
            if method != "GET":
                continue
            actors = [a for a in PREFERENCE if verdicts[a] == az.ALLOW][:2]
            path = world.path(name, ROUTES[name])
            for actor in actors:
                response = world.client(actor).get(path)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                reader = FormReader()
                reader.feed(response.content.decode("utf-8", errors="replace"))
                for action, fields in reader.forms:
                    target = urlsplit(action).path or path
                    found.setdefault(target, {}).update(fields)
    return found


def fuzz(
    world: az.World,
    forms_by_path: dict[str, dict[str, list[str]]],
    name: str,
    examples: int = EXAMPLES,
) -> tuple[int, int, int, list[str]]:
    """Fuzz one POST route: (examples run, form fields found, examples the view accepted
    (answered with a redirect), failures)."""
    verdicts = MATRIX[(name, "POST")]
    actor = next(a for a in PREFERENCE if verdicts[a] == az.ALLOW)
    path = world.path(name, ROUTES[name])
    fields = forms_by_path.get(path) or {}
    names = sorted(fields) or ["text"]  # an action without a form of its own: junk anyway
    failures: list[str] = []
    count = 0
    accepted = 0

    def value(offered: list[str]) -> st.SearchStrategy[str]:
        return st.one_of(st.sampled_from(offered), hostile) if offered else hostile

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        data=st.fixed_dictionaries({field: value(fields.get(field, [])) for field in names}),
        doubled=st.sampled_from([None, *names]),
    )
    def post(data: dict[str, str], doubled: str | None) -> None:
        nonlocal count, accepted
        count += 1
        body: dict[str, Any] = dict(data)
        if doubled:  # the same field twice: a list where one value is expected
            body[doubled] = [data[doubled], f"<{MARKER}>"]
        # The redirect after a successful POST is followed (in the same savepoint): a payload
        # that was stored must come out escaped on the page that shows it.
        responses = world.post(actor, path, body, follow=True)
        accepted += responses[0].status_code in (301, 302, 303)
        for response in responses:
            if response.status_code >= 500:
                failures.append(f"{actor} POST {path}: server error for {data!r}"[:500])
                return
            content_type = response.get("Content-Type", "")
            if "html" in content_type and f"<{MARKER}" in az.content_of(response):
                failures.append(f"{actor} POST {path}: unescaped <{MARKER}> for {data!r}"[:500])

    post()
    return count, len(fields), accepted, failures


@pytest.mark.parametrize("name", POST_ROUTES)
def test_no_form_input_gives_a_server_error_or_unescaped_output(
    matrix_world: az.World, forms_by_path: dict[str, dict[str, list[str]]], name: str
) -> None:
    count, fields, accepted, failures = fuzz(matrix_world, forms_by_path, name)
    _report(name, count, fields, accepted, failures)
    assert failures == []


def test_it_finds_the_forms(forms_by_path: dict[str, dict[str, list[str]]], matrix_world: Any):
    """Most POST routes are posted to by a form the crawl finds (the rest: the steps of signing
    in, which no signed-in page links to, and actions whose button shows only in a state the
    demo's objects are not in); those get a junk field, so they are still posted to."""
    found = [name for name in POST_ROUTES if matrix_world.path(name, ROUTES[name]) in forms_by_path]
    assert len(found) >= 0.7 * len(POST_ROUTES), sorted(set(POST_ROUTES) - set(found))


def test_unescaped_output_is_caught(
    matrix_world: az.World,
    forms_by_path: dict[str, dict[str, list[str]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Proof that the fuzzing can fail: switch off the template engine's escaping and the
    meeting form shows the payload as markup."""
    import django.template.base

    monkeypatch.setattr(django.template.base, "conditional_escape", lambda value: value)
    _count, _fields, _accepted, failures = fuzz(
        matrix_world, forms_by_path, "meetings:new", examples=20
    )
    assert any("unescaped" in failure for failure in failures), failures


def test_a_server_error_is_caught(
    matrix_world: az.World,
    forms_by_path: dict[str, dict[str, list[str]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Proof that the fuzzing can fail: a form that breaks on input gives a 500, reported."""
    from vangnet.meetings.forms import MeetingForm

    def broken(self: Any) -> Any:
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(MeetingForm, "clean", broken)
    _count, _fields, _accepted, failures = fuzz(
        matrix_world, forms_by_path, "meetings:new", examples=3
    )
    assert any("server error" in failure for failure in failures), failures


def _report(name: str, examples: int, fields: int, accepted: int, failures: list[str]) -> None:
    target = os.environ.get("VANGNET_VERIFY_DIR")
    if target:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        line = {
            "route": name,
            "examples": examples,
            "fields": fields,
            "accepted": accepted,
            "failures": failures,
        }
        with (Path(target) / f"fuzz-{worker}.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
