"""The demo knowledge base: the LIVC R playbook, the Q&A sheet, templates, news and publications.

Written for the demo by the project (our own wording, not copied from VVSG). It describes how a
lokale integrale veiligheidscel inzake radicalisme, extremisme en terrorisme (LIVC R) works in
general terms; it is not legal advice. Bodies are simple HTML (the knowledge base's allowlist).

Every item has a ``key`` so that others can point to it: ``related`` names items that come
*earlier* in ``DEMO_ITEMS`` (the relation is symmetrical, so one side is enough), and the
helpdesk answers link to items by key. ``days_ago`` spreads publication over the past year.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from vangnet.knowledge.models import Audience, ItemKind


@dataclass(frozen=True)
class DemoFile:
    """A generated file: its format and paragraphs ("# " starts a heading), one note a version."""

    kind: str  # "pdf", "odt" or "docx"
    paragraphs: tuple[str, ...]
    versions: tuple[str, ...] = ("Eerste versie.",)


@dataclass(frozen=True)
class DemoItem:
    key: str
    kind: str
    title: str
    summary: str
    body: str
    audience: str = Audience.MEMBERS
    themes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    days_ago: int = 30
    file: DemoFile | None = None


_BLOCK = re.compile(r"<(h2|p|li)>(.*?)</\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")

PUBLIC, MEMBERS, STAFF = Audience.PUBLIC, Audience.MEMBERS, Audience.STAFF
PAGE, DOCUMENT, TEMPLATE = ItemKind.PAGE, ItemKind.DOCUMENT, ItemKind.TEMPLATE
FAQ, NEWS, PUBLICATION = ItemKind.FAQ, ItemKind.NEWS, ItemKind.PUBLICATION

PLAYBOOK_TAG = "draaiboek"
QA_TAG = "V&A-fiche"
TEMPLATE_TAG = "sjabloon"
PLAYBOOK_DAYS_AGO = 24  # the new edition of the playbook, announced in the news


# --- The playbook (draaiboek) ----------------------------------------------------------------

PLAYBOOK: tuple[DemoItem, ...] = (
    DemoItem(
        key="pb-intro",
        kind=PAGE,
        title="Draaiboek LIVC R: inleiding en leeswijzer",
        summary="Waarom dit draaiboek er is, voor wie het bedoeld is en hoe u het leest.",
        audience=PUBLIC,
        themes=("werking",),
        tags=(PLAYBOOK_TAG,),
        days_ago=PLAYBOOK_DAYS_AGO,
        body="""
<p>Dit draaiboek helpt lokale besturen om een lokale integrale veiligheidscel inzake
radicalisme, extremisme en terrorisme (LIVC R) op te richten en te laten draaien. Het is
geschreven voor wie voor het eerst in een cel stapt: coördinatoren, burgemeesters,
preventieambtenaren, informatieambtenaren van de lokale politie en partners uit de
hulpverlening. Cellen die al langer bestaan, vinden er houvast om hun werking bij te sturen.</p>
<h2>Hoe het draaiboek is opgebouwd</h2>
<ul>
<li><strong>Wettelijk kader</strong>: wat de wet van een LIVC R vraagt en wat niet.</li>
<li><strong>Opstart en samenstelling</strong>: wie u rond de tafel brengt en welke afspraken u
eerst maakt.</li>
<li><strong>Screening van signalen</strong>: hoe een zorg binnenkomt en hoe u beslist wat ermee
gebeurt.</li>
<li><strong>Het casusoverleg</strong>: voorbereiding, verloop en verslag.</li>
<li><strong>Gedeeld beroepsgeheim en privacy</strong>: wat u mag delen, met wie en hoe lang u
het bewaart.</li>
<li><strong>Opvolging en afsluiting</strong>: van actieplan tot nazorg.</li>
<li><strong>Evaluatie</strong>: de werking van de cel jaarlijks bekijken en verbeteren.</li>
</ul>
<h2>Wat het draaiboek niet is</h2>
<p>Het draaiboek is geen juridisch advies. Het vervangt de wet, de richtlijnen van de federale
overheid en het advies van de functionaris voor gegevensbescherming van uw bestuur niet. Het
bundelt wat we leerden uit de ondersteuning van cellen: wat werkt, welke vragen telkens
terugkomen en welke valkuilen u kunt vermijden.</p>
<p>Bij elk hoofdstuk vindt u verwijzingen naar de <strong>sjablonen</strong> en naar de
<strong>vragen en antwoorden</strong> (V&amp;A-fiche). Vindt u het antwoord niet, stel uw vraag
dan aan de helpdesk.</p>
""",
    ),
    DemoItem(
        key="pb-kader",
        kind=PAGE,
        title="Draaiboek LIVC R 1: het wettelijk kader",
        summary="De wet van 30 juli 2018, het gedeeld beroepsgeheim van artikel 458ter en de "
        "plaats van de cel naast de lokale taskforce.",
        audience=PUBLIC,
        themes=("regelgeving", "beroepsgeheim"),
        tags=(PLAYBOOK_TAG, "wet 2018", "artikel 458ter"),
        related=("pb-intro",),
        days_ago=PLAYBOOK_DAYS_AGO,
        body="""
