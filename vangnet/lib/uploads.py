"""Validation of uploaded documents by their content, never by their name.

Only three document kinds are accepted: PDF, Office Open XML text (DOCX) and OpenDocument text
(ODT). The client's file name and the browser's content type are ignored entirely: the kind,
extension and content type of a :class:`CheckedDocument` are derived from the bytes alone, so
a real PDF called ``x.exe`` is accepted as ``.pdf`` and an HTML page called ``x.pdf`` is not.

DOCX and ODT are ZIP archives. They are never extracted here (only the tiny ``mimetype``
member of an ODT is read, with a bounded read), but the archive metadata is checked against
zip bombs and path tricks, so that whatever later unpacks or previews the file does not have to
trust it blindly: member count, total declared uncompressed size, compression ratio, absolute
or ``..`` names, duplicate names, encrypted members and unusual compression methods.

Framework-light: only settings (for the default size limit), ``gettext`` (for user-facing
messages) and the ``UploadedFile`` type are used from Django.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Final

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

PDF_CONTENT_TYPE: Final = "application/pdf"
DOCX_CONTENT_TYPE: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT_CONTENT_TYPE: Final = "application/vnd.oasis.opendocument.text"

_PDF_MAGIC: Final = b"%PDF-"
_PDF_EOF: Final = b"%%EOF"
# "%%EOF" must appear within this many bytes from the end (incremental updates and trailing
# whitespace from some producers put it a little before the very end).
_PDF_EOF_WINDOW: Final = 2048
# A ZIP that is a document starts with a local file header. zipfile itself happily opens
# archives with arbitrary bytes in front (self-extracting executables): we do not.
_ZIP_MAGIC: Final = b"PK\x03\x04"
_HEAD_BYTES: Final = max(len(_PDF_MAGIC), len(_ZIP_MAGIC))

_DOCX_REQUIRED: Final = frozenset({"[Content_Types].xml", "word/document.xml"})
_ODT_MIMETYPE_MEMBER: Final = "mimetype"
_ODT_REQUIRED: Final = frozenset({"content.xml"})

_ZIP_ENCRYPTED_FLAG: Final = 0x1
_ZIP_METHODS: Final = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_WINDOWS_DRIVE: Final = re.compile(r"^[A-Za-z]:")

_MIB: Final = 1024 * 1024
_KIB: Final = 1024


@dataclass(frozen=True)
class CheckedDocument:
    """What an accepted upload turned out to be. Every field is derived from the content."""

    extension: str  # ".pdf", ".docx" or ".odt"
    content_type: str
    size: int
    sha256: str  # lowercase hex


@dataclass(frozen=True)
class ArchiveLimits:
    """Guards for ZIP based documents (DOCX, ODT), applied to the archive's metadata.

    ``max_ratio`` is checked for members whose declared uncompressed size is at least
    ``ratio_min_bytes``: tiny, very repetitive XML parts can legitimately compress better than
    the ratio, and cannot blow up on their own (``max_total_uncompressed`` caps the sum).
    """

    max_members: int = 2000
    max_total_uncompressed: int = 200 * _MIB
    max_ratio: int = 200
    ratio_min_bytes: int = _MIB


DEFAULT_ARCHIVE_LIMITS: Final = ArchiveLimits()


class UploadRejected(Exception):
    """An upload was refused.

    ``message`` is user-facing and already translated into the active language; ``code`` is a
    stable machine-readable reason (``"empty"``, ``"too_large"``, ``"unsupported"``,
    ``"damaged"``, ``"unsafe"``, ``"encrypted"``, ``"macros"``) for logs, tests and callers
    that want to turn it into a form ``ValidationError(exc.message, code=exc.code)``.
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def document_check(
    upload: UploadedFile,
    *,
    max_bytes: int | None = None,
    archive_limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
) -> CheckedDocument:
    """Check that ``upload`` is an acceptable PDF, DOCX or ODT; raise UploadRejected if not.

    ``max_bytes`` defaults to ``settings.VANGNET_MAX_UPLOAD_BYTES``. The file is read once, in
    chunks, for its size and SHA-256; ZIP based documents are then inspected through
    ``zipfile`` (central directory only). The upload is rewound to the start before this
    function returns or raises, so the caller can save it as is.
    """
    limit = settings.VANGNET_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    try:
        return _check(upload, limit, archive_limits)
    finally:
        upload.seek(0)


