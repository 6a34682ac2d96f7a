"""The demo: fictional cells, people and roles on real municipality names.

Three cells do the cells' own work (signals, cases, meetings, scans); the support desk part
(``support.py``: knowledge base, a year of helpdesk questions from some fifty local governments,
forum, good practices) adds a small cell with one municipal-staff asker for each other local
government that asks questions.

Every demo account has the same password and an authenticator app whose current code
`manage.py demo_otp <e-mail>` prints, so a visitor can pass MFA without a phone. Nothing in
the sign-in code knows about the demo.
"""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from vangnet.accounts.models import PlatformRole, TOTPDevice, User
from vangnet.cases.models import (
    Action,
    ActionStatus,
    Case,
    ClosureReason,
    Dimension,
    FactorKind,
    PersonInformed,
)
from vangnet.cases.services import (
    action_add,
    case_close,
    case_open,
    case_update,
    factors_set,
    participant_add,
)
from vangnet.cells.models import (
    CELL_ROLES,
    MANAGING_ROLES,
    SECRECY_TEXT_VERSION,
    Cell,
    CellProfile,
    LegalBasis,
    Membership,
    Role,
    SecrecyAcknowledgement,
)
from vangnet.cells.services import cell_create, membership_add, profile_update
from vangnet.demo.exercises import exercises_load
from vangnet.demo.network import network_load
from vangnet.demo.people import DEMO_DOMAIN, Persona, demo_user_ensure
from vangnet.demo.privacy import privacy_load
from vangnet.demo.support import mail_silenced, support_load
from vangnet.demo.surveys import surveys_load
from vangnet.insights.sharing import CATEGORY_KEYS
from vangnet.intake.models import AgeBand, Category, Outcome, Signal, TrendSignal, Urgency
from vangnet.intake.services import signal_open_case, signal_screen, signal_submit, trend_submit
from vangnet.meetings.models import (
    Attendance,
    CarryOverReason,
    FeedbackSheet,
    FeedbackVote,
    Meeting,
    MeetingKind,
    MinutesApproval,
    Vote,
)
from vangnet.meetings.services import (
    agenda_propose,
    attendance_set,
    carry_over,
    invitees,
    item_record,
    meeting_create,
    minutes_approve,
    secrecy_acknowledge,
    sheet_mark_sent,
    sheet_save,
    sheet_submit,
    sheet_vote,
    topic_add,
)
from vangnet.network.models import CollaborationLink, Organisation, Participation, Sector
from vangnet.network.services import link_add, organisation_create
from vangnet.scans.models import (
    CoachingCategory,
    ImprovementAction,
    RespondentInvitation,
    Round,
)
from vangnet.scans.services import (
    ROLE_PRIORITY,
    applicable_modules,
    improvement_add,
    response_submit,
    round_close,
    round_open,
    sharing_set,
    token_hash,
)


@dataclass(frozen=True)
class DemoCell:
    slug: str
    name: str
    nis_codes: tuple[str, ...]
    kind: str


DEMO_CELLS = (
    DemoCell("mechelen", "LIVC R Mechelen", ("12025",), "city"),
    DemoCell("wingene", "LIVC R Wingene", ("37021",), "rural"),
    DemoCell(
        "vlaamse-ardennen", "LIVC R Lierde-Horebeke-Maarkedal", ("45063", "45062", "45064"), "joint"
    ),
)

# Fictional people, one list per cell, in the order of ROLE_ORGANISATIONS.
DEMO_NAMES = {
    "mechelen": [
        "Els Van den Broeck",
        "Karim Ouali",
        "Sofie Janssens",
        "Pieter De Smet",
        "Nadia El Amrani",
        "Joris Wouters",
        "Hilde Claes",
    ],
    "wingene": [
        "Marc Vandamme",
        "Lotte Verhaeghe",
        "Bram Declercq",
        "Ann Vermeersch",
        "Tom Desmet",
        "Griet Vanneste",
        "Wim Debruyne",
    ],
    "vlaamse-ardennen": [
        "Katrien De Vos",
        "Stijn Van Hecke",
        "Leen Mertens",
        "Dirk Cools",
        "Ines De Wilde",
        "Koen Van Damme",
        "Mieke Goossens",
    ],
}

# The municipal-staff member of each cell (support desk, knowledge base and forum; no cell pages).
DEMO_MUNICIPAL_STAFF = {
    "mechelen": "Liesbeth Maes",
    "wingene": "Jasper Vanhoutte",
    "vlaamse-ardennen": "Evi Roman",
}

# Role, e-mail prefix, and the sector of the partner organisation the persona represents.
ROLE_ORGANISATIONS = (
    (Role.MAYOR, "burgemeester", None),
    (Role.COORDINATOR, "coordinator", Sector.MUNICIPAL_PREVENTION),
    (Role.DEPUTY_COORDINATOR, "adjunct", Sector.MUNICIPAL_PREVENTION),
    (Role.INFORMATION_OFFICER, "io", Sector.LOCAL_POLICE),
    (Role.PREVENTION_OFFICIAL, "preventie", Sector.MUNICIPAL_PREVENTION),
    (Role.MEMBER, "partner", Sector.CAW),
    (Role.DPO, "dpo", None),
)

P, C, N = Participation.PER_CASE, Participation.CORE, Participation.NETWORK
# Partner networks: (name, sector, participation, status). Wingene has only police and the
# municipality, so its coverage panel warns that no socio-preventive partner is active.
DEMO_PARTNERS: dict[str, list[tuple[str, str, str, str]]] = {
    "mechelen": [
        ("Politiezone Mechelen-Willebroek", Sector.LOCAL_POLICE, C, "active"),
        ("Preventiedienst Mechelen", Sector.MUNICIPAL_PREVENTION, C, "active"),
        ("OCMW Mechelen", Sector.SOCIAL_SERVICES, C, "active"),
        ("CAW Boom Mechelen Lier", Sector.CAW, C, "active"),
        ("CLB Mechelen", Sector.CLB, P, "active"),
        ("Jeugddienst Mechelen", Sector.YOUTH_WORK, P, "active"),
        ("Straathoekwerk Mechelen", Sector.STREET_WORK, P, "active"),
        ("CGG Ruprecht", Sector.MENTAL_HEALTH, P, "active"),
        ("Justitiehuis Mechelen", Sector.JUSTICE_HOUSE, N, "active"),
        ("VDAB Mechelen", Sector.EMPLOYMENT, N, "active"),
        ("Sportdienst Mechelen", Sector.SPORTS_CULTURE, N, "invited"),
    ],
    "wingene": [
        ("Politiezone Regio Tielt", Sector.LOCAL_POLICE, C, "active"),
        ("Preventiedienst Wingene", Sector.MUNICIPAL_PREVENTION, C, "active"),
    ],
    "vlaamse-ardennen": [
        ("Politiezone Vlaamse Ardennen", Sector.LOCAL_POLICE, C, "active"),
        ("Preventiedienst Lierde-Horebeke-Maarkedal", Sector.MUNICIPAL_PREVENTION, C, "active"),
        ("OCMW Maarkedal", Sector.SOCIAL_SERVICES, C, "active"),
        ("CAW Oost-Vlaanderen", Sector.CAW, C, "active"),
        ("CLB Vlaamse Ardennen", Sector.CLB, P, "active"),
        ("Jeugdwerk Lierde", Sector.YOUTH_WORK, N, "stopped"),
    ],
}
DEMO_LINKS = {
    "mechelen": [
        ("Preventiedienst Mechelen", "Politiezone Mechelen-Willebroek", "Signalen en opvolging"),
        ("CAW Boom Mechelen Lier", "OCMW Mechelen", "Gezinsondersteuning"),
        ("CLB Mechelen", "Jeugddienst Mechelen", "Schoolverzuim"),
        ("Straathoekwerk Mechelen", "CAW Boom Mechelen Lier", "Toeleiding"),
        ("CGG Ruprecht", "CAW Boom Mechelen Lier", "Psychosociale begeleiding"),
    ],
    "wingene": [
        ("Preventiedienst Wingene", "Politiezone Regio Tielt", "Signalen"),
    ],
    "vlaamse-ardennen": [
        ("CAW Oost-Vlaanderen", "OCMW Maarkedal", "Begeleiding"),
        ("CLB Vlaamse Ardennen", "Preventiedienst Lierde-Horebeke-Maarkedal", "Signalen"),
    ],
}


