"""Tabletop exercises: open a sandbox training cell from a scenario, keep its participants in
sync with the event's registrations, count progress, and wipe it afterwards.

The sandbox is a normal cell (``is_sandbox=True``) built through the normal services, so the
participants practise the real flow (signal → screening → meeting → actions) in their own
roles. Sandboxes count in no statistic and admit to nothing outside themselves: see
``CellQuerySet.real`` and ``MembershipQuerySet.real`` in ``vangnet/cells/models.py``.
"""

from __future__ import annotations

import datetime
import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scope, scopes_disabled

from vangnet.audit.services import audit_record
from vangnet.cells.models import (
    CELL_ROLES,
    SANDBOX_MAIL_PREFIX,
    SECRECY_TEXT_VERSION,
    Cell,
    CellProfile,
    Framework,
    Membership,
    Role,
    SecrecyAcknowledgement,
)
from vangnet.events.models import Event, EventKind, EventStatus, RegistrationStatus
from vangnet.exercises.models import Exercise, ExerciseStatus
from vangnet.exercises.scenarios import Scenario, age_band, scenario_get
from vangnet.lib.env import env_int

if TYPE_CHECKING:
    from vangnet.accounts.models import User
    from vangnet.network.models import Organisation

logger = logging.getLogger(__name__)

GENERIC_ORGANISATION = "Oefenpartner Oefenstad"
# A participant's role in the sandbox: their highest real role, in this order.
ROLE_ORDER = (
    Role.COORDINATOR,
    Role.DEPUTY_COORDINATOR,
    Role.MAYOR,
    Role.INFORMATION_OFFICER,
    Role.PREVENTION_OFFICIAL,
    Role.MEMBER,
    Role.DPO,
    Role.MUNICIPAL_STAFF,
)
# Roles that represent no organisation in the sandbox (as in the demo).
ROLES_WITHOUT_ORGANISATION = frozenset({Role.MAYOR, Role.DPO})
SANDBOX_ROLES = [role for role in ROLE_ORDER if role in CELL_ROLES]


def wipe_after_hours() -> int:
    """VANGNET_EXERCISE_WIPE_AFTER_HOURS: hours after the event's end before the wipe."""
    return env_int("VANGNET_EXERCISE_WIPE_AFTER_HOURS", 24, minimum=0)


# --- Opening ---------------------------------------------------------------------------------


def may_open(event: Event) -> bool:
    return (
        event.kind == EventKind.TABLETOP_EXERCISE
        and event.status != EventStatus.CANCELLED
        and not event.has_ended
    )


def _sandbox_name(event: Event) -> str:
    date = timezone.localtime(event.starts_at).date().isoformat()
    base = f"Oefencel \u2013 {event.title[:100]} ({date})"  # en dash
    name, number = base, 2
    while Cell.objects.filter(name=name).exists():
        name = f"{base} {number}"
        number += 1
    return name


@transaction.atomic
def exercise_open(*, event: Event, scenario: str, user: User, request: Any = None) -> Exercise:
    """Open the sandbox training cell of a tabletop-exercise event (VVSG staff, once)."""
    if not user.is_vvsg_staff:
        raise PermissionDenied
    event = Event.objects.select_for_update(no_key=True).get(pk=event.pk)
    if event.kind != EventKind.TABLETOP_EXERCISE:
        raise ValidationError(_("Only a tabletop exercise can open a training cell."))
    if event.status == EventStatus.CANCELLED or event.has_ended:
        raise ValidationError(_("This event is cancelled or over: no training cell can be opened."))
    if Exercise.objects.filter(event=event).exists():
        raise ValidationError(_("This event already has a training cell."))
    chosen = scenario_get(scenario)
    if chosen is None:
        raise ValidationError(_("Choose a scenario from the library."))
    # No municipalities on purpose: a sandbox is no local government and appears on no map.
    cell = Cell.objects.create(name=_sandbox_name(event), is_sandbox=True)
    with scope(cell=cell.pk):
        Framework.objects.create(
            cell=cell,
            participant_categories="Oefening (fictief)",
            working_arrangements="Oefencel voor een tafeloefening; fictieve gegevens.",
            start_date=timezone.localdate(),
            approved_at=timezone.now(),
        )
        CellProfile.objects.create(cell=cell)
        baseline = _seed(cell, chosen, user)
    exercise = Exercise.objects.create(
        event=event, cell=cell, scenario=chosen.slug, opened_by=user, baseline=baseline
    )
    added, _ended = _sync(exercise, user)
    audit_record(
        action="exercises.exercise.opened",
        actor=user,
        cell=cell,
        target=exercise,
        request=request,
        data={"event": str(event.pk), "scenario": chosen.slug, "participants": len(added)},
    )
    _mail_participants(exercise, added)
    return exercise


