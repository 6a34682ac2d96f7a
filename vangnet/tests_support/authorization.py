"""The authorization matrix: who may use which route, checked against the running application.

`docs/authorization-matrix.csv` holds one row per route and HTTP method (GET, POST) and one
column per actor, `allow` or `deny`. The world the matrix is checked in is the demo (loaded
through the real services): the routes' ids point at objects of **Mechelen's cell** (the victim),
and canary strings are planted in its data. Each attempt is one request by one actor, and it
must:

- get the outcome the matrix gives (`deny`: 403 or 404, or the login page for a visitor who is
  not signed in; `allow`: anything else that is not a server error);
- if denied, write nothing but bookkeeping (`BOOKKEEPING_TABLES`: the audit log, the session,
  the lock-out counters);
- never show the actor a canary it may not see (`CANARY_READERS`), allowed or not.

The case and the signal that carry canaries are ones the partner member, the prevention official
and the DPO have no need to know (asserted when the world is built). Token routes (an invitation
link, a scan or survey answer link, a password reset, the calendar feed) get an invalid token:
the token is the credential.

Used by `vangnet/tests/test_authorization_matrix.py` and, through it, `make verify`.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from vangnet.accounts.models import User
from vangnet.cells.models import Cell, Membership
from vangnet.lib.aggregates import aggregates_forget

MATRIX_PATH = Path(settings.BASE_DIR) / "docs" / "authorization-matrix.csv"
METHODS = ("GET", "POST")
ALLOW, DENY = "allow", "deny"
DEMO = "demo.vangnet.invalid"

# The matrix's columns: an actor key and the demo account it signs in as (None: not signed in).
ACTORS: dict[str, str | None] = {
    "anonymous": None,
    "coordinator": f"coordinator.mechelen@{DEMO}",
    "deputy": f"adjunct.mechelen@{DEMO}",
    "mayor": f"burgemeester.mechelen@{DEMO}",
    "information_officer": f"io.mechelen@{DEMO}",
    "prevention_official": f"preventie.mechelen@{DEMO}",
    "partner": f"partner.mechelen@{DEMO}",
    "dpo": f"dpo.mechelen@{DEMO}",
    "municipal_staff": f"gemeente.mechelen@{DEMO}",
    "other_cell": f"coordinator.wingene@{DEMO}",
    "vvsg_staff": f"ondersteuning@{DEMO}",
    "no_cell": "no-cell@matrix.vangnet.invalid",
}

# Canaries, planted in Mechelen's data, and the actors who may read each.
CANARY_CASE = "KANARIE-DOSSIER-7f3a"
CANARY_SIGNAL = "KANARIE-SIGNAAL-2c9d"
CANARY_CELL = "KANARIE-CEL-5e1b"
CANARY_QUESTION = "KANARIE-VRAAG-9a4c"
CASE_READERS = {"coordinator", "deputy", "mayor", "information_officer"}
CANARY_READERS: dict[str, set[str]] = {
    CANARY_CASE: CASE_READERS,
    CANARY_SIGNAL: CASE_READERS,
    # The title of a meeting: every member of the cell (not the municipal staff, who are
    # members for the support desk only).
    CANARY_CELL: CASE_READERS | {"prevention_official", "partner", "dpo"},
    # A helpdesk question of Mechelen's municipal staff: the asker and VVSG staff.
    CANARY_QUESTION: {"municipal_staff", "vvsg_staff"},
}

# Tables a denied request may write to: the audit log (a denial is audited), the session and
# the session guard's record of it (its last activity, written at most once a minute), and
# django-axes' counters.
BOOKKEEPING_TABLES = frozenset(
    {
        "audit_auditevent",
        "django_session",
        "accounts_usersession",
        "axes_accessattempt",
        "axes_accessfailurelog",
    }
)
# Statements that only read or manage the transaction; anything else counts as a write, and a
# write whose table cannot be read off the statement counts as a write to "?" (never allowed).
READ_RE = re.compile(r"^\s*(?:SELECT|SAVEPOINT|RELEASE|ROLLBACK|SET|SHOW|BEGIN|COMMIT)\b", re.I)
TABLE_RE = re.compile(
    r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:"?\w+"?\.)?"?(\w+)"?',
    re.IGNORECASE,
)


def written_table(sql: str) -> str | None:
    """The table `sql` writes to, "?" for a write of an unknown form, None for a read."""
    if READ_RE.match(sql):
        return None
    match = TABLE_RE.match(sql)
    return match.group(1) if match else "?"


# An id no object has (fixed, so parallel test workers collect the same test ids).
ABSENT = uuid.UUID("6f1d3c2a-8b7e-4f00-9c1a-000000000404")


def walk(entries: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in entries:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def routes() -> list[tuple[str, str]]:
    """(name, pattern) of every route in the URLconf."""
    return sorted(set(walk(get_resolver().url_patterns)))


def load_matrix(path: Path = MATRIX_PATH) -> dict[tuple[str, str], dict[str, str]]:
    """{(route name, method): {actor: allow|deny}} from the CSV file."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    matrix: dict[tuple[str, str], dict[str, str]] = {}
    for row in rows:
        key = (row["route"], row["method"])
        if key in matrix:
            raise ValueError(f"{path.name}: {key} is listed twice")
        verdicts = {actor: row[actor] for actor in ACTORS}
        if set(verdicts.values()) - {ALLOW, DENY}:
            raise ValueError(f"{path.name}: {key} has a value other than allow or deny")
        matrix[key] = verdicts
    return matrix


