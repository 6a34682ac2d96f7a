"""Demo content for the support desk: helpdesk questions, forum threads and good practices.

Written for the demo (our own wording). Questions are anonymous on purpose: no person, address,
phone number or date of birth, so none is flagged by the personal-data check. A year of
questions is generated from the scenarios below (openings x scenarios x closings) with a seeded
random generator, so every run builds the same year relative to today.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Who asks: the demo cells' municipalities and 47 other real Flemish municipalities ------------

# Municipality (name_nl) and a weight: bigger local governments ask more often.
DEMO_CELL_MUNICIPALITIES: dict[str, tuple[tuple[str, int], ...]] = {
    "mechelen": (("Mechelen", 7),),
    "wingene": (("Wingene", 3),),
    "vlaamse-ardennen": (("Lierde", 2), ("Horebeke", 1), ("Maarkedal", 2)),
}
# Local governments with a cell that so far only uses the support desk (one asker each).
OTHER_MUNICIPALITIES: tuple[tuple[str, int], ...] = (
    # Antwerpen
    ("Antwerpen", 6),
    ("Turnhout", 3),
    ("Lier", 2),
    ("Geel", 2),
    ("Mol", 2),
    ("Boom", 1),
    ("Willebroek", 2),
    ("Heist-op-den-Berg", 1),
    ("Herentals", 2),
    ("Mortsel", 1),
    ("Brasschaat", 1),
    # Vlaams-Brabant
    ("Leuven", 4),
    ("Vilvoorde", 4),
    ("Halle", 2),
    ("Tienen", 2),
    ("Aarschot", 1),
    ("Zaventem", 2),
    ("Asse", 1),
    ("Dilbeek", 1),
    ("Diest", 1),
    # West-Vlaanderen
    ("Brugge", 3),
    ("Kortrijk", 3),
    ("Oostende", 3),
    ("Roeselare", 2),
    ("Ieper", 1),
    ("Menen", 2),
    ("Waregem", 1),
    ("Izegem", 1),
    ("Tielt", 1),
    # Oost-Vlaanderen
    ("Gent", 6),
    ("Aalst", 3),
    ("Sint-Niklaas", 3),
    ("Dendermonde", 2),
    ("Lokeren", 1),
    ("Ronse", 2),
    ("Ninove", 1),
    ("Oudenaarde", 1),
    ("Geraardsbergen", 1),
    ("Eeklo", 1),
    # Limburg
    ("Hasselt", 3),
    ("Genk", 4),
    ("Sint-Truiden", 2),
    ("Maasmechelen", 2),
    ("Beringen", 2),
    ("Lommel", 1),
    ("Houthalen-Helchteren", 1),
    ("Tongeren-Borgloon", 1),
)
# Fictional staff of those local governments (combined in order; any likeness is accidental).
FIRST_NAMES = (
    "Annelies", "Bart", "Charlotte", "Dieter", "Eline", "Frederik", "Hanne", "Jens", "Kaat",
    "Lieven", "Margot", "Nick", "Ruth", "Sander", "Tine", "Vincent", "Wendy", "Yves", "Zoë",
)  # fmt: skip
LAST_NAMES = (
    "Aerts", "Bogaert", "Coppens", "De Backer", "Dierckx", "Engelen", "Geerts", "Hermans",
    "Jacobs", "Lambrechts", "Michiels", "Nys", "Peeters", "Renders", "Smet", "Thijs",
    "Van Acker", "Verbeke", "Wouters", "Zegers", "Claeys", "Maes", "Vermeulen",
)  # fmt: skip

# How askers sign (a role or a service, never a name).
SIGNATURES = {
    "coordinator": ("De coördinator van de LIVC R",),
    "adjunct": ("De adjunct-coördinator van de LIVC R",),
    "preventie": ("Dienst preventie",),
    "gemeente": (
        "Dienst lokale veiligheid",
        "Preventiedienst",
        "Dienst welzijn",
        "Team integrale veiligheid",
    ),
}

GREETINGS = ("Beste,", "Dag VVSG,", "Hallo,", "Goedemorgen,", "Beste collega's,", "Dag,")
OPENINGS = (
    "",
    "",
    "Onze cel is nog maar een jaar actief en we botsen op het volgende.",
    "Naar aanleiding van ons laatste casusoverleg hebben we een vraag.",
    "Bij de evaluatie van onze werking kwam deze vraag naar boven.",
    "Een partner legde ons deze vraag voor en we willen zeker zijn van ons antwoord.",
    "Onze nieuwe coördinator bekijkt de werking van de cel opnieuw.",
    "We bereiden de herziening van onze werkingsafspraken voor.",
)
# Only for the smallest askers (weight 1 below).
SMALL_OPENING = "We zijn een kleinere gemeente en hebben weinig ervaring met casussen."
CLOSINGS = (
    "Alvast bedankt voor jullie hulp.",
    "Kunnen jullie ons hierin adviseren?",
    "Graag jullie advies, liefst voor ons volgende overleg.",
    "Hoe pakken andere cellen dit aan?",
    "Dank u wel.",
    "Alvast dank voor een snelle reactie.",
)
REPLY_OPENINGS = (
    "Dag collega,",
    "Beste,",
    "Dag,",
    "Dank voor je vraag.",
)
REPLY_CLOSINGS = (
    "Laat gerust weten als er nog iets onduidelijk is.",
    "We horen graag of dit helpt.",
    "Meer uitleg vind je in het draaiboek in de kennisbank.",
    "Aarzel niet om een nieuwe vraag te stellen als de situatie verandert.",
)
REPLY_SIGNATURE = "Met vriendelijke groeten,\nTeam lokale integrale veiligheid, VVSG"

# Asking back ("waiting for the asker") before answering.
WAITING_REPLIES = (
    "Dank voor je vraag. Om goed te kunnen antwoorden: gaat het om een cel van één gemeente of "
    "om een intergemeentelijke cel? En werd de vraag al voorgelegd aan jullie functionaris voor "
    "gegevensbescherming?",
    "Dank voor je vraag. Kun je wat meer context geven: welke partners zijn betrokken en werd "
    "het signaal al gescreend? Vermeld geen namen of andere gegevens over de betrokkene.",
)
INTERNAL_NOTES = (
    "Gelijkaardige vraag kwam vorige maand binnen; antwoord afgestemd met de juridische dienst.",
    "Kandidaat voor een FAQ-item als de vraag nog eens terugkomt.",
    "Navragen bij de collega's van het team veiligheid voor we antwoorden.",
    "Vraag bevatte eerst een naam; asker gevraagd om die te verwijderen.",
    "Verwijzen naar het nieuwe hoofdstuk over beroepsgeheim in het draaiboek.",
)
DUPLICATE_NOTE = "Twee keer verstuurd; beantwoord in de eerste vraag. Gesloten zonder antwoord."
FOLLOW_UPS = (
    (
        "Dank voor het antwoord. Nog een aanvulling: moeten we dit ook zo opnemen in onze "
        "werkingsafspraken?",
        "Ja, dat raden we aan. Zo is de afspraak duidelijk voor elke nieuwe deelnemer. Het "
        "sjabloon voor de werkingsafspraken heeft daar een artikel voor.",
    ),
    (
        "Bedankt. Onze functionaris voor gegevensbescherming vraagt of jullie antwoord ook "
        "schriftelijk bevestigd kan worden voor het dossier.",
        "Het antwoord in deze vraag blijft bewaard en jullie kunnen het afdrukken voor het "
        "dossier. Voor een formeel juridisch advies verwijzen we naar jullie eigen juridische "
        "dienst.",
    ),
    (
        "Helder, dank je. Hebben jullie toevallig een voorbeeld van een andere cel?",
        "Bij de goede praktijken in de kennisbank staan enkele voorbeelden. Op het forum van de "
        "coördinatoren kan je ook collega's om hun ervaring vragen.",
    ),
)


@dataclass(frozen=True)
class Scenario:
    """A recurring question: how it is asked, and how VVSG answers it."""

    key: str
    theme: str  # a knowledge Theme slug
    subjects: tuple[str, ...]
    question: str
    answer: str
    links: tuple[str, ...] = ()  # knowledge item keys the answer points to
    attachment: str = ""  # a document the asker attaches (its title), if any
    openings: bool = True  # whether a general opening sentence fits before the question


SCENARIOS: tuple[Scenario, ...] = (
    # --- Gedeeld beroepsgeheim en privacy
    Scenario(
        "burgemeester-college",
        "beroepsgeheim",
        (
            "Mag de burgemeester het college informeren over een casus?",
            "Informatie uit het casusoverleg delen met het college",
        ),
        "Onze burgemeester vraagt of hij het college kan informeren over een casus die ook in de "
        "lokale pers aandacht kreeg. Mag dat, en wat mag hij dan precies zeggen?",
        "De geheimhoudingsplicht geldt voor iedereen die aan de cel deelneemt, ook voor de "
        "burgemeester. Wat in het casusoverleg gedeeld werd, gaat dus niet naar het college. Het "
        "college kan wel algemene informatie krijgen: hoeveel signalen en casussen er waren, welke "
        "thema's terugkomen en wat de cel nodig heeft. Over een concrete casus zegt de "
        "burgemeester niets, ook niet als die in de pers kwam.",
        ("pb-beroepsgeheim", "qa-deelnemers"),
    ),
    Scenario(
        "geen-beroepsgeheimhouder",
        "beroepsgeheim",
        (
            "Mag een medewerker zonder beroepsgeheim deelnemen aan het casusoverleg?",
            "Deelname van een gemeentelijke medewerker zonder beroepsgeheim",
        ),
        "Bij ons neemt een medewerker van de dienst welzijn deel die zelf geen "
        "beroepsgeheimhouder is. Een partner vraagt of die medewerker wel mag blijven tijdens de "
        "bespreking van een casus.",
        "Ja. Artikel 458ter van het Strafwetboek legt de geheimhouding op aan iedereen die aan "
        "het overleg deelneemt, of die nu beroepsgeheimhouder is of niet. Laat de medewerker een "
        "geheimhoudingsverklaring ondertekenen, zoals elke deelnemer, en nodig hem of haar alleen "
        "uit voor de casussen waarin de dienst een rol heeft.",
        ("pb-beroepsgeheim", "qa-deelnemers"),
    ),
    Scenario(
        "verhuis",
        "beroepsgeheim",
        (
            "Jongere verhuist naar een andere gemeente: wat mogen we doorgeven?",
            "Overdracht van een casus bij verhuis",
        ),
        "Een jongere die wij opvolgen, verhuist binnenkort naar een andere gemeente. Mogen wij de "
        "coördinator van de cel daar informeren, en wat mogen we doorgeven?",
        "Ja, de coördinator kan contact opnemen met de cel van de nieuwe gemeente. Geef alleen "
        "door wat nodig is om de begeleiding voort te zetten: dat er een zorg is, welke partner "
        "de casusregisseur was en welke begeleiding loopt. Het volledige dossier gaat niet mee. "
        "Vraag vooraf advies aan jullie functionaris voor gegevensbescherming.",
        ("pb-opvolging",),
    ),
    Scenario(
        "verslag-mail",
        "beroepsgeheim",
        (
            "Verslag van het casusoverleg per mail versturen?",
            "Mogen we het verslag beveiligd doorsturen naar de partners?",
        ),
        "Sommige partners vragen het verslag van het casusoverleg per mail. Is dat toegestaan als "
        "we het document met een wachtwoord beveiligen?",
        "Liever niet. Ook een beveiligd document kan doorgestuurd of op een gedeelde schijf "
        "bewaard worden. Bewaar het verslag op één beveiligde plaats en laat de partners het daar "
        "lezen. Gebruik in het verslag altijd een casuscode in plaats van een naam.",
        ("qa-verslag-namen", "pb-beroepsgeheim"),
    ),
    Scenario(
        "bewaartermijn",
        "beroepsgeheim",
        (
            "Hoe lang bewaren we signalen die geen casus werden?",
            "Bewaartermijn van oude signalen",
        ),
        "We hebben nog signalen uit de beginperiode van onze cel die nooit een casus werden. Hoe "
        "lang mogen we die bewaren, en moeten we ze actief vernietigen?",
        "De wet legt geen vaste termijn op; jullie cel bepaalt die in de werkingsafspraken, na "
        "advies van de functionaris voor gegevensbescherming. Voor signalen die geen casus "
        "werden, kiezen de meeste cellen een korte termijn van enkele maanden. Is die termijn "
        "verstreken, dan vernietigen jullie de gegevens actief en noteren jullie dat dit "
        "gebeurde.",
        ("qa-bewaartermijn",),
    ),
    Scenario(
        "informeren-uitstel",
        "beroepsgeheim",
        (
            "Mogen we het informeren van de betrokkene uitstellen?",
            "Betrokkene informeren: uitstellen en hoe lang",
        ),
        "In een lopende casus vrezen de partners dat de jongere elk contact verbreekt als hij "
        "hoort dat de cel over hem spreekt. Mogen we het informeren uitstellen, en hoe lang?",
        "Ja, zolang het informeren de begeleiding in gevaar brengt. Noteer in het dossier waarom "
        "jullie uitstellen en tot wanneer, en bekijk het op elk overleg opnieuw. Bereid het "
        "gesprek later samen met de casusregisseur voor.",
        ("qa-informeren", "pub-informeren"),
    ),
    Scenario(
        "inzage-advocaat",
        "beroepsgeheim",
        (
            "Vraag om inzage in wat de cel bewaart",
            "Een advocaat vraagt inzage in het dossier van de cel",
        ),
        "We kregen een brief van een advocaat die namens een cliënt vraagt wat de cel over hem "
        "bewaart. Hoe pakken we dit aan?",
        "Een vraag om inzage is een recht onder de AVG en moet binnen een maand beantwoord "
        "worden. Betrek meteen jullie functionaris voor gegevensbescherming en de juridische "
        "dienst. Er zijn beperkingen mogelijk als inzage een lopende begeleiding of een onderzoek "
        "schaadt, maar die moeten gemotiveerd worden. Bevestig in elk geval de ontvangst.",
        ("pb-beroepsgeheim",),
    ),
    Scenario(
        "ia-naar-ltf",
        "beroepsgeheim",
        (
            "Mag de informatieambtenaar verslagen meenemen naar de taskforce?",
            "Informatie uit de cel doorgeven aan de lokale taskforce",
        ),
        "Onze informatieambtenaar vraagt of hij een samenvatting van de casusbespreking kan "
        "meenemen naar de lokale taskforce.",
        "Niet zomaar. Ook voor de informatieambtenaar geldt de geheimhouding over wat in de cel "
        "gedeeld werd. De cel en de taskforce hebben elk hun eigen doel. Is er een acuut "
        "veiligheidsrisico, dan gelden de gewone regels voor het melden aan de politie.",
        ("qa-informatieambtenaar", "qa-ltf"),
    ),
    # --- Werking en organisatie
    Scenario(
        "intergemeentelijk",
        "werking",
        (
            "Samen met buurgemeenten één cel oprichten",
            "Stappen voor een intergemeentelijke cel",
        ),
        "Wij overwegen om met twee buurgemeenten uit dezelfde politiezone één cel op te richten. "
        "Welke stappen moeten we zetten en wie wordt dan voorzitter?",
        "Dat kan. Leg in werkingsafspraken vast wie voorzit, hoe elke gemeente vertegenwoordigd "
        "is en welke gemeente de gegevens verwerkt. Elke burgemeester blijft bevoegd voor de "
        "eigen gemeente; vaak zit de burgemeester voor van de gemeente waar de casus speelt. "
        "Laat de afspraken door elk bestuur bekrachtigen.",
        ("qa-intergemeentelijk", "pb-opstart", "tpl-reglement"),
    ),
    Scenario(
        "kostenverdeling",
        "werking",
        (
            "Kostenverdeling in een intergemeentelijke cel",
            "Hoe verdelen andere cellen de coördinatie tussen gemeenten?",
        ),
        "In onze intergemeentelijke cel draagt één gemeente de volledige coördinatie. Hoe "
        "verdelen andere cellen de kosten en de tijd?",
        "Daar bestaat geen vaste regel voor. Veel intergemeentelijke cellen verdelen de kosten "
        "van de coördinator volgens het aantal inwoners, en leggen dat vast in een overeenkomst "
        "tussen de besturen. Andere laten de coördinatie roteren. Belangrijk is dat de "
        "afspraak op papier staat en jaarlijks bekeken wordt.",
        ("qa-intergemeentelijk",),
    ),
    Scenario(
        "ritme",
        "werking",
        (
            "Moeten we samenkomen als er geen casussen zijn?",
            "Vast overlegritme bij weinig casussen",
        ),
        "Onze cel had het afgelopen jaar maar één casus. Moeten we toch een vast ritme aanhouden?",
        "We raden het aan. Een cel die alleen samenkomt als er een casus is, verliest snel haar "
        "reflexen en haar netwerk. Een netwerkoverleg twee of drie keer per jaar, met "
        "trendsignalen, vorming of een oefencasus, houdt de partners betrokken.",
        ("qa-verplicht", "pb-opstart"),
    ),
    Scenario(
        "nieuwe-coordinator",
        "werking",
        (
            "Nieuwe coördinator: waar beginnen?",
            "Overdracht van de coördinatie van de cel",
        ),
        "Onze cel krijgt een nieuwe coördinator, die het overneemt van een collega die vertrokken "
        "is. Welke documenten moeten we zeker hebben en waar beginnen we?",
        "Welkom aan de nieuwe coördinator! Verzamel eerst de werkingsafspraken, de "
        "samenwerkingsakkoorden met de partners en de lijst van lopende casussen met hun "
        "volgende bespreking. Lees daarna het draaiboek, en plan een kennismaking met de "
        "informatieambtenaar en de vaste partners.",
        ("pb-intro", "tpl-reglement"),
        openings=False,
    ),
    Scenario(
        "reglement-goedkeuring",
        "werking",
        (
            "Moet de gemeenteraad ons huishoudelijk reglement goedkeuren?",
            "Goedkeuring van de werkingsafspraken",
        ),
        "We hebben ons huishoudelijk reglement herwerkt. Moet de gemeenteraad dat goedkeuren, of "
        "volstaat het college? In bijlage ons ontwerp.",
        "Dat hangt af van hoe jullie bestuur de cel heeft opgericht. Veel gemeenten laten de "
        "werkingsafspraken bekrachtigen door het college of de gemeenteraad. We bekeken jullie "
        "ontwerp: het volgt grotendeels het sjabloon, maar een artikel over het informeren van de "
        "betrokkene ontbreekt nog.",
        ("qa-reglement-gemeenteraad", "tpl-reglement"),
        attachment="Ontwerp werkingsafspraken LIVC R",
    ),
    Scenario(
        "jaarverslag",
        "werking",
        (
            "Wat mag in een jaarverslag aan de gemeenteraad?",
            "Rapporteren over de werking van de cel",
        ),
        "De gemeenteraad vraagt een jaarverslag over de werking van de cel. Wat mogen we daarin "
        "opnemen zonder de geheimhouding te schenden?",
        "Rapporteer in algemene termen: het aantal signalen en casussen, de uitkomsten van de "
        "screening, de thema's, de partners en de verbeterpunten. Geen beschrijving van casussen, "
        "ook niet geanonimiseerd, zeker niet in een kleine gemeente waar details herkenbaar zijn.",
        ("pb-evaluatie",),
    ),
    Scenario(
        "voorzitter-afwezig",
        "werking",
        (
            "Wie zit voor als de burgemeester er niet is?",
            "Vervanging van de voorzitter",
        ),
        "Onze burgemeester kan zelden aanwezig zijn op het casusoverleg. Kan iemand anders "
        "voorzitten?",
        "Ja, de burgemeester kan zich laten vertegenwoordigen. Spreek in de werkingsafspraken "
        "af wie dat doet en wat die persoon mag beslissen. Veel cellen laten de burgemeester het "
        "netwerkoverleg voorzitten en een afgevaardigde het casusoverleg.",
        ("qa-voorzitter",),
    ),
    Scenario(
        "tijd-coordinator",
        "werking",
        (
            "Hoeveel tijd vraagt de coördinatie van een cel?",
            "Richtcijfers voor de tijd van de coördinator",
        ),
        "Ons bestuur vraagt hoeveel tijd een coördinator nodig heeft. Hebben jullie richtcijfers?",
        "Een vaste norm bestaat niet: het hangt af van de grootte van de gemeente, het aantal "
        "casussen en of de cel intergemeentelijk is. Reken naast de overlegmomenten ook op "
        "voorbereiding, opvolging van acties, contact met partners en vorming. Collega's op het "
        "forum van de coördinatoren delen graag hoe zij het organiseren.",
        ("pub-stand",),
    ),
    # --- Casusoverleg en methodiek
    Scenario(
        "wie-uitnodigen",
        "casusoverleg",
        (
            "Wie nodigen we uit voor het casusoverleg?",
            "Welke partners horen bij een casusbespreking?",
        ),
        "Voor ons volgende casusoverleg twijfelen we welke partners we moeten uitnodigen. Moeten "
        "alle partners van de cel bij elke casus aanwezig zijn?",
        "Nee. Nodig per casus alleen de partners uit die betrokken zijn of iets kunnen bijdragen. "
        "Wie niet betrokken is, verlaat het overleg tijdens die bespreking. Zet op de agenda "
        "alleen casuscodes, geen namen.",
        ("qa-deelnemers", "tpl-agenda"),
    ),
    Scenario(
        "casusregisseur",
        "casusoverleg",
        (
            "Niemand wil casusregisseur zijn",
            "Hoe duiden we een casusregisseur aan?",
        ),
        "In een casus zijn drie partners betrokken en niemand wil casusregisseur zijn. Hoe "
        "beslissen we dat?",
        "Kies de partner die het dichtst bij de betrokkene staat of het meeste contact heeft. "
        "Maak duidelijk wat de rol inhoudt: het overzicht houden en rapporteren, niet alle "
        "acties zelf uitvoeren. Lukt het niet, dan neemt de coördinator de rol tijdelijk op.",
        ("pb-casusoverleg",),
    ),
    Scenario(
        "acties-blijven-liggen",
        "casusoverleg",
        (
            "Acties blijven overleg na overleg liggen",
            "Opvolging van acties in het casusoverleg",
        ),
        "Bij ons komen dezelfde acties overleg na overleg terug zonder dat er iets gebeurt. Hoe "
        "pakken andere cellen dat aan?",
        "Geef elke actie één eigenaar en een termijn, en bespreek aan het begin van elk overleg "
        "de acties die over tijd zijn, met de reden. Een actie die drie keer niet lukt, is "
        "misschien niet de juiste: herformuleer ze of schrap ze bewust.",
        ("pb-opvolging",),
    ),
    Scenario(
        "afsluiten",
        "casusoverleg",
        (
            "Wanneer sluiten we een casus af?",
            "Criteria om een casus af te sluiten",
        ),
        "We hebben casussen die al meer dan een jaar op de agenda staan zonder veel evolutie. "
        "Wanneer mogen we een casus afsluiten?",
        "Sluit af wanneer de zorg weg is, de reguliere hulpverlening het overneemt, de betrokkene "
        "verhuist of verdere opvolging niet zinvol is. Noteer de reden en een korte uitkomst, en "
        "spreek af wie aanspreekpunt blijft. Zo begint ook de bewaartermijn te lopen.",
        ("pb-opvolging", "qa-bewaartermijn"),
    ),
    Scenario(
        "verslag-detail",
        "casusoverleg",
        (
            "Hoe gedetailleerd moet het verslag zijn?",
            "Verslaggeving van het casusoverleg",
        ),
        "Onze partners vinden ons verslag te uitgebreid, de burgemeester vindt het te kort. Hoe "
        "gedetailleerd moet een verslag van het casusoverleg zijn?",
        "Het verslag houdt bij wat nodig is om op te volgen: beslissingen, acties, eigenaar en "
        "termijn, en de datum van de volgende bespreking. Geen letterlijk verslag, geen "
        "vermoedens, en een casuscode in plaats van een naam.",
        ("qa-verslag-namen", "pb-casusoverleg"),
    ),
    Scenario(
        "online-overleg",
        "casusoverleg",
        (
            "Mag het casusoverleg online doorgaan?",
            "Casusoverleg via videovergadering",
        ),
        "Mogen we het casusoverleg via videovergadering houden, of moet het fysiek?",
        "Het kan, met voorzorgen: een vergadertool die jullie bestuur goedkeurde, geen opname, "
        "elke deelnemer in een afgesloten ruimte, en de geheimhouding bevestigd bij de start. "
        "Voor een eerste bespreking van een nieuwe casus verkiezen veel cellen een fysiek "
        "overleg.",
        ("pb-casusoverleg",),
    ),
    # --- Signalen, screening en doorverwijzing
    Scenario(
        "minderjarige",
        "signalen",
        (
            "Signaal over een minderjarige leerling",
            "Moeten de ouders weten dat de cel een signaal over hun kind bespreekt?",
        ),
        "Een school meldt zorgen over een leerling die op sociale media extreme filmpjes deelt. "
        "Mogen we dit als cel opnemen, en moeten de ouders op de hoogte zijn?",
        "Ja, een signaal over een minderjarige kan de cel opnemen, na screening. Betrek het CLB. "
        "De ouders informeren is in principe aangewezen, tenzij dat de jongere in gevaar brengt; "
        "noteer dan waarom jullie wachten. Ga na of jeugdhulp of de school zelf niet beter "
        "geplaatst zijn om de zorg op te nemen.",
        ("qa-school", "pb-screening"),
    ),
    Scenario(
        "buiten-finaliteit",
        "signalen",
        (
            "Signalen zonder ideologische component",
            "Psychische kwetsbaarheid: een zaak voor de cel?",
        ),
        "We krijgen steeds vaker signalen over psychische kwetsbaarheid zonder ideologische "
        "component. Hoe gaan andere cellen daarmee om?",
        "Zulke signalen vallen meestal buiten het doel van de cel. Verwijs door naar de "
        "geestelijke gezondheidszorg of de reguliere hulpverlening, en laat de aanbrenger weten "
        "waar hij terechtkan. Duikt er later toch een ideologische component op, dan kan het "
        "opnieuw gescreend worden.",
        ("pb-screening", "tpl-feedback"),
    ),
    Scenario(
        "anoniem-signaal",
        "signalen",
        (
            "Anonieme melding van een inwoner",
            "Is een melding van een buurtbewoner een signaal voor de cel?",
        ),
        "Een inwoner meldde anoniem aan het onthaal dat een buurman extreme uitspraken doet. Is "
        "dat een signaal voor de cel?",
        "Inwoners brengen geen signalen rechtstreeks aan bij de cel. Verwijs de melding door naar "
        "de lokale politie, bijvoorbeeld de wijkagent. Komt er daarna een signaal van een partner, "
        "dan screent de cel het zoals elk ander signaal.",
        ("pb-screening",),
    ),
    Scenario(
        "feedback-aanbrenger",
        "signalen",
        (
            "Wat vertellen we aan wie een signaal aanbracht?",
            "Terugkoppeling aan de aanbrenger",
        ),
        "Een leerkracht vraagt wat er met haar signaal gebeurd is. Wat mogen we haar vertellen?",
        "Laat weten wat de uitkomst van de screening was (doorverwezen, ter informatie of casus) "
        "en wie het aanspreekpunt is, zonder details uit het overleg. Het sjabloon voor het "
        "feedbackformulier helpt om dat kort te houden.",
        ("tpl-feedback", "pb-screening"),
    ),
    Scenario(
        "wie-screent",
        "signalen",
        (
            "Wie beslist over de screening van een signaal?",
            "Screening van signalen: rolverdeling",
        ),
        "Wie beslist bij ons of een signaal een casus wordt: de coördinator alleen of de hele cel?",
        "De coördinator screent samen met de informatieambtenaar, liefst binnen een week, en "
        "vraagt advies aan een partner met expertise als dat nodig is. De cel bevestigt de "
        "beslissing op het volgende overleg. Het screeningsformulier zet de vragen op een rij.",
        ("pb-screening", "tpl-screening"),
    ),
    Scenario(
        "signaal-ltf",
        "signalen",
        (
            "Persoon uit de lokale taskforce als casus opnemen?",
            "Signaal via de informatieambtenaar",
        ),
        "De informatieambtenaar brengt een persoon aan die besproken werd op de lokale taskforce. "
        "Kunnen we die persoon zomaar als casus opnemen?",
        "Ook zo'n signaal wordt eerst gescreend. De informatieambtenaar brengt alleen in wat "
        "nodig is voor een zorgaanpak. Beslist de cel om de persoon op te volgen, dan doet ze dat "
        "vanuit zorg en preventie, los van de opvolging door de taskforce.",
        ("qa-ltf", "pb-screening"),
    ),
    # --- Partners en netwerk
    Scenario(
        "caw-twijfelt",
        "partners",
        (
            "Het CAW twijfelt om deel te nemen",
            "Een partner wil niet deelnemen aan de cel",
        ),
        "Het CAW twijfelt om deel te nemen aan onze cel omdat ze vrezen voor de "
        "vertrouwensrelatie met hun cliënten. Hoe kunnen we hen overtuigen?",
        "Ga in gesprek over hun bezorgdheid. Leg uit dat ze alleen delen wat nodig is, dat ze "
        "alleen aanschuiven bij casussen die hen aanbelangen en dat de cel een zorgaanpak is. Een "
        "samenwerkingsakkoord dat dit vastlegt, neemt vaak veel twijfels weg.",
        ("qa-partner-weigert", "tpl-akkoord"),
    ),
    Scenario(
        "akkoord-clb",
        "partners",
        (
            "Samenwerkingsakkoord met het CLB",
            "Akkoord met een partner opstellen",
        ),
        "We willen een samenwerkingsakkoord sluiten met het CLB. Is er een model? In bijlage een "
        "eerste ontwerp.",
        "Ja, er staat een sjabloon in de kennisbank. Jullie ontwerp is een goede basis; we "
        "raden aan om ook te vermelden wie de vaste contactpersoon en de vervanger is, en hoe de "
        "school terugkoppeling krijgt.",
        ("tpl-akkoord", "qa-school"),
        attachment="Ontwerp samenwerkingsakkoord",
    ),
    Scenario(
        "justitiehuis",
        "partners",
        (
            "Het justitiehuis betrekken bij een casus",
            "Kan het justitiehuis deelnemen aan het casusoverleg?",
        ),
        "In een casus loopt een begeleiding via het justitiehuis. Kunnen we hen uitnodigen en "
        "wat mogen zij delen?",
        "Het justitiehuis kan deelnemen voor die casus. Wat zij delen, blijft beperkt tot wat "
        "nodig is voor de afstemming van de begeleiding; informatie over voorwaarden uit een "
        "gerechtelijke beslissing delen ze alleen binnen hun eigen kader.",
        ("qa-deelnemers",),
    ),
    Scenario(
        "huisarts",
        "partners",
        (
            "Kan een huisarts aan het casusoverleg deelnemen?",
            "Een arts betrekken bij een casus",
        ),
        "Een huisarts wil meedenken over iemand die we opvolgen. Kan een arts aan het "
        "casusoverleg deelnemen?",
        "Een arts kan uitgenodigd worden voor de bespreking van een casus waarin hij of zij een "
        "rol heeft. Ook voor een arts geldt: alleen delen wat nodig is voor het doel van de cel. "
        "Vaak werkt een voorafgaand gesprek met de casusregisseur beter dan deelname aan het hele "
        "overleg.",
        ("qa-deelnemers", "pb-beroepsgeheim"),
    ),
    Scenario(
        "jeugdwerk",
        "partners",
        (
            "Jeugdwerkers vrezen vertrouwensbreuk",
            "Jeugdwerk betrekken zonder het vertrouwen van jongeren te schaden",
        ),
        "Onze jeugdwerkers vrezen het vertrouwen van jongeren te verliezen als ze aan de cel "
        "deelnemen. Hoe gaan andere gemeenten daarmee om?",
        "Die bezorgdheid is terecht en verdient een duidelijke afspraak. Veel cellen laten het "
        "jeugdwerk alleen aanschuiven als het een rol heeft in de begeleiding, en spreken af dat "
        "jeugdwerkers hun rol als vertrouwensfiguur behouden. Transparantie naar de jongere helpt.",
        ("qa-partner-weigert",),
    ),
    # --- Regelgeving en kader
    Scenario(
        "andere-fenomenen",
        "regelgeving",
        (
            "Intrafamiliaal geweld bespreken in de cel?",
            "Andere fenomenen in dezelfde cel",
        ),
        "Ons bestuur wil in de cel ook casussen van intrafamiliaal geweld bespreken. Kan dat?",
        "Niet onder het gedeeld beroepsgeheim van de LIVC R: dat geldt alleen voor het doel van "
        "de cel. Voor intrafamiliaal geweld is een eigen wettelijke basis nodig. Sommige "
        "gemeenten gebruiken hetzelfde netwerk, maar met een afzonderlijk overleg.",
        ("qa-andere-fenomenen",),
    ),
    Scenario(
        "dpia",
        "regelgeving",
        (
            "Is een gegevensbeschermingseffectbeoordeling nodig?",
            "DPIA voor de LIVC R",
        ),
        "Onze functionaris voor gegevensbescherming vraagt of er een "
        "gegevensbeschermingseffectbeoordeling nodig is voor de cel.",
        "Omdat de cel gevoelige gegevens over kwetsbare personen verwerkt, is een "
        "effectbeoordeling sterk aangewezen. De functionaris beslist; wij raden aan om ze te "
        "combineren met de opname van de verwerking in het register.",
        ("pb-beroepsgeheim",),
    ),
    Scenario(
        "wettelijke-basis",
        "regelgeving",
        (
            "Op welke wet steunt onze cel?",
            "Wettelijke basis vermelden in de werkingsafspraken",
        ),
        "Welke wettelijke basis moeten we vermelden in onze werkingsafspraken?",
        "Vermeld de wet van 30 juli 2018 tot oprichting van de lokale integrale "
        "veiligheidscellen en artikel 458ter van het Strafwetboek voor het gedeeld "
        "beroepsgeheim. Nemen Vlaamse voorzieningen deel, verwijs dan ook naar het decreet dat "
        "hun deelname regelt.",
        ("pb-kader", "tpl-reglement"),
    ),
    Scenario(
        "decreet-caw",
        "regelgeving",
        (
            "Welke regels gelden voor de deelname van het CAW?",
            "Vlaamse partners en het decreet",
        ),
        "Het CAW vraagt op welke regels hun deelname aan de cel steunt. Wat kunnen we hen "
        "antwoorden?",
        "Voor hulpverleners van Vlaamse voorzieningen regelt een Vlaams decreet onder welke "
        "voorwaarden ze deelnemen. Het hoofdstuk over het wettelijk kader in het draaiboek vat "
        "het samen; hun eigen koepel heeft vaak een interne richtlijn.",
        ("pb-kader",),
    ),
    # --- Radicalisering, polarisatie en extremisme
    Scenario(
        "polarisatie-wijk",
        "fenomenen",
        (
            "Spanningen in een wijk na een incident",
            "Polarisatie in een wijk: wat kan de cel doen?",
        ),
        "Na een incident op sociale media zijn er spanningen tussen twee groepen jongeren in "
        "een wijk. Is dat iets voor de cel?",
        "Als casus niet, zolang er geen zorg over een concrete persoon is. De cel kan het wel "
        "als trendsignaal bespreken, zonder namen, zodat partners als het jeugdwerk en de "
        "wijkagent hun acties afstemmen.",
        ("qa-polarisatie",),
    ),
    Scenario(
        "complotdenken",
        "fenomenen",
        (
            "Complotdenken: signaal of niet?",
            "Hoe schatten we complottheorieën in?",
        ),
        "Een partner maakt zich zorgen over iemand die steeds meer complottheorieën over de "
        "overheid verspreidt, zonder oproep tot geweld. Hoe schatten andere cellen zulke "
        "signalen in?",
        "Complotdenken alleen is geen reden voor de cel. Het wordt een signaal als er "
        "aanwijzingen zijn voor een evolutie richting geweld: vijandbeelden, oproepen, contacten "
        "met groepen die geweld goedpraten. Screen het zoals elk signaal, en bekijk of reguliere "
        "hulp volstaat.",
        ("pb-screening", "news-online"),
    ),
    Scenario(
        "stickers",
        "fenomenen",
        (
            "Stickers van een extreemrechtse groep in de gemeente",
            "Wat doen we met extremistische stickers en affiches?",
        ),
        "In onze gemeente duiken stickers op van een extreemrechtse actiegroep. De jeugddienst "
        "vraagt wat ze kunnen doen.",
        "Het verwijderen van stickers is een zaak van de gemeentediensten en de politie. Voor de "
        "cel is het een trendsignaal: bespreek het zonder namen en bekijk met de jeugddienst en "
        "de scholen of preventieve acties nodig zijn.",
        ("qa-polarisatie", "news-online"),
    ),
    Scenario(
        "online-tieners",
        "fenomenen",
        (
            "Online radicalisering bij tieners",
            "Signalen uit de online leefwereld van jongeren",
        ),
        "Scholen melden dat tieners online in contact komen met extremistische inhoud. Welke "
        "signalen zijn ernstig genoeg voor de cel?",
        "Niet elke meme is een signaal. Let op een patroon: een jongere die zich afsluit, "
        "vijandbeelden overneemt, in besloten groepen zit en offline contacten verliest. "
        "Twijfelt een partner, dan bespreekt die het met de coördinator, die het kan screenen.",
        ("news-online", "qa-school"),
    ),
    # --- Preventie en weerbaarheid
    Scenario(
        "weerbaarheid-scholen",
        "preventie",
        (
            "Preventief werken rond weerbaarheid op scholen",
            "Goede praktijken rond weerbaarheid van jongeren",
        ),
        "We willen naast de casusaanpak ook preventief werken rond weerbaarheid op scholen. "
        "Zijn er goede praktijken?",
        "Zeker. Bij de goede praktijken in de kennisbank staan voorbeelden van andere "
        "gemeenten. Werk samen met het CLB en de jeugddienst, en houd preventie en "
        "casusaanpak gescheiden: een preventieproject bespreekt geen personen.",
        ("pub-stand",),
    ),
    Scenario(
        "sensibilisering",
        "preventie",
        (
            "Eerstelijnswerkers alert maken voor signalen",
            "Sensibilisering van medewerkers van het sociaal huis",
        ),
        "Hoe maken we medewerkers van het sociaal huis alert voor signalen zonder ze ongerust te "
        "maken?",
        "Een korte vorming met voorbeelden werkt het best: wat is een signaal, wat niet, en bij "
        "wie kunnen ze terecht. Benadruk dat ze niet zelf moeten inschatten of iemand "
        "radicaliseert, wel dat ze een zorg kunnen delen met de coördinator.",
        ("pb-screening", "news-vorming"),
    ),
    # --- Vorming, intervisie en netwerk
    Scenario(
        "vorming-nieuwe-leden",
        "vorming",
        (
            "Vorming voor nieuwe leden van de cel",
            "Is er een opleiding over gedeeld beroepsgeheim?",
        ),
        "We hebben enkele nieuwe leden in de cel. Is er een vorming over gedeeld beroepsgeheim "
        "die we hen kunnen aanraden?",
        "VVSG organiseert geregeld vorming over gedeeld beroepsgeheim; de aankondigingen staan "
        "bij het nieuws in de kennisbank. Tussendoor kan je het hoofdstuk over beroepsgeheim "
        "uit het draaiboek samen doornemen op een netwerkoverleg.",
        ("news-vorming", "pb-beroepsgeheim"),
    ),
    Scenario(
        "intervisie",
        "vorming",
        (
            "Intervisie voor casemanagers",
            "Waar kunnen casemanagers ervaringen uitwisselen?",
        ),
        "Onze casemanagers zouden graag ervaringen uitwisselen met collega's uit andere cellen. "
        "Bestaat daar iets voor?",
        "Het forum heeft een ruimte voor intervisie tussen casemanagers, en VVSG brengt "
        "casemanagers geregeld samen. Casussen worden er besproken zonder namen of herkenbare "
        "details.",
        ("news-intervisie",),
    ),
    # --- Andere
    Scenario(
        "toegang-platform",
        "andere",
        (
            "Toegang tot de helpdesk voor een nieuwe collega",
            "Hoe krijgt een collega toegang tot de kennisbank?",
        ),
        "Hoe krijgt een nieuwe collega van de dienst preventie toegang tot de helpdesk en de "
        "kennisbank?",
        "De coördinator van jullie cel nodigt de collega uit via het platform, met de rol "
        "gemeentelijk medewerker. Die rol geeft toegang tot de helpdesk, de kennisbank en het "
        "forum, maar niet tot de casussen van de cel.",
        (),
    ),
    Scenario(
        "spreker",
        "andere",
        (
            "Spreker voor een infomoment voor personeel",
            "Kan VVSG komen spreken op een personeelsmoment?",
        ),
        "We organiseren een infomoment voor het personeel over radicalisering en de werking van "
        "de cel. Kan iemand van VVSG komen spreken?",
        "Graag. Stuur ons een voorstel van datum en het verwachte aantal deelnemers, dan bekijken "
        "we wie kan komen. De inleiding van het draaiboek is een goede voorbereiding voor de "
        "deelnemers.",
        ("pub-stand",),
    ),
)

# How often each theme comes up (the rest of a year's questions follows these weights).
THEME_WEIGHTS: dict[str, int] = {
    "beroepsgeheim": 24,
    "werking": 18,
    "casusoverleg": 12,
    "signalen": 12,
    "partners": 10,
    "regelgeving": 8,
    "fenomenen": 8,
    "preventie": 4,
    "vorming": 3,
    "andere": 2,
}

# Over the last twelve months, like a real helpdesk year; one more arrives twice by mistake.
QUESTION_COUNT = 132

# Three answered questions become FAQ items, rewritten anonymously by VVSG staff.
FAQ_FROM_QUESTIONS: dict[str, tuple[str, str]] = {
    "geen-beroepsgeheimhouder": (
        "Mag een deelnemer zonder beroepsgeheim aan het casusoverleg deelnemen?",
        "<p>Ja. Artikel 458ter van het Strafwetboek legt de geheimhouding op aan iedereen die "
        "aan het overleg deelneemt, ook aan wie zelf geen beroepsgeheimhouder is, zoals een "
        "gemeentelijke medewerker.</p><p>Laat elke deelnemer een geheimhoudingsverklaring "
        "ondertekenen en nodig deelnemers alleen uit voor de casussen waarin ze een rol "
        "hebben.</p>",
    ),
    "minderjarige": (
        "Hoe gaat de cel om met een signaal over een minderjarige?",
        "<p>Een signaal over een minderjarige wordt gescreend zoals elk ander signaal. Betrek "
        "het CLB en ga na of de school of de jeugdhulp niet beter geplaatst is om de zorg op te "
        "nemen.</p><p>De ouders informeren is in principe aangewezen, tenzij dat de jongere in "
        "gevaar brengt. Noteer dan waarom u wacht en tot wanneer.</p>",
    ),
    "kostenverdeling": (
        "Hoe verdelen gemeenten de kosten van een intergemeentelijke cel?",
        "<p>Daar bestaat geen vaste regel voor. Veel intergemeentelijke cellen verdelen de "
        "kosten van de coördinatie volgens het aantal inwoners; andere laten de coördinatie "
        "roteren.</p><p>Leg de afspraak vast in een overeenkomst tussen de besturen en bekijk "
        "ze jaarlijks.</p>",
    ),
}

CANNED_ANSWERS: tuple[tuple[str, str, str], ...] = (
    (
        "Ontvangstbevestiging met timing",
        "andere",
        "Dank voor je vraag. We bekijken ze en antwoorden uiterlijk binnen twee werkdagen.",
    ),
    (
        "Vraag om persoonsgegevens te verwijderen",
        "beroepsgeheim",
        "Je vraag bevat gegevens waarmee een persoon herkenbaar kan zijn. Wil je die verwijderen "
        "en de vraag algemeen stellen? Zo kunnen we ze ook voor andere cellen gebruiken.",
    ),
    (
        "Verwijzing naar de V&A-fiche",
        "werking",
        "Het antwoord op deze vraag staat in de vragen en antwoorden (V&A-fiche) in de "
        "kennisbank. Laat weten als je situatie anders is.",
    ),
)


# --- Forum ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoThread:
    space: str  # slug of a forum space (forum migration 0002)
    author: str  # local part of a demo persona's e-mail address
    title: str
    body: str
    replies: tuple[tuple[str, str], ...]  # (author, text)
    days_ago: int


STAFF_AUTHOR = "ondersteuning"

FORUM_THREADS: tuple[DemoThread, ...] = (
    DemoThread(
        "coordinatoren",
        "coordinator.wingene",
        "Hoe houden jullie de cel warm als er weinig casussen zijn?",
        "Onze cel had dit jaar één casus. Partners vragen zich af waarom ze nog moeten komen. "
        "Hoe houden jullie het netwerk betrokken in stille periodes?",
        (
            (
                "coordinator.mechelen",
                "Wij houden twee netwerkoverleggen per jaar zonder casussen: één met een "
                "oefencasus, één met een gastspreker. Dat werkt goed om nieuwe partners te leren "
                "kennen.",
            ),
            (
                "coordinator.vlaamse-ardennen",
                "Bij ons bespreken we op elk overleg de trendsignalen uit de drie gemeenten. Zo "
                "is er altijd iets op de agenda, ook zonder casus.",
            ),
            (
                STAFF_AUTHOR,
                "Goede voorbeelden. Ook de bespreking van de resultaten van de jaarlijkse "
                "zelfscan kan een aanleiding zijn voor een netwerkoverleg.",
            ),
            (
                "adjunct.mechelen",
                "Tip: laat partners om beurten hun eigen werking voorstellen. Dat verlaagt de "
                "drempel om later een signaal te melden.",
            ),
        ),
        days_ago=120,
    ),
    DemoThread(
        "coordinatoren",
        "coordinator.vlaamse-ardennen",
        "Ervaringen met het informeren van de betrokkene?",
        "Wie heeft ervaring met het informeren van de betrokkene? Wie doet dat gesprek bij jullie "
        "en wat vertellen jullie precies?",
        (
            (
                "coordinator.mechelen",
                "Bij ons doet de casusregisseur het, samen met de coördinator als dat nodig is. We "
                "vertellen dat partners zich zorgen maken en samen een aanbod willen doen, niet "
                "wat er precies gezegd werd.",
            ),
            (
                STAFF_AUTHOR,
                "De nieuwe handleiding over het informeren van de betrokkene staat in de "
                "kennisbank, met een voorbeeld van hoe je het gesprek opbouwt.",
            ),
        ),
        days_ago=55,
    ),
    DemoThread(
        "coordinatoren",
        "adjunct.wingene",
        "Verslag van het casusoverleg: hoe kort is te kort?",
        "Onze verslagen zijn erg beknopt: beslissingen en acties. Een nieuwe partner vindt dat "
        "te weinig. Hoe doen jullie het?",
        (
            (
                "coordinator.mechelen",
                "Beslissingen, acties met eigenaar en termijn, en de volgende bespreking. Meer "
                "niet. Wie context nodig heeft, vraagt het aan de casusregisseur.",
            ),
        ),
        days_ago=20,
    ),
    DemoThread(
        "intervisie-casemanagers",
        "coordinator.mechelen",
        "Een jongere die elk contact afhoudt: wat werkte bij jullie?",
        "We volgen een jongere op die geen enkel gesprek wil. De ouders werken mee, maar de "
        "jongere zelf niet. Wie heeft ervaring met een ingang via een derde?",
        (
            (
                "coordinator.wingene",
                "Bij ons lukte het via de sportclub: een trainer die de jongere vertrouwde, bracht "
                "het eerste gesprek op gang.",
            ),
            (
                "adjunct.vlaamse-ardennen",
                "Geduld, en iemand die niet als hulpverlener binnenkomt. Een jeugdwerker deed "
                "het bij ons via een gewoon gesprek over school.",
            ),
            (
                STAFF_AUTHOR,
                "Dit is een mooi thema voor de volgende intervisie. Mogen we het voorstellen, "
                "zonder herkenbare details?",
            ),
        ),
        days_ago=75,
    ),
    DemoThread(
        "intervisie-casemanagers",
        "adjunct.mechelen",
        "Dilemma: de ouders willen niet dat de school iets weet",
        "In een casus vragen de ouders uitdrukkelijk om de school niet te betrekken, terwijl de "
        "signalen net van daar kwamen. Hoe gaan jullie om met zo'n vraag?",
        (
            (
                "coordinator.vlaamse-ardennen",
                "We respecteren de vraag zoveel mogelijk, maar de school die het signaal bracht, "
                "krijgt wel een korte terugkoppeling. Dat leggen we uit aan de ouders.",
            ),
        ),
        days_ago=33,
    ),
    DemoThread(
        "provincie-antwerpen",
        "preventie.mechelen",
        "Gezamenlijke vorming voor de cellen in de provincie?",
        "Zouden andere cellen in de provincie interesse hebben in een gezamenlijke vorming over "
        "online polarisatie voor partners? We kunnen een zaal voorzien.",
        (
            ("gemeente.antwerpen", "Zeker. We kunnen ook enkele jeugdwerkers meebrengen."),
            ("gemeente.turnhout", "Interesse vanuit onze cel. Liefst in het najaar."),
            (
                "gemeente.mechelen",
                "Ik maak een lijstje van wie interesse heeft en stuur een voorstel van data.",
            ),
        ),
        days_ago=40,
    ),
    DemoThread(
        "provincie-antwerpen",
        "gemeente.mechelen",
        "Infomoment voor scholen over de cel",
        "We plannen een infomoment voor directies en leerlingbegeleiders over wat de cel doet en "
        "hoe ze een zorg kunnen melden. Heeft iemand een presentatie die we mogen hergebruiken?",
        (
            (
                "gemeente.lier",
                "We gebruikten de hoofdstukken over screening uit het draaiboek als basis. Ik "
                "deel graag onze structuur.",
            ),
            (
                "partner.mechelen",
                "Vanuit het CAW kunnen we uitleggen wat er gebeurt na een melding. Dat stelt "
                "scholen vaak gerust.",
            ),
        ),
        days_ago=12,
    ),
    DemoThread(
        "provincie-west-vlaanderen",
        "coordinator.wingene",
        "Samenwerking tussen kleine cellen in de regio",
        "Kleine cellen in onze regio hebben weinig casussen. Zou het zinvol zijn om samen een "
        "netwerkoverleg te organiseren, met elk zijn eigen casusoverleg?",
        (
            (
                "gemeente.tielt",
                "Dat lijkt ons zinvol. Dezelfde partners zitten toch bij de meeste cellen.",
            ),
            (
                "gemeente.roeselare",
                "Goed idee. Let wel op dat er op het gezamenlijke overleg geen casussen besproken "
                "worden.",
            ),
        ),
        days_ago=28,
    ),
    DemoThread(
        "provincie-oost-vlaanderen",
        "coordinator.vlaamse-ardennen",
        "Intergemeentelijke cel: ervaring met een wisselend voorzitterschap?",
        "Onze cel werkt voor drie gemeenten. We overwegen dat de burgemeesters om beurten "
        "voorzitten. Wie heeft daar ervaring mee?",
        (
            (
                "gemeente.oudenaarde",
                "Bij ons zit de burgemeester voor van de gemeente waar de casus speelt. Het "
                "netwerkoverleg wisselt per jaar.",
            ),
            (
                "gemeente.ronse",
                "Leg het zeker vast in de werkingsafspraken. Bij ons was dat eerst niet zo, en "
                "dat leidde tot verwarring.",
            ),
        ),
        days_ago=65,
    ),
)


# --- Good practices ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPractice:
    author: str  # local part of the submitting persona's e-mail address
    municipality: str  # name_nl
    theme: str
    title: str
    context: str
    approach: str
    results: str
    contact_role: str
    published: bool
    days_ago: int


DEMO_PRACTICES: tuple[DemoPractice, ...] = (
    DemoPractice(
        "coordinator.mechelen",
        "Mechelen",
        "signalen",
        "Een vast aanspreekpunt per school voor zorgen over radicalisering",
        "Scholen wisten niet bij wie ze terechtkonden met een zorg over een leerling. Signalen "
        "kwamen laat of via omwegen binnen.",
        "Elke secundaire school kreeg een vast aanspreekpunt bij de preventiedienst. Samen met "
        "het CLB stelden we een korte fiche op: wat is een signaal, wat niet, en hoe meld je "
        "het.\n\n"
        "Twee keer per jaar is er een overleg met de leerlingbegeleiders, zonder casussen.",
        "Signalen komen vroeger binnen en zijn beter onderbouwd. Meer dan de helft werd na "
        "screening doorverwezen naar de reguliere leerlingbegeleiding, wat de scholen "
        "geruststelde.",
        "Coördinator LIVC R, preventiedienst",
        True,
        170,
    ),
    DemoPractice(
        "coordinator.wingene",
        "Wingene",
        "partners",
        "Een kleine cel met een sterke band met de politiezone",
        "Als kleine gemeente hebben we weinig casussen en weinig eigen partners. Het risico was "
        "dat de cel alleen op papier bestond.",
        "We spraken met de politiezone een vaste informatieambtenaar af voor alle gemeenten van "
        "de zone, en stemmen onze overlegmomenten af op die van de buurgemeenten.\n\n"
        "Het netwerkoverleg organiseren we samen, het casusoverleg blijft per gemeente.",
        "De informatieambtenaar kent de werking van elke cel, partners zien elkaar vaker en de "
        "drempel om een signaal te melden daalde.",
        "Coördinator LIVC R",
        True,
        110,
    ),
    DemoPractice(
        "coordinator.vlaamse-ardennen",
        "Maarkedal",
        "werking",
        "Eén cel voor drie landelijke gemeenten",
        "Drie landelijke gemeenten met dezelfde politiezone en dezelfde partners hadden elk een "
        "cel die bijna nooit samenkwam.",
        "De drie gemeenten richtten één intergemeentelijke cel op, met één coördinator en "
        "werkingsafspraken die elk bestuur bekrachtigde. De burgemeester van de gemeente waar "
        "een casus speelt, zit de bespreking voor.\n\n"
        "De kosten worden verdeeld volgens het aantal inwoners.",
        "Een vast ritme van zes weken, partners die elkaar kennen en een coördinator met tijd "
        "voor opvolging.",
        "Coördinator van de intergemeentelijke LIVC R",
        True,
        80,
    ),
    DemoPractice(
        "gemeente.gent",
        "Gent",
        "preventie",
        "Weerbaarheidstraining voor jongerenwerkers",
        "Jongerenwerkers kregen online steeds vaker polariserende inhoud te zien bij de jongeren "
        "die ze begeleiden, en voelden zich onzeker over hoe te reageren.",
        "Samen met een vormingsorganisatie werkten we een training van drie halve dagen uit: "
        "online leefwereld, het gesprek aangaan, en wanneer een zorg te delen met de "
        "coördinator.",
        "Na de eerste reeks zeggen de deelnemers dat ze sneller het gesprek aangaan en beter weten "
        "wanneer ze een zorg moeten delen.",
        "Preventieambtenaar",
        False,
        9,
    ),
)