<h2>Een cel in elke gemeente</h2>
<p>De wet van 30 juli 2018 tot oprichting van lokale integrale veiligheidscellen inzake
radicalisme, extremisme en terrorisme vraagt elke gemeente om een LIVC R op te richten.
Gemeenten mogen dat samen doen: kleinere gemeenten kiezen vaak voor een intergemeentelijke cel,
bijvoorbeeld op het niveau van de politiezone.</p>
<h2>Het doel: voorkomen, niet opsporen</h2>
<p>De cel heeft één doel: terroristische misdrijven voorkomen door personen die in een
radicaliseringsproces zitten tijdig een aanbod van zorg en begeleiding te doen. De cel is
<strong>socio-preventief</strong>. Ze onderzoekt geen strafbare feiten en is geen verlengstuk
van het gerechtelijk onderzoek. Wie zorgen heeft over een acuut gevaar, belt de politie.</p>
<h2>Gedeeld beroepsgeheim</h2>
<p>Artikel 458ter van het Strafwetboek laat toe dat beroepsgeheimhouders informatie delen in
een overleg dat door een wet of decreet is georganiseerd. De LIVC R is zo'n overleg. Wie
deelneemt, is gebonden door geheimhouding over wat in het overleg gedeeld wordt, en deelt
alleen wat nodig is voor het doel van de cel. Hoofdstuk 5 werkt dit verder uit.</p>
<h2>Vlaamse partners</h2>
<p>Een Vlaams decreet van 21 mei 2021 regelt onder welke voorwaarden hulpverleners van Vlaamse
voorzieningen aan een LIVC R deelnemen. Voor partners uit bijvoorbeeld het algemeen welzijnswerk
of de leerlingenbegeleiding is dat decreet het vertrekpunt.</p>
<h2>De cel en de lokale taskforce</h2>
<p>Naast de LIVC R bestaat de lokale taskforce (LTF), waar de politie- en
inlichtingendiensten personen opvolgen vanuit een veiligheidsbril. De informatieambtenaar van
de lokale politie is de schakel: hij of zij brengt in de cel wat nodig is voor een zorgaanpak,
zonder gegevens uit een opsporingsonderzoek te delen.</p>
<h2>Andere fenomenen</h2>
<p>Sommige gemeenten willen in dezelfde structuur ook intrafamiliaal geweld of
jeugdcriminaliteit bespreken. Het gedeeld beroepsgeheim van de LIVC R geldt alleen voor haar
eigen doel. Voor elk ander fenomeen is een eigen wettelijke basis nodig.</p>
""",
    ),
    DemoItem(
        key="pb-opstart",
        kind=PAGE,
        title="Draaiboek LIVC R 2: opstart en samenstelling van de cel",
        summary="De eerste stappen: een coördinator, een vaste kern, partners per casus en "
        "schriftelijke werkingsafspraken.",
        themes=("werking", "partners"),
        tags=(PLAYBOOK_TAG, "opstart", "huishoudelijk reglement"),
        related=("pb-intro", "pb-kader"),
        days_ago=PLAYBOOK_DAYS_AGO,
        body="""
<h2>Stap 1: een beslissing en een trekker</h2>
<p>De burgemeester zit de cel voor. In de praktijk draait de cel op een
<strong>coördinator</strong>, vaak de preventieambtenaar of een medewerker van de dienst
welzijn. Geef die persoon tijd: een cel zonder vrijgestelde uren valt na een paar maanden
stil. Duid ook een adjunct aan die de coördinator kan vervangen.</p>
<h2>Stap 2: de vaste kern</h2>
<p>Een werkbare kern bestaat uit de voorzitter, de coördinator, de informatieambtenaar van de
lokale politie en iemand van de sociale dienst of het OCMW. Die kern screent signalen en
bereidt het casusoverleg voor.</p>
<h2>Stap 3: partners per casus</h2>
<p>Andere partners schuiven aan wanneer een casus hen aanbelangt: het CAW, het CLB, de
jeugddienst, het straathoekwerk, de geestelijke gezondheidszorg, het justitiehuis. Wie niet
betrokken is bij een casus, krijgt er ook geen informatie over. Houd een overzicht bij van uw
netwerk: met wie werkt u structureel samen, en wie is alleen aanspreekbaar?</p>
<h2>Stap 4: afspraken op papier</h2>
<ul>
<li><strong>Werkingsafspraken</strong> (huishoudelijk reglement): doel, samenstelling, ritme
van het overleg, besluitvorming, verslag en bewaartermijnen.</li>
<li><strong>Samenwerkingsakkoord</strong> met de partnerorganisaties.</li>
<li>Een <strong>geheimhoudingsverklaring</strong> die elke deelnemer ondertekent bij zijn eerste
overleg.</li>
</ul>
<p>Voor elk van die documenten staat een sjabloon klaar in de kennisbank.</p>
<h2>Tips uit de praktijk</h2>
<ul>
<li>Begin met een kennismakingsronde bij de partners, nog voor er een eerste casus is.</li>
<li>Spreek een vast ritme af, bijvoorbeeld om de zes weken, en plan ad hoc een overleg bij een
dringend signaal.</li>
<li>Laat de functionaris voor gegevensbescherming van bij het begin meelezen.</li>
</ul>
""",
    ),
    DemoItem(
        key="pb-screening",
        kind=PAGE,
        title="Draaiboek LIVC R 3: signalen ontvangen en screenen",
        summary="Wat een signaal is, wie het screent en welke drie uitkomsten er zijn.",
        themes=("signalen",),
        tags=(PLAYBOOK_TAG, "screening", "doorverwijzing"),
        related=("pb-opstart",),
        days_ago=PLAYBOOK_DAYS_AGO,
        body="""
<h2>Wat is een signaal?</h2>
<p>Een signaal is een concrete zorg van een professional over iemand die mogelijk
radicaliseert: uitspraken, gedragsveranderingen, contacten of online activiteit die een
partner niet alleen kan duiden. Een gevoel van onbehagen over een groep of een wijk is geen
signaal over een persoon, maar kan wel een <strong>trendsignaal</strong> zijn dat de cel
bespreekt zonder namen.</p>
<h2>Wie screent?</h2>
<p>De coördinator screent samen met de informatieambtenaar, liefst binnen een week. Bij twijfel
schuift een partner met expertise aan. Stel bij elk signaal drie vragen:</p>
<ul>
<li>Valt de zorg binnen het doel van de cel, of gaat het om iets anders (een gezinsprobleem,
psychische nood, pesten)?</li>
<li>Is er een risico dat de betrokkene afglijdt richting geweld?</li>
<li>Volstaat de reguliere hulpverlening, of is afstemming tussen partners nodig?</li>
</ul>
<h2>Drie uitkomsten</h2>
<ul>
<li><strong>Doorverwijzen</strong>: de zorg hoort bij een andere dienst; de cel zegt bij welke.</li>
<li><strong>Ter informatie</strong>: geen actie nu, wel opnieuw bekijken als er een tweede
signaal komt.</li>
<li><strong>Casus</strong>: het signaal komt op het casusoverleg.</li>
</ul>
<h2>Terugkoppeling</h2>
<p>Wie een signaal aanbrengt, hoort wat ermee gebeurde, zonder details uit het overleg. Het
feedbackformulier helpt om dat kort en correct te doen. Dringend gevaar hoort niet bij de cel
maar bij de politie.</p>
""",
    ),
    DemoItem(
        key="pb-casusoverleg",
        kind=PAGE,
        title="Draaiboek LIVC R 4: het casusoverleg",
        summary="Een overleg voorbereiden, leiden en vastleggen: agenda, geheimhouding, "
        "factoren, acties en verslag.",
        themes=("casusoverleg",),
        tags=(PLAYBOOK_TAG, "casusoverleg", "verslag"),
        related=("pb-screening",),
        days_ago=PLAYBOOK_DAYS_AGO,
        body="""