# --- Fictional signals and cases -------------------------------------------------------------
# Every person below is invented ("Demo", "Fictief", "Voorbeeld", "Verzonnen" in the name);
# any likeness to a real person is accidental. Identity and free text end up in encrypted
# fields only; the demo tests check that none of it is readable in the database.


@dataclass(frozen=True)
class DemoCasePerson:
    cell: str  # slug of the demo cell
    scenario: str  # "redirected", "information", "case" or "second" (the cell's second case)
    name: str
    birth_date: datetime.date


DEMO_CASE_PERSONS: list[DemoCasePerson] = [
    DemoCasePerson("mechelen", "redirected", "Lotte Fictief", datetime.date(2010, 9, 2)),
    DemoCasePerson("mechelen", "information", "Kevin Voorbeeld", datetime.date(1998, 11, 23)),
    DemoCasePerson("mechelen", "case", "Yassin Demo-Verhaegen", datetime.date(2009, 10, 14)),
    DemoCasePerson("mechelen", "second", "Samira Proef-Aerts", datetime.date(2004, 6, 8)),
    DemoCasePerson("wingene", "redirected", "Elise Fictief-Maes", datetime.date(2014, 2, 17)),
    DemoCasePerson("wingene", "information", "Dylan Demo-Lambrecht", datetime.date(2001, 7, 5)),
    DemoCasePerson("wingene", "case", "Jonas Verzonnen", datetime.date(2007, 12, 1)),
    DemoCasePerson("wingene", "second", "Ruben Fictief-Decock", datetime.date(1995, 4, 26)),
    DemoCasePerson(
        "vlaamse-ardennen", "redirected", "Noor Demo-Willems", datetime.date(2009, 5, 19)
    ),
    DemoCasePerson(
        "vlaamse-ardennen", "information", "Bart Verzonnen-Vos", datetime.date(1987, 10, 30)
    ),
    DemoCasePerson(
        "vlaamse-ardennen", "case", "Amir Voorbeeld-Peeters", datetime.date(2006, 1, 11)
    ),
    DemoCasePerson("vlaamse-ardennen", "second", "Jana Fictief-Dewulf", datetime.date(2003, 8, 3)),
]

# All free text of the demo signals and cases, per cell. Each text is stored encrypted.
DEMO_CASE_TEXTS: dict[str, dict[str, str]] = {
    "mechelen": {
        "signal_redirected": "Leerling trekt zich terug in de klas en wordt gepest om haar "
        "geloof; geen ideologische uitspraken of contacten vastgesteld.",
        "redirected_reason": "Geen aanwijzingen voor radicalisering; wel nood aan "
        "schoolondersteuning en een vertrouwenspersoon.",
        "redirected_to": "Leerlingenbegeleiding van de school met het CLB-anker",
        "signal_information": "Deelt online memes van een extreemrechtse groep; geen "
        "oproepen tot geweld, werkt en heeft een stabiel netwerk.",
        "information_reason": "Ter informatie genoteerd; opnieuw bekijken als er een tweede "
        "signaal binnenkomt.",
        "signal_case": "Breekt contact met vrienden af, spreekt in de jeugdwerking over "
        "'ongelovigen' die moeten boeten, en bezoekt besloten chatgroepen.",
        "case_reason": "Meerdere signalen over maanden bij een jonge persoon, risico op isolement: "
        "casusoverleg nodig.",
        "trend": "Jongeren melden na een incident op sociale media spanningen tussen twee "
        "groepen rond het station; geen personen gekend.",
        "summary": "Fictief voorbeeld. Scholier met toenemend isolement en "
        "polariserende uitspraken; gezin werkt mee, school meldt verzuim.",
        "reason_manager": "Casusregisseur: begeleidt de jongere en het gezin sinds het "
        "eerste signaal.",
        "reason_2": "Volgt het schoolverzuim op en houdt contact met de leerkrachten.",
        "reason_3": "Informatieambtenaar: meldt of de jongere gekend is, geen "
        "politionele gegevens.",
        "action_overdue": "Kennismakingsgesprek met de jongere en de ouders plannen en "
        "verslag brengen op het casusoverleg.",
        "action_planned": "Trajectbegeleiding op school opstarten met een vaste "
        "vertrouwensleerkracht.",
        "factor_1": "Vader en oudere zus blijven betrokken en zoeken zelf hulp.",
        "factor_2": "Vrienden uit de voetbalclub vallen weg; vooral online contacten.",
        "factor_3": "Herhaalt teksten uit besloten chatgroepen zonder ze te duiden.",
        "factor_4": "Spijbelt sinds de herfstvakantie twee dagen per week.",
        "second_summary": "Fictief voorbeeld. Jonge vrouw met contacten in een "
        "polariserende online groep; hulpverlening liep via het OCMW.",
        "second_reason_1": "Informatieambtenaar bij de opstart van de casus; geen "
        "politionele gegevens gedeeld.",
        "second_reason_2": "Casusregisseur: budgetbegeleiding en woonondersteuning voor "
        "de betrokkene.",
        "second_action": "Overdracht naar de reguliere begeleiding van het OCMW "
        "voorbereiden met de betrokkene.",
        "closure_outcome": "Contacten met de online groep verbroken; stabiele woonst en "
        "werk via het OCMW. Verder in reguliere begeleiding.",
    },
    "wingene": {
        "signal_redirected": "Kind tekent gewelddadige oorlogsbeelden na een verhuis; "
        "ouders in scheiding, geen ideologische inhoud.",
        "redirected_reason": "Buiten de finaliteit van de cel: gezinsproblemen, geen "
        "radicaliseringsrisico.",
        "redirected_to": "Huisarts en het Centrum voor Geestelijke Gezondheidszorg",
        "signal_information": "Plakt stickers van een nationalistische actiegroep op "
        "verkeersborden aan de markt; geen andere feiten.",
        "information_reason": "Genoteerd ter informatie; de wijkagent spreekt de "
        "betrokkene aan over de stickers.",
        "signal_case": "Verzamelt messen en spreekt op het werk over een 'rassenoorlog' "
        "die eraan komt; ouders maken zich zorgen.",
        "case_reason": "Uitspraken over geweld en bezit van wapens: de cel neemt de casus op.",
        "trend": "In een besloten buurtgroep op sociale media circuleren scheldberichten "
        "over nieuwe inwoners; spanning bij een deel van de buurtbewoners.",
        "summary": "Fictief voorbeeld. Jongvolwassene met gewelddadige uitspraken over "
        "een 'rassenoorlog'; werkt in een plaatselijk bedrijf, ouders vragen hulp.",
        "reason_manager": "Casusregisseur: preventiedienst, eerste aanspreekpunt van het gezin.",
        "reason_2": "Informatieambtenaar: zegt alleen of de persoon gekend is en volgt "
        "het wapenbezit op.",
        "action_overdue": "Huisbezoek bij de ouders samen met de preventiewerker en "
        "afspraken noteren.",
        "action_planned": "Wijkagent neemt contact op over het vrijwillig inleveren van de messen.",
        "factor_1": "Ouders zoeken zelf hulp en willen meewerken aan een traject.",
        "factor_2": "Vaste job in een plaatselijk bedrijf, tevreden werkgever.",
        "factor_3": "Verzamelt messen en spreekt over een gewapende strijd.",
        "second_summary": "Fictief voorbeeld. Man met verheerlijkende berichten over "
        "aanslagen op een gamingplatform; woont alleen.",
        "second_reason_1": "Casusregisseur: informatieambtenaar volgt de meldingen van "
        "het platform op.",
        "second_reason_2": "Preventiedienst: zoekt een ingang via de sportclub van de "
        "deelgemeente.",
        "second_action": "Eerste gesprek met de betrokkene voorbereiden met de "
        "preventiewerker van de gemeente.",
    },
    "vlaamse-ardennen": {
        "signal_redirected": "Meisje zegt op school dat ze thuis wordt geslagen; de "
        "leerkracht vreest ook voor een gedwongen huwelijk.",
        "redirected_reason": "Geen radicalisering: doorverwezen naar de hulpverlening "
        "voor kindermishandeling.",
        "redirected_to": "Vertrouwenscentrum Kindermishandeling Oost-Vlaanderen",
        "signal_information": "Spreekt op het café luid over complotten rond de overheid "
        "en vaccins; geen geweld, geen contacten met groepen.",
        "information_reason": "Geen concrete zorg over geweld; ter informatie bewaard tot "
        "het einde van de bewaartermijn.",
        "signal_case": "Jongeman zoekt online contact met strijders in het buitenland en "
        "vraagt naar reisroutes; heeft zijn studies gestaakt.",
        "case_reason": "Reisplannen en contacten met strijdende groepen: opvolging in "
        "het casusoverleg.",
        "trend": "Oude en nieuwe inwoners botsen op sociale media over een bouwproject; "
        "anonieme affiches met dreigende taal opgehangen.",
        "summary": "Fictief voorbeeld. Jongvolwassene met online contacten in een "
        "conflictgebied en vage reisplannen; studies gestaakt, vader overleden.",
        "reason_manager": "Casusregisseur: begeleidt de jongeman naar werk of opleiding "
        "en houdt contact met de moeder.",
        "reason_2": "OCMW: leefloon en administratieve ondersteuning van het gezin.",
        "reason_3": "Informatieambtenaar: meldt alleen of de persoon gekend is of door "
        "de LTF wordt opgevolgd.",
        "action_overdue": "Rouwbegeleiding aanbieden via het CAW en een eerste "
        "afspraak vastleggen.",
        "action_planned": "Samen met de jongeman een opleidingstraject bij de VDAB uitzoeken.",
        "factor_1": "Moeder en grootouders steunen hem en zijn bereikbaar.",
        "factor_2": "Rouwt om zijn vader en slaapt slecht volgens de huisarts.",
        "factor_3": "Online vrienden in een conflictgebied vervangen zijn oude vriendengroep.",
        "factor_4": "Stopte in het tweede jaar met zijn bachelor; wil wel werken.",
        "informed_reason": "Niet geïnformeerd: informeren kan de reisplannen versnellen; "
        "opnieuw bekijken op het volgende overleg.",
        "second_summary": "Fictief voorbeeld. Studente verspreidt teksten van een "
        "extremistische groep op de hogeschool; familie ongerust.",
        "second_reason_1": "Casusregisseur: CLB kent de studente en haar jongere broer.",
        "second_reason_2": "Preventiedienst: coördineert het overleg met de hogeschool.",
        "second_action": "Gesprek met de studentenbegeleiding van de hogeschool inplannen.",
    },
}


