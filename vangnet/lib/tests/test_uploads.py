from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from vangnet.lib.uploads import (
    DOCX_CONTENT_TYPE,
    ODT_CONTENT_TYPE,
    PDF_CONTENT_TYPE,
    ArchiveLimits,
    CheckedDocument,
    UploadRejected,
    document_check,
)

MIB = 1024 * 1024

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n"
    b"%%EOF\n"
)
CONTENT_TYPES_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)


def zip_bytes(
    members: list[tuple[str | zipfile.ZipInfo, bytes]],
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_members() -> list[tuple[str | zipfile.ZipInfo, bytes]]:
    return [
        ("[Content_Types].xml", CONTENT_TYPES_XML),
        ("_rels/.rels", b"<Relationships/>"),
        ("word/document.xml", b"<w:document/>"),
    ]


def odt_members(mimetype: bytes = ODT_CONTENT_TYPE.encode()) -> list[tuple[str, bytes]]:
    return [
        ("mimetype", mimetype),
        ("content.xml", b"<office:document-content/>"),
        ("META-INF/manifest.xml", b"<manifest:manifest/>"),
    ]


def odt_bytes(mimetype: bytes = ODT_CONTENT_TYPE.encode()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in odt_members(mimetype):
            # ODF stores the mimetype uncompressed, as the very first member.
            compression = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compression)
    return buffer.getvalue()


def upload(content: bytes, name: str = "document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def rejected(content: bytes, name: str = "document.pdf", **kwargs: Any) -> UploadRejected:
    file = upload(content, name)
    with pytest.raises(UploadRejected) as info:
        document_check(file, **kwargs)
    assert file.tell() == 0
    return info.value


# --- accepted ---------------------------------------------------------------------------------


def test_it_accepts_a_pdf_with_its_size_and_hash():
    file = upload(MINIMAL_PDF)
    checked = document_check(file)
    assert checked == CheckedDocument(
        extension=".pdf",
        content_type=PDF_CONTENT_TYPE,
        size=len(MINIMAL_PDF),
        sha256=hashlib.sha256(MINIMAL_PDF).hexdigest(),
    )
    assert file.tell() == 0
    assert file.read() == MINIMAL_PDF


def test_it_accepts_a_docx():
    content = zip_bytes(docx_members())
    file = upload(content, "report.docx")
    checked = document_check(file)
    assert (checked.extension, checked.content_type) == (".docx", DOCX_CONTENT_TYPE)
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert file.tell() == 0


def test_it_accepts_an_odt():
    content = odt_bytes()
    file = upload(content, "report.odt")
    checked = document_check(file)
    assert (checked.extension, checked.content_type) == (".odt", ODT_CONTENT_TYPE)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert file.tell() == 0


@pytest.mark.parametrize("name", ["x.exe", "x.docx", "x", "../../etc/passwd"])
def test_it_ignores_the_file_name(name):
    assert document_check(upload(MINIMAL_PDF, name)).extension == ".pdf"


def test_it_accepts_a_pdf_with_trailing_bytes_after_eof():
    assert document_check(upload(MINIMAL_PDF + b"\r\n" + b" " * 1000)).extension == ".pdf"


def test_it_accepts_a_file_of_exactly_the_maximum_size():
    assert document_check(upload(MINIMAL_PDF), max_bytes=len(MINIMAL_PDF)).size == len(MINIMAL_PDF)


def test_it_accepts_a_big_pdf_read_in_chunks():
    content = MINIMAL_PDF[:-6] + b"%" + b"x" * (3 * MIB) + b"\n%%EOF\n"
    checked = document_check(upload(content))
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


# --- size -------------------------------------------------------------------------------------


def test_it_rejects_an_empty_file():
    assert rejected(b"").code == "empty"


def test_it_rejects_a_file_over_the_given_maximum():
    error = rejected(MINIMAL_PDF, max_bytes=len(MINIMAL_PDF) - 1)
    assert error.code == "too_large"


def test_it_rejects_a_file_over_the_configured_maximum_of_20_mb():
    with translation.override("en"):
        error = rejected(b"%PDF-" + bytes(20 * MIB))
    assert error.code == "too_large"
    assert "at most 20 MB" in error.message
    assert str(error) == error.message


def test_it_takes_the_default_maximum_from_settings(settings):
    settings.VANGNET_MAX_UPLOAD_BYTES = 10
    assert rejected(MINIMAL_PDF).code == "too_large"


def test_it_counts_the_bytes_read_not_the_reported_size():
    file = upload(MINIMAL_PDF)
    file.size = 1
    with pytest.raises(UploadRejected) as info:
        document_check(file, max_bytes=len(MINIMAL_PDF) - 1)
    assert info.value.code == "too_large"
    assert file.tell() == 0


# --- not an allowed kind ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<!DOCTYPE html><html><body>%PDF-1.4 %%EOF</body></html>", "x.pdf"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "x.pdf"),
        (b"MZ\x90\x00" + bytes(64) + b"%%EOF", "x.pdf"),
        (b"Hello, plain text", "x.odt"),
        (b"   %PDF-1.4\n%%EOF\n", "x.pdf"),  # leading junk before the magic
    ],
    ids=["html", "png", "exe", "text", "junk-before-pdf"],
)
def test_it_rejects_content_that_is_not_a_document(content, name):
    with translation.override("en"):
        error = rejected(content, name)
    assert error.code == "unsupported"
    assert "PDF" in error.message
    assert ".docx" in error.message
    assert ".odt" in error.message