<h2>Voorbereiding</h2>
<p>De coördinator stelt de agenda op: nieuwe casussen, casussen ter opvolging en vrije punten.
Per casus nodigt de cel alleen de partners uit die betrokken zijn of kunnen bijdragen. Stuur in
de uitnodiging geen namen mee: een code per casus volstaat.</p>
<h2>Verloop</h2>
<ol>
<li>De voorzitter opent en herinnert aan de geheimhoudingsplicht; elke deelnemer bevestigt
die.</li>
<li>Per casus brengt de casusregisseur de stand van zaken.</li>
<li>De deelnemers bespreken risicofactoren en beschermende factoren: wat maakt de situatie
zorgwekkend, en waar liggen kansen?</li>
<li>De cel spreekt acties af, elk met een eigenaar en een termijn, en een datum om de casus
opnieuw te bekijken.</li>
</ol>
<h2>Het verslag</h2>
<p>Het verslag houdt bij wat nodig is om de casus op te volgen: de beslissingen, de acties en
wie ze opneemt. Het is geen letterlijk verslag. Schrijf feiten en afspraken, geen
vermoedens, en gebruik de casuscode in plaats van de naam. Het verslag wordt goedgekeurd op het
volgende overleg.</p>
<h2>Rollen</h2>
<ul>
<li><strong>Voorzitter</strong>: bewaakt het doel van de cel en de geheimhouding.</li>
<li><strong>Coördinator</strong>: bereidt voor, volgt op en houdt het dossier bij.</li>
<li><strong>Casusregisseur</strong>: het vaste aanspreekpunt voor een casus, meestal de
partner die het dichtst bij de betrokkene staat.</li>
</ul>
""",
    ),
    DemoItem(
        key="pb-beroepsgeheim",
        kind=PAGE,
        title="Draaiboek LIVC R 5: gedeeld beroepsgeheim en privacy",
        summary="Wat u deelt, met wie, en hoe lang u het bewaart: artikel 458ter en de AVG in "
        "de praktijk.",
        themes=("beroepsgeheim", "regelgeving"),
        tags=(PLAYBOOK_TAG, "artikel 458ter", "AVG", "bewaartermijn"),
        related=("pb-kader", "pb-casusoverleg"),
        days_ago=PLAYBOOK_DAYS_AGO,
        body="""
<h2>Delen wat nodig is</h2>
<p>Gedeeld beroepsgeheim is geen vrijbrief om alles te delen. Deel alleen informatie die
<strong>noodzakelijk</strong> en <strong>relevant</strong> is voor het doel van de cel, en niet
meer dan nodig. Vraag u telkens af: helpt deze informatie de partners om de betrokkene beter te
begeleiden?</p>
<h2>Geheimhouding</h2>
<p>Wie deelneemt, mag wat in het overleg gedeeld werd niet doorgeven buiten het overleg. Dat
geldt ook voor wie geen beroepsgeheimhouder is, zoals een burgemeester of een
gemeentelijke medewerker. Laat elke deelnemer een geheimhoudingsverklaring ondertekenen en
herhaal de afspraak bij de opening van elk overleg.</p>
<h2>De informatieambtenaar</h2>
<p>De informatieambtenaar zegt of iemand gekend is en geeft de context die de partners nodig
hebben voor een zorgaanpak. Gegevens uit een lopend opsporingsonderzoek blijven buiten de cel.</p>
<h2>Privacy (AVG)</h2>
<ul>
<li>Het lokaal bestuur is verwerkingsverantwoordelijke; neem de verwerking op in het
register.</li>
<li>Betrek de functionaris voor gegevensbescherming bij de werkingsafspraken.</li>
<li>Leg <strong>bewaartermijnen</strong> vast: voor signalen die geen casus werden korter dan
voor afgesloten casussen.</li>
<li>De betrokkene heeft rechten. Informeer hem of haar over de bespreking, tenzij dat de
begeleiding of een onderzoek in gevaar brengt; noteer dan waarom u wacht en tot wanneer.</li>
</ul>
<h2>Veilig werken</h2>
<p>Deel geen namen via gewone e-mail of chat. Werk met codes, bewaar het dossier op één
beveiligde plaats en geef alleen toegang aan wie betrokken is.</p>
""",
    ),
    DemoItem(
        key="pb-opvolging",
        kind=PAGE,
        title="Draaiboek LIVC R 6: opvolging, doorverwijzing en afsluiting",
        summary="Een actieplan opvolgen, een casus overdragen of afsluiten, en nazorg organiseren.",
        themes=("casusoverleg", "partners"),
        tags=(PLAYBOOK_TAG, "afsluiting", "nazorg"),
        related=("pb-casusoverleg", "pb-beroepsgeheim"),
        days_ago=PLAYBOOK_DAYS_AGO,
        body="""
<h2>Het actieplan</h2>
<p>Elke casus heeft een actieplan met concrete acties, een eigenaar per actie en een termijn.
De casusregisseur houdt het overzicht en meldt op het overleg wat lukte en wat niet. Acties die
blijven liggen, komen expliciet terug op de agenda met de reden waarom.</p>
<h2>Herbespreken</h2>
<p>Spreek bij elke bespreking af wanneer de casus terugkomt. Een casus die maanden niet
besproken werd, is in de praktijk vaak een casus die afgesloten had moeten worden.</p>
<h2>Afsluiten</h2>
<p>Sluit een casus af wanneer de zorg weg is, wanneer de reguliere hulpverlening het overneemt,
wanneer de betrokkene verhuist of wanneer verdere opvolging niet zinvol is. Noteer de reden en
een korte uitkomst, zonder nieuwe details.</p>
<h2>Verhuis naar een andere gemeente</h2>
<p>Bij een verhuis kan de coördinator contact opnemen met de cel van de nieuwe gemeente. Deel
alleen wat nodig is om de begeleiding voort te zetten en vraag advies aan uw functionaris voor
gegevensbescherming.</p>
<h2>Nazorg</h2>
<p>Spreek af wie na de afsluiting aanspreekpunt blijft, en laat de aanbrenger van het eerste
signaal weten dat de cel de opvolging beëindigde.</p>
""",
    ),
    DemoItem(
        key="pb-evaluatie",
        kind=PAGE,
        title="Draaiboek LIVC R 7: evaluatie en kwaliteitszorg",
        summary="Jaarlijks terugkijken op de werking, met cijfers zonder persoonsgegevens en een "
        "zelfscan.",
        themes=("werking", "vorming"),
        tags=(PLAYBOOK_TAG, "evaluatie", "zelfscan"),
        related=("pb-opstart", "pb-opvolging"),
        days_ago=PLAYBOOK_DAYS_AGO,
        body="""