def _check(upload: UploadedFile, max_bytes: int, limits: ArchiveLimits) -> CheckedDocument:
    # The size the upload handler reported lets us refuse a huge file without reading it; the
    # bytes actually read are what counts, though.
    if upload.size is not None and upload.size > max_bytes:
        raise _too_large(max_bytes)

    digest = hashlib.sha256()
    size = 0
    head = b""
    tail = b""
    for chunk in upload.chunks():
        data = chunk if isinstance(chunk, bytes) else chunk.encode()
        size += len(data)
        if size > max_bytes:
            raise _too_large(max_bytes)
        digest.update(data)
        if len(head) < _HEAD_BYTES:
            head = (head + data[:_HEAD_BYTES])[:_HEAD_BYTES]
        tail = (tail + data[-_PDF_EOF_WINDOW:])[-_PDF_EOF_WINDOW:]

    if size == 0:
        raise UploadRejected(gettext("The file is empty."), "empty")

    if head.startswith(_PDF_MAGIC):
        if _PDF_EOF not in tail:
            raise UploadRejected(
                gettext("This PDF file is incomplete or damaged. Please upload it again."),
                "damaged",
            )
        extension, content_type = ".pdf", PDF_CONTENT_TYPE
    elif head.startswith(_ZIP_MAGIC):
        extension, content_type = _check_zip_document(upload, limits)
    else:
        raise _unsupported()

    return CheckedDocument(
        extension=extension, content_type=content_type, size=size, sha256=digest.hexdigest()
    )


def _check_zip_document(upload: UploadedFile, limits: ArchiveLimits) -> tuple[str, str]:
    fileobj: IO[bytes] | None = upload.file
    if fileobj is None:  # pragma: no cover - an UploadedFile always has one once read
        raise _damaged()
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            members = archive.infolist()
            _check_archive_safety(members, limits)
            names = {member.filename for member in members}
            if members[0].filename == _ODT_MIMETYPE_MEMBER:
                if _read_small(archive, members[0]) != ODT_CONTENT_TYPE.encode("ascii"):
                    raise _unsupported()  # another OpenDocument kind, e.g. a spreadsheet
                if not names >= _ODT_REQUIRED:
                    raise _damaged()
                return ".odt", ODT_CONTENT_TYPE
            if names >= _DOCX_REQUIRED:
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    raise UploadRejected(
                        gettext("Documents containing macros are not allowed."), "macros"
                    )
                return ".docx", DOCX_CONTENT_TYPE
            raise _unsupported()  # a plain ZIP, a spreadsheet, a presentation, ...
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise _damaged() from exc


def _check_archive_safety(members: list[zipfile.ZipInfo], limits: ArchiveLimits) -> None:
    if not members:
        raise _unsupported()
    if len(members) > limits.max_members:
        raise _unsafe()
    seen: set[str] = set()
    total = 0
    for member in members:
        name = member.filename
        if _is_unsafe_name(name) or name in seen:
            raise _unsafe()
        seen.add(name)
        if member.flag_bits & _ZIP_ENCRYPTED_FLAG:
            raise UploadRejected(
                gettext("Password-protected documents are not allowed."), "encrypted"
            )
        if member.compress_type not in _ZIP_METHODS:
            raise _unsafe()
        total += member.file_size
        if total > limits.max_total_uncompressed:
            raise _unsafe()
        if (
            member.file_size >= limits.ratio_min_bytes
            and member.file_size > limits.max_ratio * member.compress_size
        ):
            raise _unsafe()


def _is_unsafe_name(name: str) -> bool:
    if not name or "\x00" in name:
        return True
    if name.startswith(("/", "\\")) or _WINDOWS_DRIVE.match(name):
        return True
    return ".." in re.split(r"[/\\]", name)


def _read_small(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """Read at most a little more than an ODF mimetype from ``member``."""
    with archive.open(member) as stream:
        return stream.read(len(ODT_CONTENT_TYPE) + 1)


def _format_limit(max_bytes: int) -> str:
    if max_bytes >= _MIB:
        return f"{max_bytes // _MIB} MB"
    if max_bytes >= _KIB:
        return f"{max_bytes // _KIB} KB"
    return f"{max_bytes} bytes"


def _too_large(max_bytes: int) -> UploadRejected:
    return UploadRejected(
        gettext("The file is too large: at most %(limit)s is allowed.")
        % {"limit": _format_limit(max_bytes)},
        "too_large",
    )


def _allowed_kinds() -> str:
    return gettext("Only PDF, Word (.docx) and OpenDocument text (.odt) documents are allowed.")


def _unsupported() -> UploadRejected:
    return UploadRejected(
        gettext("This type of file is not allowed.") + " " + _allowed_kinds(), "unsupported"
    )


def _damaged() -> UploadRejected:
    return UploadRejected(
        gettext("This document is damaged and cannot be accepted.") + " " + _allowed_kinds(),
        "damaged",
    )


def _unsafe() -> UploadRejected:
    return UploadRejected(
        gettext("This document has an unsafe internal structure and cannot be accepted."),
        "unsafe",
    )
