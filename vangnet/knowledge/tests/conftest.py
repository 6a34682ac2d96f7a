from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from vangnet.accounts.models import User
from vangnet.knowledge.models import Audience, Item, ItemFile, ItemKind, ItemStatus, Theme
from vangnet.knowledge.services import item_create, item_file_add
from vangnet.tests_support.personas import Personas, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def reader() -> Callable[[User | None], Client]:
    """A client reading in English: signed in as ``user``, or anonymous for None."""

    def make(user: User | None) -> Client:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        if user is not None:
            sign_in(client, user)
        return client

    return make


@pytest.fixture
def make_item(personas: Personas) -> Callable[..., Item]:
    """Create an item through the service, as Vera (VVSG staff)."""

    def make(
        title: str = "Draaiboek LIVC R",
        *,
        kind: str = ItemKind.PAGE,
        audience: str = Audience.PUBLIC,
        status: str = ItemStatus.PUBLISHED,
        summary: str = "",
        body: str = "",
        themes: list[Theme] | None = None,
        tags: list[str] | None = None,
        related: list[Item] | None = None,
    ) -> Item:
        return item_create(
            actor=personas.vera,
            kind=kind,
            title=title,
            audience=audience,
            status=status,
            summary=summary,
            body=body,
            themes=themes or [],
            tags=tags or [],
            related=related or [],
        )

    return make


def add_file(item: Item, user: User, content: bytes = PDF, name: str = "x.pdf") -> ItemFile:
    return item_file_add(item=item, upload=SimpleUploadedFile(name, content), note="", actor=user)