<h2>Waarom evalueren?</h2>
<p>Een cel die weinig casussen heeft, verliest snel haar reflexen. Een jaarlijkse evaluatie
houdt de afspraken levend en toont het bestuur wat de cel doet.</p>
<h2>Wat u bekijkt</h2>
<ul>
<li>Het aantal signalen en casussen, per uitkomst, zonder namen of details.</li>
<li>De doorlooptijd van signaal tot screening en van screening tot eerste overleg.</li>
<li>Welke partners deelnamen en welke ontbraken.</li>
<li>Of de werkingsafspraken nog kloppen met de praktijk.</li>
</ul>
<h2>De zelfscan</h2>
<p>Laat de leden van de cel elk jaar anoniem de zelfscan invullen. De resultaten tonen waar de
cel sterk staat en waar ze kan groeien. Kies twee of drie verbeterpunten, met een eigenaar en
een termijn.</p>
<h2>Rapporteren</h2>
<p>Rapporteer aan het college of de gemeenteraad in algemene termen: cijfers, thema's,
verbeterpunten. Casussen zijn nooit het onderwerp van een rapport.</p>
<h2>Leren van anderen</h2>
<p>Intervisie met collega's uit andere cellen helpt om dilemma's te bespreken. Het forum en de
lerende netwerken van VVSG zijn daarvoor de plaats.</p>
""",
    ),
)


def html_paragraphs(body: str) -> list[str]:
    """The blocks of a simple HTML body as plain paragraphs: "# " for headings, "- " for items."""
    paragraphs = []
    for tag, inner in _BLOCK.findall(" ".join(body.split())):
        text = html.unescape(_TAG.sub("", inner)).strip()
        paragraphs.append({"h2": "# ", "li": "- "}.get(tag, "") + text)
    return paragraphs


def playbook_paragraphs(chapters: tuple[DemoItem, ...] = PLAYBOOK) -> tuple[str, ...]:
    """The text of the chapters, for the PDF of the whole playbook."""
    paragraphs: list[str] = []
    for chapter in chapters:
        paragraphs.append(f"# {chapter.title}")
        paragraphs += html_paragraphs(chapter.body)
    return tuple(paragraphs)


PLAYBOOK_DOCUMENT = DemoItem(
    key="pb-pdf",
    kind=DOCUMENT,
    title="Draaiboek LIVC R: volledige tekst",
    summary="Alle hoofdstukken van het draaiboek in één document, om af te drukken of door te "
    "geven aan nieuwe leden van de cel.",
    audience=MEMBERS,
    themes=("werking",),
    tags=(PLAYBOOK_TAG,),
    related=("pb-intro",),
    days_ago=PLAYBOOK_DAYS_AGO,
    body="""
<p>De volledige tekst van het draaiboek als PDF. De hoofdstukken staan ook afzonderlijk in de
kennisbank; die versie is altijd de meest recente.</p>
<p>Wat er nieuw is in deze editie: een uitgebreider hoofdstuk over gedeeld beroepsgeheim, meer
aandacht voor het informeren van de betrokkene en een nieuw hoofdstuk over evaluatie.</p>
""",
    file=DemoFile(
        "pdf",
        (),  # filled in from the chapters, see playbook_paragraphs()
        versions=(
            "Eerste editie.",
            "Tweede editie: hoofdstuk evaluatie toegevoegd, beroepsgeheim uitgebreid.",
        ),
    ),
)


# --- The Q&A sheet (V&A-fiche) --------------------------------------------------------------


def _qa(
    key: str,
    title: str,
    answer: str,
    themes: tuple[str, ...],
    *,
    audience: str = MEMBERS,
    tags: tuple[str, ...] = (),
    related: tuple[str, ...] = (),
    days_ago: int = 200,
) -> DemoItem:
    summary = answer.split("</p>", 1)[0].removeprefix("<p>").strip()
    return DemoItem(
        key=key,
        kind=FAQ,
        title=title,
        summary=summary if len(summary) <= 300 else summary[:297].rsplit(" ", 1)[0] + "…",
        body=answer,
        audience=audience,
        themes=themes,
        tags=(QA_TAG, *tags),
        related=related,
        days_ago=days_ago,
    )


QA_SHEET: tuple[DemoItem, ...] = (
    _qa(
        "qa-verplicht",
        "Is een LIVC R verplicht voor elke gemeente?",
        "<p>Ja. De wet van 30 juli 2018 vraagt elke gemeente om een cel op te richten. Gemeenten "
        "mogen dat samen doen in een intergemeentelijke cel.</p><p>Hoe vaak de cel samenkomt, "
        "hangt af van de lokale situatie. Ook een cel die weinig casussen heeft, houdt best een "
        "vast overlegmoment aan om het netwerk warm te houden.</p>",
        ("regelgeving", "werking"),
        audience=PUBLIC,
        related=("pb-kader",),
        days_ago=330,
    ),
    _qa(
        "qa-intergemeentelijk",
        "Kunnen we met buurgemeenten één cel oprichten?",
        "<p>Ja. Een intergemeentelijke cel is vooral zinvol voor kleinere gemeenten die dezelfde "
        "politiezone en dezelfde partners delen.</p><p>Leg in de werkingsafspraken vast wie "
        "voorzit, hoe elke gemeente vertegenwoordigd is en welke gemeente de verwerking van "
        "gegevens op zich neemt. Elke burgemeester blijft bevoegd voor zijn of haar "
        "gemeente.</p>",
        ("werking",),
        audience=PUBLIC,
        tags=("intergemeentelijk",),
        related=("pb-opstart",),
        days_ago=320,
    ),
    _qa(
        "qa-ltf",
        "Wat is het verschil tussen de LIVC R en de lokale taskforce?",
        "<p>De lokale taskforce (LTF) volgt personen op vanuit veiligheid: politie- en "
        "inlichtingendiensten wisselen er informatie uit. De LIVC R kijkt vanuit zorg en "
        "preventie: welke begeleiding heeft iemand nodig om niet verder af te glijden?</p><p>De "
        "informatieambtenaar van de lokale politie is de brug tussen beide, en bewaakt dat "
        "informatie uit de taskforce alleen in de cel komt als ze nodig is voor de zorgaanpak.</p>",
        ("regelgeving", "partners"),
        audience=PUBLIC,
        tags=("informatieambtenaar",),
        related=("pb-kader",),
        days_ago=300,
    ),
    _qa(
        "qa-voorzitter",
        "Moet de burgemeester elk casusoverleg voorzitten?",
        "<p>De burgemeester zit de cel voor, maar kan zich laten vertegenwoordigen. Veel cellen "
        "spreken af dat de burgemeester het netwerkoverleg voorzit en dat een afgevaardigde het "
        "casusoverleg leidt.</p><p>Leg die afspraak vast in de werkingsafspraken, zodat "
        "duidelijk is wie beslist wanneer de burgemeester er niet is.</p>",
        ("werking", "casusoverleg"),
        related=("pb-opstart",),
        days_ago=280,
    ),
    _qa(
        "qa-deelnemers",
        "Wie mag deelnemen aan het casusoverleg?",
        "<p>De vaste kern van de cel, aangevuld met de partners die bij een casus betrokken zijn "
        "of er iets aan kunnen bijdragen. Een partner die niets met een casus te maken heeft, "
        "verlaat het overleg tijdens die bespreking.</p><p>Zo blijft de kring van wie informatie "
        "krijgt zo klein als nodig: het principe van need-to-know.</p>",
        ("casusoverleg", "beroepsgeheim"),
        tags=("need-to-know",),
        related=("pb-casusoverleg",),
        days_ago=260,
    ),
    _qa(
        "qa-toestemming",
        "Hebben we toestemming van de betrokkene nodig om informatie te delen?",
        "<p>Nee. Artikel 458ter van het Strafwetboek laat toe om in de cel informatie te delen "
        "zonder toestemming, binnen het doel van de cel en alleen voor zover dat nodig is.</p>"
        "<p>Toestemming of medewerking blijft wel waardevol voor de begeleiding zelf: wie "
        "betrokken wordt, werkt vaker mee.</p>",
        ("beroepsgeheim",),
        tags=("artikel 458ter",),
        related=("pb-beroepsgeheim",),
        days_ago=250,
    ),
    _qa(
        "qa-informeren",
        "Moeten we de betrokkene laten weten dat de cel over hem of haar spreekt?",
        "<p>In principe wel: iemand over wie gegevens verwerkt worden, heeft het recht dat te "
        "weten. U kunt het informeren uitstellen zolang het de begeleiding of een lopend onderzoek "
        "in gevaar zou brengen.</p><p>Noteer in het dossier waarom u uitstelt en tot wanneer, en "
        "bekijk het op elk overleg opnieuw.</p>",
        ("beroepsgeheim", "regelgeving"),
        tags=("AVG", "informeren"),
        related=("pb-beroepsgeheim",),
        days_ago=240,
    ),
    _qa(
        "qa-bewaartermijn",
        "Hoe lang mogen we gegevens van een casus bewaren?",
        "<p>De wet legt geen vaste termijn op. De cel bepaalt zelf een termijn in haar "
        "werkingsafspraken, na advies van de functionaris voor gegevensbescherming.</p><p>Een "
        "gangbare keuze is een korte termijn (enkele maanden) voor signalen die geen casus werden, "
        "en een langere (bijvoorbeeld twee jaar na afsluiting) voor afgesloten casussen. Daarna "
        "worden de gegevens vernietigd.</p>",
        ("beroepsgeheim", "regelgeving"),
        tags=("bewaartermijn", "AVG"),
        related=("pb-beroepsgeheim", "pb-opvolging"),
        days_ago=230,
    ),
    _qa(
        "qa-verslag-namen",
        "Mag het verslag van het casusoverleg namen bevatten?",
        "<p>Gebruik in het verslag een casuscode in plaats van de naam. De koppeling tussen code "
        "en persoon bewaart de coördinator afzonderlijk en beveiligd.</p><p>Het verslag bevat de "
        "beslissingen en acties, geen letterlijke weergave van wat gezegd werd.</p>",
        ("casusoverleg", "beroepsgeheim"),
        tags=("verslag",),
        related=("pb-casusoverleg",),
        days_ago=210,
    ),
    _qa(
        "qa-partner-weigert",
        "Wat doen we als een partner niet wil deelnemen?",
        "<p>Deelname is voor de meeste partners vrijwillig. Ga eerst in gesprek: vaak speelt "
        "onzekerheid over het beroepsgeheim of over de tijdsinvestering.</p><p>Een "
        "samenwerkingsakkoord dat beschrijft wat de cel van een partner verwacht, en wat niet, "
        "neemt veel twijfels weg. Een partner kan ook alleen aanschuiven wanneer een casus hem "
        "aanbelangt.</p>",
        ("partners",),
        related=("pb-opstart",),
        days_ago=190,
    ),
    _qa(
        "qa-informatieambtenaar",
        "Welke informatie brengt de informatieambtenaar in de cel?",
        "<p>De informatieambtenaar zegt of iemand gekend is bij de politie en geeft de context "
        "die nodig is om een zorgaanpak af te stemmen. Gegevens uit een lopend gerechtelijk "
        "onderzoek deelt hij of zij niet.</p><p>Omgekeerd brengt de informatieambtenaar niet "
        "zomaar informatie uit de cel naar de politie: ook voor hem of haar geldt de "
        "geheimhouding.</p>",
        ("beroepsgeheim", "partners"),
        tags=("informatieambtenaar",),
        related=("qa-ltf",),
        days_ago=170,
    ),
    _qa(
        "qa-school",
        "Kan een school of het CLB een signaal aanbrengen?",
        "<p>Ja. Scholen en CLB's zijn vaak de eersten die een verandering bij een jongere zien. "
        "Ze brengen het signaal aan bij de coördinator, die het screent.</p><p>Spreek met de "
        "scholen af wie het aanspreekpunt is, en geef de school na de screening een korte "
        "terugkoppeling zonder details uit het overleg.</p>",
        ("signalen", "partners"),
        tags=("onderwijs", "jongeren"),
        related=("pb-screening",),
        days_ago=150,
    ),
    _qa(
        "qa-acuut",
        "Wat als er acuut gevaar is?",
        "<p>Bij acuut gevaar verwittigt u meteen de politie. De cel is geen noodkanaal: ze "
        "werkt aan begeleiding op langere termijn.</p><p>Na het incident kan de cel bekijken of "
        "een zorgaanpak zinvol is.</p>",
        ("signalen",),
        audience=PUBLIC,
        related=("pb-screening",),
        days_ago=140,
    ),
    _qa(
        "qa-reglement-gemeenteraad",
        "Moet de gemeenteraad de werkingsafspraken goedkeuren?",
        "<p>Dat hangt af van de manier waarop uw bestuur de cel heeft opgericht. Veel gemeenten "
        "laten de werkingsafspraken bekrachtigen door het college of de gemeenteraad, zodat de "
        "cel een duidelijke basis heeft.</p><p>Vraag het na bij de algemeen directeur of de "
        "juridische dienst van uw bestuur.</p>",
        ("regelgeving", "werking"),
        tags=("huishoudelijk reglement",),
        related=("pb-opstart",),
        days_ago=120,
    ),
    _qa(
        "qa-andere-fenomenen",
        "Mogen we in de cel ook intrafamiliaal geweld of drugsproblematiek bespreken?",
        "<p>Niet onder het gedeeld beroepsgeheim van de LIVC R: dat geldt alleen voor het doel "
        "van de cel, het voorkomen van terroristische misdrijven.</p><p>Wie andere fenomenen "
        "casusgericht wil bespreken, heeft een eigen wettelijke basis nodig. Sommige gemeenten "
        "gebruiken dezelfde partners en hetzelfde ritme, maar met een afzonderlijk overleg en "
        "een eigen kader.</p>",
        ("regelgeving", "fenomenen"),
        tags=("andere fenomenen",),
        related=("pb-kader",),
        days_ago=100,
    ),
    _qa(
        "qa-polarisatie",
        "Is polarisatie in een wijk een zaak voor de cel?",
        "<p>Niet als casus: de cel bespreekt personen bij wie een zorg over radicalisering "
        "bestaat. Spanningen in een wijk kan de cel wel als trendsignaal bespreken, zonder namen, "
        "om partners te informeren en preventieve acties af te stemmen.</p>",
        ("fenomenen", "preventie"),
        tags=("polarisatie", "trendsignaal"),
        related=("pb-screening",),
        days_ago=80,
    ),
)


# --- Templates (sjablonen) --------------------------------------------------------------------

TEMPLATES: tuple[DemoItem, ...] = (
    DemoItem(
        key="tpl-reglement",
        kind=TEMPLATE,
        title="Sjabloon werkingsafspraken (huishoudelijk reglement) LIVC R",
        summary="Een invulbaar model voor de werkingsafspraken van uw cel: doel, samenstelling, "
        "overleg, geheimhouding en bewaartermijnen.",
        themes=("werking", "regelgeving"),
        tags=(TEMPLATE_TAG, "huishoudelijk reglement"),
        related=("pb-opstart", "qa-reglement-gemeenteraad"),
        days_ago=150,
        body="""
<p>Vul de delen tussen vierkante haken in en schrap wat niet van toepassing is. Laat de
functionaris voor gegevensbescherming het ontwerp nalezen voor u het laat goedkeuren.</p>
<p>Nieuw in de tweede versie: een artikel over het informeren van de betrokkene en aparte
bewaartermijnen voor signalen en casussen.</p>
""",
        file=DemoFile(
            "odt",
            (
                "# Artikel 1. Doel",
                "De lokale integrale veiligheidscel inzake radicalisme, extremisme en terrorisme "
                "van [naam gemeente] heeft tot doel terroristische misdrijven te voorkomen door "
                "een socio-preventieve aanpak van personen in een radicaliseringsproces.",
                "# Artikel 2. Samenstelling",
                "De cel bestaat uit de voorzitter, de coördinator, de informatieambtenaar van de "
                "lokale politie en [andere vaste leden]. Partners nemen deel per casus.",
                "# Artikel 3. Overleg",
                "De cel komt samen [om de zes weken] en daarnaast wanneer een dringend signaal "
                "dat vraagt. De coördinator stelt de agenda op.",
                "# Artikel 4. Geheimhouding",
                "Elke deelnemer ondertekent een geheimhoudingsverklaring en bevestigt de "
                "geheimhouding bij de opening van elk overleg.",
                "# Artikel 5. Gegevens",
                "Signalen die geen casus werden, worden na [zes] maanden vernietigd; afgesloten "
                "casussen na [vierentwintig] maanden.",
                "# Artikel 6. Informeren van de betrokkene",
                "De cel informeert de betrokkene, tenzij dat de begeleiding in gevaar brengt. De "
                "reden en de termijn van een uitstel worden genoteerd.",
            ),
            versions=(
                "Eerste versie.",
                "Tweede versie: artikel over het informeren van de betrokkene, aparte "
                "bewaartermijnen.",
            ),
        ),
    ),
    DemoItem(
        key="tpl-akkoord",
        kind=TEMPLATE,
        title="Sjabloon samenwerkingsakkoord met partnerorganisaties",
        summary="Een model van akkoord tussen het lokaal bestuur en een partnerorganisatie die "
        "aan de cel deelneemt.",
        themes=("partners",),
        tags=(TEMPLATE_TAG, "samenwerkingsakkoord"),
        related=("pb-opstart", "qa-partner-weigert"),
        days_ago=145,
        body="""
