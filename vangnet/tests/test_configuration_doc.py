from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_documents_every_environment_variable():
    sources = [ROOT / "vangnet" / "settings.py", ROOT / "vangnet" / "tests_support" / "browser.py"]
    read = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        read |= set(re.findall(r'env_\w+\(\s*"([A-Z][A-Z0-9_]+)"', text))
        read |= set(re.findall(r'environ\.get\(\s*"([A-Z][A-Z0-9_]+)"', text))
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = sorted(name for name in read if f"`{name}`" not in doc)
    assert len(read) > 20
    assert missing == []