def _birth_date(age: int | None, today: datetime.date) -> datetime.date | None:
    if age is None:
        return None
    try:
        anniversary = today.replace(year=today.year - age)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - age, day=28)
    return anniversary - datetime.timedelta(days=100)


def _seed(cell: Cell, scenario: Scenario, user: User) -> dict[str, int]:
    """The scenario's organisations, signals, trends and case, through the real services."""
    from vangnet.cases.services import action_add, case_update, participant_add
    from vangnet.intake.services import (
        signal_open_case,
        signal_police_status,
        signal_screen,
        signal_submit,
        trend_submit,
    )
    from vangnet.network.models import Sector
    from vangnet.network.services import organisation_create

    today = timezone.localdate()
    organisations: dict[str, Organisation] = {}
    for item in scenario.organisations:
        organisations[item.key] = organisation_create(
            cell=cell,
            name=item.name,
            sector=item.sector,
            participation=item.participation,
            created_by=user,
        )
    if GENERIC_ORGANISATION not in {o.name for o in scenario.organisations}:
        organisation_create(
            cell=cell, name=GENERIC_ORGANISATION, sector=Sector.OTHER, participation="core"
        )
    signals = {}
    for signal_item in scenario.signals:
        birth = _birth_date(signal_item.person_age, today)
        signal = signal_submit(
            cell=cell,
            submitted_by=user,
            received_on=today - datetime.timedelta(days=signal_item.received_days_ago),
            category=signal_item.category,
            urgency=signal_item.urgency,
            description=signal_item.description.nl,
            origin_organisation=organisations[signal_item.organisation],
            person_name=signal_item.person_name,
            person_birth_date=birth,
            person_age_band=age_band(signal_item.person_age),
            is_minor=signal_item.person_age is not None and signal_item.person_age < 18,
        )
        if signal_item.police_status:
            signal_police_status(signal=signal, known=signal_item.police_status, user=user)
        if signal_item.screening:
            assert signal_item.screening_reason is not None
            signal = signal_screen(
                signal=signal,
                outcome=signal_item.screening,
                reason=signal_item.screening_reason.nl,
                referrer_informed=False,
                screened_by=user,
            )
        signals[signal_item.key] = signal
    for trend in scenario.trends:
        trend_submit(
            cell=cell,
            submitted_by=user,
            received_on=today - datetime.timedelta(days=trend.received_days_ago),
            category=trend.category,
            description=trend.description.nl,
            area=trend.area,
            origin_organisation=organisations[trend.organisation],
        )
    if scenario.case is not None:
        case = signal_open_case(signal=signals[scenario.case.signal], opened_by=user)
        case_update(case=case, changes={"summary": scenario.case.summary.nl}, user=user)
        for participant in scenario.case.participants:
            participant_add(
                case=case,
                reason=participant.reason.nl,
                user=user,
                organisation=organisations[participant.organisation],
                is_case_manager=participant.case_manager,
            )
        for action in scenario.case.actions:
            action_add(
                case=case,
                owner=organisations[action.owner],
                description=action.description.nl,
                due_date=today + datetime.timedelta(days=action.due_in_days),
                user=user,
            )
    return _counts(cell)


# --- Participants ----------------------------------------------------------------------------


def _own_role(user: User) -> tuple[str, str] | None:
    """The user's highest role in their real cells, and the sector of their organisation."""
    with scopes_disabled():
        memberships = list(
            Membership.objects.real()
            .filter(user=user, ended_at__isnull=True)
            .select_related("organisation")
        )
    if not memberships:
        return None
    best = min(memberships, key=lambda m: ROLE_ORDER.index(Role(m.role)))
    role = Role.MEMBER if best.role == Role.MUNICIPAL_STAFF else Role(best.role)
    organisation = best.organisation or next(
        (m.organisation for m in memberships if m.organisation is not None), None
    )
    return role, organisation.sector if organisation else ""


