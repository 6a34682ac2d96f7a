"""The personal-data detector: what it must flag, and ordinary questions it must leave alone."""

from __future__ import annotations

import datetime

import pytest
from django import forms

from vangnet.lib import personaldata
from vangnet.lib.forms import PersonalDataCheckMixin
from vangnet.lib.personaldata import national_number_valid, personal_data_find, personal_data_kinds

TODAY = datetime.date(2026, 11, 30)

MUST_FLAG = [
    ("Het gaat om Jan Peeters (12/03/2008) uit onze gemeente.", personaldata.NAME_WITH_BIRTH_DATE),
    ("Betrokkene: Yasmina El Amrani, geboren op 3 mei 2009.", personaldata.NAME_WITH_BIRTH_DATE),
    (
        "Pieter van den Broeck (°2007) is gekend bij de jeugddienst.",
        personaldata.NAME_WITH_BIRTH_DATE,
    ),
    ("De jongen Ahmed Benali, 14.02.2010, is zestien.", personaldata.NAME_WITH_BIRTH_DATE),
    ("Jongere ° 14/02/2010 werd besproken.", personaldata.NAME_WITH_BIRTH_DATE),
    ("Geboortedatum: 2009-05-03, verder onbekend.", personaldata.NAME_WITH_BIRTH_DATE),
    ("Rijksregisternummer 85.07.30-033.28 werd doorgegeven.", personaldata.NATIONAL_NUMBER),
    ("RRN 85073003328 staat in het dossier.", personaldata.NATIONAL_NUMBER),
    ("Nummer 850730 033 28 van de vader.", personaldata.NATIONAL_NUMBER),
    ("Bel de moeder op 0475 12 34 56.", personaldata.PHONE),
    ("Bel +32 475 12 34 56 als het dringend is.", personaldata.PHONE),
    ("Het vaste nummer is 015/20.30.40.", personaldata.PHONE),
    ("Zijn Nederlandse nummer: +31 6 12345678.", personaldata.PHONE),
    ("Mail naar jan.peeters@gmail.com voor info.", personaldata.EMAIL),
    ("Hij woont in de Kerkstraat 12 bus 3.", personaldata.ADDRESS),
    ("Adres: Antwerpsesteenweg 120A, 2800 Mechelen", personaldata.ADDRESS),
    ("Ze verblijft op de Grote Markt 7.", personaldata.ADDRESS),
    ("Ze verblijft in de kerkstraat 12.", personaldata.ADDRESS),
    ("Het gaat om Jan Peeters (3 Mei 2009).", personaldata.NAME_WITH_BIRTH_DATE),
    ("Zijn gsm: 0475.123.456", personaldata.PHONE),
]

MUST_NOT_FLAG = [
    "Op 12 maart 2024 vergadert de LIVC R van Mechelen.",
    "VVSG beantwoordde 133 vragen van 53 lokale besturen in 2023.",
    "Artikel 458ter van het Strafwetboek regelt het gedeeld beroepsgeheim.",
    "Ons postadres is 2800 Mechelen; de cel vergaderde op 05/09/2025.",
    "De Wet van 30 juli 2018 creëerde de LIVC R.",
    "Kunnen we in de Lokale Integrale Veiligheidscel (12/03/2019) een jongere bespreken?",
    "Het budget bedroeg 12500 euro voor 2025-2026.",
    "Zie het draaiboek, hoofdstuk 3.2, pagina 14.",
    "We werken samen met CAW Boom Mechelen Lier sinds 2019.",
    "Een jongere van 15 jaar stelt zorgwekkend gedrag; hoe pakken we dat aan?",
    "Het dossiernummer LIV-2025-004 werd afgesloten.",
    "Onze gemeente telt 86000 inwoners en 12 straten in het centrum.",
    "Mag de politie (art. 44/11/3ter WPA) informatie delen in het casusoverleg?",
    "De vormingsdag vindt plaats op 14/02/2027 in Gent.",
    "Reeds 12345678901 keer gezegd: dit is geen rijksregisternummer.",
    "Het overleg is op 05/03/2026 14:00 in het stadhuis.",
    "Het overleg is op 05.03.2026 14u30 in het stadhuis.",
    "De vzw heeft ondernemingsnummer 0207.500.123.",
    "Factuur aan KBO 0476.123.456 graag.",
    "Tijdens de vergadering 2 punten besproken; evaluering 3 volgt.",
]


@pytest.mark.parametrize(("text", "kind"), MUST_FLAG)
def test_it_flags_personal_data(text: str, kind: str) -> None:
    assert kind in {f.kind for f in personal_data_find(text, today=TODAY)}


@pytest.mark.parametrize("text", MUST_NOT_FLAG)
def test_it_leaves_ordinary_questions_alone(text: str) -> None:
    assert personal_data_find(text, today=TODAY) == []


def test_it_reports_where_the_fragment_is() -> None:
    text = "Mail jan@example.org graag."
    (finding,) = personal_data_find(text)
    assert text[finding.start : finding.end] == "jan@example.org" == finding.fragment


def test_it_does_not_report_overlapping_fragments_twice() -> None:
    findings = personal_data_find("RRN 85.07.30-033.28.")
    assert [f.kind for f in findings] == [personaldata.NATIONAL_NUMBER]


def test_a_recent_date_next_to_two_capitalised_words_is_not_a_birth_date() -> None:
    assert personal_data_find("Overleg Jan Peeters (12/03/2026)", today=TODAY) == []
    assert personal_data_find("Overleg Jan Peeters (12/03/2011)", today=TODAY) != []


def test_the_national_number_check_follows_both_centuries() -> None:
    assert national_number_valid("85073003328")
    assert not national_number_valid("85073003329")
    # Born in 2001: the check number is computed over "2" followed by the first nine digits.
    base = "010203123"
    check = 97 - int("2" + base) % 97
    assert national_number_valid(f"{base}{check:02d}")
    assert not national_number_valid("123")


class _Form(PersonalDataCheckMixin, forms.Form):
    personal_data_fields = ("body",)
    body = forms.CharField()


def test_the_form_refuses_personal_data_until_confirmed() -> None:
    form = _Form(data={"body": "Bel 0475 12 34 56"})
    assert not form.is_valid()
    assert [f.kind for f in form.personal_data_findings] == [personaldata.PHONE]
    assert isinstance(form.fields["personal_data_confirmed"].widget, forms.CheckboxInput)

    confirmed = _Form(data={"body": "Bel 0475 12 34 56", "personal_data_confirmed": "on"})
    assert confirmed.is_valid()
    assert confirmed.cleaned_data["personal_data_confirmed"] is True


def test_the_form_accepts_clean_text_without_a_confirmation() -> None:
    form = _Form(
        data={"body": "Hoe organiseren we een netwerkoverleg?", "personal_data_confirmed": "on"}
    )
    assert form.is_valid()
    assert form.cleaned_data["personal_data_confirmed"] is False
    assert form.personal_data_findings == []


def test_it_lists_each_kind_once_in_a_fixed_order() -> None:
    text = "Mail a@b.example of bel 0475 12 34 56, of mail c@d.example."
    assert personal_data_kinds(text) == [personaldata.PHONE, personaldata.EMAIL]