<p>Het akkoord beschrijft wat de cel van een partner verwacht en wat de partner van de cel
mag verwachten. Het helpt partners die twijfelen om deel te nemen.</p>
""",
        file=DemoFile(
            "docx",
            (
                "Tussen het lokaal bestuur [naam gemeente] en [naam partnerorganisatie].",
                "# Engagement van de partner",
                "De partner duidt een vaste contactpersoon en een vervanger aan, neemt deel aan "
                "het overleg wanneer een casus hem aanbelangt, en deelt alleen wat nodig is voor "
                "het doel van de cel.",
                "# Engagement van het lokaal bestuur",
                "Het bestuur zorgt voor een coördinator, een veilige plaats voor het dossier en "
                "een tijdige uitnodiging met een agenda zonder namen.",
                "# Duur",
                "Dit akkoord geldt voor [drie] jaar en wordt stilzwijgend verlengd.",
            ),
        ),
    ),
    DemoItem(
        key="tpl-agenda",
        kind=TEMPLATE,
        title="Sjabloon agenda casusoverleg",
        summary="Een vaste structuur voor de agenda: opening en geheimhouding, nieuwe casussen, "
        "opvolging, vrije punten.",
        themes=("casusoverleg",),
        tags=(TEMPLATE_TAG, "casusoverleg", "agenda"),
        related=("pb-casusoverleg",),
        days_ago=140,
        body="<p>Vul per casus alleen de casuscode in, nooit een naam.</p>",
        file=DemoFile(
            "odt",
            (
                "Casusoverleg van [datum] om [uur], [plaats].",
                "# 1. Opening",
                "Bevestiging van de geheimhouding door elke deelnemer.",
                "# 2. Goedkeuring van het vorige verslag",
                "# 3. Nieuwe casussen",
                "Casus [code]: aangebracht door [sector], casusregisseur [organisatie].",
                "# 4. Opvolging",
                "Casus [code]: stand van zaken, acties, volgende bespreking.",
                "# 5. Trendsignalen en vrije punten",
                "# 6. Volgend overleg",
            ),
        ),
    ),
    DemoItem(
        key="tpl-feedback",
        kind=TEMPLATE,
        title="Sjabloon feedbackformulier aan de aanbrenger",
        summary="Een korte terugkoppeling aan wie een signaal aanbracht, zonder details uit het "
        "overleg.",
        themes=("signalen",),
        tags=(TEMPLATE_TAG, "feedback"),
        related=("pb-screening",),
        days_ago=135,
        body="<p>Gebruik het formulier na de screening en opnieuw bij de afsluiting van een "
        "casus.</p>",
        file=DemoFile(
            "odt",
            (
                "Aan: [organisatie van de aanbrenger]. Betreft: uw signaal van [datum], "
                "code [code].",
                "# Wat er met uw signaal gebeurde",
                "[ ] Doorverwezen naar [dienst].",
                "[ ] Genoteerd ter informatie; de cel bekijkt het opnieuw bij een nieuw signaal.",
                "[ ] Opgenomen als casus; [organisatie] is uw aanspreekpunt.",
                "# Wat wij van u vragen",
                "Meld nieuwe signalen aan de coördinator. Deel geen informatie uit deze "
                "terugkoppeling met derden.",
            ),
        ),
    ),
    DemoItem(
        key="tpl-screening",
        kind=TEMPLATE,
        title="Sjabloon screeningsformulier voor signalen",
        summary="De vragen die de coördinator en de informatieambtenaar bij elk signaal "
        "overlopen, en de beslissing.",
        themes=("signalen",),
        tags=(TEMPLATE_TAG, "screening"),
        related=("pb-screening", "tpl-feedback"),
        days_ago=130,
        body="<p>Het formulier volgt de drie vragen uit hoofdstuk 3 van het draaiboek.</p>",
        file=DemoFile(
            "pdf",
            (
                "Signaal ontvangen op [datum] van [sector]. Code [code].",
                "# 1. Binnen het doel van de cel?",
                "Gaat de zorg over radicalisering, of over iets anders? Toelichting: [...]",
                "# 2. Risico",
                "Zijn er aanwijzingen dat de betrokkene afglijdt richting geweld? Toelichting: "
                "[...]",
                "# 3. Nood aan afstemming",
                "Volstaat de reguliere hulpverlening? Toelichting: [...]",
                "# Beslissing",
                "[ ] Doorverwijzen  [ ] Ter informatie  [ ] Casus",
                "Aanbrenger geïnformeerd op [datum].",
            ),
        ),
    ),
)


# --- Staff-only pages -------------------------------------------------------------------------

STAFF_PAGES: tuple[DemoItem, ...] = (
    DemoItem(
        key="staff-werkwijze",
        kind=PAGE,
        title="Werkwijze helpdesk LIVC R",
        summary="Interne afspraken: termijnen, toewijzen, standaardantwoorden en wanneer we "
        "doorverwijzen.",
        audience=STAFF,
        themes=("andere",),
        tags=("helpdesk", "intern"),
        days_ago=340,
        body="""
<h2>Termijnen</h2>
<p>We reageren binnen twee werkdagen. Lukt een volledig antwoord niet zo snel, stuur dan een
eerste reactie met een timing.</p>
<h2>Toewijzen</h2>
<p>Nieuwe vragen worden elke ochtend verdeeld. Wie een vraag opneemt, wijst ze aan zichzelf
toe.</p>
<h2>Antwoorden</h2>
<ul>
<li>Verwijs waar mogelijk naar het draaiboek, de V&amp;A-fiche of een sjabloon.</li>
<li>Geen juridisch advies over een concrete casus: verwijs daarvoor naar de juridische dienst of
de functionaris voor gegevensbescherming van het bestuur.</li>
<li>Bevat een vraag namen of andere persoonsgegevens, vraag dan om ze te verwijderen en noteer
dat intern.</li>
</ul>
<h2>Van vraag naar kennis</h2>
<p>Komt een vraag drie keer terug, maak er dan een FAQ-item van (geanonimiseerd, in eigen
woorden).</p>
""",
    ),
    DemoItem(
        key="staff-checklist-faq",
        kind=PAGE,
        title="Checklist: een vraag omzetten naar een FAQ-item",
        summary="Vijf controles voor een antwoord publiek of voor alle leden verschijnt.",
        audience=STAFF,
        themes=("andere",),
        tags=("helpdesk", "intern", QA_TAG),
        related=("staff-werkwijze",),
        days_ago=200,
        body="""
<ul>
<li>Geen gemeente, dienst of persoon herkenbaar in de vraag of het antwoord.</li>
<li>De vraag is herschreven als algemene vraag.</li>
<li>Het antwoord verwijst naar het draaiboek of een sjabloon waar dat kan.</li>
<li>Publiek alleen als het antwoord ook voor burgers en partners zinvol is.</li>
<li>Een collega las het item na.</li>
</ul>
""",
    ),
)


# --- News and publications -------------------------------------------------------------------

NEWS_ITEMS: tuple[DemoItem, ...] = (
    DemoItem(
        key="news-netwerkdag",
        kind=NEWS,
        title="Terugblik op de lerende netwerkdag voor coördinatoren",
        summary="Zestig coördinatoren wisselden ervaringen uit over de screening van signalen "
        "en het informeren van de betrokkene.",
        audience=MEMBERS,
        themes=("vorming",),
        tags=("lerend netwerk",),
        days_ago=330,
        body="""
<p>Op de lerende netwerkdag kwamen coördinatoren uit alle provincies samen. In drie
werkgroepen ging het over de screening van signalen, het informeren van de betrokkene en de
samenwerking met het onderwijs.</p>
<p>Wat opviel: veel cellen worstelen met signalen die net buiten het doel van de cel vallen.
Het draaiboek krijgt daarom een uitgebreider hoofdstuk over screening.</p>
""",
    ),
    DemoItem(
        key="news-vorming",
        kind=NEWS,
        title="Vormingsreeks gedeeld beroepsgeheim in het voorjaar",
        summary="Vier sessies over wat u mag delen in de cel, voor nieuwe leden en partners.",
        audience=PUBLIC,
        themes=("vorming", "beroepsgeheim"),
        tags=("vorming", "artikel 458ter"),
        related=("pb-beroepsgeheim",),
        days_ago=260,
        body="""
<p>In het voorjaar organiseren we vier sessies over het gedeeld beroepsgeheim, één per regio.
De sessies zijn bedoeld voor nieuwe leden van een cel en voor partners die twijfelen over wat
ze mogen delen.</p>
<ul>
<li>Wat artikel 458ter van het Strafwetboek toelaat, en wat niet.</li>
<li>Oefenen met casussen: welke informatie is nodig?</li>
<li>Afspraken over verslag en bewaartermijnen.</li>
</ul>
<p>Inschrijven kan via de website van VVSG.</p>
""",
    ),
    DemoItem(
        key="news-sjablonen",
        kind=NEWS,
        title="Sjablonen voor werkingsafspraken en samenwerkingsakkoord herwerkt",
        summary="De sjablonen zijn korter en volgen de structuur van het draaiboek.",
        audience=MEMBERS,
        themes=("werking",),
        tags=(TEMPLATE_TAG,),
        related=("tpl-reglement", "tpl-akkoord"),
        days_ago=145,
        body="""