def _organisation_for(cell: Cell, role: str, sector: str) -> Organisation | None:
    from vangnet.network.models import Organisation

    if role in ROLES_WITHOUT_ORGANISATION:
        return None
    with scope(cell=cell.pk):
        organisations = list(Organisation.objects.filter(cell=cell).order_by("name"))
    same = [o for o in organisations if sector and o.sector == sector]
    if same:
        return same[0]
    return next((o for o in organisations if o.name == GENERIC_ORGANISATION), None)


def _registered_users(event: Event) -> list[User]:
    return [
        r.user
        for r in event.registrations.filter(
            status=RegistrationStatus.REGISTERED, user__is_active=True
        ).select_related("user")
        if not r.user.is_vvsg_staff
    ]


def _sandbox_memberships(cell_id: Any) -> models.QuerySet[Membership]:
    return Membership.objects.filter(cell_id=cell_id, ended_at__isnull=True)


def _sync(exercise: Exercise, actor: User) -> tuple[list[User], int]:
    """Members for registered local-government users without one; end those who cancelled."""
    from vangnet.cells.services import membership_add

    cell = exercise.cell
    assert cell is not None
    users = _registered_users(exercise.event)
    with scope(cell=cell.pk):
        present = set(_sandbox_memberships(cell.pk).values_list("user_id", flat=True))
        added: list[User] = []
        for user in users:
            if user.pk in present:
                continue
            own = _own_role(user)
            if own is None:  # not a local-government user: nothing to practise in a cell
                continue
            role, sector = own
            membership_add(
                cell=cell,
                user=user,
                role=role,
                organisation=_organisation_for(cell, role, sector),
                added_by=actor,
            )
            # Pre-filled, as accepting an invitation records it: the participants skip the
            # invitation step. The secrecy acknowledgement at a meeting stays to be practised.
            if not SecrecyAcknowledgement.objects.filter(cell=cell, user=user).exists():
                SecrecyAcknowledgement.objects.create(
                    cell=cell,
                    user=user,
                    context=SecrecyAcknowledgement.Context.JOINING,
                    text_version=SECRECY_TEXT_VERSION,
                )
            added.append(user)
        registered = {user.pk for user in users}
        ended = (
            _sandbox_memberships(cell.pk)
            .exclude(user_id__in=registered)
            .update(ended_at=timezone.now())
        )
    return added, ended


@transaction.atomic
def exercise_sync(*, exercise: Exercise, user: User, request: Any = None) -> tuple[int, int]:
    """Add late registrants (and end those who cancelled). Returns (added, ended)."""
    if not user.is_vvsg_staff:
        raise PermissionDenied
    exercise = (
        Exercise.objects.select_for_update(no_key=True, of=("self",))
        .select_related("event", "cell")
        .get(pk=exercise.pk)
    )
    if not exercise.is_open:
        raise ValidationError(_("This training cell has been wiped."))
    added, ended = _sync(exercise, user)
    audit_record(
        action="exercises.participants.synced",
        actor=user,
        cell=exercise.cell_id,
        target=exercise,
        request=request,
        data={"added": len(added), "ended": ended},
    )
    _mail_participants(exercise, added)
    return len(added), ended


@transaction.atomic
def exercise_role_set(
    *, exercise: Exercise, membership: Membership, role: str, user: User, request: Any = None
) -> Membership:
    """The facilitator gives a participant another role in the sandbox (only there)."""
    from vangnet.cells.services import membership_add

    if not user.is_vvsg_staff:
        raise PermissionDenied
    if role not in SANDBOX_ROLES:
        raise ValidationError(_("Choose a role."))
    # Re-read both under a lock: a concurrent wipe or role change must not be built upon.
    exercise = Exercise.objects.select_for_update(no_key=True).get(pk=exercise.pk)
    current = None
    if exercise.is_open and exercise.cell_id is not None:
        with scopes_disabled():
            current = (
                Membership.objects.select_for_update(no_key=True, of=("self",))
                .select_related("user", "organisation")
                .filter(pk=membership.pk, cell_id=exercise.cell_id, ended_at__isnull=True)
                .first()
            )
    if current is None:
        raise ValidationError(_("This participant is not in the training cell."))
    membership = current
    if membership.role == role:
        return membership
    cell = exercise.cell
    assert cell is not None
    with scope(cell=cell.pk):
        membership.ended_at = timezone.now()
        membership.save(update_fields=["ended_at"])
        sector = membership.organisation.sector if membership.organisation else ""
        if not sector:
            own = _own_role(membership.user)
            sector = own[1] if own else ""
        new = membership_add(
            cell=cell,
            user=membership.user,
            role=role,
            organisation=_organisation_for(cell, role, sector),
            added_by=user,
        )
    audit_record(
        action="exercises.participant.role_changed",
        actor=user,
        cell=cell,
        target=new,
        request=request,
        data={"from": membership.role, "to": role},
    )
    return new