@dataclass(frozen=True)
class DemoCasePlan:
    """Which organisations of a cell take part in its demo signals and cases."""

    # Sector of the organisation each signal comes from: redirected, information, case.
    signal_origins: tuple[str, str, str]
    signal_categories: tuple[str, str, str]
    # The partner persona (not the coordinator) submits the case signal for its organisation.
    case_signal_by_partner: bool
    trend_origin: str
    trend_area: str  # stored in plain text: a general area, never an address or a person
    # Participants of the open case as (sector, text key); the first is the case manager.
    participants: tuple[tuple[str, str], ...]
    action_owners: tuple[str, str]  # sectors of the overdue and the planned action
    factors: tuple[tuple[str, str, str], ...]  # (dimension, kind, text key)
    person_informed: str
    # The second case: participants as above, one action, and whether it is closed.
    second_participants: tuple[tuple[str, str], ...]
    second_action_owner: str
    second_closed: bool


_R, _PR = FactorKind.RISK, FactorKind.PROTECTIVE
DEMO_CASE_PLANS: dict[str, DemoCasePlan] = {
    "mechelen": DemoCasePlan(
        signal_origins=(Sector.CLB, Sector.LOCAL_POLICE, Sector.CAW),
        signal_categories=(Category.OTHER, Category.ONLINE, Category.IDEOLOGY),
        case_signal_by_partner=True,
        trend_origin=Sector.STREET_WORK,
        trend_area="Stationsomgeving",
        participants=(
            (Sector.CAW, "reason_manager"),
            (Sector.CLB, "reason_2"),
            (Sector.LOCAL_POLICE, "reason_3"),
        ),
        action_owners=(Sector.CAW, Sector.CLB),
        factors=(
            (Dimension.FAMILY, _PR, "factor_1"),
            (Dimension.SOCIALISATION, _R, "factor_2"),
            (Dimension.CONVICTIONS, _R, "factor_3"),
            (Dimension.EDUCATION, _R, "factor_4"),
        ),
        person_informed=PersonInformed.YES,
        second_participants=(
            (Sector.SOCIAL_SERVICES, "second_reason_2"),
            (Sector.LOCAL_POLICE, "second_reason_1"),
        ),
        second_action_owner=Sector.SOCIAL_SERVICES,
        second_closed=True,
    ),
    # Wingene has only the police and the prevention service.
    "wingene": DemoCasePlan(
        signal_origins=(Sector.MUNICIPAL_PREVENTION, Sector.LOCAL_POLICE, Sector.LOCAL_POLICE),
        signal_categories=(Category.OTHER, Category.POLARISATION, Category.VIOLENCE),
        case_signal_by_partner=False,
        trend_origin=Sector.MUNICIPAL_PREVENTION,
        trend_area="Dorpskern",
        participants=(
            (Sector.MUNICIPAL_PREVENTION, "reason_manager"),
            (Sector.LOCAL_POLICE, "reason_2"),
        ),
        action_owners=(Sector.MUNICIPAL_PREVENTION, Sector.LOCAL_POLICE),
        factors=(
            (Dimension.FAMILY, _PR, "factor_1"),
            (Dimension.EDUCATION, _PR, "factor_2"),
            (Dimension.VIOLENCE, _R, "factor_3"),
        ),
        person_informed=PersonInformed.DEFERRED,
        second_participants=(
            (Sector.LOCAL_POLICE, "second_reason_1"),
            (Sector.MUNICIPAL_PREVENTION, "second_reason_2"),
        ),
        second_action_owner=Sector.MUNICIPAL_PREVENTION,
        second_closed=False,
    ),
    "vlaamse-ardennen": DemoCasePlan(
        signal_origins=(Sector.CLB, Sector.LOCAL_POLICE, Sector.CAW),
        signal_categories=(Category.OTHER, Category.ONLINE, Category.TRAVEL),
        case_signal_by_partner=True,
        trend_origin=Sector.MUNICIPAL_PREVENTION,
        trend_area="Landelijk gebied",
        participants=(
            (Sector.CAW, "reason_manager"),
            (Sector.SOCIAL_SERVICES, "reason_2"),
            (Sector.LOCAL_POLICE, "reason_3"),
        ),
        action_owners=(Sector.CAW, Sector.SOCIAL_SERVICES),
        factors=(
            (Dimension.FAMILY, _PR, "factor_1"),
            (Dimension.MENTAL, _R, "factor_2"),
            (Dimension.NETWORK, _R, "factor_3"),
            (Dimension.EDUCATION, _R, "factor_4"),
        ),
        person_informed=PersonInformed.NO,
        second_participants=(
            (Sector.CLB, "second_reason_1"),
            (Sector.MUNICIPAL_PREVENTION, "second_reason_2"),
        ),
        second_action_owner=Sector.CLB,
        second_closed=False,
    ),
}


