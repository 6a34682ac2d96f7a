"""Upload abuse (issue 12, item 3): every upload form against files that must not get in.

For each view that stores uploaded files, as an actor allowed to use it, in the demo world of the
authorization matrix: first a control (a genuine small PDF with the form's other fields filled in)
must be stored, which shows the form is really reached; then each abuse case must be refused or,
for a trick in the file name only, stored under a name of the application's own. The helpdesk's
question and reply forms take their attachments through the same field and check as the
follow-up covered here. Refused means:
no file appears under the media folder, and the answer is not a server error. Each request runs
in a savepoint rolled back afterwards; files a request did store are removed again.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from vangnet.demo.documents import docx_bytes, pdf_bytes
from vangnet.helpdesk.services import MAX_ATTACHMENTS
from vangnet.tests_support import authorization as az

ROUTES = dict(az.routes())
# route: (actor, file field, other fields)
UPLOADS: dict[str, tuple[str, str, dict[str, str]]] = {
    "cells:document_upload": ("coordinator", "file", {"kind": "", "title": "Reglement"}),
    "coaching:document_new": (
        "vvsg_staff",
        "file",
        {"title": "Verslag van de sessie", "no_personal_data": "on"},
    ),
    "events:body_document_upload": ("vvsg_staff", "file", {"title": "Verslag werkgroep"}),
    "knowledge:file_upload": ("vvsg_staff", "file", {"note": "Nieuwe versie"}),
    "helpdesk:follow_up": (
        "municipal_staff",
        "attachments",
        {"body": "Hierbij het document waarover ik het had."},
    ),
}
PDF = pdf_bytes("Testdocument", ["Een gewone alinea zonder persoonsgegevens."])


def _zip_bomb() -> bytes:
    """A DOCX whose document part unpacks from a few kB to 20 MB of zeros."""
    buffer = io.BytesIO()
    genuine = zipfile.ZipFile(io.BytesIO(docx_bytes("Bom", ["x"])))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in genuine.infolist():
            data = genuine.read(item.filename)
            if item.filename == "word/document.xml":
                data = data + b"\0" * (20 * 1024 * 1024)
            bomb.writestr(item.filename, data)
    return buffer.getvalue()


def _abuse_cases() -> dict[str, list[tuple[str, bytes, str]]]:
    """name: the files to send, each (file name, content, content type)."""
    limit = django_settings.VANGNET_MAX_UPLOAD_BYTES
    return {
        "html as pdf": [
            ("verslag.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
        ],
        "executable as pdf": [("verslag.pdf", b"MZ\x90\x00\x03" + b"\0" * 500, "application/pdf")],
        "pdf header, script body": [
            ("verslag.pdf", b"%PDF-1.4\n<script>alert(1)</script>", "application/pdf")
        ],
        "empty file": [("leeg.pdf", b"", "application/pdf")],
        "oversize": [("groot.pdf", PDF + b"\0" * (limit + 1 - len(PDF)), "application/pdf")],
        "zip bomb": [
            (
                "bom.docx",
                _zip_bomb(),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
        ],
        "svg as pdf": [("logo.pdf", b'<svg onload="alert(1)"/>', "application/pdf")],
    }


NAME_TRICKS = [
    "../../../../tmp/evil.pdf",
    "..\\..\\evil.pdf",
    "/etc/evil.pdf",
    "evil\u202efdp.exe.pdf",
    "e" * 300 + ".pdf",
    "CON.pdf",
]


OWN_NAME = re.compile(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}(-v\d+)?\.(pdf|docx|odt)")


def _media_files(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def _send(world: az.World, name: str, files: list[tuple[str, bytes, str]]) -> tuple[int, set[Path]]:
    actor, field, fields = UPLOADS[name]
    data: dict[str, Any] = dict(fields)
    if "kind" in data and not data["kind"]:
        from vangnet.cells.models import DocumentKind

        data["kind"] = DocumentKind.values[0]
    uploads = [SimpleUploadedFile(n, content, content_type=t) for n, content, t in files]
    data[field] = uploads if len(uploads) > 1 else uploads[0]
    root = Path(django_settings.MEDIA_ROOT)
    before = _media_files(root)
    response = world.post(actor, world.path(name, ROUTES[name]), data)
    stored = _media_files(root) - before
    for path in stored:  # the rows were rolled back: the files go too
        path.unlink()
    return response.status_code, stored


@pytest.mark.parametrize("name", sorted(UPLOADS))
def test_abusive_uploads_are_refused(matrix_world: az.World, name: str) -> None:
    status, stored = _send(matrix_world, name, [("verslag.pdf", PDF, "application/pdf")])
    assert status < 500 and len(stored) == 1, ("the control upload was not stored", status)
    findings = []
    cases = _abuse_cases()
    if UPLOADS[name][1] == "attachments":
        too_many = [(f"bijlage{i}.pdf", PDF, "application/pdf") for i in range(MAX_ATTACHMENTS + 1)]
        cases["too many files"] = too_many
    for case, files in cases.items():
        status, stored = _send(matrix_world, name, files)
        if status >= 500:
            findings.append(f"{case}: server error {status}")
        if stored:
            findings.append(f"{case}: stored {sorted(p.name for p in stored)}")
    for trick in NAME_TRICKS:
        status, stored = _send(matrix_world, name, [(trick, PDF, "application/pdf")])
        media = Path(django_settings.MEDIA_ROOT).resolve()
        for path in stored:
            # Stored at all, then inside the media folder under a name of the application's own
            # (a UUID), never the name that came with the upload.
            if not path.resolve().is_relative_to(media) or not OWN_NAME.fullmatch(path.name):
                findings.append(f"name {trick!r}: stored as {path}")
        if status >= 500:
            findings.append(f"name {trick!r}: server error {status}")
    _report(name, len(cases) + len(NAME_TRICKS), findings)
    assert findings == []


def _report(name: str, cases: int, findings: list[str]) -> None:
    target = os.environ.get("VANGNET_VERIFY_DIR")
    if target:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        line = {"route": name, "cases": cases, "findings": findings}
        with (Path(target) / f"uploads-{worker}.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