def test_it_rejects_a_plain_zip_renamed_to_docx():
    content = zip_bytes([("notes.txt", b"hello"), ("photo.jpg", b"\xff\xd8\xff")])
    assert rejected(content, "x.docx").code == "unsupported"


def test_it_rejects_a_spreadsheet_in_office_format():
    content = zip_bytes(
        [
            ("[Content_Types].xml", CONTENT_TYPES_XML),
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/worksheets/sheet1.xml", b"<worksheet/>"),
        ]
    )
    assert rejected(content, "x.docx").code == "unsupported"


def test_it_rejects_an_opendocument_spreadsheet():
    content = odt_bytes(b"application/vnd.oasis.opendocument.spreadsheet")
    assert rejected(content, "x.odt").code == "unsupported"


def test_it_rejects_an_odt_whose_mimetype_is_not_the_first_member():
    members = odt_members()
    content = zip_bytes(members[1:] + members[:1])
    assert rejected(content, "x.odt").code == "unsupported"


def test_it_rejects_an_odt_without_content():
    content = zip_bytes(odt_members()[:1], compression=zipfile.ZIP_STORED)
    assert rejected(content, "x.odt").code == "damaged"


def test_it_rejects_a_macro_enabled_word_document():
    content = zip_bytes([*docx_members(), ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")])
    assert rejected(content, "x.docx").code == "macros"


# --- damaged ----------------------------------------------------------------------------------


def test_it_rejects_a_truncated_pdf():
    content = MINIMAL_PDF.replace(b"%%EOF\n", b"")
    assert rejected(content).code == "damaged"


def test_it_rejects_a_pdf_whose_eof_marker_is_not_near_the_end():
    assert rejected(MINIMAL_PDF + b"x" * 4096).code == "damaged"


def test_it_rejects_a_truncated_zip():
    content = zip_bytes(docx_members())
    assert rejected(content[: len(content) // 2], "x.docx").code == "damaged"


def test_it_rejects_a_zip_behind_leading_bytes():
    # Self-extracting executables look like this; zipfile would open them.
    content = b"MZ" + bytes(100) + zip_bytes(docx_members())
    assert rejected(content, "x.docx").code == "unsupported"


# --- unsafe archives --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../evil", "word/../../evil", "/etc/passwd", "\\evil", "C:/evil", "word\\..\\evil"],
)
def test_it_rejects_path_tricks_in_member_names(name):
    content = zip_bytes([*docx_members(), (name, b"x")])
    assert rejected(content, "x.docx").code == "unsafe"


def test_it_rejects_duplicate_member_names():
    members = docx_members()
    with pytest.warns(UserWarning, match="Duplicate name"):
        content = zip_bytes([*members, members[-1]])
    assert rejected(content, "x.docx").code == "unsafe"


def test_it_rejects_too_many_members():
    padding = [(f"word/media/{i}.xml", b"") for i in range(2000 - len(docx_members()) + 1)]
    content = zip_bytes([*docx_members(), *padding])
    assert rejected(content, "x.docx").code == "unsafe"


def test_it_accepts_the_maximum_number_of_members():
    padding = [(f"word/media/{i}.xml", b"") for i in range(2000 - len(docx_members()))]
    content = zip_bytes([*docx_members(), *padding])
    assert document_check(upload(content)).extension == ".docx"


def test_it_rejects_a_zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in docx_members():
            archive.writestr(name, data)
        with archive.open("word/media/zeros.bin", "w") as member:
            chunk = bytes(MIB)
            for _ in range(50):
                member.write(chunk)
    content = buffer.getvalue()
    assert len(content) < MIB
    assert rejected(content, "x.docx").code == "unsafe"


def test_it_rejects_archives_over_the_total_uncompressed_size():
    # Stored, so the compression ratio is 1: only the total size guard applies.
    content = zip_bytes(
        [*docx_members(), ("word/media/a.bin", bytes(600)), ("word/media/b.bin", bytes(600))],
        compression=zipfile.ZIP_STORED,
    )
    limits = ArchiveLimits(max_total_uncompressed=1000)
    assert rejected(content, "x.docx", archive_limits=limits).code == "unsafe"
    assert document_check(upload(content)).extension == ".docx"


def test_it_allows_small_members_that_compress_very_well():
    content = zip_bytes([*docx_members(), ("word/styles.xml", b" " * 64 * 1024)])
    assert document_check(upload(content)).extension == ".docx"


def test_it_rejects_encrypted_members():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in docx_members():
            archive.writestr(name, data)
        # zipfile cannot encrypt; flag the member as encrypted in the central directory.
        archive.getinfo("word/document.xml").flag_bits |= 0x1
    assert rejected(buffer.getvalue(), "x.docx").code == "encrypted"


def test_it_rejects_unusual_compression_methods():
    content = zip_bytes(docx_members(), compression=zipfile.ZIP_BZIP2)
    assert rejected(content, "x.docx").code == "unsafe"
