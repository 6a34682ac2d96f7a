"""The deployment's static storage gives WhiteNoise's URLs, worked out once per name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from vangnet.lib.staticstorage import RememberedManifestStorage

MANIFEST = {"version": "1.1", "hash": "x", "paths": {"vendor/app.css": "vendor/app.0123abcd.css"}}


def _storages(root: Path) -> tuple[RememberedManifestStorage, CompressedManifestStaticFilesStorage]:
    (root / "staticfiles.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    return (
        RememberedManifestStorage(location=str(root), base_url="/static/"),
        CompressedManifestStaticFilesStorage(location=str(root), base_url="/static/"),
    )


def test_it_gives_whitenoises_urls_and_remembers_them(tmp_path, monkeypatch, settings):
    settings.DEBUG = False
    ours, theirs = _storages(tmp_path)
    assert (
        ours.url("vendor/app.css")
        == theirs.url("vendor/app.css")
        == ("/static/vendor/app.0123abcd.css")
    )
    monkeypatch.setattr(CompressedManifestStaticFilesStorage, "url", None)  # not asked again
    assert ours.url("vendor/app.css") == "/static/vendor/app.0123abcd.css"


def test_it_refuses_a_file_missing_from_the_manifest_every_time(tmp_path, settings):
    settings.DEBUG = False
    ours, _ = _storages(tmp_path)
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            ours.url("nowhere.css")


def test_under_debug_it_answers_as_django_does(tmp_path, settings):
    ours, theirs = _storages(tmp_path)
    settings.DEBUG = False
    ours.url("vendor/app.css")
    settings.DEBUG = True
    assert ours.url("vendor/app.css") == theirs.url("vendor/app.css") == "/static/vendor/app.css"