# --- Fictional meetings ----------------------------------------------------------------------
# Per cell: a network meeting of about two months ago (topics only) and a case consultation of
# about three weeks ago (the open cases and one topic). Titles, topics and places are stored in
# plain text, so they never name a person; every agreed text below is stored encrypted.


@dataclass(frozen=True)
class DemoMeetingPlan:
    place: str
    network_title: str
    # Topic titles of the network meeting; their texts are "network_<n>_summary/decisions".
    network_topics: tuple[str, ...]
    network_invited: tuple[str, ...]  # names of the invited organisations
    case_title: str
    case_topic: str  # the free topic of the case consultation; texts "topic_summary/decisions"
    feedback_sheet: bool  # a feedback sheet to the police on the open case, voted and sent


DEMO_MEETING_PLANS: dict[str, DemoMeetingPlan] = {
    "mechelen": DemoMeetingPlan(
        place="Stadhuis Mechelen, vergaderzaal 2",
        network_title="Netwerkoverleg: voorstelling jeugdwerk",
        network_topics=(
            "Voorstelling van de jeugddienst en het straathoekwerk",
            "Lokale trend: jongeren in polariserende online groepen",
        ),
        network_invited=(
            "Preventiedienst Mechelen",
            "CAW Boom Mechelen Lier",
            "CLB Mechelen",
            "Jeugddienst Mechelen",
            "Straathoekwerk Mechelen",
        ),
        case_title="Casusoverleg",
        case_topic="Evaluatie van de werkafspraken",
        feedback_sheet=True,
    ),
    "wingene": DemoMeetingPlan(
        place="Gemeentehuis Wingene, raadzaal",
        network_title="Thematisch overleg: online polarisatie in de gemeente",
        network_topics=(
            "Toelichting van de politie over online polarisatie",
            "Bereik van de preventiedienst in de deelgemeenten",
        ),
        network_invited=("Politiezone Regio Tielt", "Preventiedienst Wingene"),
        case_title="Casusoverleg",
        case_topic="Zoektocht naar socio-preventieve partners",
        feedback_sheet=False,
    ),
    "vlaamse-ardennen": DemoMeetingPlan(
        place="Gemeentehuis Maarkedal, vergaderzaal",
        network_title="Netwerkoverleg: voorstelling van de CLB-werking",
        network_topics=(
            "Voorstelling van de CLB-werking in de drie gemeenten",
            "Lokale trend: complotdenken op sociale media",
        ),
        network_invited=(
            "Preventiedienst Lierde-Horebeke-Maarkedal",
            "OCMW Maarkedal",
            "CAW Oost-Vlaanderen",
            "CLB Vlaamse Ardennen",
        ),
        case_title="Casusoverleg",
        case_topic="Afspraken tussen de drie gemeenten van de cel",
        feedback_sheet=False,
    ),
}

# The agreed texts of the demo meetings, per cell: topics of the network meeting, the case items
# ("case" is the open case from the screened signal, "second" the cell's second case when it is
# still open), the free topic, and in Mechelen the feedback sheet. Each is stored encrypted.
DEMO_MEETING_NOTES: dict[str, dict[str, str]] = {
    "mechelen": {
        "network_1_summary": "De jeugddienst en het straathoekwerk stellen hun werking voor: "
        "drie ontmoetingsplekken, een inloopmoment op woensdag en outreachend werk.",
        "network_1_decisions": "Elke partner duidt een vaste contactpersoon aan voor vragen "
        "over jongeren; de jeugddienst bezorgt een overzicht van het aanbod.",
        "network_2_summary": "Het straathoekwerk ziet meer jongeren die in besloten online "
        "groepen met polariserende inhoud terechtkomen; de scholen herkennen dat beeld.",
        "network_2_decisions": "CLB en jeugddienst werken samen een vorming over online "
        "polarisatie uit voor leerkrachten en jeugdwerkers.",
        "case_summary": "Fictief verloop. De jongere is bereikbaar en het gezin werkt mee; "
        "het schoolverzuim blijft de grootste zorg, de uitspraken nemen niet toe.",
        "case_decisions": "Het CAW blijft casusregisseur en plant het kennismakingsgesprek met "
        "de ouders; het CLB start de trajectbegeleiding op school.",
        "topic_summary": "De partners evalueren de werkafspraken van het voorbije jaar en "
        "vragen een snellere terugkoppeling aan wie een signaal meldt.",
        "topic_decisions": "De coördinator past de werkafspraken aan en legt ze ter "
        "goedkeuring voor aan de burgemeester.",
        "sheet": "Terugkoppeling aan de politie: de cel heeft het signaal besproken en volgt "
        "de situatie op met een begeleidingstraject. Geen bijkomende politionele opvolging "
        "gevraagd; een nieuwe terugkoppeling volgt na de volgende evaluatie.",
    },
    "wingene": {
        "network_1_summary": "De politie licht toe hoe polariserende berichten in lokale "
        "groepen op sociale media worden gemeld en wat de wijkagenten ermee doen.",
        "network_1_decisions": "De preventiedienst verspreidt een folder over melden bij "
        "verenigingen en scholen; de wijkagenten krijgen een korte vorming.",
        "network_2_summary": "De preventiedienst bereikt vooral de dorpskern; in de "
        "deelgemeenten ontbreken aanspreekpunten voor jongeren en gezinnen.",
        "network_2_decisions": "De preventiedienst zoekt contact met de sportclubs en "
        "jeugdbewegingen van de deelgemeenten als eerste aanspreekpunt.",
        "case_summary": "Fictief verloop. De ouders zijn aanspreekbaar en de werkgever blijft "
        "betrokken; de uitspraken over geweld blijven de grootste zorg.",
        "case_decisions": "De preventiewerker plant het huisbezoek bij de ouders; de wijkagent "
        "bespreekt het vrijwillig inleveren van de messen.",
        "second_summary": "Fictief verloop. Nog geen contact met de betrokkene; de berichten "
        "op het platform zijn sinds de melding niet toegenomen.",
        "second_decisions": "De preventiedienst bereidt een eerste gesprek voor via de "
        "sportclub; de informatieambtenaar volgt nieuwe meldingen op.",
        "topic_summary": "De cel heeft nog geen socio-preventieve partner; het CAW en het "
        "CLB van de regio zijn bereid om per casus aan te sluiten.",
        "topic_decisions": "De coördinator nodigt het CAW en het CLB uit voor het volgende "
        "netwerkoverleg en stelt samenwerkingsafspraken op.",
    },
    "vlaamse-ardennen": {
        "network_1_summary": "Het CLB stelt zijn werking in de scholen van de drie gemeenten "
        "voor, met de leerlingenbegeleiding en de aanpak van vroegtijdig schoolverlaten.",
        "network_1_decisions": "Elke school krijgt een vast aanspreekpunt bij het CLB voor "
        "zorgen over polarisatie; het CLB meldt via de coördinator.",
        "network_2_summary": "Partners merken dat complotberichten over de overheid vaker "
        "worden gedeeld in lokale groepen; van oproepen tot geweld is geen sprake.",
        "network_2_decisions": "De preventiedienst verzamelt signalen over deze trend en "
        "brengt een overzicht op het volgende netwerkoverleg.",
        "case_summary": "Fictief verloop. De jongeman aanvaardt begeleiding door het CAW; "
        "de moeder blijft betrokken, de reisplannen zijn niet concreter geworden.",
        "case_decisions": "Het CAW biedt rouwbegeleiding aan en zoekt samen met de jongeman "
        "naar een opleiding; het OCMW regelt de administratieve ondersteuning.",
        "second_summary": "Fictief verloop. De studente volgt haar lessen opnieuw; de "
        "hogeschool merkt geen nieuwe zorgwekkende uitspraken op.",
        "second_decisions": "Het CLB houdt contact met de studentenbegeleiding; de "
        "preventiedienst coördineert het gesprek met de hogeschool.",
        "topic_summary": "De drie gemeenten spreken af hoe signalen uit elke gemeente bij "
        "de cel binnenkomen en wie de burgemeesters op de hoogte houdt.",
        "topic_decisions": "Eén gezamenlijk meldpunt bij de preventiedienst; de coördinator "
        "brengt de drie burgemeesters twee keer per jaar op de hoogte.",
    },
}
DEMO_MEETING_TEXTS: list[str] = [
    text for notes in DEMO_MEETING_NOTES.values() for text in notes.values()
]