def exercise_url(exercise: Exercise) -> str:
    return f"{settings.SITE_URL}/cells/{exercise.cell_id}/"


def _mail_participants(exercise: Exercise, users: list[User]) -> None:
    """A content-free mail with the link to the training cell, after the commit."""
    if not users:
        return
    with override(settings.LANGUAGE_CODE):
        subject = SANDBOX_MAIL_PREFIX + " "
        subject += _("Vangnet: your training cell for the exercise is ready")
        body = render_to_string(
            "exercises/emails/opened.txt",
            {"event": exercise.event, "url": exercise_url(exercise)},
        )
    addresses = [user.email for user in users if user.is_active]

    def send() -> None:
        for address in addresses:
            try:
                send_mail(subject, body, None, [address])
            except Exception:  # logged without the address
                logger.exception("An exercise mail for %s could not be sent", exercise.pk)

    transaction.on_commit(send, robust=True)


# --- Progress --------------------------------------------------------------------------------


def _counts(cell: Cell | Any) -> dict[str, int]:  # a cell or a cell id
    from vangnet.cases.models import Action, Case
    from vangnet.intake.models import Signal
    from vangnet.meetings.models import Meeting

    cell_id: Any = getattr(cell, "pk", cell)
    with scopes_disabled():
        return {
            "signals_screened": Signal.objects.filter(
                cell_id=cell_id, screened_at__isnull=False
            ).count(),
            "cases_opened": Case.objects.filter(cell_id=cell_id).count(),
            "meetings_held": Meeting.objects.filter(
                cell_id=cell_id, starts_at__lte=timezone.now()
            ).count(),
            "actions_added": Action.objects.filter(cell_id=cell_id).count(),
        }


COUNT_FIELDS = ("signals_screened", "cases_opened", "meetings_held", "actions_added")


def exercise_progress(exercise: Exercise) -> dict[str, int]:
    """What the participants did in the sandbox (minus what the scenario seeded): counts only."""
    if not exercise.is_open:
        return {name: getattr(exercise, name) for name in COUNT_FIELDS}
    now = _counts(exercise.cell_id)
    return {name: max(0, now[name] - exercise.baseline.get(name, 0)) for name in COUNT_FIELDS}


def participant_exercise(event: Event, user: User) -> Exercise | None:
    """The open exercise of this event if the user is in its sandbox."""
    exercise = Exercise.objects.filter(event=event, status=ExerciseStatus.OPEN).first()
    if exercise is None or exercise.cell_id is None:
        return None
    with scopes_disabled():
        member = Membership.objects.filter(
            cell_id=exercise.cell_id, user=user, ended_at__isnull=True, role__in=CELL_ROLES
        ).exists()
    return exercise if member else None


# --- Wipe ------------------------------------------------------------------------------------


def _cell_foreign_keys() -> list[models.ForeignKey[Any, Any]]:
    """Every concrete foreign key to ``cells.Cell`` that cascades, except the cell itself."""
    keys = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey)
                and field.related_model is Cell
                and field.remote_field.on_delete is models.CASCADE
            ):
                keys.append(field)
    return keys


# Deleted first and in this order: PROTECT keys (a membership, invitation or action pointing
# at an organisation) would otherwise block the cascade from the cell.
WIPE_ORDER = (
    "intake.Signal",
    "cases.Case",
    "meetings.Meeting",
    "cells.Membership",
    "cells.Invitation",
)


