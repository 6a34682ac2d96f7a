"""Fictional Dutch words for the scale data: names, organisations, sentences.

Nothing here names a real person. Texts are built from fragments so that encrypted fields hold
values of a realistic length and the knowledge search finds real Dutch words.
"""

from __future__ import annotations

import random

from vangnet.intake.models import Outcome
from vangnet.network.models import Sector

FIRST_NAMES = (
    "Aaron",
    "Adam",
    "Amina",
    "Anke",
    "Arne",
    "Bart",
    "Bilal",
    "Bram",
    "Charlotte",
    "Daan",
    "Dirk",
    "Dries",
    "Elif",
    "Elke",
    "Emma",
    "Eva",
    "Fatima",
    "Femke",
    "Geert",
    "Greet",
    "Hanne",
    "Hamza",
    "Ilse",
    "Ines",
    "Jan",
    "Jana",
    "Jef",
    "Joke",
    "Jonas",
    "Karim",
    "Katrien",
    "Kobe",
    "Lars",
    "Leen",
    "Lien",
    "Lotte",
    "Louis",
    "Lucas",
    "Maarten",
    "Marie",
    "Mehdi",
    "Mila",
    "Nadia",
    "Nathalie",
    "Nina",
    "Noah",
    "Olivia",
    "Omar",
    "Pieter",
    "Rania",
    "Robbe",
    "Ruben",
    "Sander",
    "Sara",
    "Seppe",
    "Sofie",
    "Stijn",
    "Tim",
    "Tine",
    "Tom",
    "Vincent",
    "Wout",
    "Yasmina",
    "Youssef",
    "Zoë",
)

LAST_NAMES = (
    "Aerts",
    "Baert",
    "Bogaert",
    "Claes",
    "Cools",
    "De Backer",
    "De Clercq",
    "De Coster",
    "De Meyer",
    "De Smet",
    "De Vos",
    "Declercq",
    "Dewulf",
    "Dubois",
    "El Amrani",
    "Goossens",
    "Hermans",
    "Jacobs",
    "Janssens",
    "Lambrecht",
    "Leclercq",
    "Maes",
    "Martens",
    "Mertens",
    "Michiels",
    "Moens",
    "Peeters",
    "Pauwels",
    "Segers",
    "Smets",
    "Stevens",
    "Thys",
    "Van Damme",
    "Van de Velde",
    "Van den Broeck",
    "Van Dyck",
    "Vandamme",
    "Vandenberghe",
    "Verbeke",
    "Verhaeghe",
    "Vermeulen",
    "Willems",
    "Wouters",
    "Yilmaz",
    "Ouali",
    "Benali",
    "Kaya",
    "Demir",
    "Nowak",
)

STREETS = (
    "Kerkstraat",
    "Stationsstraat",
    "Molenstraat",
    "Schoolstraat",
    "Dorpsstraat",
    "Nieuwstraat",
    "Kapelstraat",
    "Beekstraat",
    "Veldstraat",
    "Kouter",
    "Marktplein",
    "Lindenlaan",
    "Populierenlaan",
    "Vijverstraat",
)

# {m}: the cell's first municipality; {p}: its province.
ORGANISATION_NAMES: dict[str, tuple[str, ...]] = {
    Sector.LOCAL_POLICE: ("Politiezone {m}", "Lokale politie {m}"),
    Sector.MUNICIPAL_PREVENTION: ("Preventiedienst {m}", "Dienst integrale veiligheid {m}"),
    Sector.SOCIAL_SERVICES: ("OCMW {m}", "Sociaal Huis {m}"),
    Sector.CAW: ("CAW {p}", "CAW-onthaal {m}"),
    Sector.CLB: ("CLB {m}", "Vrij CLB {m}", "GO! CLB {p}"),
    Sector.SCHOOLS: ("Atheneum {m}", "Sint-Jozefscollege {m}", "Technisch Instituut {m}"),
    Sector.YOUTH_WORK: ("Jeugddienst {m}", "Jeugdhuis De Kelder {m}", "Chiro {m}"),
    Sector.STREET_WORK: ("Straathoekwerk {m}", "Vindplaatsgericht werk {m}"),
    Sector.MENTAL_HEALTH: ("CGG {p}", "Mobiel crisisteam {p}", "Psychiatrisch centrum {m}"),
    Sector.JUSTICE_HOUSE: ("Justitiehuis {p}",),
    Sector.EMPLOYMENT: ("VDAB {m}", "Werkwinkel {m}"),
    Sector.HOUSING: ("Sociale huisvesting {m}", "Woonwinkel {m}"),
    Sector.SPORTS_CULTURE: ("Sportdienst {m}", "Cultuurcentrum {m}", "Bibliotheek {m}"),
    Sector.COMMUNITY: ("Moskeevereniging {m}", "Buurtwerk {m}", "Parochie {m}"),
    Sector.OTHER: ("Integratiedienst {m}", "Dienst diversiteit {m}"),
}

