"""Demo content for the network and coaching: bodies, a year of events, trajectories.

Written for the demo (our own wording). Like the helpdesk content it is anonymous on purpose:
feedback comments and coaching notes name no person, so none is flagged by the personal-data
check. Dates are days from today, so every run builds the same year around today (the last
nine months and the next three).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from vangnet.cells.models import Province
from vangnet.coaching.models import MilestoneKind, TrajectoryStatus
from vangnet.events.models import BodyKind, EventAudience, EventKind
from vangnet.scans.models import CoachingCategory

# --- Network bodies ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoBody:
    key: str
    kind: str
    name: str
    description: str
    # Local parts of the members' e-mails; the first one chairs. Members of the support desk's
    # small cells are skipped when that part of the demo is not loaded.
    members: tuple[str, ...]
    document_kind: str  # pdf or odt
    document_title: str
    document: tuple[str, ...]
    province: str = ""


DEMO_BODIES: tuple[DemoBody, ...] = (
    DemoBody(
        key="werkgroep",
        kind=BodyKind.WORKING_GROUP,
        name="Werkgroep LIVC R",
        description=(
            "De centrale werkgroep van coördinatoren en gemeentelijke medewerkers die met VVSG "
            "de werking van de LIVC R in Vlaanderen opvolgt: knelpunten, sjablonen, het "
            "draaiboek en de thema's van het lerend netwerk. Vier keer per jaar samen."
        ),
        members=(
            "coordinator.mechelen",
            "coordinator.wingene",
            "coordinator.vlaamse-ardennen",
            "gemeente.antwerpen",
            "gemeente.gent",
            "gemeente.leuven",
            "gemeente.brugge",
            "gemeente.hasselt",
        ),
        document_kind="pdf",
        document_title="Jaarplanning werkgroep LIVC R",
        document=(
            "# Opdracht",
            "De werkgroep verzamelt vragen en knelpunten uit de cellen, geeft advies over "
            "sjablonen en het draaiboek en kiest de thema's van de vormingen en de studiedag.",
            "# Planning",
            "Eerste kwartaal: evaluatie van het draaiboek en de sjablonen. Tweede kwartaal: "
            "voorbereiding van de studiedag. Derde kwartaal: terugblik op de studiedag en de "
            "thema's van de vormingsreeks. Vierde kwartaal: jaarverslag en prioriteiten.",
            "# Afspraken",
            "Leden bespreken geen casussen en delen geen persoonsgegevens. Agenda en verslag "
            "staan in deze groep; punten voor de agenda tot een week vooraf.",
        ),
    ),
    DemoBody(
        key="intervisie",
        kind=BodyKind.INTERVISION,
        name="Intervisiegroep casemanagers",
        description=(
            "Casemanagers en coördinatoren leggen vier keer per jaar een vraag uit hun "
            "praktijk voor aan collega's uit andere cellen, volgens een vaste werkvorm. "
            "Anoniem: er worden geen namen of herkenbare details gedeeld."
        ),
        members=(
            "adjunct.vlaamse-ardennen",
            "partner.mechelen",
            "partner.vlaamse-ardennen",
            "partner.wingene",
            "adjunct.mechelen",
            "adjunct.wingene",
            "preventie.mechelen",
            "gemeente.genk",
            "gemeente.aalst",
            "gemeente.turnhout",
        ),
        document_kind="odt",
        document_title="Werkvorm intervisie: afspraken en stappen",
        document=(
            "# Afspraken",
            "Wat in de intervisie gezegd wordt, blijft in de groep. De inbrenger maakt de "
            "casus vooraf anoniem: geen namen, adressen, scholen of andere herkenbare details.",
            "# Stappen",
            "1. De inbrenger schetst de vraag (vijf minuten). 2. Verhelderende vragen. "
            "3. Iedereen deelt een eigen ervaring of invalshoek. 4. De inbrenger kiest wat "
            "bruikbaar is. 5. Wat nemen we mee als groep?",
            "# Voorbereiden",
            "Stuur je vraag uiterlijk een week vooraf in één of twee zinnen naar de begeleider.",
        ),
    ),
    DemoBody(
        key="platform-antwerpen",
        kind=BodyKind.REGIONAL_PLATFORM,
        name="Regionaal platform LIVC R Antwerpen",
        province=Province.ANTWERPEN,
        description=(
            "Het multidisciplinaire platform van de cellen en partners in de provincie "
            "Antwerpen: lokale besturen, politie, CAW, CLB en jeugdhulp wisselen uit over "
            "samenwerking en doorverwijzing in de regio."
        ),
        members=(
            "coordinator.mechelen",
            "preventie.mechelen",
            "gemeente.antwerpen",
            "gemeente.turnhout",
            "gemeente.lier",
            "gemeente.geel",
            "gemeente.willebroek",
        ),
        document_kind="pdf",
        document_title="Verslag regionaal platform Antwerpen",
        document=(
            "# Aanwezig",
            "Vertegenwoordigers van acht lokale besturen, twee politiezones, het CAW en het CLB.",
            "# Besproken",
            "Doorverwijzing naar het CAW bij wachtlijsten, afspraken met de jeugdhulp over "
            "verontrusting, en een regionale vorming voor nieuwe coördinatoren.",
            "# Afspraken",
            "Een gedeeld overzicht van contactpunten per organisatie (functies, geen namen) "
            "tegen het volgende platform.",
        ),
    ),
    DemoBody(
        key="platform-oost-vlaanderen",
        kind=BodyKind.REGIONAL_PLATFORM,
        name="Regionaal platform LIVC R Oost-Vlaanderen",
        province=Province.OOST_VLAANDEREN,
        description=(
            "Het multidisciplinaire platform voor Oost-Vlaanderen: cellen in steden en "
            "landelijke gemeenten, samen met politie, CAW en CLB."
        ),
        members=(
            "coordinator.vlaamse-ardennen",
            "gemeente.vlaamse-ardennen",
            "gemeente.gent",
            "gemeente.aalst",
            "gemeente.sint-niklaas",
            "gemeente.ronse",
            "gemeente.oudenaarde",
        ),
        document_kind="odt",
        document_title="Verslag regionaal platform Oost-Vlaanderen",
        document=(
            "# Besproken",
            "Hoe kleine gemeenten samen een cel vormen, de rol van de politiezone over de "
            "gemeentegrenzen heen en de ervaringen met een gezamenlijke cel in de Vlaamse "
            "Ardennen.",
            "# Afspraken",
            "Een werkbezoek aan een gezamenlijke cel en een regionale tafeloefening in het najaar.",
        ),
    ),
    DemoBody(
        key="platform-limburg",
        kind=BodyKind.REGIONAL_PLATFORM,
        name="Regionaal platform LIVC R Limburg",
        province=Province.LIMBURG,
        description=(
            "Het multidisciplinaire platform voor Limburg: de startende en de bestaande cellen "
            "van de provincie met hun partners."
        ),
        members=(
            "gemeente.hasselt",
            "gemeente.genk",
            "gemeente.sint-truiden",
            "gemeente.maasmechelen",
            "gemeente.beringen",
            "gemeente.lommel",
        ),
        document_kind="pdf",
        document_title="Verslag regionaal platform Limburg",
        document=(
            "# Besproken",
            "De opstart van nieuwe cellen in de provincie, de ondersteuning door VVSG en de "
            "samenwerking met het CAW Limburg.",
            "# Afspraken",
            "Startende cellen krijgen een meter of peter uit een bestaande cel (een functie, "
            "geen persoon vastgelegd in dit verslag).",
        ),
    ),
)


# --- Events -----------------------------------------------------------------------------------

VVSG_BRUSSEL = "VVSG, Bischoffsheimlaan 1-8, 1000 Brussel"
ONLINE = "https://meet.vangnet.invalid/"

# Knowledge items (titles of the demo knowledge base) shared as materials after an event: the
# newest two that were published by a week after it.
STAND_VAN_ZAKEN = "Lokale integrale veiligheidscellen in Vlaanderen: een stand van zaken"
NETWERKDAG = "Terugblik op de lerende netwerkdag voor coördinatoren"
SJABLONEN_HERWERKT = "Sjablonen voor werkingsafspraken en samenwerkingsakkoord herwerkt"
REGLEMENT = "Sjabloon werkingsafspraken (huishoudelijk reglement) LIVC R"
AKKOORD = "Sjabloon samenwerkingsakkoord met partnerorganisaties"
AGENDA = "Sjabloon agenda casusoverleg"
INFORMEREN = "Handleiding: de betrokkene informeren"
INTERVISIE_NIEUWS = "Intervisie voor casemanagers start in elke provincie"
FAQ_VERPLICHT = "Is een LIVC R verplicht voor elke gemeente?"
FAQ_BUURGEMEENTEN = "Kunnen we met buurgemeenten één cel oprichten?"
FAQ_DEELNEMEN = "Wie mag deelnemen aan het casusoverleg?"
FAQ_TOESTEMMING = "Hebben we toestemming van de betrokkene nodig om informatie te delen?"
FAQ_VERSLAG = "Mag het verslag van het casusoverleg namen bevatten?"
FAQ_PARTNER = "Wat doen we als een partner niet wil deelnemen?"
FAQ_POLARISATIE = "Is polarisatie in een wijk een zaak voor de cel?"


@dataclass(frozen=True)
class DemoEvent:
    key: str
    kind: str
    title: str
    description: str
    days: tuple[int, ...]  # days from today, moved to the next ``weekday``; several: a series
    start: datetime.time
    end: datetime.time
    weekday: int = 1  # Tuesday
    series: str = ""  # the series' name when there are several days
    body: str = ""  # the key of a DemoBody: its members register
    location: str = ""
    online_url: str = ""
    capacity: int | None = None
    audience: str = EventAudience.LOCAL_GOVERNMENT
    feedback: bool = True
    # Without a body: this many local-government personas register (seeded sample).
    registrants: int = 0
    coordinators_only: bool = False  # the sample: coordinators and deputies only
    cancels: int = 0  # registered people who cancel before the event (the first waiting moves up)
    responses: int = 0  # feedback forms per past occurrence
    materials: tuple[str, ...] = ()  # knowledge items linked afterwards (past occurrences)


T = datetime.time

DEMO_EVENTS: tuple[DemoEvent, ...] = (
    DemoEvent(
        key="werkgroep",
        kind=EventKind.WORKING_GROUP,
        title="Werkgroep LIVC R: kwartaaloverleg",
        series="Werkgroep LIVC R: vier overlegmomenten per jaar",
        description=(
            "Het kwartaaloverleg van de centrale werkgroep: stand van zaken in de cellen, "
            "knelpunten uit de helpdesk, opvolging van het draaiboek en voorbereiding van de "
            "vormingen. De agenda staat bij de documenten van de werkgroep."
        ),
        days=(-250, -160, -70, 20),
        start=T(10, 0),
        end=T(12, 30),
        body="werkgroep",
        audience=EventAudience.BODY_MEMBERS,
        location=VVSG_BRUSSEL,
        responses=3,
        materials=(NETWERKDAG, STAND_VAN_ZAKEN, REGLEMENT, SJABLONEN_HERWERKT),
    ),
    DemoEvent(
        key="intervisie",
        kind=EventKind.INTERVISION,
        title="Intervisie casemanagers",
        series="Intervisie casemanagers: vier sessies per jaar",
        description=(
            "Casemanagers en coördinatoren leggen een vraag uit hun praktijk voor aan "
            "collega's, volgens de werkvorm van de groep. Breng je vraag anoniem in: geen "
            "namen of herkenbare details."
        ),
        days=(-230, -140, -50, 40),
        weekday=3,  # Thursday
        start=T(13, 30),
        end=T(16, 30),
        body="intervisie",
        audience=EventAudience.BODY_MEMBERS,
        location=VVSG_BRUSSEL,
        capacity=12,
        responses=4,
        materials=(FAQ_DEELNEMEN, FAQ_VERSLAG, AGENDA, INTERVISIE_NIEUWS),
    ),
    DemoEvent(
        key="platform-antwerpen",
        kind=EventKind.REGIONAL_PLATFORM,
        title="Regionaal platform LIVC R Antwerpen",
        series="Regionaal platform Antwerpen",
        description=(
            "Uitwisseling tussen de cellen en partners in de provincie Antwerpen: "
            "doorverwijzing bij wachtlijsten, samenwerking met de jeugdhulp en nieuws uit "
            "de werkgroep."
        ),
        days=(-210, -85, 30),
        start=T(9, 30),
        end=T(12, 0),
        body="platform-antwerpen",
        location="Provinciehuis Antwerpen, Koningin Elisabethlei 22, 2018 Antwerpen",
        responses=0,
        materials=(FAQ_BUURGEMEENTEN, FAQ_PARTNER, AKKOORD, AGENDA),
    ),
    DemoEvent(
        key="platform-oost-vlaanderen",
        kind=EventKind.REGIONAL_PLATFORM,
        title="Regionaal platform LIVC R Oost-Vlaanderen",
        series="Regionaal platform Oost-Vlaanderen",
        description=(
            "Het platform voor Oost-Vlaanderen: gezamenlijke cellen van kleine gemeenten, "
            "de rol van de politiezone en de voorbereiding van een regionale tafeloefening."
        ),
        days=(-195, -75, 45),
        weekday=3,
        start=T(13, 30),
        end=T(16, 0),
        body="platform-oost-vlaanderen",
        location="Provinciehuis Oost-Vlaanderen, Gouvernementstraat 1, 9000 Gent",
        materials=(FAQ_BUURGEMEENTEN, AKKOORD),
    ),
    DemoEvent(
        key="platform-limburg",
        kind=EventKind.REGIONAL_PLATFORM,
        title="Regionaal platform LIVC R Limburg",
        series="Regionaal platform Limburg",
        description=(
            "Het platform voor Limburg, met aandacht voor de startende cellen in de "
            "provincie en de samenwerking met het CAW."
        ),
        days=(-170, -60, 60),
        start=T(9, 30),
        end=T(12, 0),
        body="platform-limburg",
        location="Provinciehuis Limburg, Universiteitslaan 1, 3500 Hasselt",
        materials=(FAQ_VERPLICHT, REGLEMENT),
    ),
    DemoEvent(
        key="infosessie-livcr",
        kind=EventKind.INFO_SESSION,
        title="Online infosessie: wat is een LIVC R?",
        description=(
            "Een uur online voor nieuwe coördinatoren, mandatarissen en partners: het "
            "wettelijk kader, wie er aan tafel zit, hoe een signaal binnenkomt en wat VVSG "
            "ondersteunt. Met tijd voor vragen."
        ),
        days=(-200,),
        weekday=2,
        start=T(11, 0),
        end=T(12, 0),
        online_url=ONLINE + "infosessie-livcr",
        capacity=100,
        registrants=13,
        responses=5,
        materials=(FAQ_VERPLICHT, STAND_VAN_ZAKEN),
    ),
    DemoEvent(
        key="infosessie-informeren",
        kind=EventKind.INFO_SESSION,
        title="Online infosessie: de betrokkene informeren",
        description=(
            "Wanneer en hoe informeer je de betrokkene over de bespreking in de cel? Een "
            "toelichting bij de nieuwe handleiding, met voorbeelden uit de praktijk."
        ),
        days=(25,),
        weekday=2,
        start=T(11, 0),
        end=T(12, 0),
        online_url=ONLINE + "infosessie-informeren",
        capacity=80,
        registrants=11,
    ),
    DemoEvent(
        key="vorming-beroepsgeheim",
        kind=EventKind.TRAINING,
        title="Vorming gedeeld beroepsgeheim in de praktijk",
        description=(
            "Een dag vorming over het gedeeld beroepsgeheim in de cel: wat mag je delen, met "
            "wie en waarom? Met oefeningen op anonieme casussen. Maximaal tien deelnemers om "
            "in kleine groepen te kunnen werken."
        ),
        days=(-120,),
        weekday=3,
        start=T(9, 30),
        end=T(16, 0),
        location="Provinciehuis Antwerpen, Koningin Elisabethlei 22, 2018 Antwerpen",
        capacity=10,
        registrants=12,
        cancels=1,
        responses=4,
        materials=(FAQ_TOESTEMMING, FAQ_VERSLAG),
    ),
    DemoEvent(
        key="vorming-screening",
        kind=EventKind.TRAINING,
        title="Vorming signalen screenen en doorverwijzen",
        description=(
            "Hoe screen je een signaal met het screeningsformulier, en wanneer verwijs je door "
            "in plaats van te bespreken? Een dag met oefeningen op fictieve signalen. "
            "Maximaal tien deelnemers."
        ),
        days=(35,),
        weekday=3,
        start=T(9, 30),
        end=T(16, 0),
        location="Provinciehuis Oost-Vlaanderen, Gouvernementstraat 1, 9000 Gent",
        capacity=10,
        registrants=12,
        cancels=1,
    ),
    DemoEvent(
        key="studiedag",
        kind=EventKind.STUDY_DAY,
        title="Studiedag LIVC R: van signaal tot samenwerking",
        description=(
            "De jaarlijkse studiedag voor cellen en partners: lezingen over de evaluatie van "
            "de cellen in Vlaanderen, workshops over screening, casusoverleg en het informeren "
            "van de betrokkene, en een markt van goede praktijken."
        ),
        days=(-95,),
        weekday=3,
        start=T(9, 0),
        end=T(16, 30),
        location="ICC Gent, Van Rysselberghedreef 2, 9000 Gent",
        capacity=150,
        registrants=18,
        responses=6,
        materials=(STAND_VAN_ZAKEN, SJABLONEN_HERWERKT, FAQ_POLARISATIE),
    ),
    DemoEvent(
        key="werkbezoek",
        kind=EventKind.WORK_VISIT,
        title="Werkbezoek: het casusoverleg van een stedelijke cel",
        description=(
            "Een namiddag te gast bij een stedelijke cel: hoe is het casusoverleg "
            "georganiseerd, hoe werkt de cel met de partners en wat leerde ze de voorbije "
            "jaren? Er worden geen casussen besproken. Kleine groep."
        ),
        days=(-40,),
        start=T(13, 30),
        end=T(16, 0),
        location="Stadhuis Mechelen, Grote Markt 21, 2800 Mechelen",
        capacity=5,
        audience=EventAudience.COORDINATORS,
        registrants=6,
        coordinators_only=True,
        responses=3,
        materials=(AGENDA, INFORMEREN),
    ),
    DemoEvent(
        key="tafeloefening",
        kind=EventKind.TABLETOP_EXERCISE,
        title="Tafeloefening: een dringend signaal over radicalisering",
        description=(
            "Een oefening aan tafel met een fictief scenario: een dringend signaal komt binnen "
            "op vrijdagnamiddag. Wie doet wat, wie beslist, en wat zeg je aan wie? "
            "Deelnemers oefenen in hun eigen rol."
        ),
        days=(55,),
        start=T(9, 30),
        end=T(12, 30),
        location=VVSG_BRUSSEL,
        capacity=12,
        audience=EventAudience.COORDINATORS,
        registrants=5,
        coordinators_only=True,
    ),
)

# Anonymous comments in the feedback forms (never a name).
FEEDBACK_COMMENTS = (
    "Graag meer tijd voor de uitwisseling in kleine groepen.",
    "De voorbeelden mochten iets concreter.",
    "Een korte samenvatting achteraf zou helpen.",
    "Meer voorbeelden uit kleine gemeenten, graag.",
    "De zaal was wat krap voor deze groep.",
    "Prima zo, volgende keer graag opnieuw.",
    "",
    "",
)


# --- Coaching trajectories --------------------------------------------------------------------


@dataclass(frozen=True)
class DemoTrajectory:
    title: str
    category: str
    cells: tuple[
        str, ...
    ]  # cell names; cells that do not exist (support desk not loaded) are left out
    started_days_ago: int  # negative: starts in the future
    status: str
    done: int  # milestones done, in their order
    notes: tuple[tuple[int, bool, str], ...] = ()  # (days ago, shared with the cell, text)
    document: tuple[str, tuple[str, ...]] | None = None  # (title, paragraphs), a PDF shared
    ended_days_ago: int | None = None


DEMO_TRAJECTORIES: tuple[DemoTrajectory, ...] = (
    DemoTrajectory(
        title="Casusoverleg en partnerschap versterken in Mechelen",
        category=CoachingCategory.OPTIMISE,
        cells=("LIVC R Mechelen",),
        started_days_ago=230,
        status=TrajectoryStatus.ACTIVE,
        done=7,
        notes=(
            (
                200,
                False,
                "Intake: de cel werkt goed, maar het casusoverleg duurt te lang en partners "
                "haken af. Vraag van de coördinator: een strakkere agenda en een duidelijke "
                "rol per partner.",
            ),
            (
                40,
                True,
                "Terugkoppeling na zes maanden: de nieuwe agenda werkt, het overleg is een uur "
                "korter. Volgende stap: de werkingsafspraken met het CLB en de jeugddienst "
                "actualiseren.",
            ),
        ),
        document=(
            "Actieplan casusoverleg",
            (
                "# Doel",
                "Een casusoverleg van maximaal twee uur met een vaste agenda en een duidelijke "
                "rol voor elke partner.",
                "# Acties",
                "1. Nieuwe agenda volgens het sjabloon. 2. Voorbereiding per casus door de "
                "coördinator. 3. Werkingsafspraken met CLB en jeugddienst herzien. "
                "4. Evaluatie na zes maanden.",
            ),
        ),
    ),
    DemoTrajectory(
        title="Herstart van de cel in Wingene",
        category=CoachingCategory.REACTIVATE,
        cells=("LIVC R Wingene",),
        started_days_ago=150,
        status=TrajectoryStatus.ACTIVE,
        done=5,
        notes=(
            (
                140,
                False,
                "Intake met de burgemeester en de coördinator: de cel kwam een jaar niet samen. "
                "Alleen politie en gemeente zijn nog betrokken; socio-preventieve partners "
                "ontbreken.",
            ),
        ),
    ),
    DemoTrajectory(
        title="Monitoring en evaluatie van de gezamenlijke cel Lierde-Horebeke-Maarkedal",
        category=CoachingCategory.MONITOR,
        cells=("LIVC R Lierde-Horebeke-Maarkedal",),
        started_days_ago=400,
        status=TrajectoryStatus.CLOSED,
        done=8,
        ended_days_ago=20,
        notes=(
            (
                25,
                True,
                "Afsluiting: de slotscan toont vooruitgang op samenstelling en werkingsafspraken. "
                "De cel volgt zelf verder op met de jaarlijkse scan.",
            ),
        ),
    ),
    DemoTrajectory(
        title="Opstart van een cel in Genk en Maasmechelen",
        category=CoachingCategory.START_UP,
        cells=("LIVC R Genk", "LIVC R Maasmechelen"),
        started_days_ago=75,
        status=TrajectoryStatus.ACTIVE,
        done=2,
        notes=(
            (
                70,
                False,
                "Intake met beide lokale besturen: ze kiezen voor twee cellen met gedeelde "
                "ondersteuning. Eerst de werkingsafspraken en de samenstelling.",
            ),
        ),
    ),
    DemoTrajectory(
        title="Opstart van een cel in Ronse",
        category=CoachingCategory.START_UP,
        cells=("LIVC R Ronse",),
        started_days_ago=-20,
        status=TrajectoryStatus.PLANNED,
        done=0,
    ),
)

MILESTONE_NOTES: dict[str, str] = {
    MilestoneKind.INTAKE: "Intakegesprek met burgemeester en coördinator.",
    MilestoneKind.BASELINE_SCAN: "Nulmeting met de zelfscan, gedeeld met VVSG.",
    MilestoneKind.WORK_TABLES: "Twee werktafels met de partners.",
    MilestoneKind.PARTNER_SURVEY: "Bevraging van de partners afgerond.",
    MilestoneKind.ACTION_PLAN: "Actieplan goedgekeurd door de cel.",
    MilestoneKind.EXERCISE: "Tafeloefening met de kern van de cel.",
    MilestoneKind.FEEDBACK_AFTER_SIX_MONTHS: "Terugkoppeling na zes maanden besproken.",
    MilestoneKind.CLOSING_SCAN: "Slotscan afgenomen en besproken.",
}
