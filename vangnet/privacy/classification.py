"""Which model fields hold personal data: the classification behind the art. 30 register.

Every concrete field (and many-to-many field) of every installed model is named here, by a
human: personal (whose data, which category, what it is), not personal, or a secret that is
not personal data (key material, token hashes). Third-party models (Django's auth, sessions,
django-axes) are classified too, so that an upgrade that starts storing something new is
noticed. ``privacy/tests/test_classification.py`` fails for a field that is not classified and
for an entry whose field no longer exists.

The convention:
- **personal**: the value identifies a person (name, birth date, address, e-mail, a link to a
  user account, an IP address) or says something about a person (free text about them, the
  minor flag, "known to police", the factor checklist, how a member voted, a member's role);
- **not personal**: structure and workflow (ids, links between records of a cell, statuses,
  handling dates, counters, reference data). Such a value is about a person only through its
  record, whose identifying fields are classified as personal;
- **secret**: key material and hashes of random tokens, needed for security and meaningless
  without the system.

How to classify a new field: add it to its model's entry below, e.g.
``"subject_name": _discussed(DataCategory.IDENTITY, _("Name of the person"))``, or name it in
the entry's ``not_personal`` string (a flag such as ``professional_secret``). A new model gets
an entry ``"app_label.Model": _model(personal={...}, not_personal="...", secret="...")`` and a
new app a line in ``ACTIVITY_OF_APP``.

What the test cannot see: keys added later inside a JSON field (``AuditEvent.data``,
``Exercise.baseline``, ``CellProfile.insights_sharing``), and a field a reviewer put in
``not_personal`` by mistake. A change that writes new keys into a JSON field, or classifies a
field as not personal, needs the same human look at review.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Field
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vangnet.keyring.fields import EncryptedTextField

Text = str | Promise


class Subject(models.TextChoices):
    """Categories of data subjects (explained in ``SUBJECT_EXPLANATION``)."""

    DISCUSSED = "discussed", _("Persons discussed")
    THIRD_PARTY = "third_party", _("Third persons")
    PROFESSIONAL = "professional", _("Professionals")
    VVSG_STAFF = "vvsg_staff", _("VVSG staff")
    RESPONDENT = "respondent", _("Respondents")
    VISITOR = "visitor", _("Sign-in attempts")


SUBJECT_EXPLANATION: dict[str, Text] = {
    Subject.DISCUSSED: _("Persons about whom a signal is reported or a case is opened"),
    Subject.THIRD_PARTY: _("Others named in free text: relatives, contacts, neighbours"),
    Subject.PROFESSIONAL: _(
        "Cell members, partner contact persons and local-government staff using the platform"
    ),
    Subject.VVSG_STAFF: _("VVSG staff: support desk, coaches, editors, administrators"),
    Subject.RESPONDENT: _("Respondents to surveys, self-evaluations and event feedback"),
    Subject.VISITOR: _("Anyone who tries to sign in or asks for a password reset"),
}


class DataCategory(models.TextChoices):
    """Categories of personal data (explained in ``CATEGORY_EXPLANATION``)."""

    IDENTITY = "identity", _("Identification data")
    CONTACT = "contact", _("Contact details")
    SPECIAL = "special", _("Special categories (art. 9)")
    CRIMINAL = "criminal", _("Criminal offences (art. 10)")
    CASE = "case", _("Case data")
    FREE_TEXT = "free_text", _("Other free text and documents")
    PROFESSIONAL = "professional", _("Professional role and activity")
    ACCOUNT = "account", _("Account and sign-in data")
    PSEUDONYMOUS = "pseudonymous", _("Pseudonymous codes")


CATEGORY_EXPLANATION: dict[str, Text] = {
    DataCategory.IDENTITY: _("Name, date of birth or age band, address, municipality"),
    DataCategory.CONTACT: _("E-mail address and phone number"),
    DataCategory.SPECIAL: _(
        "Free text about the person and the factor checklist: may reveal beliefs, political "
        "opinions, origin or (mental) health"
    ),
    DataCategory.CRIMINAL: _("Known to police or followed up by the LTF: yes / no / unknown only"),
    DataCategory.CASE: _("Minor, concern, urgency, outcome, whether the person is informed"),
    DataCategory.FREE_TEXT: _("Free text and uploaded documents that may name a person"),
    DataCategory.PROFESSIONAL: _("Role, organisation, attendance, votes, who did what"),
    DataCategory.ACCOUNT: _("E-mail address, sessions, second factor, IP address, browser"),
    DataCategory.PSEUDONYMOUS: _("Case codes, user ids and keyed hashes"),
}


class Activity(models.TextChoices):
    """The processing activities of the register; each app belongs to one."""

    CASEWORK = "casework", _("Signals, cases and case consultation (the cell's core task)")
    CELL = "cell", _("Running the cell: members, partners, framework, self-evaluation, surveys")
    ACCOUNTS = "accounts", _("User accounts, sign-in security, encryption keys and the audit log")
    SUPPORT = "support", _("VVSG support: helpdesk, knowledge base, forum, events, coaching")


ACTIVITY_OF_APP: dict[str, Activity] = {
    "intake": Activity.CASEWORK,
    "cases": Activity.CASEWORK,
    "meetings": Activity.CASEWORK,
    "cells": Activity.CELL,
    "network": Activity.CELL,
    "scans": Activity.CELL,
    "surveys": Activity.CELL,
    "privacy": Activity.CELL,
    "breaches": Activity.CELL,
    "accounts": Activity.ACCOUNTS,
    "audit": Activity.ACCOUNTS,
    "keyring": Activity.ACCOUNTS,
    "auth": Activity.ACCOUNTS,
    "contenttypes": Activity.ACCOUNTS,
    "sessions": Activity.ACCOUNTS,
    "axes": Activity.ACCOUNTS,
    "questionnaires": Activity.SUPPORT,
    "knowledge": Activity.SUPPORT,
    "helpdesk": Activity.SUPPORT,
    "forum": Activity.SUPPORT,
    "events": Activity.SUPPORT,
    "coaching": Activity.SUPPORT,
    "exercises": Activity.SUPPORT,
    "insights": Activity.SUPPORT,
}


@dataclass(frozen=True)
class Personal:
    subjects: tuple[Subject, ...]
    category: DataCategory
    description: Text


@dataclass(frozen=True)
class NotPersonal:
    pass


@dataclass(frozen=True)
class Secret:
    """Key material or a hash of a random token: protected, but not personal data."""


NOT_PERSONAL = NotPersonal()
SECRET = Secret()

Classification = Personal | NotPersonal | Secret

_D = Subject.DISCUSSED
_T = Subject.THIRD_PARTY
_P = Subject.PROFESSIONAL
_V = Subject.VVSG_STAFF
_R = Subject.RESPONDENT
_USERS = (_P, _V)  # any account: local professionals and VVSG staff


def _discussed(category: DataCategory, description: Text) -> Personal:
    return Personal((_D,), category, description)


def _about_person(description: Text) -> Personal:
    """Free text about a person discussed; may mention relatives or contacts too."""
    return Personal((_D, _T), DataCategory.SPECIAL, description)


def _case(description: Text) -> Personal:
    return Personal((_D,), DataCategory.CASE, description)


def _member(description: Text) -> Personal:
    """A cell member or partner professional: who did something, their role or activity."""
    return Personal((_P,), DataCategory.PROFESSIONAL, description)


def _user(description: Text) -> Personal:
    """A link to any account (a local professional or VVSG staff)."""
    return Personal(_USERS, DataCategory.PROFESSIONAL, description)


def _staff(description: Text) -> Personal:
    return Personal((_V,), DataCategory.PROFESSIONAL, description)


def _account(description: Text, subjects: tuple[Subject, ...] = _USERS) -> Personal:
    return Personal(subjects, DataCategory.ACCOUNT, description)


def _text(description: Text, subjects: tuple[Subject, ...] = (_P, _T)) -> Personal:
    return Personal(subjects, DataCategory.FREE_TEXT, description)


def _model(
    *,
    personal: dict[str, Personal] | None = None,
    not_personal: str = "",
    secret: str = "",
) -> dict[str, Classification]:
    """One model's entry: personal fields with their classification, the other field names as
    whitespace-separated strings. A field named twice is a mistake and fails at import."""
    entry: dict[str, Classification] = dict(personal or {})
    for names, classification in ((not_personal, NOT_PERSONAL), (secret, SECRET)):
        for name in names.split():
            if name in entry:
                raise ValueError(f"field {name!r} is classified twice")
            entry[name] = classification
    return entry


_FILE_META = "extension content_type size sha256"

REGISTRY: dict[str, dict[str, Classification]] = {
    # --- accounts ---------------------------------------------------------------------------
    "accounts.User": _model(
        personal={
            "email": _account(_("E-mail address (sign-in name)")),
            "full_name": Personal(_USERS, DataCategory.IDENTITY, _("Full name of the user")),
            "platform_role": _staff(_("Platform role (VVSG staff, administrator)")),
            "last_login": _account(_("Time of the last sign-in")),
        },
        not_personal="id is_active date_joined",
        secret="password",
    ),
    "accounts.TOTPDevice": _model(
        personal={"user": _account(_("Owner of the authenticator app (second factor)"))},
        not_personal=(
            "id name confirmed throttling_failure_timestamp throttling_failure_count uid step "
            "digits last_t created_at"
        ),
        secret="key",
    ),
    "accounts.RecoveryCodeDevice": _model(
        personal={"user": _account(_("Owner of the recovery codes"))},
        not_personal="id name confirmed throttling_failure_timestamp throttling_failure_count",
    ),
    "accounts.RecoveryCode": _model(not_personal="id device used_at", secret="code_hash"),
    "accounts.UserSession": _model(
        personal={
            "user": _account(_("Whose session it is")),
            "user_agent": _account(_("Browser and device description of the session")),
            "last_seen_at": _account(_("Last activity in the session")),
        },
        not_personal="id created_at",
        secret="token_hash session_key",
    ),
    "accounts.PasswordResetRequest": _model(
        personal={
            "address_hash": _account(
                _("Keyed hash of the e-mail address of a reset request (kept one day)"),
                (_P, _V, Subject.VISITOR),
            ),
            "ip_hash": _account(
                _("Keyed hash of the IP address of a reset request (kept one day)"),
                (_P, _V, Subject.VISITOR),
            ),
        },
        not_personal="id created_at",
    ),
    # --- cells --------------------------------------------------------------------------------
    "cells.Municipality": _model(
        not_personal=(
            "nis_code name_nl name_fr arrondissement_nis arrondissement_nl province_nis province_nl"
        )
    ),
    "cells.Cell": _model(not_personal="id name created_at is_sandbox municipalities"),
    "cells.Framework": _model(
        personal={"approved_by": _member(_("The mayor who approved the framework"))},
        not_personal=(
            "id cell legal_basis legal_reference finality participant_categories "
            "working_arrangements start_date updated_at approved_at"
        ),
    ),
    "cells.FrameworkPhenomenon": _model(
        not_personal="id cell phenomenon legal_basis legal_basis_date enabled_at disabled_at"
    ),
    "cells.CellProfile": _model(
        not_personal=(
            "id cell meeting_rhythm coordinator_fte privacy_notice retention_closed_case_months "
            "retention_signal_months map_shared_with_vvsg insights_sharing updated_at"
        )
    ),
    "cells.CellDocument": _model(
        personal={
            "file": _text(_("House rules or agreement; may name the signatories"), (_P,)),
            "uploaded_by": _member(_("Who uploaded the document")),
        },
        not_personal=f"id cell kind version title {_FILE_META} approved_on uploaded_at",
    ),
    "cells.Membership": _model(
        personal={
            "user": _member(_("The member")),
            "role": _member(_("The member's role in the cell")),
            "organisation": _member(_("The partner organisation the member represents")),
        },
        not_personal="id cell started_at ended_at",
    ),
    "cells.SecrecyAcknowledgement": _model(
        personal={"user": _member(_("Who acknowledged the secrecy duty (art. 458ter Sw.)"))},
        not_personal="id cell context text_version acknowledged_at",
    ),
    "cells.Invitation": _model(
        personal={
            "email": Personal((_P,), DataCategory.CONTACT, _("E-mail address of the invitee")),
            "role": _member(_("Role offered to the invitee")),
            "organisation": _member(_("Organisation of the invitee")),
            "invited_by": _member(_("Who sent the invitation")),
        },
        not_personal="id cell created_at expires_at used_at revoked_at",
        secret="token_hash",
    ),
    # --- network ------------------------------------------------------------------------------
    "network.Organisation": _model(
        not_personal="id cell name sector participation status joined_on created_at"
    ),
    "network.ContactPerson": _model(
        personal={
            "name": Personal((_P,), DataCategory.IDENTITY, _("Name of a partner contact person")),
            "function": _member(_("Function of the contact person")),
            "email": Personal((_P,), DataCategory.CONTACT, _("E-mail of the contact person")),
            "phone": Personal((_P,), DataCategory.CONTACT, _("Phone of the contact person")),
        },
        not_personal="id cell organisation",
    ),
    "network.CollaborationLink": _model(
        not_personal="id cell source target description created_at"
    ),
    # --- intake -------------------------------------------------------------------------------
    "intake.Signal": _model(
        personal={
            "submitted_by": _member(_("Who reported the signal")),
            "category": _case(_("What the concern is about (ideology, violence, travel...)")),
            "phenomenon": _case(_("Phenomenon of the concern")),
            "urgency": _case(_("Urgency of the concern")),
            "description": _about_person(_("Short factual description of the concern")),
            "person_name": _discussed(DataCategory.IDENTITY, _("Name of the person")),
            "person_birth_date": _discussed(
                DataCategory.IDENTITY, _("Date of birth of the person")
            ),
            "person_age_band": _discussed(DataCategory.IDENTITY, _("Age band of the person")),
            "person_municipality": _discussed(
                DataCategory.IDENTITY, _("Municipality where the person lives")
            ),
            "is_minor": _case(_("The person is a minor")),
            "screened_by": _member(_("Who screened the signal")),
            "outcome": _case(_("Outcome of the screening")),
            "outcome_reason": _about_person(_("Reason for the screening outcome")),
            "redirected_to": _about_person(_("Where the person was redirected to")),
            "referrer_informed": _member(_("Whether the referrer was informed")),
            "known_to_police": _discussed(
                DataCategory.CRIMINAL, _("Known to police or followed up by the LTF (R-17)")
            ),
        },
        not_personal=(
            "id cell origin_organisation origin_sector received_on professional_secret "
            "created_at screened_at referrer_informed_on case delete_after"
        ),
    ),
    "intake.TrendSignal": _model(
        personal={
            "submitted_by": _member(_("Who reported the trend signal")),
            "area": _text(_("Area or district of a trend (may name a street)"), (_T,)),
            "description": _text(_("Description of a trend (no person intended)"), (_T,)),
        },
        not_personal="id cell origin_organisation received_on category created_at",
    ),
    # --- cases --------------------------------------------------------------------------------
    "cases.Case": _model(
        personal={
            "code": _discussed(
                DataCategory.PSEUDONYMOUS, _("Case code: the pseudonym of the person")
            ),
            "phenomenon": _case(_("Phenomenon of the case")),
            "person_name": _discussed(DataCategory.IDENTITY, _("Name of the person")),
            "person_birth_date": _discussed(
                DataCategory.IDENTITY, _("Date of birth of the person")
            ),
            "person_address": _discussed(DataCategory.IDENTITY, _("Address of the person")),
            "identity_index": _discussed(
                DataCategory.PSEUDONYMOUS,
                _("Keyed hash of name and date of birth (finds an existing case)"),
            ),
            "is_minor": _case(_("The person is a minor")),
            "summary": _about_person(_("Agreed headline summary of the case")),
            "person_informed": _case(_("Whether the person is informed (art. 13/14 GDPR)")),
            "person_informed_reason": _about_person(_("Why the person is not informed")),
            "person_informed_deferred_until": _case(_("Information deferred until")),
            "opened_by": _member(_("Who opened the case")),
            "closure_reason": _case(_("Why the case was closed")),
            "closure_outcome": _about_person(_("Outcome of the case at closure")),
            "legal_hold_reason": _text(_("Reason for a legal hold on the case"), (_D, _T)),
        },
        not_personal=(
            "id cell status review_due opened_at closed_at delete_after legal_hold "
            "legal_hold_review"
        ),
    ),
    "cases.Participant": _model(
        personal={
            "user": _member(_("A professional with access to the case (need to know)")),
            "organisation": _member(_("The participant's organisation")),
            "reason": _text(_("Why the participant needs to know"), (_P, _D)),
            "is_case_manager": _member(_("The participant is the case manager")),
        },
        not_personal="id cell case until_action added_at removed_at",
    ),
    "cases.Action": _model(
        personal={"description": _about_person(_("An action agreed for the person"))},
        not_personal=(
            "id cell case owner professional_secret due_date status created_at completed_at"
        ),
    ),
    "cases.Factor": _model(
        personal={
            "dimension": _discussed(
                DataCategory.SPECIAL,
                _("Dimension of the factor checklist (e.g. mental vulnerability)"),
            ),
            "kind": _discussed(DataCategory.SPECIAL, _("Risk or protective factor")),
            "note": _about_person(_("Headline note on the factor")),
        },
        not_personal="id cell case",
    ),
    "cases.CaseCounter": _model(not_personal="id cell year last"),
    # --- meetings -----------------------------------------------------------------------------
    "meetings.Meeting": _model(
        personal={"chair": _member(_("Who chairs the meeting"))},
        not_personal=(
            "id cell kind title starts_at ends_at place online_link created_at held_at "
            "minutes_version invited_organisations"
        ),
    ),
    "meetings.MeetingInvitation": _model(not_personal="id cell meeting organisation"),
    "meetings.AgendaItem": _model(
        personal={
            "summary": _about_person(_("Summary of the discussion of a case item")),
            "decisions": _about_person(_("Decisions taken on a case item")),
        },
        not_personal="id cell meeting position kind case title professional_secret next_review",
    ),
    "meetings.Attendance": _model(
        personal={
            "user": _member(_("Who was invited to the meeting")),
            "organisation": _member(_("Organisation of the attendee")),
            "present": _member(_("Whether the attendee was present")),
            "secrecy_acknowledged_at": _member(
                _("When the attendee acknowledged the secrecy duty")
            ),
        },
        not_personal="id cell meeting",
    ),
    "meetings.CarryOver": _model(not_personal="id cell item action reason"),
    "meetings.FeedbackSheet": _model(
        personal={"text": _about_person(_("Feedback sheet to the police (consensus, R-06)"))},
        not_personal="id cell item status no_secrets_confirmed created_at sent_at",
    ),
    "meetings.FeedbackVote": _model(
        personal={
            "user": _member(_("Who voted on the feedback sheet")),
            "vote": _member(_("How the member voted")),
        },
        not_personal="id cell sheet voted_at",
    ),
    "meetings.MinutesApproval": _model(
        personal={
            "approved_by": _member(_("Who approved a version of the minutes")),
            "reason": _text(_("Reason for a new version of the minutes")),
        },
        not_personal="id cell meeting version approved_at",
    ),
    # --- questionnaires, scans, surveys -------------------------------------------------------
    "questionnaires.Template": _model(
        personal={"created_by": _staff(_("Who loaded the questionnaire version"))},
        not_personal="id slug version title definition source created_at",
    ),
    "scans.Round": _model(
        personal={
            "opened_by": _member(_("Who opened the self-evaluation")),
            "invited_user_ids": _member(_("Who got a link (kept apart from the responses)")),
        },
        not_personal=(
            "id cell template title does_case_management opened_at closed_at shared_with_vvsg"
        ),
    ),
    "scans.RespondentInvitation": _model(
        personal={
            "is_coordinator": Personal(
                (_R,), DataCategory.PROFESSIONAL, _("The invited respondent is the coordinator")
            ),
        },
        not_personal="id cell round role sector",
        secret="token_hash",
    ),
    "scans.Response": _model(
        personal={
            "role": Personal((_R,), DataCategory.PROFESSIONAL, _("Respondent group")),
            "sector": Personal((_R,), DataCategory.PROFESSIONAL, _("Respondent's sector")),
            "is_coordinator": Personal(
                (_R,), DataCategory.PROFESSIONAL, _("The respondent is the coordinator")
            ),
        },
        not_personal="id cell round",
    ),
    "scans.Answer": _model(
        personal={"text": _text(_("Free-text answer of a respondent"), (_R, _T))},
        not_personal="id cell response module situation indicator value",
    ),
    "scans.ImprovementAction": _model(
        personal={"owner": _member(_("Who owns the improvement action"))},
        not_personal="id cell round module description due_date category done created_at",
    ),
    "surveys.Survey": _model(
        personal={
            "created_by": _user(_("Who created the survey")),
            "invited_user_ids": _user(_("Who got a personal link (kept apart from answers)")),
        },
        not_personal=(
            "id cell template title intro audience body anonymous_link status created_at "
            "opened_at closes_on closed_at"
        ),
        secret="anonymous_token_hash",
    ),
    "surveys.SurveyInvitation": _model(not_personal="id cell survey", secret="token_hash"),
    "surveys.SurveyResponse": _model(not_personal="id cell survey"),
    "surveys.SurveyAnswer": _model(
        personal={"text": _text(_("Free-text answer of a respondent"), (_R, _T))},
        not_personal="id cell response module indicator value choices",
    ),
    # --- knowledge ----------------------------------------------------------------------------
    "knowledge.Theme": _model(not_personal="id slug name position"),
    "knowledge.Tag": _model(not_personal="id name"),
    "knowledge.Item": _model(
        personal={
            "created_by": _staff(_("Who wrote the knowledge item")),
            "updated_by": _staff(_("Who last changed the knowledge item")),
        },
        not_personal=(
            "id kind title summary body body_text audience status published_at created_at "
            "updated_at search_vector themes tags related"
        ),
    ),
    "knowledge.ItemFile": _model(
        personal={"uploaded_by": _staff(_("Who uploaded the file"))},
        not_personal=f"id item version file download_name {_FILE_META} note uploaded_at downloads",
    ),
    "knowledge.GoodPractice": _model(
        personal={
            "context": _text(_("Good practice text (checked for personal data)")),
            "approach": _text(_("Good practice text (checked for personal data)")),
            "results": _text(_("Good practice text (checked for personal data)")),
            "contact_role": _member(_("Role of the contact for the practice")),
            "submitted_by": _member(_("Who submitted the good practice")),
            "review_note": _text(_("VVSG's review note to the submitter"), (_P, _V)),
            "reviewed_by": _staff(_("Who reviewed the good practice")),
        },
        not_personal=(
            "id municipality theme title personal_data_confirmed status submitted_at "
            "reviewed_at item"
        ),
    ),
    # --- helpdesk -----------------------------------------------------------------------------
    "helpdesk.Question": _model(
        personal={
            "asker": _member(_("Who asked the question")),
            "subject": _text(_("Subject of a helpdesk question")),
            "body": _text(_("Text of a helpdesk question")),
            "assigned_to": _staff(_("Who handles the question")),
        },
        not_personal=(
            "id reference municipality cell theme status personal_data_confirmed created_at "
            "due_at first_response_at answered_at closed_at updated_at faq_item"
        ),
    ),
    "helpdesk.Message": _model(
        personal={
            "author": _user(_("Who wrote the message")),
            "body": _text(_("Reply, follow-up or internal note"), (_P, _V, _T)),
        },
        not_personal="id question kind created_at linked_items",
    ),
    "helpdesk.Attachment": _model(
        personal={
            "file": _text(_("Document attached to a question")),
            "uploaded_by": _user(_("Who attached the document")),
        },
        not_personal=f"id question message {_FILE_META} uploaded_at",
    ),
    "helpdesk.CannedAnswer": _model(not_personal="id title body theme active updated_at"),
    "helpdesk.QuestionCounter": _model(not_personal="year last"),
    # --- forum --------------------------------------------------------------------------------
    "forum.Space": _model(not_personal="id slug name description kind province position archived"),
    "forum.Thread": _model(
        personal={
            "title": _text(_("Title of a forum thread")),
            "author": _user(_("Who started the thread")),
            "locked_reason": _text(_("Why a moderator closed the thread"), (_P, _V)),
        },
        not_personal="id space created_at last_post_at locked",
    ),
    "forum.Post": _model(
        personal={
            "author": _user(_("Who wrote the post")),
            "body": _text(_("Text of a forum post")),
        },
        not_personal="id thread personal_data_confirmed created_at edited_at hidden_at",
    ),
    "forum.Moderation": _model(
        personal={
            "moderator": _staff(_("Who moderated")),
            "reason": _text(_("Reason for a moderation"), (_P, _V)),
        },
        not_personal="id post thread action created_at",
    ),
    "forum.Subscription": _model(
        personal={"user": _user(_("Who follows a space or thread"))},
        not_personal="id space thread created_at notified_at",
    ),
    # --- events -------------------------------------------------------------------------------
    "events.NetworkBody": _model(
        not_personal="id kind name province description active created_at"
    ),
    "events.BodyMembership": _model(
        personal={
            "user": _user(_("Member of a working group or platform")),
            "role": _user(_("Role in the working group or platform")),
        },
        not_personal="id body joined_at ended_at",
    ),
    "events.BodyDocument": _model(
        personal={
            "file": _text(_("Document shared within a working group"), (_P, _V)),
            "uploaded_by": _user(_("Who uploaded the document")),
        },
        not_personal=f"id body title version {_FILE_META} uploaded_at",
    ),
    "events.EventSeries": _model(not_personal="id name body created_at"),
    "events.Event": _model(
        personal={"created_by": _staff(_("Who created the event"))},
        not_personal=(
            "id kind title description series body starts_at ends_at location online_url "
            "capacity audience status feedback_template created_at updated_at materials"
        ),
    ),
    "events.Registration": _model(
        personal={
            "user": _user(_("Who registered for an event")),
            "status": _user(_("Registered, waiting list or cancelled")),
            "attended": _user(_("Whether the person attended")),
            "feedback_given": _user(_("Whether the person gave (anonymous) feedback")),
        },
        not_personal="id event created_at cancelled_at reminded_at",
    ),
    "events.CalendarFeed": _model(
        personal={"user": _account(_("Owner of a personal calendar feed"))},
        not_personal="id created_at revoked_at",
        secret="token_hash",
    ),
    "events.FeedbackResponse": _model(not_personal="id event"),
    "events.FeedbackAnswer": _model(
        personal={"text": _text(_("Free-text event feedback (anonymous)"), (_R, _T))},
        not_personal="id response module indicator value",
    ),
    # --- coaching -----------------------------------------------------------------------------
    "coaching.Trajectory": _model(
        personal={
            "coach": _staff(_("The VVSG coach")),
            "created_by": _staff(_("Who created the trajectory")),
            "updated_by": _staff(_("Who last changed the trajectory")),
        },
        not_personal=("id title category status started_on ended_on created_at updated_at cells"),
    ),
    "coaching.Milestone": _model(
        personal={"note": _text(_("Note on a coaching milestone"), (_P, _V))},
        not_personal="id trajectory kind planned_on done_on personal_data_confirmed position",
    ),
    "coaching.CoachingNote": _model(
        personal={
            "author": _staff(_("The coach who wrote the note")),
            "body": _text(_("A coach's note on the cell's work"), (_P, _V, _T)),
        },
        not_personal="id trajectory shared_with_cell personal_data_confirmed created_at",
    ),
    "coaching.CoachingDocument": _model(
        personal={
            "file": _text(_("Coaching document"), (_P, _V)),
            "uploaded_by": _staff(_("Who uploaded the document")),
        },
        not_personal=(
            f"id trajectory title version {_FILE_META} shared_with_cell "
            "personal_data_confirmed uploaded_at"
        ),
    ),
    # --- exercises, insights ------------------------------------------------------------------
    "exercises.Exercise": _model(
        personal={
            "opened_by": _staff(_("Who opened the exercise sandbox")),
            "wiped_by": _staff(_("Who wiped the exercise sandbox")),
        },
        not_personal=(
            "id event cell scenario status opened_at wiped_at baseline signals_screened "
            "cases_opened meetings_held actions_added"
        ),
    ),
    "insights.Publication": _model(not_personal="id year csv json published_at"),
    # --- privacy ------------------------------------------------------------------------------
    "privacy.AccessReview": _model(
        personal={
            "reviewed_by": _member(_("Who signed off the access review")),
            "findings": _text(_("Findings of an access review (may name members)"), (_P,)),
        },
        not_personal="id cell period_start period_end reviewed_at events hints",
    ),
    "privacy.SubjectRequest": _model(
        personal={
            "kind": _case(_("Which right the person exercises")),
            "subject_name": _discussed(
                DataCategory.IDENTITY, _("Name of the person who exercises a right")
            ),
            "subject_birth_date": _discussed(
                DataCategory.IDENTITY, _("Date of birth of the person who exercises a right")
            ),
            "request_text": _text(_("What the person asks"), (_D, _T)),
            "identity_verified": _case(_("Whether the person's identity was verified")),
            "registered_by": _member(_("Who registered the request")),
            "extension_reason": _text(_("Why the deadline was extended"), (_D,)),
            "decision": _case(_("Decision on the request")),
            "grounds": _text(_("Grounds for the decision"), (_D, _T)),
            "restrictions": _text(_("Restrictions of the person's rights (art. 23)"), (_D,)),
            "decided_by": _member(_("Who decided on the request")),
            "confirmed_ids": _case(_("Records confirmed as the person's (ids)")),
        },
        not_personal=(
            "id cell received_on registered_at extended_until decided_at exported_at erased_at "
            "erased_cases erased_signals kept_cases"
        ),
    ),
    "breaches.Breach": _model(
        personal={
            "registered_by": _member(_("Who registered the breach")),
            "description": _text(_("What happened (may name persons)"), (_D, _P, _T)),
            "consequences": _text(_("Likely consequences of the breach"), (_D, _P)),
            "measures": _text(_("Measures taken or proposed"), (_D, _P)),
            "contact": Personal((_P,), DataCategory.CONTACT, _("Contact point for the breach")),
            "risk_grounds": _text(_("Grounds of the risk assessment"), (_D, _P)),
            "late_reason": _text(_("Reasons for a late notification"), (_P,)),
            "subject_categories": _text(_("Categories of data subjects affected"), (_D, _P)),
            "record_categories": _text(_("Categories of records affected"), (_D, _P)),
            "subjects_informed_how": _text(_("How the data subjects were informed"), (_D,)),
        },
        not_personal=(
            "id cell code status occurred_at occurred_approximate aware_at registered_at "
            "nature subject_count record_count risk "
            "notified_at authority_reference subjects_informed_at closed_at updated_at"
        ),
    ),
    # --- keyring, audit -----------------------------------------------------------------------
    "keyring.DataKey": _model(
        not_personal="id cell version master_key_id active created_at", secret="wrapped_key"
    ),
    "keyring.EncryptionProbe": _model(not_personal="id cell created_at", secret="secret"),
    "audit.AuditEvent": _model(
        personal={
            "actor_id": Personal(
                _USERS, DataCategory.PSEUDONYMOUS, _("Id of the user who acted (audit log)")
            ),
            "actor_role": _user(_("Role of the user who acted")),
            "occurred_at": _user(_("When the user acted")),
            # The id of what was acted on: a user, a case or a signal. Pseudonymous, but it
            # links "who opened whose case".
            "object_id": Personal(
                (*_USERS, _D),
                DataCategory.PSEUDONYMOUS,
                _("Id of the record acted on (a user, a case, a signal)"),
            ),
            # Ids, counts and codes only; some codes describe a person (a member's role, a
            # case's closure reason).
            "data": Personal(
                (*_USERS, _D),
                DataCategory.PSEUDONYMOUS,
                _("Details of the event: ids, counts and codes"),
            ),
        },
        not_personal="position cell_id action object_type request_id prev_hash hash",
    ),
    # --- third-party models -------------------------------------------------------------------
    "auth.Permission": _model(not_personal="id name content_type codename"),
    "auth.Group": _model(not_personal="id name permissions"),
    "contenttypes.ContentType": _model(not_personal="id app_label model"),
    "sessions.Session": _model(
        personal={"session_data": _account(_("Server-side session: the signed-in user's id"))},
        not_personal="expire_date",
        secret="session_key",
    ),
    "axes.AccessAttempt": _model(
        personal={
            "user_agent": _account(_("Browser of a failed sign-in"), (Subject.VISITOR,)),
            "ip_address": _account(_("IP address of a failed sign-in"), (Subject.VISITOR,)),
            "username": _account(_("E-mail typed at a failed sign-in"), (Subject.VISITOR,)),
            "get_data": _account(_("Query of a failed sign-in"), (Subject.VISITOR,)),
            "post_data": _account(
                _("Form of a failed sign-in (password masked)"), (Subject.VISITOR,)
            ),
        },
        not_personal="id http_accept path_info attempt_time failures_since_start",
    ),
    "axes.AccessAttemptExpiration": _model(not_personal="access_attempt expires_at"),
    "axes.AccessFailureLog": _model(
        personal={
            "user_agent": _account(_("Browser of a failed sign-in"), (Subject.VISITOR,)),
            "ip_address": _account(_("IP address of a failed sign-in"), (Subject.VISITOR,)),
            "username": _account(_("E-mail typed at a failed sign-in"), (Subject.VISITOR,)),
        },
        not_personal="id http_accept path_info attempt_time locked_out",
    ),
    "axes.AccessLog": _model(
        personal={
            "user_agent": _account(_("Browser of a sign-in"), (Subject.VISITOR,)),
            "ip_address": _account(_("IP address of a sign-in"), (Subject.VISITOR,)),
            "username": _account(_("E-mail of a sign-in"), (Subject.VISITOR,)),
        },
        not_personal="id http_accept path_info attempt_time logout_time session_hash",
    ),
}


@dataclass(frozen=True)
class ClassifiedField:
    """A personal field as the register shows it."""

    path: str  # "app_label.Model.field"
    model_name: Text  # verbose name of the model
    field_name: Text  # verbose name of the field
    activity: Activity | None
    subjects: tuple[Subject, ...]
    category: DataCategory
    description: Text
    encrypted: bool


def model_fields(model: type[models.Model]) -> list[Field[Any, Any]]:
    """The fields a model stores: concrete fields and its own many-to-many fields."""
    meta = model._meta
    return [*meta.concrete_fields, *meta.local_many_to_many]


def classified_models() -> Iterator[type[models.Model]]:
    """Every installed model that stores rows of its own (proxies aside; an unmanaged model
    reads a table too, so it is classified like any other)."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        yield model


