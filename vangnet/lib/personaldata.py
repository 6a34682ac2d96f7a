"""A heuristic check for personal data in free text that should be anonymous.

Helpdesk questions and forum posts are read by VVSG staff and by colleagues of other cells; they
must never carry the identity of a person discussed in a case. Before such a text is stored, the
author is shown what this module found and asked to anonymise it (domain note: "warn users at
input and let moderators redact").

It looks for Belgian national register numbers (formatted, or eleven digits with a valid check
number), phone numbers, e-mail addresses, street addresses (a street name with a house number) and
names next to a date of birth. It is a net, not a guarantee: it prefers to ask once too often
over letting an obvious identity through, while staying quiet on the dates, article numbers,
postcodes and figures that ordinary questions about the LIVC R contain.

Framework-free on purpose (only ``re`` and ``datetime``), so it is easy to test exhaustively.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Final

NATIONAL_NUMBER: Final = "national_number"
PHONE: Final = "phone"
EMAIL: Final = "email"
ADDRESS: Final = "address"
NAME_WITH_BIRTH_DATE: Final = "name_with_birth_date"

KINDS: Final = (NATIONAL_NUMBER, PHONE, EMAIL, ADDRESS, NAME_WITH_BIRTH_DATE)


@dataclass(frozen=True)
class Finding:
    """One suspicious fragment: its kind and where it is in the text."""

    kind: str
    start: int
    end: int
    fragment: str


_FORMATTED_NATIONAL_NUMBER: Final = re.compile(
    r"(?<![\d.])\d{2}[.]\d{2}[.]\d{2}[-. ]?\d{3}[.]?\d{2}(?![\d])"
)
_BARE_ELEVEN_DIGITS: Final = re.compile(r"(?<![\d.,/-])\d{11}(?![\d])")
_SPACED_NATIONAL_NUMBER: Final = re.compile(r"(?<![\d])\d{6}[- ]\d{3}[- ]?\d{2}(?![\d])")

_EMAIL_ADDRESS: Final = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
)

# Belgian numbers (+32 / 0032 / 0 followed by 8 or 9 digits, in the usual groupings) and other
# international numbers written with a plus sign.
# Not a phone number: a date (with a time after it) or a company number (KBO, 0xxx.xxx.xxx
# outside the 04xx mobile range, or after "BE"/"KBO"/"ondernemingsnummer").
_NOT_A_PHONE: Final = (
    r"(?!\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?!\d))"
    r"(?!0[0-35-9]\d{2}\.\d{3}\.\d{3}(?!\d))"
)
_PHONE_NUMBER: Final = re.compile(
    r"(?<![\w+])(?<!BE )(?<!KBO )(?<!ondernemingsnummer )(?:"
    r"(?:\+|00)32[\s./-]?\(?0?\)?[\s./-]?[1-9](?:[\s./-]?\d){7,8}"
    r"|" + _NOT_A_PHONE + r"0[1-9](?:[\s./-]?\d){7,8}"
    r"|\+(?!32)[1-9]\d{0,2}(?:[\s./-]?\d){7,12}"
    r")(?![\d])"
)

_STREET_SUFFIXES: Final = (
    "straat|steenweg|laan|lei|plein|pleintje|weg|baan|dreef|kaai|markt|vest|singel|dijk|gracht|"
    "hof|park|wegel|pad|ring|berg|dal|veld|akker|kouter|hoek|dries|heide|wijk|boulevard|"
    "avenue|rue|chaussée"
)
# "Kerkstraat 12", "Grote Markt 7 bus 3", "Antwerpsesteenweg 120A", "Sint-Jansplein 4/2".
# Written without a capital ("kerkstraat 12") only with unmistakable street words: a lowercase
# "vergadering 2" must not count as an address.
_LOWERCASE_STREET_SUFFIXES: Final = "straat|steenweg|laan|plein|dreef|kaai|singel|gracht"
_STREET_ADDRESS: Final = re.compile(
    r"\b(?:[A-Z][\w'-]*\s)?[A-Z][\w'-]*(?:" + _STREET_SUFFIXES + r")\s+\d{1,4}[a-zA-Z]?"
    r"(?:\s*(?:bus|b\.|/)\s*\d{1,4}[a-zA-Z]?)?\b"
    r"|\b[a-z][\w'-]*(?:" + _LOWERCASE_STREET_SUFFIXES + r")\s+\d{1,4}[a-zA-Z]?"
    r"(?:\s*(?:bus|b\.|/)\s*\d{1,4}[a-zA-Z]?)?\b"
    r"|\b(?:Grote|Kleine|Oude|Nieuwe)\s+(?:Markt|Baan|Weg|Dreef)\s+\d{1,4}[a-zA-Z]?\b"
)

_MONTHS: Final = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|"
    "january|february|march|may|june|july|august|october"
)
_DATE: Final = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}"
    r"|\d{1,2}\s+(?i:" + _MONTHS + r")\.?\s+(?:19|20)\d{2}"
    r"|(?:19|20)\d{2}-\d{2}-\d{2})"
)
_BIRTH_MARKER: Final = (
    r"(?:geboren(?:\s+op)?|geb\.|geboortedatum:?|°|born(?:\s+on)?|date\s+of\s+birth:?|dob:?)"
)
# A date that is explicitly a date of birth, e.g. "geboren op 3 mei 2009", "°12/03/2008".
_MARKED_BIRTH_DATE: Final = re.compile(
    _BIRTH_MARKER + r"\s*(?:" + _DATE + r"|(?:19|20)\d{2})", re.IGNORECASE
)
_NAME_PARTICLE: Final = r"(?:van|de|der|den|ter|ten|te|vanden|el|al|ben|bin|da|du|le|la|von)"
_NAME_WORD: Final = r"[A-Z][a-zà-ÿ'\u2019-]+"
# "Jan Peeters", "Yasmina El Amrani", "Pieter van den Broeck": two or three name words.
_NAME: Final = _NAME_WORD + r"(?:\s+(?:" + _NAME_PARTICLE + r"\s+){0,2}" + _NAME_WORD + r"){1,2}"
# A name directly followed by a date: "Jan Peeters (12/03/2008)", "Jan Peeters, 12.03.2008".
_NAME_THEN_DATE: Final = re.compile(
    r"(?P<name>" + _NAME + r")\s*[,(\[]\s*(?:" + _BIRTH_MARKER + r"\s*)?(?P<date>" + _DATE + r")",
)
# A name near an explicit birth marker: "Jan Peeters, geboren in 2009".
_NAME_NEAR_MARKER: Final = re.compile(
    r"(?P<name>" + _NAME + r")[^.\n]{0,40}?" + _BIRTH_MARKER + r"\s*(?:in\s+)?"
    r"(?P<date>" + _DATE + r"|(?:19|20)\d{2})",
    re.IGNORECASE,
)
_YEAR: Final = re.compile(r"(19|20)\d{2}|(?<=[/.-])\d{2}$")

# Capitalised words that often start a sentence or name an institution, never a person.
_NOT_A_NAME: Final = frozenset(
    {
        "de",
        "het",
        "een",
        "op",
        "in",
        "bij",
        "van",
        "voor",
        "na",
        "tot",
        "sinds",
        "vanaf",
        "lokale",
        "integrale",
        "veiligheidscel",
        "livc",
        "vvsg",
        "stad",
        "gemeente",
        "politie",
        "wet",
        "decreet",
        "artikel",
        "vergadering",
        "overleg",
        "casusoverleg",
        "kerstvakantie",
        "paasvakantie",
        "zomervakantie",
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
        "vlaanderen",
        "belgië",
        "brussel",
        "ocmw",
        "caw",
        "jeugddienst",
        "preventiedienst",
        "school",
        "stuurgroep",
        "werkgroep",
        "infosessie",
        "opleiding",
        "the",
        "on",
        "meeting",
        "law",
    }
)
_MIN_AGE_YEARS: Final = 5
_NAME_PUNCTUATION: Final = "'\u2019-"


def personal_data_find(text: str, *, today: datetime.date | None = None) -> list[Finding]:
    """Every fragment of ``text`` that looks like personal data, in text order."""
    today = today or datetime.date.today()
    findings: list[Finding] = []
    for pattern in (_FORMATTED_NATIONAL_NUMBER, _SPACED_NATIONAL_NUMBER):
        findings += [_finding(NATIONAL_NUMBER, m) for m in pattern.finditer(text)]
    findings += [
        _finding(NATIONAL_NUMBER, m)
        for m in _BARE_ELEVEN_DIGITS.finditer(text)
        if national_number_valid(m.group())
    ]
    findings += [_finding(EMAIL, m) for m in _EMAIL_ADDRESS.finditer(text)]
    findings += [_finding(PHONE, m) for m in _PHONE_NUMBER.finditer(text)]
    findings += [_finding(ADDRESS, m) for m in _STREET_ADDRESS.finditer(text)]
    findings += [_finding(NAME_WITH_BIRTH_DATE, m) for m in _MARKED_BIRTH_DATE.finditer(text)]
    for pattern in (_NAME_THEN_DATE, _NAME_NEAR_MARKER):
        for match in pattern.finditer(text):
            if _looks_like_person(match.group("name")) and _plausible_birth_date(
                match.group("date"), today
            ):
                findings.append(_finding(NAME_WITH_BIRTH_DATE, match))
    return _without_overlaps(findings)


def personal_data_kinds(text: str) -> list[str]:
    """The distinct kinds found in ``text``, in the order of :data:`KINDS`."""
    found = {finding.kind for finding in personal_data_find(text)}
    return [kind for kind in KINDS if kind in found]


def national_number_valid(digits: str) -> bool:
    """Whether eleven digits carry a valid Belgian national register check number."""
    digits = re.sub(r"\D", "", digits)
    if len(digits) != 11:
        return False
    base, check = int(digits[:9]), int(digits[9:])
    # Born before 2000: 97 - (first nine digits mod 97); from 2000: prefix the digit 2.
    return check in (97 - base % 97, 97 - int("2" + digits[:9]) % 97)


def _finding(kind: str, match: re.Match[str]) -> Finding:
    return Finding(kind=kind, start=match.start(), end=match.end(), fragment=match.group())


def _looks_like_person(name: str) -> bool:
    words = [word for word in re.split(r"\s+", name) if word]
    # "Overleg Jan Peeters": a sentence may start with a word that is not part of the name.
    while words and words[0].lower().strip(_NAME_PUNCTUATION) in _NOT_A_NAME:
        words.pop(0)
    capitalised = [word for word in words if word[:1].isupper()]
    if len(capitalised) < 2:
        return False
    return not any(word.lower().strip(_NAME_PUNCTUATION) in _NOT_A_NAME for word in capitalised)


def _plausible_birth_date(date_text: str, today: datetime.date) -> bool:
    """A date of birth lies at least a few years back (an event date usually does not)."""
    match = re.search(r"(19|20)\d{2}", date_text)
    if match:
        year = int(match.group())
    else:
        short = re.search(r"[/.-](\d{2})$", date_text)
        if not short:
            return True
        two = int(short.group(1))
        year = 2000 + two if 2000 + two <= today.year else 1900 + two
    return year <= today.year - _MIN_AGE_YEARS


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep the longest finding where findings overlap (a phone inside a national number...)."""
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept
