"""Canary: unique strings planted in case data, signals, minutes, partner and cell names,
self-evaluation free text, the helpdesk and the forum never appear in the dashboard, the annual
report, or any open-data file."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from vangnet.cases.services import case_open
from vangnet.cells.models import Cell, CellProfile, Municipality
from vangnet.cells.services import cell_create, membership_add
from vangnet.forum.models import Space
from vangnet.forum.services import thread_start
from vangnet.helpdesk.tests.factories import make_question
from vangnet.insights import opendata, report
from vangnet.insights.sharing import CATEGORY_KEYS
from vangnet.intake.services import signal_submit
from vangnet.meetings.services import item_record, meeting_create, topic_add
from vangnet.network.models import Participation, Sector
from vangnet.network.services import organisation_create
from vangnet.scans import services as scan_services
from vangnet.scans.models import RespondentInvitation
from vangnet.tests_support.personas import make_user, sign_in

BRUSSELS = ZoneInfo("Europe/Brussels")
YEAR = 2024
CANARIES = {
    "case_name": "Kanarie Persoonsnaam Qzx",
    "case_summary": "Kanarie Samenvatting Vbw",
    "signal": "Kanarie Signaalbeschrijving Jkq",
    "meeting": "Kanarie Overleg Titel Pmd",
    "topic": "Kanarie Agendapunt Wfr",
    "minutes": "Kanarie Verslagtekst Hxl",
    "decisions": "Kanarie Beslissing Tnc",
    "helpdesk": "Kanarie Helpdeskvraag Gzu",
    "forum": "Kanarie Forumbericht Yop",
    "cell": "Kanarie Celnaam Rtd",
    "partner": "Kanarie Partnernaam Lsu",
    "scan_text": "Kanarie Zelfevaluatie Opmerking Bnh",
}


def _plant(cell, coordinator, index: int) -> None:
    with scope(cell=cell.pk):
        for n in range(2):
            signal_submit(
                cell=cell,
                submitted_by=coordinator,
                received_on=dt.date(YEAR, 3, 1 + n),
                category="online",
                description=f"{CANARIES['signal']} {index}",
                person_name=f"{CANARIES['case_name']} signaal",
            )
        for n in range(2):
            case_open(
                cell=cell,
                person_name=f"{CANARIES['case_name']} {index}{n}",
                person_birth_date=None,
                summary=CANARIES["case_summary"],
                opened_by=coordinator,
            )
        for month in (2, 9):
            start = dt.datetime(YEAR, month, 10 + index, 14, tzinfo=BRUSSELS)
            meeting = meeting_create(
                cell=cell,
                kind="mixed",
                title=CANARIES["meeting"],
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                chair=coordinator,
                created_by=coordinator,
            )
            item = topic_add(meeting=meeting, title=CANARIES["topic"], user=coordinator)
            item_record(
                item=item,
                summary=CANARIES["minutes"],
                decisions=CANARIES["decisions"],
                next_review=None,
                user=coordinator,
            )
        organisation_create(
            cell=cell,
            name=f"{CANARIES['partner']} {index}",
            sector=Sector.CAW,
            participation=Participation.CORE,
            created_by=coordinator,
        )
        scan_round = scan_services.round_open(
            cell=cell, title=CANARIES["scan_text"], does_case_management=True, opened_by=coordinator
        )
    definition = scan_round.template.definition
    answers: dict[tuple[str, str, str], tuple[int | None, str]] = {
        (m["key"], s, i["key"]): (3 if i["kind"] == "likert" else None, CANARIES["scan_text"])
        for m in definition["modules"]
        for s in (m["situations"] or [""])
        for i in m["indicators"]
        if i["kind"] in ("likert", "text")
    }
    for number in range(scan_services.ANONYMITY_MINIMUM):
        with scope(cell=cell.pk):
            invitation = RespondentInvitation.objects.create(
                cell=cell, round=scan_round, token_hash=f"{scan_round.pk}-{number}", role="member"
            )
        scan_services.response_submit(invitation=invitation, answers=answers)
    with scope(cell=cell.pk):
        scan_services.round_close(scan_round=scan_round, user=coordinator)


@pytest.fixture
def planted(personas):
    """Seven real cells in Antwerp province (above the threshold), all sharing everything."""
    with time_machine.travel(dt.datetime(YEAR, 10, 1, 12, tzinfo=BRUSSELS), tick=False):
        codes = list(
            Municipality.objects.filter(province_nis="10000")
            .exclude(nis_code="12025")
            .order_by("nis_code")
            .values_list("nis_code", flat=True)[:6]
        )
        cells = [(personas.mechelen, personas.alice)]
        with scopes_disabled():  # Mechelen (made today) existed in YEAR too
            Cell.objects.filter(pk=personas.mechelen.pk).update(
                created_at=dt.datetime(YEAR, 1, 5, tzinfo=BRUSSELS)
            )
        for index, code in enumerate(codes):
            cell = cell_create(name=f"{CANARIES['cell']} {index}", nis_codes=[code])
            coordinator = make_user(f"coordinator{index}@example.org", f"Coordinator {index}")
            membership_add(cell=cell, user=coordinator, role="coordinator")
            cells.append((cell, coordinator))
        with scopes_disabled():
            CellProfile.objects.filter(cell__in=[c for c, _u in cells]).update(
                insights_sharing=list(CATEGORY_KEYS)
            )
        for index, (cell, coordinator) in enumerate(cells):
            _plant(cell, coordinator, index)
        make_question(personas.alice, subject=CANARIES["helpdesk"], body=CANARIES["helpdesk"])
        thread_start(
            space=Space.objects.order_by("slug").first(),
            author=personas.alice,
            title=CANARIES["forum"],
            body=CANARIES["forum"],
        )
    return personas


def _assert_clean(name: str, text: str) -> None:
    for where, canary in CANARIES.items():
        assert canary not in text, f"the {where} canary leaked into {name}"


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            archive.read(part).decode("utf-8", "replace") for part in archive.namelist()
        )


@time_machine.travel(dt.datetime(YEAR + 1, 3, 2, 12, tzinfo=BRUSSELS))
def test_no_canary_reaches_any_dashboard_report_or_open_data_file(planted):
    personas = planted
    staff = Client()
    sign_in(staff, personas.vera)
    public = Client()

    # The planted data is there, and counts: the figures are not all suppressed.
    flanders, provinces = report.report_insights(YEAR)
    shown = {f.key: f.value for f in flanders.figures}
    assert shown["meetings_total"] == 14
    assert shown["signals_total"] == 14 and shown["cases_opened"] == 14
    assert shown["helpdesk_questions"] == 1
    assert shown["cells_socio_preventive_share"]  # the planted partners count
    scans = next(s for s in flanders.series if s.key == "scan_modules")
    assert any(not f.suppressed for _label, f in scans.rows)  # the planted rounds count

    dashboard = reverse("insights:dashboard")
    for query in ("", f"?year={YEAR}", f"?year={YEAR}&province=10000"):
        response = staff.get(dashboard + query)
        assert response.status_code == 200
        _assert_clean(f"the dashboard {query}", response.content.decode())

    # The PDF is rendered from this HTML (its text is compressed and subset-encoded in the
    # file, so the HTML is where a leak would show).
    html = report.report_html(flanders, provinces=provinces)
    _assert_clean("the report HTML", html)
    pdf = staff.get(f"/support/insights/report/{YEAR}.pdf")
    assert pdf.status_code == 200
    xlsx = staff.get(f"/support/insights/report/{YEAR}.xlsx")
    assert xlsx.status_code == 200
    _assert_clean("the XLSX", _xlsx_text(xlsx.content))

    for path in (
        f"/open-data/figures-{YEAR}.csv",
        f"/open-data/figures-{YEAR}.json",
        "/open-data/dictionary.json",
        "/open-data/",
    ):
        response = public.get(path)
        assert response.status_code == 200, path
        _assert_clean(path, response.content.decode())
    assert opendata.public_keys(opendata.opendata_insights(YEAR))
