"""Builders shared by the helpdesk tests (through the real services)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from vangnet.cells.models import Municipality
from vangnet.helpdesk.models import Question
from vangnet.helpdesk.services import question_reply, question_submit
from vangnet.knowledge.models import Theme

BRUSSELS = ZoneInfo("Europe/Brussels")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SUBJECT = "Delen van informatie met het OCMW"
BODY = (
    "Mag de coördinator verslagen van het casusoverleg doorsturen naar een partner buiten de cel?"
)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=BRUSSELS)


def pdf(name: str = "verslag Jan Peeters.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def mechelen() -> Municipality:
    return Municipality.objects.get(nis_code="12025")


def wingene() -> Municipality:
    return Municipality.objects.get(nis_code="37021")


def make_question(asker, *, theme=None, municipality=None, now=None, **kwargs) -> Question:
    return question_submit(
        asker=asker,
        municipality=municipality or mechelen(),
        theme=theme or Theme.objects.get(slug="beroepsgeheim"),
        subject=kwargs.pop("subject", SUBJECT),
        body=kwargs.pop("body", BODY),
        now=now,
        **kwargs,
    )


def answer(question, staff, *, now=None, body="Ja, binnen het kader van art. 458ter.", **kwargs):
    return question_reply(question=question, author=staff, body=body, now=now, **kwargs)