FUNCTIONS = (
    "Teamverantwoordelijke",
    "Maatschappelijk werker",
    "Consulent",
    "Coördinator",
    "Wijkinspecteur",
    "Leerlingenbegeleider",
    "Jeugdwerker",
    "Psycholoog",
)

SIGNAL_OPENINGS = (
    "Leerkracht meldt dat de jongere",
    "De begeleider stelt vast dat de persoon",
    "Volgens de wijkinspecteur heeft de betrokkene",
    "Een medewerker van het jeugdhuis hoorde dat de jongere",
    "De ouders melden dat hun kind",
    "Op sociale media blijkt dat de persoon",
)

SIGNAL_FACTS = (
    "zich de laatste weken sterk afzondert van klasgenoten",
    "extremistische filmpjes deelt in een groepsgesprek",
    "uitspraken doet die geweld tegen andersdenkenden goedkeuren",
    "contact zoekt met een groep die online propaganda verspreidt",
    "plannen vermeldt om naar het buitenland te vertrekken",
    "symbolen tekent die verwijzen naar een extremistische beweging",
    "dreigende berichten stuurde naar een medeleerling",
    "de school steeds vaker verzuimt en zich verzet tegen begeleiding",
)

SIGNAL_CONTEXTS = (
    "De situatie thuis is gespannen.",
    "Er is geen eerdere hulpverlening bekend.",
    "De jongere volgt deeltijds onderwijs.",
    "De persoon heeft recent werk verloren.",
    "Er zijn zorgen over het psychisch welzijn.",
    "De melder vraagt advies over de volgende stap.",
)

REDIRECTIONS = (
    "CAW-onthaal",
    "CLB-begeleiding",
    "Huisarts en CGG",
    "Jeugdhulp",
    "Schoolteam",
    "Straathoekwerk",
)

SCREENING_REASONS = {
    Outcome.REDIRECTED: "Geen aanwijzingen voor radicalisering; wel nood aan reguliere zorg.",
    Outcome.INFORMATION: "Informatie genoteerd; opvolging via de partner die meldde.",
    Outcome.URGENT_POLICE: "Dringend: politie neemt over volgens de afspraken.",
    Outcome.CASE: "Voldoende zorgelementen voor een casusoverleg.",
}

CASE_SUMMARIES = (
    "Jongere met toenemende isolatie en interesse in extremistische inhoud; netwerk rond "
    "school en gezin versterken.",
    "Jongvolwassene met radicaliserende uitspraken online; begeleiding naar werk en "
    "psychologische ondersteuning.",
    "Minderjarige met contacten in een polariserende groep; ouders betrekken en vrije tijd "
    "structureren.",
    "Persoon met eerdere geweldsfeiten en ideologische motivatie; opvolging door "
    "justitiehuis en CAW afstemmen.",
)

ACTIONS = (
    "Huisbezoek plannen samen met de school",
    "Gesprek met de ouders over de zorgen",
    "Aanmelding bij het CGG begeleiden",
    "Zoeken naar een stageplaats of werk",
    "Vrijetijdsaanbod bij de jeugddienst bespreken",
    "Opvolging van het schoolverzuim door het CLB",
    "Vertrouwenspersoon aanduiden",
    "Terugkoppeling aan de melder voorbereiden",
    "Contact met de mentor van het internaat",
    "Veiligheidsplan bijsturen",
)

FACTOR_NOTES = (
    "Sterke band met een oudere broer.",
    "Zoekt erkenning in online gemeenschappen.",
    "Heeft een stabiele sportclub.",
    "Weinig schoolse motivatie.",
    "Ondersteunende grootouders.",
    "Eerdere agressie op school.",
)

DECISIONS = (
    "Het CAW neemt het casemanagement op.",
    "School en CLB plannen een gezamenlijk gesprek.",
    "Bespreking opnieuw over drie maanden.",
    "Voorstel tot afsluiting op het volgende overleg.",
    "Politie blijft informatief betrokken.",
)

TOPICS = (
    "Stand van zaken samenwerkingsakkoord",
    "Terugblik vorming gedeeld beroepsgeheim",
    "Polarisatie na recente gebeurtenissen",
    "Nieuwe partners in het netwerk",
    "Jaarplanning en evaluatie",
    "Signalen uit het onderwijs",
)

