"""The register of processing activities as a document: PDF (WeasyPrint) and DOCX (python-docx).

Both are rendered from the same sections (`register_sections`), so they say the same thing.
Neither loads anything from outside (`lib.pdf.html_to_pdf` fetches nothing).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vangnet.lib.pdf import html_to_pdf
from vangnet.privacy.classification import (
    CATEGORY_EXPLANATION,
    SUBJECT_EXPLANATION,
    Activity,
)
from vangnet.privacy.register import ActivityRecord, Register

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str


@dataclass(frozen=True)
class Subheading:
    kind: ClassVar[str] = "subheading"
    text: str


@dataclass(frozen=True)
class Bullets:
    kind: ClassVar[str] = "bullets"
    items: list[str]


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    headers: list[str]
    rows: list[list[str]]


Block = Paragraph | Subheading | Bullets | Table


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    annex: bool = False  # starts on a new page


def _date(value: datetime.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else "-"


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def register_title(register: Register) -> str:
    return _("Register of processing activities and DPIA evidence: %(cell)s") % {
        "cell": register.cell_name
    }


def register_draft_note(register: Register) -> str:
    return _(
        "Generated draft to start from, generated on %(date)s from Vangnet's configuration. It "
        "is not the approved register: the data-protection officer reviews, completes and "
        "approves it. It holds categories, counts and roles only, never data of a person "
        "discussed."
    ) % {"date": _date(timezone.localdate(register.generated_at))}


def _controller(register: Register) -> Section:
    section = Section(_("1. Controller and contacts (art. 30(1)(a))"))
    controller = register.controller
    names = ", ".join(controller.municipalities) or "-"
    if controller.is_joint:
        text = _(
            "Controllers: the municipalities %(names)s (a joint cell), each represented by its "
            "mayor, who chair the cell. Record their arrangement (art. 26 GDPR)."
        )
    else:
        text = _(
            "Controller: the municipality of %(names)s, represented by its mayor, who chairs "
            "the cell."
        )
    section.blocks.append(Paragraph(text % {"names": names}))
    if not controller.mayor_is_member:
        section.blocks.append(Paragraph(_("No mayor is a member of the cell yet.")))
    section.blocks.append(
        Paragraph(_("Partner organisations remain the controllers of their own files."))
    )
    section.blocks.append(Subheading(_("Data-protection officer")))
    if register.dpos:
        section.blocks.append(
            Table([_("Name"), _("E-mail")], [[d.name, d.email] for d in register.dpos])
        )
    else:
        section.blocks.append(
            Paragraph(
                _(
                    "No data-protection officer is a member of the cell yet: add them with the "
                    "role 'Data-protection officer', or fill in their contact details here."
                )
            )
        )
    return section


def _purpose(register: Register) -> Section:
    section = Section(_("2. Purpose and legal basis (art. 30(1)(b))"))
    framework = register.framework
    if framework is None:
        section.blocks.append(
            Paragraph(
                _(
                    "No framework record yet. The cell records its legal basis, finality and "
                    "participants, and the mayor approves them, before it processes personal "
                    "data (R-01)."
                )
            )
        )
        basis = _("to be recorded in the framework")
    else:
        basis = str(framework.legal_basis)
        section.blocks.append(
            Table(
                [_("Framework record"), _("Value")],
                [
                    [_("Finality"), framework.finality],
                    [_("Legal basis"), basis],
                    [_("Legal reference"), framework.legal_reference or "-"],
                    [_("Participant categories"), framework.participant_categories or "-"],
                    [_("Start date"), _date(framework.start_date)],
                    [
                        _("Approved by the mayor on"),
                        _date(framework.approved_on)
                        if framework.approved_on
                        else _("not approved yet"),
                    ],
                ],
            )
        )
    if register.phenomena:
        section.blocks.append(Subheading(_("Further phenomena, each with its own legal basis")))
        section.blocks.append(
            Table(
                [_("Phenomenon"), _("Legal basis"), _("Date of the legal basis")],
                [[str(p.phenomenon), p.legal_basis, _date(p.since)] for p in register.phenomena],
            )
        )
    section.blocks.append(Subheading(_("Grounds under the GDPR")))
    section.blocks.append(
        Table(
            [_("Article"), _("Ground"), _("Note")],
            [
                [_("Art. 6(1)(e) GDPR"), _("Task carried out in the public interest"), basis],
                [
                    _("Art. 6(1)(c) GDPR"),
                    _("Legal obligation"),
                    _("The law organises the cell; the mayor chairs it."),
                ],
                [
                    _("Art. 9(2)(g) GDPR"),
                    _("Substantial public interest, on the basis of law with safeguards"),
                    _("To be confirmed by the DPO."),
                ],
                [
                    _("Art. 10 GDPR"),
                    _("Under the control of official authority (the mayor)"),
                    _("Only 'known to police: yes / no / unknown'; no police reports."),
                ],
                [
                    _("Art. 458ter Criminal Code"),
                    _("Shared professional secrecy in the consultation"),
                    _("Participants are bound to secrecy."),
                ],
            ],
        )
    )
    return section


# Who answers for each activity: the cell, or the platform as a whole.
ACTIVITY_NOTE = {
    Activity.CASEWORK: gettext_lazy("Processed for the cell, under its controller."),
    Activity.CELL: gettext_lazy("Processed for the cell, under its controller."),
    Activity.ACCOUNTS: gettext_lazy(
        "Platform-wide: the accounts of the cell's members and everyone else who signs in."
    ),
    Activity.SUPPORT: gettext_lazy(
        "VVSG's own services for local governments; they use no case data of the cell."
    ),
}


def _activity_blocks(record: ActivityRecord) -> list[Block]:
    blocks: list[Block] = [
        Subheading(str(record.activity.label)),
        Paragraph(str(ACTIVITY_NOTE.get(record.activity, ""))),
    ]
    if not record.fields:
        return [*blocks, Paragraph(_("No personal data."))]
    blocks.append(
        Table(
            [_("Persons"), _("Who they are")],
            [[str(s.label), str(SUBJECT_EXPLANATION[s])] for s in record.subjects],
        )
    )
    blocks.append(
        Table(
            [_("Data"), _("What"), _("Fields"), _("Encrypted")],
            [
                [
                    str(c.category.label),
                    str(CATEGORY_EXPLANATION[c.category]),
                    str(c.fields),
                    str(c.encrypted),
                ]
                for c in record.categories
            ],
        )
    )
    return blocks


def _categories(register: Register) -> Section:
    section = Section(_("3. Categories of persons and of personal data (art. 30(1)(c))"))
    section.blocks.append(
        Paragraph(
            _(
                "From the classification of every stored field of the platform; the annex "
                "lists each field that holds personal data."
            )
        )
    )
    for record in register.activities:
        section.blocks += _activity_blocks(record)
    return section


def _recipients(register: Register) -> Section:
    section = Section(_("4. Recipients (art. 30(1)(d) and (e))"))
    section.blocks.append(
        Table(
            [_("Role in the cell"), _("Active members"), _("What they may open")],
            [[str(r.role), str(r.members), str(r.access)] for r in register.recipients],
        )
    )
    section.blocks.append(Subheading(_("Partner organisations")))
    if register.partners_by_sector:
        section.blocks.append(
            Table(
                [_("Sector"), _("Active organisations")],
                [[str(sector), str(n)] for sector, n in register.partners_by_sector],
            )
        )
    else:
        section.blocks.append(Paragraph(_("No active partner organisations yet.")))
    shared = ", ".join(str(label) for label in register.vvsg_sharing) or _("none")
    section.blocks.append(
        Bullets(
            [
                _(
                    "Partner organisations take part through their members; a partner opens a "
                    "case only when added to it (need to know)."
                ),
                _(
                    "Local police: only the feedback sheet agreed by every member present "
                    "(R-06); it may not contain professional secrets. No export or feed to "
                    "police systems."
                ),
                _(
                    "VVSG hosts the platform as processor (art. 28) and has no access to case "
                    "data. VVSG sees aggregates over at least 5 cells of the categories the "
                    "cell shares: %(shared)s. Partner map shared with VVSG: %(map)s."
                )
                % {"shared": shared, "map": _yes(register.map_shared_with_vvsg)},
                _(
                    "No transfers to countries outside the European Union or to international "
                    "organisations."
                ),
            ]
        )
    )
    return section


def _retention(register: Register) -> Section:
    section = Section(_("5. Retention (art. 30(1)(f))"))
    section.blocks.append(
        Table(
            [_("What"), _("Kept"), _("How")],
            [[str(t.what), str(t.term), str(t.how)] for t in register.retention],
        )
    )
    return section


def _security(register: Register) -> Section:
    section = Section(_("6. Security measures with evidence (art. 30(1)(g), art. 32)"))
    section.blocks.append(Paragraph(_("Figures computed when this document was generated.")))

    def status(ok: bool | None) -> str:
        if ok is None:
            return _("described")
        return _("in order") if ok else _("to follow up")

    section.blocks.append(
        Table(
            [_("Measure"), _("Evidence"), _("Status")],
            [[str(m.name), str(m.evidence), status(m.ok)] for m in register.security],
        )
    )
    return section


def _dpia(register: Register) -> Section:
    section = Section(_("7. DPIA (art. 35): criteria of the guidelines WP248"))
    section.blocks.append(
        Paragraph(
            _(
                "A DPIA is required before go-live: several criteria are met and the Belgian "
                "DPA lists this kind of processing (R-20)."
            )
        )
    )

    def met(value: bool | None) -> str:
        if value is None:
            return _("to assess")
        return _yes(value)

    section.blocks.append(
        Table(
            [_("Criterion"), _("Met"), _("Evidence")],
            [[str(c.criterion), met(c.met), str(c.evidence)] for c in register.dpia],
        )
    )
    section.blocks.append(Subheading(_("Open questions for the DPO")))
    section.blocks.append(Bullets([str(q) for q in register.open_questions]))
    return section


def _annex(register: Register) -> Section:
    section = Section(_("Annex: fields that hold personal data"), annex=True)
    section.blocks.append(
        Paragraph(
            _(
                "Every field is named as app.Model.field. A new field fails the platform's "
                "tests until someone classifies it."
            )
        )
    )
    for record in register.activities:
        if not record.fields:
            continue
        section.blocks.append(Subheading(str(record.activity.label)))
        section.blocks.append(
            Table(
                [_("Field"), _("What"), _("Persons"), _("Data"), _("Encrypted")],
                [
                    [
                        f.path,
                        str(f.description),
                        ", ".join(str(s.label) for s in f.subjects),
                        str(f.category.label),
                        _yes(f.encrypted),
                    ]
                    for f in record.fields
                ],
            )
        )
    return section


def register_sections(register: Register) -> list[Section]:
    """The document's content, in order: the same for the PDF and the DOCX."""
    return [
        _controller(register),
        _purpose(register),
        _categories(register),
        _recipients(register),
        _retention(register),
        _security(register),
        _dpia(register),
        _annex(register),
    ]