def _wipe_rows(cell_id: Any) -> tuple[dict[str, int], list[str]]:
    keys = _cell_foreign_keys()
    files: list[str] = []
    for field in keys:
        model = field.model
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for file_field in file_fields:
            for name in model._base_manager.filter(**{field.name: cell_id}).values_list(
                file_field.attname, flat=True
            ):
                if name:
                    files.append(name)
    deleted: dict[str, int] = {}

    def delete(model: type[models.Model], name: str) -> None:
        _total, per_model = model._base_manager.filter(**{name: cell_id}).delete()
        for label, count in per_model.items():
            deleted[label] = deleted.get(label, 0) + count

    for label in WIPE_ORDER:
        model = apps.get_model(label)
        delete(model, "cell_id")
    pending = [f for f in keys if f.model._meta.label not in WIPE_ORDER]
    for _attempt in range(len(pending) + 1):
        blocked = []
        for field in pending:
            try:
                with transaction.atomic():
                    delete(field.model, field.attname)
            except ProtectedError:
                blocked.append(field)
        if not blocked:
            break
        pending = blocked
    else:
        raise ValidationError(_("The training cell could not be wiped completely."))
    _total, per_model = Cell.objects.filter(pk=cell_id, is_sandbox=True).delete()
    for label, count in per_model.items():
        deleted[label] = deleted.get(label, 0) + count
    return deleted, files


def _remove_files(cell_id: Any, names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("A file of wiped training cell %s could not be removed", cell_id)
    root = Path(settings.MEDIA_ROOT).resolve()
    folder = (root / "cells" / str(cell_id)).resolve()
    if folder.is_relative_to(root) and folder != root and folder.exists():
        shutil.rmtree(folder, ignore_errors=True)


@transaction.atomic
def exercise_wipe(
    *, exercise: Exercise, user: User | None = None, reason: str = "manual", request: Any = None
) -> bool:
    """Delete the sandbox cell and everything in it; keep the exercise with its counts.

    Retention rules and legal holds of real cases do not apply: only a cell with
    ``is_sandbox=True`` is ever touched. ``user`` is None for the automatic wipe. Returns False
    when there was nothing left to wipe (idempotent).
    """
    if user is not None and not user.is_vvsg_staff:
        raise PermissionDenied
    exercise = Exercise.objects.select_for_update(no_key=True).get(pk=exercise.pk)
    if exercise.status == ExerciseStatus.WIPED:
        return False
    cell_id = exercise.cell_id
    deleted: dict[str, int] = {}
    files: list[str] = []
    if cell_id is not None:
        with scopes_disabled():
            # FOR UPDATE: the training cell's rows are deleted below.
            cell = Cell.objects.select_for_update().get(pk=cell_id)
            if not cell.is_sandbox:  # never, by construction; refuse rather than delete
                raise ValidationError(_("Only a training cell can be wiped."))
            for name, value in exercise_progress(exercise).items():
                setattr(exercise, name, value)
            deleted, files = _wipe_rows(cell_id)
    exercise.status = ExerciseStatus.WIPED
    exercise.cell = None
    exercise.wiped_at = timezone.now()
    exercise.wiped_by = user
    exercise.save()
    audit_record(
        action="exercises.exercise.wiped",
        actor=user,
        cell=cell_id,
        target=exercise,
        request=request,
        data={"reason": reason, "rows": sum(deleted.values()), "files": len(files)},
    )
    if cell_id is not None:
        transaction.on_commit(lambda: _remove_files(cell_id, files), robust=True)
    return True


def exercises_wipe_due(*, now: datetime.datetime | None = None) -> int:
    """Wipe every open sandbox whose event ended VANGNET_EXERCISE_WIPE_AFTER_HOURS ago or was
    cancelled. Idempotent (for cron). Returns the number wiped."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(hours=wipe_after_hours())
    due = Exercise.objects.filter(status=ExerciseStatus.OPEN).filter(
        models.Q(event__ends_at__lte=limit) | models.Q(event__status=EventStatus.CANCELLED)
    )
    count = 0
    for exercise in due:
        reason = "cancelled" if exercise.event.status == EventStatus.CANCELLED else "ended"
        if exercise_wipe(exercise=exercise, reason=reason):
            count += 1
    return count


def exercise_wipe_for_cancelled_event(event: Event) -> None:
    """Called by ``events.services.event_cancel``: a cancelled exercise leaves no sandbox."""
    exercise = Exercise.objects.filter(event=event, status=ExerciseStatus.OPEN).first()
    if exercise is not None:
        exercise_wipe(exercise=exercise, reason="cancelled")