# --- Fictional scan rounds -------------------------------------------------------------------
# Per cell: two closed self-evaluation rounds, about thirteen months and about one month ago,
# each with four to six anonymous responses (always one from the coordinator). The answers come
# from a generator seeded with the cell's slug, so every load gives the same results. Round
# titles and Mechelen's improvement actions are stored in plain text: they name organisations
# and functions, never a person. The free-text answers below are stored encrypted.

# Per round: the title (the year is added) and how many days before today it closed.
DEMO_SCAN_ROUNDS: tuple[tuple[str, int], ...] = (
    ("Nulmeting", 395),
    ("Opvolgmeting", 30),
)
DEMO_SCAN_DAYS_OPEN = 21

# Per cell and module: the level (1..5) around which a respondent answers in the first and the
# second round. Most modules improve; knowledge transfer in Mechelen does not, which is why its
# improvement plan starts there. Wingene, with only the police and the prevention service as
# partners, stays weak on collaboration and information sharing.
DEMO_SCAN_LEVELS: dict[str, dict[str, tuple[float, float]]] = {
    "mechelen": {
        "structure": (3.6, 4.0),
        "vision": (3.8, 3.9),
        "current_working": (3.3, 3.8),
        "case_management": (3.0, 3.9),
        "information_sharing": (3.2, 3.9),
        "collaboration": (3.7, 4.1),
        "knowledge_transfer": (2.6, 2.6),
    },
    "wingene": {
        "structure": (2.9, 3.4),
        "vision": (3.0, 3.2),
        "current_working": (2.9, 3.3),
        "case_management": (2.8, 3.3),
        "information_sharing": (2.0, 2.2),
        "collaboration": (1.8, 2.0),
        "knowledge_transfer": (2.6, 2.7),
    },
    "vlaamse-ardennen": {
        "structure": (3.0, 3.6),
        "vision": (3.5, 3.6),
        "current_working": (3.0, 3.4),
        "case_management": (2.9, 3.6),
        "information_sharing": (3.2, 3.4),
        "collaboration": (3.3, 3.8),
        "knowledge_transfer": (2.5, 3.3),
    },
}

# Free-text answers per cell: (round index, module, situation, indicator, text). Each is given
# by one of the respondents of that round.
DEMO_SCAN_NOTES: dict[str, list[tuple[int, str, str, str, str]]] = {
    "mechelen": [
        (
            0,
            "structure",
            "",
            "structure_improvement",
            "Vaste overlegdata voor het hele jaar vastleggen; nu zoeken we telkens opnieuw.",
        ),
        (
            0,
            "information_sharing",
            "",
            "information_sharing_improvement",
            "Niet elke partner weet wat hij mag delen; een korte toelichting bij de start helpt.",
        ),
        (
            0,
            "knowledge_transfer",
            "",
            "knowledge_improvement",
            "De werkwijze zit vooral in het hoofd van de coördinator; graag een draaiboek.",
        ),
        (
            1,
            "current_working",
            "atypical",
            "situation_reflection",
            "Bij spanningen in een wijk zonder duidelijke persoon was niet meteen duidelijk "
            "wie de opvolging trekt.",
        ),
        (
            1,
            "case_management",
            "",
            "case_management_improvement",
            "De opvolging van de acties op elk overleg werkt goed; houd dat zo vast.",
        ),
        (
            1,
            "collaboration",
            "",
            "missing_partner",
            "De sportdienst mag vaker aansluiten, zij bereiken veel jongeren in de wijken.",
        ),
    ],
    "wingene": [
        (
            0,
            "collaboration",
            "",
            "missing_partner",
            "Een welzijnspartner zoals het CAW ontbreekt; bijna elk signaal komt van de politie.",
        ),
        (
            0,
            "information_sharing",
            "",
            "information_sharing_improvement",
            "Duidelijke afspraken over wat we met de politie delen en wat niet.",
        ),
        (
            0,
            "vision",
            "",
            "vision_improvement",
            "Uitleggen dat de cel ook over zorg gaat en niet alleen over veiligheid.",
        ),
        (
            1,
            "collaboration",
            "",
            "missing_partner",
            "Het CLB en het jeugdwerk van de regio ontbreken nog; zo missen we de scholen.",
        ),
        (
            1,
            "structure",
            "",
            "structure_improvement",
            "De coördinator heeft te weinig uren om het netwerk in de deelgemeenten uit te bouwen.",
        ),
    ],
    "vlaamse-ardennen": [
        (
            0,
            "structure",
            "",
            "structure_improvement",
            "Eén gezamenlijk reglement voor de drie gemeenten in plaats van drie aparte afspraken.",
        ),
        (
            0,
            "current_working",
            "typical",
            "situation_reflection",
            "Het signaal kwam snel binnen, maar de melder hoorde daarna niets meer van de cel.",
        ),
        (
            1,
            "knowledge_transfer",
            "",
            "knowledge_improvement",
            "Een vorming over online polarisatie voor de partners uit de drie gemeenten.",
        ),
        (
            1,
            "case_management",
            "",
            "case_management_improvement",
            "Bij het afsluiten van een casus de reden altijd samen bespreken en noteren.",
        ),
        (
            1,
            "information_sharing",
            "",
            "information_sharing_improvement",
            "Verslagen alleen nog via het platform delen en niet meer per e-mail.",
        ),
    ],
}
DEMO_SCAN_TEXTS: list[str] = [note[-1] for notes in DEMO_SCAN_NOTES.values() for note in notes]

# Improvement actions on the latest round: (module, description, owner, due in days, category).
# Stored in plain text, so the owner is an organisation or a function, never a person.
DEMO_SCAN_IMPROVEMENTS: dict[str, list[tuple[str, str, str, int, str]]] = {
    "mechelen": [
        (
            "knowledge_transfer",
            "Een overdrachtsdocument voor de coördinatie opstellen en een vaste vervanger "
            "aanduiden.",
            "Preventiedienst Mechelen",
            60,
            CoachingCategory.OPTIMISE,
        ),
        (
            "information_sharing",
            "Op het netwerkoverleg het gedeeld beroepsgeheim toelichten voor nieuwe partners.",
            "Coördinator van de cel",
            120,
            CoachingCategory.OPTIMISE,
        ),
    ],
}
# Cells whose latest round is shared with the VVSG.
DEMO_SCAN_SHARED = frozenset({"mechelen"})