def unclassified_fields() -> list[str]:
    """ "app_label.Model.field" of every stored field the registry does not classify."""
    missing = []
    for model in classified_models():
        entry = REGISTRY.get(model._meta.label, {})
        missing += [
            f"{model._meta.label}.{field.name}"
            for field in model_fields(model)
            if field.name not in entry
        ]
    return sorted(missing)


def stale_entries() -> list[str]:
    """Registry entries naming a model or field that no longer exists."""
    existing = {
        f"{model._meta.label}.{field.name}"
        for model in classified_models()
        for field in model_fields(model)
    }
    named = {f"{label}.{name}" for label, entry in REGISTRY.items() for name in entry}
    return sorted(named - existing)


def unassigned_apps() -> list[str]:
    """App labels with models but no processing activity."""
    return sorted({m._meta.app_label for m in classified_models()} - ACTIVITY_OF_APP.keys())


def personal_fields() -> list[ClassifiedField]:
    """Every stored field classified as personal, in app and model order."""
    found = []
    for model in classified_models():
        entry = REGISTRY.get(model._meta.label, {})
        for field in model_fields(model):
            classification = entry.get(field.name)
            if not isinstance(classification, Personal):
                continue
            found.append(
                ClassifiedField(
                    path=f"{model._meta.label}.{field.name}",
                    model_name=model._meta.verbose_name or model._meta.model_name or "",
                    field_name=field.verbose_name or field.name,
                    activity=ACTIVITY_OF_APP.get(model._meta.app_label),
                    subjects=classification.subjects,
                    category=classification.category,
                    description=classification.description,
                    encrypted=isinstance(field, EncryptedTextField),
                )
            )
    return found