KNOWLEDGE_TOPICS = (
    "radicalisering",
    "polarisatie",
    "gedeeld beroepsgeheim",
    "casusoverleg",
    "weerbaarheid van jongeren",
    "online propaganda",
    "samenwerking met de politie",
    "privacy en informatiedeling",
    "terugkoppeling aan de melder",
    "netwerkopbouw",
    "extremisme",
    "preventie op school",
)

KNOWLEDGE_TITLES = (
    "Handleiding {t}",
    "Zo pak je {t} aan in de LIVC R",
    "Nieuwe inzichten over {t}",
    "Veelgestelde vragen: {t}",
    "Sjabloon voor {t}",
    "Goede praktijk: {t} in een kleine gemeente",
    "Studiedag over {t}",
)

KNOWLEDGE_SENTENCES = (
    "De lokale integrale veiligheidscel brengt partners samen rond personen over wie "
    "zorgen bestaan.",
    "Een goede voorbereiding van het casusoverleg bespaart tijd en verhoogt het vertrouwen.",
    "Het gedeeld beroepsgeheim laat toe om informatie te delen die nodig is voor de opvolging.",
    "Jongeren die zich afzonderen, zijn gevoelig voor eenvoudige antwoorden op complexe vragen.",
    "Preventie begint bij sterke netwerken in de wijk, op school en in de vrije tijd.",
    "De burgemeester zit de cel voor en bewaakt de finaliteit.",
    "Polarisatie toont zich vaak eerst online, voor ze in de klas of op straat zichtbaar wordt.",
    "Een duidelijke terugkoppeling aan de melder houdt partners betrokken.",
    "Radicalisering is een proces, geen momentopname: blijf de situatie opvolgen.",
    "Leg afspraken over informatiedeling vast in het huishoudelijk reglement.",
)

TAGS = (
    "beroepsgeheim",
    "jongeren",
    "onderwijs",
    "online",
    "polarisatie",
    "privacy",
    "politie",
    "netwerk",
    "vorming",
    "methodiek",
    "gemeente",
    "welzijn",
)

QUESTION_SUBJECTS = (
    "Vraag over de samenstelling van onze cel",
    "Mag de school deelnemen aan het casusoverleg?",
    "Hoe lang bewaren we signalen?",
    "Vraag over de terugkoppelingsfiche",
    "Wie zit het overleg voor bij afwezigheid van de burgemeester?",
    "Voorbeeld van een huishoudelijk reglement gezocht",
    "Hoe betrekken we de jeugddienst?",
    "Vraag over de zelfevaluatie",
)

QUESTION_BODIES = (
    "Wij willen graag weten hoe andere gemeenten dit aanpakken.",
    "Onze cel is recent opgestart en we zoeken houvast.",
    "Bij de laatste bespreking ontstond hierover discussie.",
    "Is er een sjabloon of een goede praktijk beschikbaar?",
    "We vonden hierover niets terug in de kennisbank.",
)

REPLIES = (
    "Bedankt voor uw vraag. In de kennisbank vindt u een sjabloon dat u kunt aanpassen.",
    "De wet laat dit toe, op voorwaarde dat de finaliteit gerespecteerd wordt.",
    "Wij raden aan dit op te nemen in het huishoudelijk reglement.",
    "Een collega neemt contact met u op om dit verder te bespreken.",
)

EVENT_TITLES = (
    "Intervisie coördinatoren {p}",
    "Regionaal platform {p}",
    "Infosessie gedeeld beroepsgeheim",
    "Vorming casusoverleg voor nieuwe partners",
    "Studiedag polarisatie en radicalisering",
    "Werkbezoek LIVC R {m}",
    "Werkgroep signalen en screening",
)

SCAN_NOTES = (
    "De taakverdeling kan duidelijker.",
    "We missen partners uit de jeugdsector.",
    "Het overleg verloopt constructief.",
    "Meer vorming over het beroepsgeheim is welkom.",
)


def full_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def address(rng: random.Random, municipality: str) -> str:
    return f"{rng.choice(STREETS)} {rng.randint(1, 180)}, {municipality}"


def sentences(rng: random.Random, pool: tuple[str, ...], count: int) -> str:
    return " ".join(rng.sample(pool, min(count, len(pool))))


def signal_description(rng: random.Random) -> str:
    return (
        f"{rng.choice(SIGNAL_OPENINGS)} {rng.choice(SIGNAL_FACTS)}. "
        f"{sentences(rng, SIGNAL_CONTEXTS, rng.randint(1, 2))}"
    )