def demo_load() -> list[Persona]:
    """Create (or complete) the demo. Running it twice changes nothing the second time.

    The e-mails the services send on the way (a year of helpdesk answers) go nowhere: the demo
    personas' addresses do not exist.
    """
    if settings.PRODUCTION:
        raise ImproperlyConfigured("The demo must not be loaded in production.")
    with mail_silenced():
        return _demo_load()


@transaction.atomic
def _demo_load() -> list[Persona]:
    personas: list[Persona] = []
    with scopes_disabled():
        for number, demo in enumerate(DEMO_CELLS):
            cell = Cell.objects.filter(name=demo.name).first()
            if cell is None:
                cell = cell_create(
                    name=demo.name,
                    nis_codes=demo.nis_codes,
                    legal_basis=LegalBasis.LIVC_LAW_2018,
                    participant_categories="Burgemeester, lokale politie (informatieambtenaar), "
                    "preventiedienst, OCMW, CAW, CLB, jeugddienst",
                    working_arrangements="Casusoverleg om de zes weken; ad hoc bij dringende "
                    "signalen. Samenstelling per casus.",
                )
            organisations = _ensure_network(cell, demo.slug)
            for (role, local, sector), name in zip(
                ROLE_ORGANISATIONS, DEMO_NAMES[demo.slug], strict=True
            ):
                email = f"{local}.{demo.slug}@{DEMO_DOMAIN}"
                user = demo_user_ensure(email, name)
                organisation = next((o for o in organisations.values() if o.sector == sector), None)
                membership_add(cell=cell, user=user, role=role, organisation=organisation)
                _acknowledge_secrecy(cell, user)
                personas.append(Persona(email, name, f"{Role(role).label} — {demo.name}"))
            # Municipal staff: the support desk, knowledge base and forum, no cell pages.
            email = f"gemeente.{demo.slug}@{DEMO_DOMAIN}"
            name = DEMO_MUNICIPAL_STAFF[demo.slug]
            user = demo_user_ensure(email, name)
            membership_add(cell=cell, user=user, role=Role.MUNICIPAL_STAFF)
            _acknowledge_secrecy(cell, user)
            personas.append(
                Persona(email, name, f"{Role(Role.MUNICIPAL_STAFF).label} — {demo.name}")
            )
            _ensure_cases(cell, demo.slug, organisations)
            _ensure_meetings(cell, demo.slug, organisations, stagger=number)
            _ensure_scans(cell, demo.slug, stagger=3 * number)
            _ensure_insights_sharing(cell)
            if number == 0:
                privacy_load(
                    cell=cell, dpo=User.objects.get(email=f"dpo.{demo.slug}@{DEMO_DOMAIN}")
                )
        staff = demo_user_ensure(
            f"ondersteuning@{DEMO_DOMAIN}", "Fien Vervoort", PlatformRole.VVSG_STAFF
        )
        personas.append(Persona(staff.email, staff.full_name, "VVSG-medewerker (ondersteuning)"))
        admin = demo_user_ensure(
            f"beheer@{DEMO_DOMAIN}", "Rik Adriaens", PlatformRole.PLATFORM_ADMIN
        )
        personas.append(Persona(admin.email, admin.full_name, "Platformbeheerder"))
        outsider = demo_user_ensure(f"buitenstaander@{DEMO_DOMAIN}", "Olaf Buyse")
        personas.append(Persona(outsider.email, outsider.full_name, "Buitenstaander (geen cel)"))
        personas += support_load(staff=staff)
        network_load(staff=staff)
        surveys_load(staff=staff)
        exercises_load(staff=staff)
    return personas


def _ensure_insights_sharing(cell: Cell) -> None:
    """The demo cells also share their signal and case counts with VVSG (aggregates only; with
    three such cells those figures stay suppressed, as they should below five cells)."""
    coordinator = Membership.objects.filter(
        cell=cell, role=Role.COORDINATOR, ended_at__isnull=True
    ).first()
    if coordinator is None:
        return
    profile_update(
        profile=CellProfile.objects.get(cell=cell),
        changes={"insights_sharing": list(CATEGORY_KEYS)},
        updated_by=coordinator.user,
    )


def _acknowledge_secrecy(cell: Cell, user: User) -> None:
    """As accepting an invitation does: the new member acknowledged the secrecy duty."""
    if not SecrecyAcknowledgement.objects.filter(cell=cell, user=user).exists():
        SecrecyAcknowledgement.objects.create(
            cell=cell,
            user=user,
            context=SecrecyAcknowledgement.Context.JOINING,
            text_version=SECRECY_TEXT_VERSION,
        )


def _ensure_network(cell: Cell, slug: str) -> dict[str, Organisation]:
    existing = {o.name: o for o in Organisation.objects.filter(cell=cell)}
    for name, sector, participation, status in DEMO_PARTNERS[slug]:
        if name not in existing:
            existing[name] = organisation_create(
                cell=cell, name=name, sector=sector, participation=participation, status=status
            )
    for source, target, description in DEMO_LINKS[slug]:
        if not CollaborationLink.objects.filter(
            cell=cell, source=existing[source], target=existing[target]
        ).exists():
            link_add(
                cell=cell,
                source=existing[source],
                target=existing[target],
                description=description,
            )
    return existing


def _age(birth_date: datetime.date, today: datetime.date) -> int:
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def _age_band(age: int) -> str:
    if age < 12:
        return AgeBand.UNDER_12
    if age < 18:
        return AgeBand.AGE_12_17
    if age <= 25:
        return AgeBand.AGE_18_25
    if age <= 40:
        return AgeBand.AGE_26_40
    return AgeBand.OVER_40