def write_matrix(rows: list[dict[str, str]], path: Path = MATRIX_PATH) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["route", "method", "pattern", *ACTORS])
        writer.writeheader()
        writer.writerows(rows)


@dataclass
class Attempt:
    actor: str
    method: str
    path: str
    status: int
    location: str
    writes: set[str]
    leaked: set[str]

    @property
    def denied(self) -> bool:
        """403 or 404 (405: the method is not there at all); for a visitor who is not signed
        in, also the way to the login page (for someone signed in that is signing out)."""
        if self.status in (403, 404, 405):
            return True
        to_login = self.status == 302 and self.location.startswith("/login/")
        return to_login and self.actor == "anonymous"

    @property
    def verdict(self) -> str:
        return DENY if self.denied else ALLOW


@dataclass
class World:
    cell: Cell
    users: dict[str, User | None]
    ids: dict[tuple[str, str], str]
    canaries: dict[str, set[str]] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    media: Path | None = None

    def path(self, name: str, pattern: str) -> str:
        """The pattern with every parameter filled with an object of Mechelen (or junk for a
        token), picked per app: `item_id` is an agenda item under meetings/ and a knowledge
        item under knowledge/."""
        app = name.split(":")[0]
        support = f"{app}/support" if pattern.startswith("support/") else app
        support = SCOPES.get(name, support)

        def fill(match: re.Match[str]) -> str:
            converter, _, kwarg = match.group(1).rpartition(":")
            if kwarg == "cell_id":
                return str(self.cell.pk)
            if converter == "int":
                return str(timezone.localdate().year - 1)
            if converter == "uuid":
                return self.ids.get((support, kwarg)) or self.ids.get((app, kwarg)) or str(ABSENT)
            return "x"  # a token or a slug

        return "/" + re.sub(r"<([^>]+)>", fill, pattern)

    def client(self, actor: str) -> Client:
        client = Client(raise_request_exception=False)  # a server error is a finding, a 500
        if self.users[actor] is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[actor]
        return client

    def attempt(self, actor: str, method: str, path: str) -> Attempt:
        writes: set[str] = set()

        def spy(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
            table = written_table(sql)
            if table:
                writes.add(table)
            return execute(sql, *args)

        client = self.client(actor)
        cache.clear()  # rate limits and cached aggregates: each attempt starts alike
        aggregates_forget()
        # Each attempt in a savepoint rolled back: an allowed action (closing the case,
        # signing out) must not change what the next actor meets.
        with transaction.atomic(), connection.execute_wrapper(spy):
            response = client.get(path) if method == "GET" else client.post(path, {})
            transaction.set_rollback(True)
        body = content_of(response)
        location = response.get("Location", "")
        # The way to the login page carries the requested path (`?next=`): the visitor's own
        # input, not a leak.
        seen = body if location.startswith("/login/") else body + location
        # Pages repeat their own address (the language switcher's `next`): the ids in it are
        # what the actor asked for, not what the page gave away.
        seen = seen.replace(path, "")
        leaked = {
            canary
            for canary, readers in self.canaries.items()
            if actor not in readers and canary in seen
        }
        return Attempt(actor, method, path, response.status_code, location, writes, leaked)

    def post(self, actor: str, path: str, data: dict[str, Any], *, follow: bool = False) -> Any:
        """One POST with form data, in a savepoint rolled back afterwards: the response, or with
        `follow` the list of it and the page its redirect leads to (read in the same savepoint,
        so what the POST stored is there)."""
        client = self.client(actor)
        cache.clear()
        aggregates_forget()
        with transaction.atomic():
            response = client.post(path, data)
            content_of(response)  # a streamed answer is read inside the savepoint
            responses = [response]
            location = response.get("Location", "")
            if follow and response.status_code in (301, 302, 303) and location.startswith("/"):
                landed = client.get(location)
                content_of(landed)
                responses.append(landed)
            transaction.set_rollback(True)
        return responses if follow else response

    def check(self, name: str, pattern: str, method: str, expected: dict[str, str]) -> list[str]:
        """Every actor once on this route and method: the findings (empty when all holds)."""
        findings = []
        path = self.path(name, pattern)
        for actor in ACTORS:
            attempt = self.attempt(actor, method, path)
            findings.extend(findings_of(attempt, expected.get(actor, DENY)))
        return findings


# Routes whose objects come from another set than their app's (an event that is over).
SCOPES = {
    "events:feedback": "events/past",
    "events:results": "events/past",
    "events:attendance": "events/past",
    "helpdesk:attachment": "helpdesk/attachment",
}


def findings_of(attempt: Attempt, expected: str) -> list[str]:
    where = f"{attempt.method} {attempt.path} as {attempt.actor}"
    findings = []
    if attempt.status >= 500:
        findings.append(f"{where}: server error {attempt.status}")
    elif attempt.verdict != expected:
        findings.append(
            f"{where}: {attempt.verdict} ({attempt.status}), the matrix says {expected}"
        )
    if attempt.denied and attempt.writes - BOOKKEEPING_TABLES:
        findings.append(f"{where}: denied but wrote {sorted(attempt.writes - BOOKKEEPING_TABLES)}")
    if attempt.leaked:
        findings.append(f"{where}: leaked {sorted(attempt.leaked)}")
    return findings


def content_of(response: Any) -> str:
    """The response body as text (a streamed body is read once and kept on the response).

    PDF, DOCX, XLSX and ODF answers are compressed: their text is extracted and added, so a
    canary in the minutes PDF or an export counts as shown."""
    cached = getattr(response, "_matrix_content", None)
    if cached is None:
        if getattr(response, "streaming", False):
            data = b"".join(response.streaming_content)
        else:
            data = response.content
        cached = data.decode("utf-8", errors="replace") + _document_text(data)
        response._matrix_content = cached
    return str(cached)


def _document_text(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts = [
                    archive.read(name).decode("utf-8", errors="replace")
                    for name in archive.namelist()
                    if name.endswith(".xml")
                ]
        except zipfile.BadZipFile:
            return ""
        return re.sub(r"<[^>]+>", "", "\n".join(parts))
    return ""


@contextmanager
def _silenced_mail() -> Iterator[None]:
    from vangnet.demo.support import mail_silenced

    with mail_silenced():
        yield


def build_world() -> World:
    """Load the demo, add what it lacks, plant the canaries, and sign every actor in."""
    from vangnet.demo.services import demo_load
    from vangnet.tests_support.personas import make_user, signed_in_session_key

    demo_load()
    with scopes_disabled():
        cell = Cell.objects.get(name="LIVC R Mechelen")
        users: dict[str, User | None] = {}
        for actor, email in ACTORS.items():
            if email is None:
                users[actor] = None
            elif actor == "no_cell":
                users[actor] = make_user(email, "Zonder Cel")
            else:
                users[actor] = User.objects.get(email=email)
        ids, canaries = _plant(cell, users)
    world = World(cell=cell, users=users, ids=ids, canaries=canaries)
    for actor, user in users.items():
        if user is not None:
            world.sessions[actor] = signed_in_session_key(user)
    return world


def _plant(
    cell: Cell, users: dict[str, User | None]
) -> tuple[dict[tuple[str, str], str], dict[str, set[str]]]:
    """Canaries in Mechelen's data, missing objects added, the id for each parameter, and
    who may read each canary (the fixed strings, and the victim case's code and ids)."""
    from vangnet.breaches.models import Breach
    from vangnet.cases.models import Action, Case, Participant
    from vangnet.cases.services import action_add, case_open, participant_add
    from vangnet.cells.models import (
        CellDocument,
        CellProfile,
        FrameworkPhenomenon,
        Invitation,
        Role,
    )
    from vangnet.coaching.models import CoachingDocument, Trajectory
    from vangnet.events.models import BodyDocument, BodyMembership, Event, NetworkBody
    from vangnet.exercises.models import Exercise
    from vangnet.forum.models import Post, Space, Thread
    from vangnet.helpdesk.models import Attachment, CannedAnswer, Question
    from vangnet.intake.models import Signal
    from vangnet.knowledge.models import GoodPractice, Item, ItemFile
    from vangnet.meetings.models import AgendaItem, FeedbackSheet
    from vangnet.meetings.services import sheet_save
    from vangnet.network.models import CollaborationLink, ContactPerson, Organisation, Sector
    from vangnet.privacy.models import SubjectRequest
    from vangnet.scans.models import Round
    from vangnet.surveys.models import Survey

    coordinator = users["coordinator"]
    assert coordinator is not None

    def own_orgs(actor: str) -> set[uuid.UUID]:
        return set(
            Membership.objects.filter(cell=cell, user=users[actor], ended_at__isnull=True)
            .exclude(organisation=None)
            .values_list("organisation_id", flat=True)
        )

    outsiders = own_orgs("partner") | own_orgs("prevention_official") | own_orgs("dpo")
    unknown = {users[a] for a in ("partner", "prevention_official", "dpo")}
    # The case: opened here through the service, so that it is open (its forms can be used),
    # with the police as its only participant: the partner, the prevention official and the
    # DPO have no need to know it.
    police = Organisation.objects.filter(cell=cell, sector=Sector.LOCAL_POLICE).first()
    assert police is not None and police.pk not in outsiders, "the demo's police organisation"
    with scope(cell=cell.pk):
        case = case_open(
            cell=cell,
            person_name=f"{CANARY_CASE} Persoon",
            person_birth_date=datetime.date(2009, 4, 2),
            summary=f"Samenvatting {CANARY_CASE}",
            is_minor=True,
            opened_by=coordinator,
        )
        participant_add(
            case=case,
            organisation=police,
            reason="Informatiepositie politie",
            user=coordinator,
        )
        action_add(
            case=case,
            owner=police,
            description=f"Opvolging {CANARY_CASE}",
            due_date=timezone.localdate() + datetime.timedelta(days=14),
            user=coordinator,
        )
    assert not Participant.objects.filter(case=case, organisation_id__in=outsiders).exists()
    signal = (
        Signal.objects.filter(cell=cell)
        .exclude(submitted_by__in=unknown)
        .order_by("created_at", "category")
        .first()
    )
    assert signal is not None, "the demo has no signal in Mechelen"
    signal.description = f"Signaal {CANARY_SIGNAL}"
    signal.person_name = f"{CANARY_SIGNAL} Persoon"
    signal.save(update_fields=["description", "person_name"])
    # The victim case on the agenda of a meeting that also discusses a case of the partner's:
    # the meeting is open to every member, the victim's item must stay hidden from them.
    own_case = (
        Case.objects.filter(cell=cell, participants__organisation_id__in=own_orgs("partner"))
        .order_by("code")
        .first()
    )
    assert own_case is not None, "the partner takes part in no case of the demo"
    own_item = (
        AgendaItem.objects.filter(cell=cell, case=own_case)
        .order_by("meeting__starts_at", "position")
        .first()
    )
    assert own_item is not None, "the partner's case is on no agenda of the demo"
    meeting = own_item.meeting
    item = AgendaItem.objects.filter(meeting=meeting, case=case).first()
    if item is None:
        last = meeting.items.order_by("-position").first()
        item = AgendaItem.objects.create(
            cell=cell,
            meeting=meeting,
            kind="review",
            case=case,
            position=(last.position if last else 0) + 1,
        )
    if not FeedbackSheet.objects.filter(item=item).exists():
        with scope(cell=cell.pk):
            sheet_save(item=item, text=f"Terugkoppeling {CANARY_CASE}", user=coordinator)
    action = Action.objects.filter(case=case).order_by("due_date", "created_at").first()
    meeting.title = f"Overleg {CANARY_CELL}"
    meeting.save(update_fields=["title"])
    asked = Question.objects.filter(asker=users["municipal_staff"])
    question = (
        asked.filter(attachments__isnull=False).order_by("created_at", "reference").first()
        or asked.order_by("created_at", "reference").first()
    )
    assert question is not None, "the demo has no question of Mechelen's municipal staff"
    question.subject = f"Vraag {CANARY_QUESTION}"
    question.body = f"Inhoud {CANARY_QUESTION}"
    question.save(update_fields=["subject", "body"])

    # What Mechelen shares with VVSG: its partner map and a closed scan round.
    CellProfile.objects.filter(cell=cell).update(map_shared_with_vvsg=True)
    shared_round = Round.objects.filter(cell=cell, closed_at__isnull=False).order_by("opened_at")
    Round.objects.filter(pk__in=shared_round.values("pk")[:1]).update(shared_with_vvsg=True)
    organisation = Organisation.objects.filter(cell=cell).order_by("name").first()
    assert organisation is not None
    contact = ContactPerson.objects.filter(cell=cell).order_by(
        "name"
    ).first() or ContactPerson.objects.create(
        cell=cell, organisation=organisation, name="Contact Matrix", email="contact@example.org"
    )
    invitation = Invitation.objects.filter(cell=cell).order_by(
        "created_at", "email"
    ).first() or Invitation.objects.create(
        cell=cell,
        email="invited@example.org",
        role=Role.MEMBER,
        organisation=organisation,
        invited_by=users["coordinator"],
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    trajectory = Trajectory.objects.filter(cells=cell).order_by("title").first()
    body = NetworkBody.objects.filter(documents__isnull=False).order_by("name").first()
    knowledge_item = Item.objects.filter(files__isnull=False).order_by("title").first()
    thread = Thread.objects.order_by("space__position", "created_at", "title").first()
    attachment = (
        Attachment.objects.filter(question=question).order_by("uploaded_at").first()
        or Attachment.objects.filter(question__asker__memberships__cell=cell)
        .order_by("uploaded_at")
        .first()
        or Attachment.objects.order_by("uploaded_at").first()
    )
    exercise = Exercise.objects.order_by("opened_at").first()
    values: dict[tuple[str, str], Any] = {
        ("cases", "case_id"): case,
        ("cases", "action_id"): action,
        ("cases", "participant_id"): Participant.objects.filter(case=case)
        .order_by("added_at")
        .first(),
        ("intake", "signal_id"): signal,
        ("meetings", "meeting_id"): meeting,
        ("meetings", "item_id"): item,
        ("meetings", "action_id"): action,
        ("own", "case_id"): own_case,
        ("own", "item_id"): own_item,
        ("own", "meeting_id"): meeting,
        ("cells", "document_id"): CellDocument.objects.filter(cell=cell).order_by("title").first(),
        ("cells", "membership_id"): Membership.objects.filter(
            cell=cell, user=users["partner"]
        ).first(),
        ("cells", "item_id"): FrameworkPhenomenon.objects.filter(cell=cell, disabled_at=None)
        .order_by("enabled_at")
        .first(),
        ("cells", "invitation_id"): invitation,
        ("network", "organisation_id"): organisation,
        ("network", "contact_id"): contact,
        ("network", "link_id"): CollaborationLink.objects.filter(cell=cell)
        .order_by("created_at")
        .first(),
        ("breaches", "breach_id"): Breach.objects.filter(cell=cell).order_by("code").first(),
        ("privacy", "subject_id"): SubjectRequest.objects.filter(cell=cell)
        .order_by("registered_at")
        .first(),
        ("scans", "round_id"): Round.objects.filter(cell=cell, closed_at__isnull=False)
        .order_by("opened_at")
        .first(),
        ("surveys", "survey_id"): Survey.objects.filter(cell=cell).order_by("title").first(),
        ("surveys/support", "survey_id"): Survey.objects.filter(cell=None)
        .order_by("title")
        .first(),
        ("exercises", "event_id"): exercise.event if exercise else None,
        ("exercises", "membership_id"): Membership.objects.filter(cell=exercise.cell)
        .order_by("role", "user__email")
        .first()
        if exercise and exercise.cell
        else None,
        ("coaching", "trajectory_id"): trajectory,
        ("coaching", "document_id"): CoachingDocument.objects.filter(trajectory=trajectory)
        .order_by("title")
        .first(),
        ("coaching", "milestone_id"): trajectory.milestones.order_by("position").first()
        if trajectory
        else None,
        ("events", "event_id"): Event.objects.filter(exercise=None)
        .order_by("starts_at", "title")
        .last(),
        ("events/past", "event_id"): Event.objects.filter(
            exercise=None, registrations__user=users["coordinator"], ends_at__lt=timezone.now()
        )
        .order_by("starts_at", "title")
        .last(),
        ("scans/support", "round_id"): shared_round.first(),
        ("events", "body_id"): body,
        ("events", "membership_id"): BodyMembership.objects.filter(body=body)
        .order_by("user__email")
        .first(),
        ("events", "document_id"): BodyDocument.objects.filter(body=body).order_by("title").first(),
        ("forum", "space_id"): Space.objects.order_by("position").first(),
        ("forum", "thread_id"): thread,
        ("forum", "post_id"): Post.objects.filter(thread=thread).order_by("created_at").first(),
        ("helpdesk", "question_id"): question,
        ("helpdesk", "attachment_id"): attachment,
        ("helpdesk/attachment", "question_id"): attachment.question if attachment else None,
        ("helpdesk/attachment", "attachment_id"): attachment,
        ("helpdesk", "canned_id"): CannedAnswer.objects.order_by("title").first(),
        ("knowledge", "item_id"): knowledge_item,
        ("knowledge", "file_id"): ItemFile.objects.filter(item=knowledge_item)
        .order_by("uploaded_at")
        .first(),
        ("knowledge", "practice_id"): GoodPractice.objects.order_by("title").first(),
    }
    ids = {key: str(obj.pk) for key, obj in values.items() if obj is not None}
    canaries = dict(CANARY_READERS)
    # The case and signal lists show codes and links, not names: those count as canaries too.
    # The DPO reads the access logs, which name the case by its code (never its content).
    canaries[case.code] = canaries[str(case.pk)] = CASE_READERS | {"dpo"}
    canaries[str(signal.pk)] = CASE_READERS
    return ids, canaries
