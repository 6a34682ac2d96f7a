"""The register of processing activities (art. 30) and DPIA evidence, generated per cell."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.utils import timezone
from django_scopes import scope
from docx import Document

from vangnet.audit.models import AuditEvent
from vangnet.cases.services import case_open
from vangnet.cells.models import CellProfile, Framework, Role
from vangnet.cells.services import framework_update, membership_add, profile_update
from vangnet.intake.services import signal_submit
from vangnet.privacy import register as register_module
from vangnet.privacy.classification import personal_fields
from vangnet.privacy.models import AccessReview
from vangnet.privacy.register import ROLE_ACCESS, MfaFigure, audit_tail_check, register_build
from vangnet.privacy.register_documents import register_docx, register_html, register_pdf
from vangnet.tests_support.personas import make_user, sign_in

CANARY_NAME = "Kanarie Vogelnaam Xq7"
CANARY_SUMMARY = "Kanarie samenvatting Zr4"
CANARY_SIGNAL = "Kanarie signaaltekst Wp2"


pytestmark = pytest.mark.usefixtures("english")


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def docx_raw(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def documents(cell) -> tuple[str, str]:
    register = register_build(cell)
    return register_html(register), docx_text(register_docx(register))


def test_it_lists_every_personal_field_in_both_documents(personas):
    html, docx = documents(personas.mechelen)
    paths = [f.path for f in personal_fields()]
    assert len(paths) > 100
    assert [p for p in paths if p not in html] == []
    assert [p for p in paths if p not in docx] == []
    assert "cases.Case.status" not in docx  # not personal: not listed


def test_it_shows_the_cells_legal_basis_finality_and_retention_terms(personas):
    cell = personas.mechelen
    with scope(cell=cell.pk):
        framework = Framework.objects.get(cell=cell)
        framework_update(
            framework=framework,
            changes={
                "legal_reference": "Wet 30 juli 2018, art. 3",
                "participant_categories": "Lokale politie, CAW, OCMW",
            },
            updated_by=personas.alice,
        )
        profile_update(
            profile=CellProfile.objects.get(cell=cell),
            changes={"retention_closed_case_months": 18, "retention_signal_months": 4},
            updated_by=personas.alice,
        )
    for text in documents(cell):
        assert "Law of 30 July 2018 (LIVC R)" in text
        assert "Wet 30 juli 2018, art. 3" in text
        assert "Lokale politie, CAW, OCMW" in text
        assert framework.finality in text
        assert "Art. 9(2)(g) GDPR" in text and "Art. 10 GDPR" in text
        assert "18 months after closure" in text
        assert "4 months after submission" in text
        assert "Mechelen" in text
        assert "not approved yet" in text
        assert "Generated draft to start from" in text


def test_it_counts_members_with_a_second_factor(personas):
    newcomer = make_user("nina@example.org", "Nina Nieuw", enrolled=False)
    membership_add(cell=personas.mechelen, user=newcomer, role=Role.MEMBER)
    register = register_build(personas.mechelen)
    # Alice, Bob, Ilse, Pim and Mona have a confirmed authenticator; Nina has not yet.
    assert register.mfa == MfaFigure(with_mfa=5, members=6)
    mfa = register.security[0]
    assert "5 of 6 active members" in str(mfa.evidence) and mfa.ok is False
    assert "5 of 6 active members" in register_html(register)


def test_it_counts_members_per_role_and_names_the_dpo_as_contact(personas):
    dpo = make_user("dora@example.org", "Dora DPO")
    membership_add(cell=personas.mechelen, user=dpo, role=Role.DPO)
    register = register_build(personas.mechelen)
    members = {str(r.role): r.members for r in register.recipients}
    assert members["Coordinator"] == 1 and members["Mayor (chair)"] == 1
    assert members["Data-protection officer"] == 1
    html, docx = documents(personas.mechelen)
    for text in (html, docx):
        assert "Dora DPO" in text and "dora@example.org" in text
        assert "No transfers to countries outside the European Union" in text
        assert "Alice" not in text and "Pim Partner" not in text  # roles and counts only


def test_every_role_has_an_access_description():
    assert set(ROLE_ACCESS) == set(Role.values)


def test_no_data_of_a_person_discussed_reaches_the_documents(personas):
    cell = personas.mechelen
    with scope(cell=cell.pk):
        case = case_open(
            cell=cell,
            person_name=CANARY_NAME,
            person_birth_date=datetime.date(2008, 5, 1),
            person_address="Kanariestraat 1",
            is_minor=True,
            summary=CANARY_SUMMARY,
            opened_by=personas.alice,
        )
        signal_submit(
            cell=cell,
            submitted_by=personas.pim,
            received_on=timezone.localdate(),
            category="ideology",
            description=CANARY_SIGNAL,
            person_name=CANARY_NAME,
        )
    register = register_build(cell)
    html = register_html(register)
    docx = register_docx(register)
    pdf = register_pdf(register)
    for canary in (CANARY_NAME, CANARY_SUMMARY, CANARY_SIGNAL, "Kanariestraat", case.code):
        assert canary not in html, canary
        assert canary not in docx_raw(docx), canary
    # The PDF is rendered from that same HTML (its text streams are compressed, so the bytes
    # cannot be searched); check that it is a PDF at all.
    assert pdf.startswith(b"%PDF")
    # The counts that the DPIA needs are there.
    minors = next(c for c in register.dpia if "minors" in str(c.criterion))
    assert "now 0 signal(s) and 1 case(s) of the cell" in str(minors.evidence)


def test_it_works_for_a_cell_without_framework_or_profile(personas):
    cell = personas.wingene
    with scope(cell=cell.pk):
        Framework.objects.filter(cell=cell).delete()
        CellProfile.objects.filter(cell=cell).delete()
    register = register_build(cell)
    assert register.framework is None
    html, docx = documents(cell)
    for text in (html, docx):
        assert "No framework record yet" in text
        assert "24 months after closure" in text  # the defaults, marked as such
        assert "default: the cell has no profile yet" in text
        assert "No data-protection officer is a member of the cell yet" in text
    assert register_pdf(register).startswith(b"%PDF")


def test_it_shows_the_latest_signed_access_review(personas):
    cell = personas.mechelen
    with scope(cell=cell.pk):
        for start in (datetime.date(2025, 1, 1), datetime.date(2025, 4, 1)):
            AccessReview.objects.create(
                cell=cell,
                period_start=start,
                period_end=start + datetime.timedelta(days=89),
                reviewed_by=personas.alice,
            )
    reviews = next(m for m in register_build(cell).security if "Access reviews" in str(m.name))
    assert (
        str(reviews.evidence) == "2 signed review(s); the latest covers 2025-04-01 to 2025-06-29."
    )
    assert reviews.ok is True


def test_it_checks_the_encryption_keys_and_the_audit_chain_live(personas):
    with scope(cell=personas.mechelen.pk):
        case_open(
            cell=personas.mechelen,
            person_name="Iemand",
            person_birth_date=None,
            opened_by=personas.alice,
        )
    measures = {str(m.name): m for m in register_build(personas.mechelen).security}
    encryption = measures["Encryption at rest (AES-256-GCM, a data key per cell)"]
    assert encryption.ok is True and "they unwrap" in str(encryption.evidence)
    audit = measures["Tamper-evident audit log (hash chain, append-only)"]
    assert audit.ok is True
    tail = audit_tail_check()
    assert tail.checked > 0 and tail.head_hash[:16] in str(audit.evidence)


def test_the_audit_tail_check_notices_a_hash_that_does_not_match(personas, monkeypatch):
    monkeypatch.setattr(register_module, "compute_hash", lambda event: "0" * 64)
    assert audit_tail_check().ok is False


def test_it_makes_a_pdf_and_a_docx(personas):
    register = register_build(personas.mechelen)
    assert register_pdf(register).startswith(b"%PDF")
    text = docx_text(register_docx(register))
    assert "Register of processing activities and DPIA evidence: LIVC R Mechelen" in text
    assert "Open questions for the DPO" in text


class TestDownloads:
    """The office offers the register as PDF and DOCX to those who run the privacy office."""

    def _dpo(self, personas):

        user = make_user("dpo-register@example.org", "Dirk DPO")
        membership_add(cell=personas.mechelen, user=user, role=Role.DPO)
        return user

    def test_the_dpo_downloads_the_register_as_pdf_and_docx(self, personas, client):

        sign_in(client, self._dpo(personas))
        base = f"/cells/{personas.mechelen.pk}/privacy/"
        office = client.get(base).content.decode()
        assert "register.pdf" in office and "register.docx" in office and "breaches/" in office
        pdf = client.get(base + "register.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        docx = client.get(base + "register.docx")
        assert docx.status_code == 200 and docx.content.startswith(b"PK")
        assert "wordprocessingml" in docx["Content-Type"]
        formats = sorted(
            e.data["format"]
            for e in AuditEvent.objects.filter(action="privacy.register.downloaded")
        )
        assert formats == ["docx", "pdf"]

    def test_other_members_get_403_and_other_cells_404(self, personas, client):

        base = f"/cells/{personas.mechelen.pk}/privacy/"
        sign_in(client, personas.pim)
        assert client.get(base + "register.pdf").status_code == 403
        for user in (personas.walter, personas.vera):
            sign_in(client, user)
            assert client.get(base + "register.docx").status_code == 404


def test_a_control_character_in_the_cell_name_does_not_break_the_docx(personas):
    cell = personas.mechelen
    cell.name = "LIVC R\x0b Mechelen\x1f"
    cell.save(update_fields=["name"])
    docx = register_docx(register_build(cell))
    assert docx.startswith(b"PK") and "LIVC R Mechelen" in docx_raw(docx)