def _ensure_cases(cell: Cell, slug: str, organisations: dict[str, Organisation]) -> None:
    """Fictional signals, a trend signal and two cases; skipped once the cell has any of them."""
    if (
        Case.objects.filter(cell=cell).exists()
        or Signal.objects.filter(cell=cell).exists()
        or TrendSignal.objects.filter(cell=cell).exists()
    ):
        return
    plan = DEMO_CASE_PLANS[slug]
    texts = DEMO_CASE_TEXTS[slug]
    people = {p.scenario: p for p in DEMO_CASE_PERSONS if p.cell == slug}
    today = timezone.localdate()
    coordinator = User.objects.get(email=f"coordinator.{slug}@{DEMO_DOMAIN}")
    partner = User.objects.get(email=f"partner.{slug}@{DEMO_DOMAIN}")

    def org(sector: str) -> Organisation:
        return next(o for o in organisations.values() if o.sector == sector)

    municipality = cell.municipalities.order_by("name_nl").first()
    signals: dict[str, Signal] = {}
    scenarios = ("redirected", "information", "case")
    for days_ago, scenario, sector, category in zip(
        (45, 36, 30), scenarios, plan.signal_origins, plan.signal_categories, strict=True
    ):
        person = people[scenario]
        by_partner = scenario == "case" and plan.case_signal_by_partner
        age = _age(person.birth_date, today)
        signals[scenario] = signal_submit(
            cell=cell,
            submitted_by=partner if by_partner else coordinator,
            received_on=today - datetime.timedelta(days=days_ago),
            category=category,
            urgency=Urgency.HIGH if scenario == "case" else Urgency.NORMAL,
            description=texts[f"signal_{scenario}"],
            origin_organisation=org(sector),
            person_name=person.name,
            person_birth_date=person.birth_date,
            person_age_band=_age_band(age),
            person_municipality=municipality,
            is_minor=age < 18,
        )
    signal_screen(
        signal=signals["redirected"],
        outcome=Outcome.REDIRECTED,
        reason=texts["redirected_reason"],
        redirected_to=texts["redirected_to"],
        referrer_informed=True,
        referrer_informed_on=today - datetime.timedelta(days=42),
        screened_by=coordinator,
    )
    signal_screen(
        signal=signals["information"],
        outcome=Outcome.INFORMATION,
        reason=texts["information_reason"],
        referrer_informed=False,
        screened_by=coordinator,
    )
    signal_screen(
        signal=signals["case"],
        outcome=Outcome.CASE,
        reason=texts["case_reason"],
        referrer_informed=True,
        referrer_informed_on=today - datetime.timedelta(days=28),
        screened_by=coordinator,
    )
    trend_submit(
        cell=cell,
        submitted_by=coordinator,
        received_on=today - datetime.timedelta(days=9),
        category=Category.POLARISATION,
        description=texts["trend"],
        area=plan.trend_area,
        origin_organisation=org(plan.trend_origin),
    )

    # The open case, from the screened signal.
    case = signal_open_case(signal=signals["case"], opened_by=coordinator)
    informed: dict[str, Any] = {"person_informed": plan.person_informed}
    if plan.person_informed == PersonInformed.NO:
        informed["person_informed_reason"] = texts["informed_reason"]
    elif plan.person_informed == PersonInformed.DEFERRED:
        informed["person_informed_deferred_until"] = today + datetime.timedelta(days=30)
    case_update(case=case, changes={"summary": texts["summary"], **informed}, user=coordinator)
    _add_participants(case, plan.participants, texts, org, coordinator)
    overdue_owner, planned_owner = plan.action_owners
    action_add(
        case=case,
        owner=org(overdue_owner),
        description=texts["action_overdue"],
        due_date=today - datetime.timedelta(days=6),
        user=coordinator,
    )
    action_add(
        case=case,
        owner=org(planned_owner),
        description=texts["action_planned"],
        due_date=today + datetime.timedelta(days=21),
        user=coordinator,
    )
    factors_set(
        case=case,
        items={(dimension, kind): texts[key] for dimension, kind, key in plan.factors},
        user=coordinator,
    )

    # The second case, opened directly (in Mechelen: already closed).
    person = people["second"]
    second = case_open(
        cell=cell,
        person_name=person.name,
        person_birth_date=person.birth_date,
        is_minor=_age(person.birth_date, today) < 18,
        summary=texts["second_summary"],
        opened_by=coordinator,
    )
    _add_participants(second, plan.second_participants, texts, org, coordinator)
    action_add(
        case=second,
        owner=org(plan.second_action_owner),
        description=texts["second_action"],
        due_date=today + datetime.timedelta(days=14),
        user=coordinator,
    )
    if plan.second_closed:
        case_close(
            case=second,
            reason=ClosureReason.REGULAR_CARE,
            outcome=texts["closure_outcome"],
            user=coordinator,
        )


def _add_participants(
    case: Case,
    participants: tuple[tuple[str, str], ...],
    texts: dict[str, str],
    org: Callable[[str], Organisation],
    user: User,
) -> None:
    for index, (sector, key) in enumerate(participants):
        participant_add(
            case=case,
            reason=texts[key],
            user=user,
            organisation=org(sector),
            is_case_manager=index == 0,
        )


def _meeting_start(days_ago: int, at: datetime.time) -> datetime.datetime:
    """A working day about `days_ago` days before today, at a local time of day."""
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    day -= datetime.timedelta(days=max(0, day.weekday() - 4))  # a weekend moves to the Friday
    return timezone.make_aware(datetime.datetime.combine(day, at))


def _ensure_meetings(
    cell: Cell, slug: str, organisations: dict[str, Organisation], stagger: int = 0
) -> None:
    """A past network meeting and a past case consultation; skipped once the cell has meetings.

    Everything goes through the meeting services; only the timestamps they set to "now" (held,
    acknowledged, voted, sent, approved) are moved back to the day of the meeting afterwards.
    """
    if Meeting.objects.filter(cell=cell).exists():
        return
    plan = DEMO_MEETING_PLANS[slug]
    notes = DEMO_MEETING_NOTES[slug]
    coordinator = User.objects.get(email=f"coordinator.{slug}@{DEMO_DOMAIN}")

    def attend(meeting: Meeting, absent: str) -> list[User]:
        """Every invitee is present except the persona with the e-mail prefix `absent`."""
        present = [u for u in invitees(meeting) if not u.email.startswith(f"{absent}.")]
        attendance_set(meeting=meeting, present_ids={str(u.pk) for u in present}, user=coordinator)
        return present

    # The network meeting: topics only, with some partner organisations invited.
    starts_at = _meeting_start(60 + stagger, datetime.time(14, 0))
    network = meeting_create(
        cell=cell,
        kind=MeetingKind.NETWORK,
        title=plan.network_title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        chair=coordinator,
        place=plan.place,
        invited_organisations=[organisations[name] for name in plan.network_invited],
        created_by=coordinator,
    )
    for number, title in enumerate(plan.network_topics, start=1):
        item = topic_add(meeting=network, title=title, user=coordinator)
        item_record(
            item=item,
            summary=notes[f"network_{number}_summary"],
            decisions=notes[f"network_{number}_decisions"],
            next_review=None,
            user=coordinator,
        )
    attend(network, absent="adjunct")
    minutes_approve(meeting=network, user=coordinator)
    _backdate(network, approved_after=datetime.timedelta(days=14))

    # The case consultation: the open cases of the cell and one free topic.
    starts_at = _meeting_start(21 + stagger, datetime.time(9, 30))
    meeting = meeting_create(
        cell=cell,
        kind=MeetingKind.CASE,
        title=plan.case_title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2, minutes=30),
        chair=coordinator,
        place=plan.place,
        created_by=coordinator,
    )
    agenda_propose(meeting=meeting, user=coordinator)
    topic = topic_add(meeting=meeting, title=plan.case_topic, user=coordinator)
    present = attend(meeting, absent="burgemeester")
    for user in present:
        secrecy_acknowledge(meeting=meeting, user=user)
    next_review = starts_at.date() + datetime.timedelta(days=42)
    for item in meeting.items.filter(case__isnull=False).select_related("case"):
        # The open case came from the screened signal; any other is the cell's second case.
        scenario = "case" if Signal.objects.filter(case=item.case_id).exists() else "second"
        item_record(
            item=item,
            summary=notes[f"{scenario}_summary"],
            decisions=notes[f"{scenario}_decisions"],
            next_review=next_review,
            user=coordinator,
        )
        if scenario != "case":
            continue
        action = (
            Action.objects.filter(case=item.case_id, status=ActionStatus.OPEN)
            .order_by("due_date")
            .first()
        )
        if action is not None:
            carry_over(
                item=item, action=action, reason=CarryOverReason.NOT_STARTED, user=coordinator
            )
        if plan.feedback_sheet:
            sheet = sheet_save(item=item, text=notes["sheet"], user=coordinator)
            sheet_submit(sheet=sheet, no_secrets_confirmed=True, user=coordinator)
            for ballot in FeedbackVote.objects.filter(sheet=sheet).select_related("user"):
                sheet_vote(sheet=sheet, user=ballot.user, vote=Vote.APPROVE)
            sheet.refresh_from_db()
            sheet_mark_sent(sheet=sheet, user=coordinator)
    item_record(
        item=topic,
        summary=notes["topic_summary"],
        decisions=notes["topic_decisions"],
        next_review=None,
        user=coordinator,
    )
    minutes_approve(meeting=meeting, user=coordinator)
    _backdate(meeting, approved_after=datetime.timedelta(days=7))


