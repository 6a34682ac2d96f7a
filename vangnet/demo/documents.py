"""Small but real documents for the demo: a PDF, an ODT or a DOCX made in memory.

The knowledge base and the helpdesk only accept uploads that pass ``lib.uploads.document_check``
(by content), so the demo files are genuine documents that open in a PDF reader, LibreOffice or
Word: a title and a few paragraphs, nothing more.
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from xml.sax.saxutils import escape

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_LINE_WIDTH = 88  # characters per line in 10 pt Helvetica on an A4 page with margins
PDF_LINES_PER_PAGE = 50


def _pdf_text(value: str) -> bytes:
    """A PDF string literal in WinAnsi (Latin-1 covers the Dutch letters we use)."""
    raw = value.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_bytes(title: str, paragraphs: list[str]) -> bytes:
    """A PDF with a title and wrapped paragraphs, on as many A4 pages as needed."""
    lines: list[tuple[str, bool]] = [(title, True), ("", False)]
    for paragraph in paragraphs:
        heading = paragraph.startswith("# ")
        text = paragraph[2:] if heading else paragraph
        lines += [(line, heading) for line in textwrap.wrap(text, PDF_LINE_WIDTH) or [""]]
        lines.append(("", False))
    pages = [
        lines[start : start + PDF_LINES_PER_PAGE]
        for start in range(0, len(lines), PDF_LINES_PER_PAGE)
    ]
    # Objects: 1 catalog, 2 pages, 3 regular font, 4 bold font, then a page and its content each.
    objects: list[bytes] = [b""] * 4
    kids = []
    for number, page in enumerate(pages):
        page_id = 5 + 2 * number
        content = [b"BT", b"/F1 10 Tf", b"14 TL", b"56 790 Td"]
        for text, bold in page:
            content.append(b"/F2 11 Tf" if bold else b"/F1 10 Tf")
            content.append(_pdf_text(text) + b" '")
        content.append(b"ET")
        stream = b"\n".join(content)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents "
            + str(page_id + 1).encode()
            + b" 0 R >>"
        )
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
        kids.append(f"{page_id} 0 R".encode())
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = (
        b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count " + str(len(pages)).encode()
    ) + b" >>"
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
    objects[2] = font % b"Helvetica"
    objects[3] = font % b"Helvetica-Bold"

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


_ODT_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" \
manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def odt_bytes(title: str, paragraphs: list[str]) -> bytes:
    """An OpenDocument text: ``mimetype`` first and stored, a manifest and the content."""
    body = [f'<text:h text:outline-level="1">{escape(title)}</text:h>']
    for paragraph in paragraphs:
        if paragraph.startswith("# "):
            body.append(f'<text:h text:outline-level="2">{escape(paragraph[2:])}</text:h>')
        else:
            body.append(f"<text:p>{escape(paragraph)}</text:p>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:text>" + "".join(body) + "</office:text></office:body>"
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", _ODT_MANIFEST)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


_DOCX_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" \
ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>
"""
_DOCX_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="word/document.xml"/>
</Relationships>
"""


def docx_bytes(title: str, paragraphs: list[str]) -> bytes:
    """A Word document (Office Open XML): content types, the package relation, the text."""

    def run(text: str, bold: bool = False) -> str:
        props = "<w:rPr><w:b/></w:rPr>" if bold else ""
        return f'<w:p><w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    body = [run(title, bold=True)]
    for paragraph in paragraphs:
        heading = paragraph.startswith("# ")
        body.append(run(paragraph[2:] if heading else paragraph, bold=heading))
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body>" + "".join(body) + "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _DOCX_CONTENT_TYPES)
        archive.writestr("_rels/.rels", _DOCX_RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


MAKERS = {"pdf": pdf_bytes, "odt": odt_bytes, "docx": docx_bytes}


def document_upload(kind: str, title: str, paragraphs: list[str]) -> SimpleUploadedFile:
    """The document as an upload, as a browser would send it (the name is not trusted)."""
    return SimpleUploadedFile(f"demo.{kind}", MAKERS[kind](title, paragraphs))
