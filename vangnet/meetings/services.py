"""Meeting workflows. Case items follow need-to-know everywhere: agenda, minutes, PDF, mails."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from vangnet.audit.services import audit_record
from vangnet.cases.access import CASE_ROLES, cases_for_user
from vangnet.cases.models import Action, ActionStatus, Case, CaseStatus
from vangnet.cells.access import CellAccess
from vangnet.cells.models import (
    CELL_ROLES,
    SECRECY_TEXT_VERSION,
    Cell,
    Membership,
    SecrecyAcknowledgement,
)
from vangnet.lib.prepared import PreparedQuery, own_fields
from vangnet.meetings.models import (
    AgendaItem,
    Attendance,
    CarryOver,
    CarryOverReason,
    FeedbackSheet,
    FeedbackVote,
    ItemKind,
    Meeting,
    MeetingInvitation,
    MeetingKind,
    MinutesApproval,
    SheetStatus,
    Vote,
)

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.network.models import Organisation


def _audit(
    action: str,
    *,
    meeting: Meeting,
    user: User | None,
    data: dict[str, Any] | None = None,
    request: Any = None,
) -> None:
    audit_record(
        action=action, actor=user, cell=meeting.cell_id, target=meeting, data=data, request=request
    )


# --- Meetings and agenda ---------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    cell: Cell,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    chair: User,
    place: str = "",
    online_link: str = "",
    invited_organisations: Iterable[Organisation] = (),
    created_by: User,
    request: Any = None,
) -> Meeting:
    if ends_at.astimezone(datetime.UTC) <= starts_at.astimezone(datetime.UTC):
        raise ValidationError(_("The meeting must end after it starts."))
    from vangnet.accounts.models import User

    # Lock the chair: two plans at once must not both pass the overlap check.
    # NO KEY UPDATE: a mutex that still lets other transactions insert rows referring to the
    # chair (their foreign-key checks take KEY SHARE); FOR UPDATE would block them and, with
    # the audit chain's lock taken in between, deadlock (found by `make verify`'s crash run).
    User.objects.select_for_update(no_key=True).filter(pk=chair.pk).first()
    with scopes_disabled():  # a chair of two cells cannot be in two meetings at once
        same_time = Meeting.objects.filter(
            chair=chair, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        # A tabletop-exercise sandbox is played, not held: its meetings collide only with
        # meetings of the same sandbox, and never block (or are blocked by) real meetings.
        if cell.is_sandbox:
            same_time = same_time.filter(cell_id=cell.pk)
        else:
            same_time = same_time.filter(cell__is_sandbox=False)
        overlapping = same_time.exists()
    if overlapping:
        raise ValidationError(_("The chair already has a meeting at that time."))
    meeting = Meeting.objects.create(
        cell=cell,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_link=online_link.strip(),
        chair=chair,
    )
    meeting.invited_organisations.set(
        list(invited_organisations), through_defaults={"cell_id": cell.pk}
    )
    _audit(
        "meetings.meeting.created",
        meeting=meeting,
        user=created_by,
        request=request,
        data={"kind": kind},
    )
    return meeting


def _editable(meeting: Meeting) -> None:
    """Agenda and attendance are part of the minutes: frozen once the minutes are approved."""
    if meeting.minutes_approved:
        raise ValidationError(
            _("The minutes are approved: the agenda and the attendance can no longer change.")
        )


def _votes_started(meeting: Meeting) -> bool:
    return (
        FeedbackSheet.objects.filter(item__meeting=meeting)
        .exclude(status=SheetStatus.DRAFT)
        .exists()
    )


def _last_meeting_before(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(cell_id=meeting.cell_id, starts_at__lt=meeting.starts_at)
        .exclude(pk=meeting.pk)
        .exclude(kind=MeetingKind.NETWORK)
        .order_by("-starts_at")
        .first()
    )


@transaction.atomic
def agenda_propose(*, meeting: Meeting, user: User, request: Any = None) -> int:
    """Add, in this order: new cases, running cases with a review due, cases for closure.

    Cases already on the agenda are skipped. Returns the number of items added.
    """
    _editable(meeting)
    if meeting.kind == MeetingKind.NETWORK:
        raise ValidationError(_("A network meeting has no case items."))
    on_agenda = set(meeting.items.filter(case__isnull=False).values_list("case_id", flat=True))
    last = _last_meeting_before(meeting)
    open_cases = Case.objects.filter(cell_id=meeting.cell_id, status=CaseStatus.OPEN)
    new = open_cases.filter(opened_at__gte=last.starts_at) if last else open_cases
    review_by = meeting.starts_at.date() + datetime.timedelta(days=7)
    reviews = open_cases.filter(review_due__lte=review_by)
    # Proposed for closure: every action of the case is finished.
    closure = [
        c
        for c in open_cases.prefetch_related("actions")
        if c.actions.all() and all(a.status != ActionStatus.OPEN for a in c.actions.all())
    ]
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    added = 0
    for kind, cases in (
        (ItemKind.NEW_CASE, new),
        (ItemKind.REVIEW, reviews),
        (ItemKind.CLOSURE, closure),
    ):
        for case in cases:
            if case.pk in on_agenda:
                continue
            AgendaItem.objects.create(
                cell_id=meeting.cell_id, meeting=meeting, kind=kind, case=case, position=position
            )
            on_agenda.add(case.pk)
            position += 1
            added += 1
    _audit(
        "meetings.agenda.proposed",
        meeting=meeting,
        user=user,
        request=request,
        data={"items": added},
    )
    return added


@transaction.atomic
def topic_add(*, meeting: Meeting, title: str, user: User, request: Any = None) -> AgendaItem:
    _editable(meeting)
    if not title.strip():
        raise ValidationError(_("Give the topic a title."))
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(
        cell_id=meeting.cell_id,
        meeting=meeting,
        kind=ItemKind.TOPIC,
        title=title.strip(),
        position=position,
    )
    _audit("meetings.agenda.topic_added", meeting=meeting, user=user, request=request)
    return item


@transaction.atomic
def item_remove(*, item: AgendaItem, user: User, request: Any = None) -> None:
    meeting = item.meeting
    _editable(meeting)
    if FeedbackSheet.objects.filter(item=item).exclude(status=SheetStatus.DRAFT).exists():
        raise ValidationError(_("This item has a feedback sheet that was put to the vote."))
    item.delete()
    _audit("meetings.agenda.item_removed", meeting=meeting, user=user, request=request)


@transaction.atomic
def item_move(*, item: AgendaItem, up: bool, user: User, request: Any = None) -> None:
    """Swap the item with its neighbour (the coordinator reorders the agenda)."""
    _editable(item.meeting)
    items = list(item.meeting.items.order_by("position", "id"))
    for number, each in enumerate(items):  # normalise positions first
        each.position = number
    index = next(i for i, each in enumerate(items) if each.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index].position, items[other].position = other, index
    AgendaItem.objects.bulk_update(items, ["position"])
    _audit("meetings.agenda.reordered", meeting=item.meeting, user=user, request=request)


def items_for_user(meeting: Meeting, user: User, access: CellAccess) -> QuerySet[AgendaItem]:
    """The agenda as this reader may see it: topics, and case items of cases they may open.

    Nothing about the other case items leaks: not their number, not their position.
    """
    items = meeting.items.all()
    if not access.roles & CASE_ROLES:
        # Those who open every case of the cell see every item without asking which cases
        # (for them that subquery reads all the cell's cases).
        visible = cases_for_user(user, access).values("pk")
        items = meeting.items.filter(case__isnull=True) | meeting.items.filter(case__in=visible)
    return items.select_related("case").order_by("position", "id")


def agenda_for_user(meeting: Meeting, user: User, access: CellAccess) -> list[AgendaItem]:
    """``items_for_user`` as a list; for those who open every case compiled once per process
    (lib/prepared.py)."""
    if access.roles & CASE_ROLES:
        return _every_item(meeting_id=meeting.pk)
    return list(items_for_user(meeting, user, access))


_every_item = PreparedQuery[AgendaItem](
    lambda meeting_id: (
        AgendaItem.objects.filter(meeting_id=meeting_id)
        .select_related("case")
        # The agenda names a case by its code: not the whole (encrypted) case row per item.
        .only(*own_fields(AgendaItem), "case__code")
        .order_by("position", "id")
    )
)
_attendance = PreparedQuery[Attendance](
    lambda meeting_id: Attendance.objects.filter(meeting_id=meeting_id)
)
_meeting_with_chair = PreparedQuery[Meeting](
    lambda meeting_id: Meeting.objects.filter(pk=meeting_id).select_related("chair")
)


def meeting_find(meeting_id: uuid.UUID) -> Meeting | None:
    """The meeting of the current cell with this id, with its chair (None when there is none)."""
    found = _meeting_with_chair(meeting_id=meeting_id)
    return found[0] if found else None


def attendance_of(meeting: Meeting) -> list[Attendance]:
    """Every attendance row of the meeting (who was invited and marked present or not)."""
    return _attendance(meeting_id=meeting.pk)


def attendance_for_reader(meeting: Meeting, user: User, access: CellAccess) -> QuerySet[Attendance]:
    """Who attended, as this reader may see it: someone invited only because of a case the
    reader cannot open would reveal that case, so they are left out."""
    rows = Attendance.objects.filter(meeting=meeting).select_related("user", "organisation")
    if access.roles & CASE_ROLES:
        return rows.order_by("user__full_name")
    from vangnet.cases.models import Participant

    visible_cases = cases_for_user(user, access).values("pk")
    case_ids = meeting.items.filter(case__in=visible_cases).values("case_id")
    participants = Participant.objects.filter(case_id__in=case_ids, removed_at__isnull=True)
    org_ids = set(meeting.invited_organisations.values_list("pk", flat=True))
    org_ids |= {o for o in participants.values_list("organisation_id", flat=True) if o}
    members = Membership.objects.filter(
        cell_id=meeting.cell_id, ended_at__isnull=True, role__in=CELL_ROLES
    )
    user_ids = {meeting.chair_id, user.pk}
    user_ids |= {u for u in participants.values_list("user_id", flat=True) if u}
    user_ids |= set(members.filter(organisation_id__in=org_ids).values_list("user_id", flat=True))
    user_ids |= set(members.filter(role__in=CASE_ROLES).values_list("user_id", flat=True))
    return rows.filter(user_id__in=user_ids).order_by("user__full_name")


# --- Invitations -----------------------------------------------------------------------------


def _invitee_ids(meeting_id: Any, cell_id: Any, chair_id: Any) -> QuerySet[Any]:
    """Who is invited, as one UNION of user ids (active or not): the chair, the case roles,
    members of invited organisations and of case participants, and named participants."""
    from vangnet.accounts.models import User
    from vangnet.cases.models import Participant

    case_ids = AgendaItem.objects.filter(meeting_id=meeting_id, case__isnull=False).values(
        "case_id"
    )
    participants = Participant.objects.filter(case_id__in=case_ids, removed_at__isnull=True)
    invited_organisations = MeetingInvitation.objects.filter(meeting_id=meeting_id).values(
        "organisation_id"
    )
    invited = Q(organisation_id__in=invited_organisations) | Q(
        organisation_id__in=participants.filter(organisation_id__isnull=False).values(
            "organisation_id"
        )
    )
    # With case items on the agenda, the roles that open every case are invited too.
    invited |= Q(Q(role__in=sorted(CASE_ROLES)), Exists(case_ids))
    members = Membership.objects.filter(
        invited, cell_id=cell_id, ended_at__isnull=True, role__in=sorted(CELL_ROLES)
    ).values("user_id")
    named = participants.filter(user_id__isnull=False).values("user_id")
    chair = User.objects.filter(pk=chair_id).values("pk")
    return named.order_by().union(members.order_by(), chair.order_by())


def _invited_users(meeting_id: Any, cell_id: Any, chair_id: Any) -> QuerySet[User]:
    """The invited users with an active account, by name, in one query. (With the chair as
    an OR beside the UNION, or each part as a subquery of its own, PostgreSQL scanned every
    user of Flanders; as one UNION it looks the ids up.)"""
    from vangnet.accounts.models import User

    return User.objects.filter(
        pk__in=_invitee_ids(meeting_id, cell_id, chair_id), is_active=True
    ).order_by("full_name")


def invitees(meeting: Meeting) -> list[User]:
    """The invited users with an active account, by name."""
    return list(_invited_users(meeting.pk, meeting.cell_id, meeting.chair_id))


# The attendance list of every agenda: compiled once per process (lib/prepared.py).
_invitee_names = PreparedQuery[tuple[uuid.UUID, str]](
    lambda meeting_id, cell_id, chair_id: _invited_users(meeting_id, cell_id, chair_id).values_list(
        "id", "full_name"
    )
)


def invitee_names(meeting: Meeting) -> list[tuple[uuid.UUID, str]]:
    """``invitees`` as (id, name) pairs, for the attendance list: no user objects to build."""
    return _invitee_names(meeting_id=meeting.pk, cell_id=meeting.cell_id, chair_id=meeting.chair_id)


# --- During and after ------------------------------------------------------------------------


@transaction.atomic
def attendance_set(
    *, meeting: Meeting, present_ids: set[str], user: User, request: Any = None
) -> None:
    """Record who was effectively present among the invitees."""
    _editable(meeting)
    if _votes_started(meeting):
        raise ValidationError(_("A feedback sheet was put to the vote: the attendance is frozen."))
    people = invitees(meeting)
    # Anyone no longer invited (an item was removed) is no longer counted as present.
    Attendance.objects.filter(meeting=meeting).exclude(user_id__in=[p.pk for p in people]).update(
        present=False
    )
    memberships = {
        m.user_id: m.organisation_id
        for m in Membership.objects.filter(
            cell_id=meeting.cell_id, ended_at__isnull=True, role__in=CELL_ROLES
        )
    }
    for person in people:
        attendance, _created = Attendance.objects.get_or_create(
            cell_id=meeting.cell_id,
            meeting=meeting,
            user=person,
            defaults={"organisation_id": memberships.get(person.pk)},
        )
        present = str(person.pk) in present_ids
        if attendance.present != present:
            attendance.present = present
            attendance.save(update_fields=["present"])
    if meeting.held_at is None:
        meeting.held_at = timezone.now()
        meeting.save(update_fields=["held_at"])
    _audit(
        "meetings.attendance.recorded",
        meeting=meeting,
        user=user,
        request=request,
        data={"present": len(present_ids & {str(p.pk) for p in people})},
    )


@transaction.atomic
def secrecy_acknowledge(*, meeting: Meeting, user: User, request: Any = None) -> None:
    """R-05: each participant acknowledges the secrecy duty for this meeting."""
    attendance = Attendance.objects.filter(meeting=meeting, user=user).first()
    if attendance is None:
        if user.pk not in {person.pk for person in invitees(meeting)}:
            raise ValidationError(_("Only people invited to the meeting acknowledge it."))
        attendance = Attendance.objects.create(cell_id=meeting.cell_id, meeting=meeting, user=user)
    if attendance.secrecy_acknowledged_at is None:
        attendance.secrecy_acknowledged_at = timezone.now()
        attendance.save(update_fields=["secrecy_acknowledged_at"])
        SecrecyAcknowledgement.objects.create(
            cell_id=meeting.cell_id,
            user=user,
            context=SecrecyAcknowledgement.Context.MEETING,
            text_version=SECRECY_TEXT_VERSION,
        )
        _audit("meetings.secrecy.acknowledged", meeting=meeting, user=user, request=request)


def _after_approval(meeting: Meeting, user: User, change_reason: str) -> None:
    """A change to approved minutes needs a reason and makes a new version."""
    meeting = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
    if not meeting.minutes_approved:
        return
    if not change_reason.strip():
        raise ValidationError(_("The minutes are approved: give the reason for this change."))
    meeting.minutes_version += 1
    meeting.save(update_fields=["minutes_version"])
    MinutesApproval.objects.create(
        cell_id=meeting.cell_id,
        meeting=meeting,
        version=meeting.minutes_version,
        approved_by=user,
        reason=change_reason.strip(),
    )


@transaction.atomic
def item_record(
    *,
    item: AgendaItem,
    summary: str,
    decisions: str,
    next_review: datetime.date | None,
    user: User,
    change_reason: str = "",
    professional_secret: bool = False,
    request: Any = None,
) -> None:
    """The agreed headline summary and decisions of an item; the review date flows to the case."""
    meeting = item.meeting
    _after_approval(meeting, user, change_reason)
    item.summary = summary.strip()
    item.decisions = decisions.strip()
    item.next_review = next_review
    item.professional_secret = professional_secret
    item.save(update_fields=["summary", "decisions", "next_review", "professional_secret"])
    if item.case_id and next_review:
        case = item.case
        if case is not None and case.is_open:
            case.review_due = next_review
            case.save(update_fields=["review_due"])
    _audit(
        "meetings.item.recorded",
        meeting=meeting,
        user=user,
        request=request,
        data={"case_item": item.case_id is not None, "after_approval": bool(change_reason.strip())},
    )


@transaction.atomic
def carry_over(
    *, item: AgendaItem, action: Action, reason: str, user: User, request: Any = None
) -> CarryOver:
    _editable(item.meeting)
    if reason not in CarryOverReason.values:
        raise ValidationError(_("Choose a reason."))
    if action.case_id != item.case_id or action.status != ActionStatus.OPEN:
        raise ValidationError(_("Only an open action of this case can be carried over."))
    record, _created = CarryOver.objects.update_or_create(
        cell_id=item.cell_id, item=item, action=action, defaults={"reason": reason}
    )
    _audit(
        "meetings.action.carried_over",
        meeting=item.meeting,
        user=user,
        request=request,
        data={"reason": reason},
    )
    return record


# --- Feedback sheet to the police (R-06) -------------------------------------------------------


@transaction.atomic
def sheet_save(*, item: AgendaItem, text: str, user: User, request: Any = None) -> FeedbackSheet:
    if item.case_id is None:
        raise ValidationError(_("A feedback sheet belongs to a case item."))
    sheet = FeedbackSheet.objects.select_for_update(no_key=True).filter(item=item).first()
    if sheet is not None and sheet.status != SheetStatus.DRAFT:
        raise ValidationError(_("The sheet is already put to the vote and cannot change."))
    if sheet is None:
        sheet = FeedbackSheet(cell_id=item.cell_id, item=item)
    sheet.text = text.strip()
    sheet.save()
    _audit_sheet("meetings.feedback.drafted", sheet=sheet, user=user, request=request)
    return sheet


def _audit_sheet(
    action: str,
    *,
    sheet: FeedbackSheet,
    user: User,
    data: dict[str, Any] | None = None,
    request: Any = None,
) -> None:
    audit_record(
        action=action, actor=user, cell=sheet.cell_id, target=sheet, data=data, request=request
    )


@transaction.atomic
def sheet_reopen(*, sheet: FeedbackSheet, user: User, request: Any = None) -> None:
    """Back to draft after a rejection (or a vote that cannot finish): the votes are dropped."""
    sheet = FeedbackSheet.objects.select_for_update(no_key=True).get(pk=sheet.pk)
    if sheet.status not in (SheetStatus.REJECTED, SheetStatus.VOTING):
        raise ValidationError(_("Only a rejected sheet or one in the vote goes back to draft."))
    FeedbackVote.objects.filter(sheet=sheet).delete()
    sheet.status = SheetStatus.DRAFT
    sheet.no_secrets_confirmed = False
    sheet.save(update_fields=["status", "no_secrets_confirmed"])
    _audit_sheet("meetings.feedback.reopened", sheet=sheet, user=user, request=request)


def sheet_voters(sheet: FeedbackSheet) -> list[User]:
    """Members effectively present who take part in the case of the item."""
    from vangnet.accounts.models import User
    from vangnet.cells.access import cell_for_user

    item = sheet.item
    present = User.objects.filter(
        pk__in=Attendance.objects.filter(meeting=item.meeting, present=True).values("user_id")
    )
    voters: list[User] = []
    if item.case_id is None:
        return voters
    for person in present:
        try:
            access = cell_for_user(person, item.cell_id)
        except Http404:  # no longer a member of the cell
            continue
        if cases_for_user(person, access).filter(pk=item.case_id).exists():
            voters.append(person)
    return voters


@transaction.atomic
def sheet_submit(
    *, sheet: FeedbackSheet, no_secrets_confirmed: bool, user: User, request: Any = None
) -> None:
    """Freeze the attendance and ask every present member of the case for approval."""
    sheet = FeedbackSheet.objects.select_for_update(no_key=True).get(pk=sheet.pk)
    if sheet.status != SheetStatus.DRAFT:
        raise ValidationError(_("The sheet is already put to the vote."))
    if not no_secrets_confirmed:
        raise ValidationError(
            _("Confirm that the sheet contains no information covered by professional secrecy.")
        )
    voters = sheet_voters(sheet)
    if not voters:
        raise ValidationError(_("Record who was present first: only they can approve."))
    FeedbackVote.objects.bulk_create(
        FeedbackVote(cell_id=sheet.cell_id, sheet=sheet, user=voter) for voter in voters
    )
    sheet.status = SheetStatus.VOTING
    sheet.no_secrets_confirmed = True
    sheet.save(update_fields=["status", "no_secrets_confirmed"])
    _audit_sheet(
        "meetings.feedback.submitted",
        sheet=sheet,
        user=user,
        request=request,
        data={"voters": len(voters)},
    )


@transaction.atomic
def sheet_vote(*, sheet: FeedbackSheet, user: User, vote: str, request: Any = None) -> None:
    """One rejection blocks the sheet; it is approved when every voter approved."""
    sheet = FeedbackSheet.objects.select_for_update(no_key=True).get(pk=sheet.pk)
    if vote not in (Vote.APPROVE, Vote.REJECT):
        raise ValidationError(_("Approve or reject."))
    if sheet.status != SheetStatus.VOTING:
        raise ValidationError(_("This sheet is not waiting for approval."))
    ballot = FeedbackVote.objects.filter(sheet=sheet, user=user).first()
    if ballot is None:
        raise ValidationError(_("Only members who were present can approve or reject."))
    ballot.vote = vote
    ballot.voted_at = timezone.now()
    ballot.save(update_fields=["vote", "voted_at"])
    votes = list(FeedbackVote.objects.filter(sheet=sheet).values_list("vote", flat=True))
    if Vote.REJECT in votes:
        sheet.status = SheetStatus.REJECTED
    elif all(v == Vote.APPROVE for v in votes):
        sheet.status = SheetStatus.APPROVED
    sheet.save(update_fields=["status"])
    _audit_sheet(
        "meetings.feedback.voted",
        sheet=sheet,
        user=user,
        request=request,
        data={"vote": vote, "status": sheet.status},
    )


@transaction.atomic
def sheet_mark_sent(*, sheet: FeedbackSheet, user: User, request: Any = None) -> None:
    sheet = FeedbackSheet.objects.select_for_update(no_key=True).get(pk=sheet.pk)
    if sheet.status != SheetStatus.APPROVED:
        raise ValidationError(_("Only an approved sheet can be sent."))
    sheet.status = SheetStatus.SENT
    sheet.sent_at = timezone.now()
    sheet.save(update_fields=["status", "sent_at"])
    _audit_sheet("meetings.feedback.sent", sheet=sheet, user=user, request=request)


# --- Minutes and rhythm -----------------------------------------------------------------------


@transaction.atomic
def minutes_approve(*, meeting: Meeting, user: User, request: Any = None) -> MinutesApproval:
    meeting = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
    if meeting.minutes_approved:
        raise ValidationError(_("The minutes are already approved."))
    meeting.minutes_version = 1
    meeting.save(update_fields=["minutes_version"])
    approval = MinutesApproval.objects.create(
        cell_id=meeting.cell_id, meeting=meeting, version=1, approved_by=user
    )
    _audit("meetings.minutes.approved", meeting=meeting, user=user, request=request)
    return approval


def rhythm(cell: Cell, today: datetime.date) -> dict[str, Any]:
    """Months since the last meeting of each kind, and whether the cell has open cases."""
    latest = dict(
        Meeting.objects.filter(cell=cell, starts_at__lte=timezone.now())
        .order_by()
        .values_list("kind")
        .annotate(last=Max("starts_at"))
    )
    last: dict[str, int | None] = {}
    for kind in MeetingKind.values:
        held = latest.get(kind)
        local = timezone.localtime(held) if held is not None else None
        last[kind] = (
            None if local is None else (today.year - local.year) * 12 + today.month - local.month
        )
    has_cases = Case.objects.filter(cell=cell, status=CaseStatus.OPEN).exists()
    return {"months": last, "has_open_cases": has_cases}