def _backdate(meeting: Meeting, approved_after: datetime.timedelta) -> None:
    """Move the timestamps the services set to "now" back to the day of a past meeting."""
    during = meeting.starts_at + datetime.timedelta(minutes=5)
    voted = meeting.ends_at - datetime.timedelta(minutes=15)
    Meeting.objects.filter(pk=meeting.pk).update(
        held_at=meeting.starts_at, created_at=meeting.starts_at - datetime.timedelta(days=14)
    )
    acknowledged = Attendance.objects.filter(meeting=meeting, secrecy_acknowledged_at__isnull=False)
    SecrecyAcknowledgement.objects.filter(
        cell_id=meeting.cell_id,
        context=SecrecyAcknowledgement.Context.MEETING,
        user_id__in=acknowledged.values("user_id"),
        acknowledged_at__gt=meeting.ends_at,
    ).update(acknowledged_at=during)
    acknowledged.update(secrecy_acknowledged_at=during)
    FeedbackVote.objects.filter(sheet__item__meeting=meeting).update(voted_at=voted)
    FeedbackSheet.objects.filter(item__meeting=meeting).update(
        created_at=meeting.starts_at + datetime.timedelta(hours=1),
        sent_at=meeting.ends_at + datetime.timedelta(hours=2),
    )
    MinutesApproval.objects.filter(meeting=meeting).update(
        approved_at=meeting.ends_at + approved_after
    )


def _ensure_scans(cell: Cell, slug: str, stagger: int = 0) -> None:
    """Two past, closed scan rounds with anonymous responses; skipped once the cell has rounds.

    Everything goes through the scan services, as a visit of the answer links would; only the
    timestamps they set to "now" (opened, answered, closed) are moved back afterwards.
    """
    if Round.objects.filter(cell=cell).exists():
        return
    rng = random.Random(slug)  # noqa: S311 - reproducible demo answers, not a secret
    coordinator = User.objects.get(email=f"coordinator.{slug}@{DEMO_DOMAIN}")
    # Like round_invite: one link per active member of the cell, with their highest role.
    best: dict[Any, Membership] = {}
    for membership in Membership.objects.filter(
        cell=cell, ended_at__isnull=True, role__in=CELL_ROLES
    ).select_related("organisation", "user"):
        current = best.get(membership.user_id)
        rank = ROLE_PRIORITY.index(Role(membership.role))
        if current is None or rank < ROLE_PRIORITY.index(Role(current.role)):
            best[membership.user_id] = membership
    members = sorted(best.values(), key=lambda m: (ROLE_PRIORITY.index(Role(m.role)), m.user.email))
    today = timezone.localdate()
    latest: tuple[Round, datetime.datetime] | None = None
    for index, (label, closed_days_ago) in enumerate(DEMO_SCAN_ROUNDS):
        closed_on = today - datetime.timedelta(days=closed_days_ago + stagger)
        scan_round = round_open(
            cell=cell,
            title=f"{label} {closed_on.year}",
            does_case_management=True,
            opened_by=coordinator,
        )
        invitations = [
            RespondentInvitation.objects.create(
                cell=cell,
                round=scan_round,
                token_hash=token_hash(secrets.token_urlsafe(32)),  # a link nobody will use
                # As round_invite makes them: a group, not the exact role; demo sectors are
                # shared by fewer than three invitees, so none is kept.
                role="coordinator" if m.role in MANAGING_ROLES else "partner",
                sector="",
                is_coordinator=m.role in MANAGING_ROLES,
            )
            for m in members
        ]
        scan_round.invited_user_ids = [str(m.user_id) for m in members]
        scan_round.save(update_fields=["invited_user_ids"])
        # The coordinator and three to five partners answer; the deputy does not, so the
        # round has exactly one coordinator response.
        others = [i for i in invitations if not i.is_coordinator]
        respondents = [
            next(i for i in invitations if i.role == Role.COORDINATOR),
            *rng.sample(others, rng.randint(3, min(5, len(others)))),
        ]
        answers = [
            _scan_answers(
                rng, applicable_modules(scan_round), DEMO_SCAN_LEVELS[slug], index, i.is_coordinator
            )
            for i in respondents
        ]
        for round_index, module, situation, indicator, text in DEMO_SCAN_NOTES[slug]:
            if round_index == index:
                answers[rng.randrange(len(answers))][(module, situation, indicator)] = (None, text)
        opened_at = timezone.make_aware(
            datetime.datetime.combine(
                closed_on - datetime.timedelta(days=DEMO_SCAN_DAYS_OPEN), datetime.time(9, 0)
            )
        )
        answered_on = sorted(rng.sample(range(1, DEMO_SCAN_DAYS_OPEN), len(respondents)))
        for invitation, given, day in zip(respondents, answers, answered_on, strict=True):
            del day  # responses keep no time (anonymity); the used link is deleted
            response_submit(invitation=invitation, answers=given)
        round_close(scan_round=scan_round, user=coordinator)
        closed_at = opened_at + datetime.timedelta(days=DEMO_SCAN_DAYS_OPEN, hours=8)
        Round.objects.filter(pk=scan_round.pk).update(opened_at=opened_at, closed_at=closed_at)
        scan_round.refresh_from_db()
        latest = scan_round, closed_at
    if latest is None:
        return
    latest_round, latest_closed_at = latest
    for module, description, owner, due_in, category in DEMO_SCAN_IMPROVEMENTS.get(slug, []):
        action = improvement_add(
            scan_round=latest_round,
            description=description,
            owner=owner,
            due_date=today + datetime.timedelta(days=due_in),
            category=category,
            module=module,
            user=coordinator,
        )
        ImprovementAction.objects.filter(pk=action.pk).update(
            created_at=latest_closed_at + datetime.timedelta(days=2)
        )
    if slug in DEMO_SCAN_SHARED:
        sharing_set(scan_round=latest_round, shared=True, user=coordinator)


def _scan_answers(
    rng: random.Random,
    modules: list[dict[str, Any]],
    levels: dict[str, tuple[float, float]],
    round_index: int,
    is_coordinator: bool,
) -> dict[tuple[str, str, str], tuple[int | None, str]]:
    """One respondent's scored answers, around the module's level for the round.

    Coordinators answer a little more positively; an atypical situation goes less well.
    """
    mood = rng.gauss(0.25 if is_coordinator else 0.0, 0.2)
    answers: dict[tuple[str, str, str], tuple[int | None, str]] = {}
    for module in modules:
        level = levels[module["key"]][round_index] + mood
        for situation in module["situations"] or [""]:
            expected = level - (0.4 if situation == "atypical" else 0.0)
            for indicator in module["indicators"]:
                key = (module["key"], situation, indicator["key"])
                if indicator["kind"] == "text":
                    continue
                if indicator["allow_na"] and rng.random() < 0.04:
                    answers[key] = (None, "")  # not applicable
                elif indicator["kind"] == "likert":
                    value = min(5, max(1, round(expected + rng.gauss(0, 0.55))))
                    answers[key] = (6 - value if indicator["reverse"] else value, "")
                else:  # yes/no
                    answers[key] = (int(rng.random() < (expected - 1) / 4), "")
    return answers


def demo_cells() -> QuerySet[Cell]:
    """The three demo cells with people, cases, meetings and scans (not the support-desk cells)."""
    return Cell.objects.filter(name__in=[demo.name for demo in DEMO_CELLS])


def demo_device(email: str) -> TOTPDevice:
    """The authenticator of a demo persona; refuses any account outside the demo domain."""
    if not email.lower().endswith("@" + DEMO_DOMAIN):
        raise ValueError(f"{email} is not a demo persona (must end with @{DEMO_DOMAIN})")
    device = TOTPDevice.objects.filter(user__email=email.lower(), confirmed=True).first()
    if device is None:
        raise ValueError(f"No demo persona {email}; run 'manage.py demo' first")
    return device