<p>Op vraag van verschillende cellen herwerkten we de sjablonen voor de werkingsafspraken en
het samenwerkingsakkoord. Ze zijn korter, volgen de structuur van het draaiboek en bevatten nu
een artikel over het informeren van de betrokkene.</p>
<p>U vindt ze in de kennisbank bij de sjablonen.</p>
""",
    ),
    DemoItem(
        key="news-intervisie",
        kind=NEWS,
        title="Intervisie voor casemanagers start in elke provincie",
        summary="Casemanagers en coördinatoren bespreken dilemma's uit de praktijk, vier keer per "
        "jaar.",
        audience=MEMBERS,
        themes=("vorming", "casusoverleg"),
        tags=("intervisie",),
        days_ago=95,
        body="""
<p>Vanaf dit najaar komen casemanagers en coördinatoren vier keer per jaar samen per provincie
voor intervisie. Er worden geen casussen met namen besproken: het gaat om aanpak, methodiek en
dilemma's.</p>
<p>Tussen de bijeenkomsten door kunt u terecht in de forumruimte Intervisie casemanagers.</p>
""",
    ),
    DemoItem(
        key="news-online",
        kind=NEWS,
        title="Online polarisatie bij jongeren: nieuwe handvatten voor partners",
        summary="Een korte gids helpt jeugdwerkers en leerkrachten om signalen uit de online "
        "leefwereld te duiden.",
        audience=PUBLIC,
        themes=("fenomenen", "preventie"),
        tags=("online", "jongeren", "polarisatie"),
        related=("qa-polarisatie",),
        days_ago=45,
        body="""
<p>Jongeren komen online snel in contact met polariserende inhoud. Niet elke meme of elk
forumbericht is een signaal voor de cel, maar sommige patronen verdienen aandacht.</p>
<p>De nieuwe gids helpt partners om het onderscheid te maken en beschrijft wanneer een gesprek
met de jongere volstaat en wanneer de coördinator van de cel het beste aanspreekpunt is.</p>
""",
    ),
    DemoItem(
        key="news-draaiboek",
        kind=NEWS,
        title="Nieuwe editie van het draaiboek LIVC R",
        summary="Het draaiboek is volledig herwerkt, met een nieuw hoofdstuk over evaluatie.",
        audience=PUBLIC,
        themes=("werking",),
        tags=(PLAYBOOK_TAG,),
        related=("pb-intro", "pb-evaluatie"),
        days_ago=PLAYBOOK_DAYS_AGO - 1,
        body="""
<p>De nieuwe editie van het draaiboek staat online. Elk hoofdstuk is een aparte pagina in de
kennisbank, met verwijzingen naar de sjablonen en de vragen en antwoorden.</p>
<p>Nieuw: een hoofdstuk over evaluatie en kwaliteitszorg, meer aandacht voor het informeren van
de betrokkene en een uitgebreider hoofdstuk over gedeeld beroepsgeheim.</p>
""",
    ),
)

PUBLICATIONS: tuple[DemoItem, ...] = (
    DemoItem(
        key="pub-stand",
        kind=PUBLICATION,
        title="Lokale integrale veiligheidscellen in Vlaanderen: een stand van zaken",
        summary="Hoe cellen werken, waar ze tegenaan lopen en wat ze nodig hebben, op basis van "
        "gesprekken met coördinatoren.",
        audience=PUBLIC,
        themes=("werking", "preventie"),
        tags=("publicatie",),
        days_ago=210,
        body="""
<p>Deze publicatie brengt in kaart hoe lokale integrale veiligheidscellen in Vlaanderen
werken. Ze steunt op gesprekken met coördinatoren en partners, en bevat geen gegevens over
casussen.</p>
<p>Belangrijkste vaststellingen: cellen die een vrijgestelde coördinator hebben, houden een
regelmatig ritme aan; kleinere gemeenten vinden baat bij samenwerking; en partners hebben nood
aan duidelijke afspraken over het beroepsgeheim.</p>
""",
        file=DemoFile(
            "pdf",
            (
                "# Inleiding",
                "Sinds de wet van 2018 heeft elke gemeente een lokale integrale "
                "veiligheidscel. Deze publicatie kijkt naar hoe die cellen vandaag werken.",
                "# Vaststellingen",
                "Cellen met een vrijgestelde coördinator houden een regelmatig ritme aan.",
                "Kleinere gemeenten vinden baat bij een intergemeentelijke cel.",
                "Partners vragen duidelijke afspraken over wat ze mogen delen.",
                "# Aanbevelingen",
                "Investeer in coördinatie, in vorming over beroepsgeheim en in uitwisseling "
                "tussen cellen.",
            ),
        ),
    ),
    DemoItem(
        key="pub-informeren",
        kind=PUBLICATION,
        title="Handleiding: de betrokkene informeren",
        summary="Wanneer en hoe de cel de betrokkene informeert, en hoe u een uitstel "
        "verantwoordt.",
        audience=MEMBERS,
        themes=("beroepsgeheim",),
        tags=("publicatie", "informeren", "AVG"),
        related=("qa-informeren", "pb-beroepsgeheim"),
        days_ago=60,
        body="""
<p>De handleiding beschrijft stap voor stap hoe een cel de betrokkene informeert over de
bespreking: wie het doet, wat er gezegd wordt, en hoe een uitstel gemotiveerd en opgevolgd
wordt.</p>
""",
        file=DemoFile(
            "pdf",
            (
                "# Waarom informeren?",
                "Wie besproken wordt, heeft recht op informatie. Bovendien werkt transparantie "
                "vaak in het voordeel van de begeleiding.",
                "# Wie informeert?",
                "Meestal de casusregisseur, die de betrokkene al kent.",
                "# Uitstel",
                "Stel alleen uit als informeren de begeleiding of een onderzoek in gevaar "
                "brengt. Noteer de reden en een datum om het opnieuw te bekijken.",
            ),
        ),
    ),
)


DEMO_ITEMS: tuple[DemoItem, ...] = (
    *PLAYBOOK,
    PLAYBOOK_DOCUMENT,
    *QA_SHEET,
    *TEMPLATES,
    *STAFF_PAGES,
    *NEWS_ITEMS,
    *PUBLICATIONS,
)