def _context(register: Register) -> dict[str, object]:
    return {
        "title": register_title(register),
        "draft_note": register_draft_note(register),
        "sandbox": register.is_sandbox,
        "sections": register_sections(register),
    }


def register_html(register: Register) -> str:
    """Self-contained HTML (inline CSS), the input for the PDF."""
    return render_to_string("privacy/register_pdf.html", _context(register))


def register_pdf(register: Register) -> bytes:
    """The register as PDF, rendered by WeasyPrint without any network access."""
    return html_to_pdf(register_html(register))


def register_docx(register: Register) -> bytes:
    """The register as a Word document (DOCX), to be completed by the DPO."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = _docx_safe(register_title(register))
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(_docx_safe(register_title(register)), level=0)
    document.add_paragraph(_docx_safe(register_draft_note(register)))
    if register.is_sandbox:
        document.add_paragraph(_("Training cell of a tabletop exercise: fictional data only."))
    for section in register_sections(register):
        document.add_heading(section.title, level=1)
        for block in section.blocks:
            _docx_block(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_block(document: DocxDocument, block: Block) -> None:
    if isinstance(block, Paragraph):
        document.add_paragraph(_docx_safe(block.text))
    elif isinstance(block, Subheading):
        document.add_heading(_docx_safe(block.text), level=2)
    elif isinstance(block, Bullets):
        for item in block.items:
            document.add_paragraph(_docx_safe(item), style="List Bullet")
    else:
        table = document.add_table(rows=1, cols=len(block.headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
            cell.text = _docx_safe(header)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in block.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = _docx_safe(value)
        document.add_paragraph()


def _docx_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters: lxml refuses them, so drop them."""
    return "".join(
        ch for ch in text if (ch in "\t\n\r" or ord(ch) >= 0x20) and ch not in "\ufffe\uffff"
    )
