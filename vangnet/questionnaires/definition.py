"""Parse and validate questionnaire definitions (YAML), strictly, with clear messages."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

DEFINITIONS = Path(__file__).resolve().parent / "definitions"
KINDS = ("likert", "yesno", "text")  # scans and event feedback
# Surveys also ask for one option (choice) or several (multi); these never score.
SURVEY_KINDS = (*KINDS, "choice", "multi")
CHOICE_KINDS = ("choice", "multi")
MIN_OPTIONS = 2
MAX_OPTIONS = 20
FACTS = (
    None,
    "signal_sources",
    "socio_preventive_partners",
    "meeting_rhythm",
    "case_follow_up",
    "knowledge_transfer",
)
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,49}$")  # fits the answer columns (50)
MAX_SOURCE = 100_000  # characters of YAML
MAX_FIELDS = 400  # answer fields on the form (the POST limit is 500)
SITUATIONS = ("typical", "atypical")


class DefinitionError(ValueError):
    """The definition is not valid; the message says where."""


def _text(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not isinstance(value.get("nl"), str) or not value["nl"]:
        raise DefinitionError(f"{where}: needs a Dutch text (nl)")
    return {"nl": value["nl"], "en": str(value.get("en") or value["nl"])}


def _options(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not MIN_OPTIONS <= len(value) <= MAX_OPTIONS:
        raise DefinitionError(f"{where}: {MIN_OPTIONS} to {MAX_OPTIONS} options")
    options: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, option in enumerate(value):
        at = f"{where}[{index}]"
        if not isinstance(option, dict):
            raise DefinitionError(f"{at}: must be a mapping")
        key = option.get("key")
        if not isinstance(key, str) or not _KEY.match(key) or key in seen:
            raise DefinitionError(f"{at}.key: a unique lowercase key")
        seen.add(key)
        options.append({"key": key, "text": _text(option.get("text"), f"{at}.text")})
    return options


def definition_parse(
    source: str, *, kinds: tuple[str, ...] = KINDS, require_scored: bool = True
) -> dict[str, Any]:
    """YAML text → a validated definition (a plain dict, ready for a JSONField).

    `kinds`: the question kinds allowed (scans and event feedback: KINDS; surveys:
    SURVEY_KINDS). `require_scored`: every module needs a scored indicator and bands covering
    0..100 (scans); a survey module may hold only choice, multi or text questions, and its
    bands are optional (when given, they follow the same rules).
    """
    if len(source) > MAX_SOURCE:
        raise DefinitionError(f"the definition is longer than {MAX_SOURCE} characters")
    try:
        data = yaml.safe_load(source)
    except (yaml.YAMLError, RecursionError) as error:
        raise DefinitionError(f"not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise DefinitionError("the definition must be a mapping")
    slug = data.get("slug")
    if not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9-]+", slug):
        raise DefinitionError("slug: lowercase letters, digits and dashes")
    modules_in = data.get("modules")
    if not isinstance(modules_in, list) or not modules_in:
        raise DefinitionError("modules: at least one module")
    modules: list[dict[str, Any]] = []
    seen_modules: set[str] = set()
    for m_index, module in enumerate(modules_in):
        where = f"modules[{m_index}]"
        if not isinstance(module, dict):
            raise DefinitionError(f"{where}: must be a mapping")
        key = module.get("key")
        if not isinstance(key, str) or not _KEY.match(key) or key in seen_modules:
            raise DefinitionError(f"{where}.key: a unique lowercase key")
        seen_modules.add(key)
        situations = module.get("situations") or []
        if not isinstance(situations, list) or not all(s in SITUATIONS for s in situations):
            raise DefinitionError(f"{where}.situations: typical and/or atypical")
        vignettes = {
            s: _text((module.get("vignettes") or {}).get(s), f"{where}.vignettes.{s}")
            for s in situations
        }
        condition = module.get("condition")
        if condition not in (None, "case_management"):
            raise DefinitionError(f"{where}.condition: null or case_management")
        if not require_scored and (situations or condition):
            # The survey form asks each question once, for everyone: scan-only parts would be
            # silently ignored, so they are refused.
            raise DefinitionError(f"{where}: situations and conditions are for scans only")
        indicators: list[dict[str, Any]] = []
        seen: set[str] = set()
        for i_index, item in enumerate(module.get("indicators") or []):
            at = f"{where}.indicators[{i_index}]"
            if not isinstance(item, dict):
                raise DefinitionError(f"{at}: must be a mapping")
            i_key = item.get("key")
            if not isinstance(i_key, str) or not _KEY.match(i_key) or i_key in seen:
                raise DefinitionError(f"{at}.key: a unique lowercase key")
            seen.add(i_key)
            kind = item.get("kind")
            if kind not in kinds:
                raise DefinitionError(f"{at}.kind: one of {', '.join(kinds)}")
            weight = item.get("weight", 1)
            try:
                valid_weight = (
                    not isinstance(weight, bool)
                    and isinstance(weight, int | float)
                    and math.isfinite(float(weight))
                    and 0 < float(weight) <= 100
                )
            except OverflowError:
                valid_weight = False
            if not valid_weight:
                raise DefinitionError(f"{at}.weight: a number above 0 and at most 100")
            if item.get("fact") not in FACTS:
                raise DefinitionError(f"{at}.fact: unknown fact")
            indicator = {
                "key": i_key,
                "text": _text(item.get("text"), f"{at}.text"),
                "kind": kind,
                "weight": float(weight),
                "reverse": bool(item.get("reverse", False)),
                "allow_na": bool(item.get("allow_na", True)),
                "fact": item.get("fact"),
            }
            if kind in CHOICE_KINDS:
                indicator["options"] = _options(item.get("options"), f"{at}.options")
            elif "options" in item:
                raise DefinitionError(f"{at}.options: only for choice and multi questions")
            indicators.append(indicator)
        if require_scored and not any(i["kind"] in ("likert", "yesno") for i in indicators):
            raise DefinitionError(f"{where}: needs at least one scored indicator")
        if not indicators:
            raise DefinitionError(f"{where}.indicators: at least one question")
        bands = []
        expected = 0
        for b_index, band in enumerate(module.get("bands") or []):
            at = f"{where}.bands[{b_index}]"
            if (
                not isinstance(band, dict)
                or band.get("min") != expected
                or not isinstance(band.get("max"), int)
                or band["max"] < band["min"]
            ):
                raise DefinitionError(f"{at}: bands must cover 0..100 in order without gaps")
            bands.append(
                {
                    "min": band["min"],
                    "max": band["max"],
                    "text": _text(band.get("text"), f"{at}.text"),
                }
            )
            expected = band["max"] + 1
        if expected != 101 and (require_scored or bands):
            raise DefinitionError(f"{where}.bands: must end at 100")
        modules.append(
            {
                "key": key,
                "title": _text(module.get("title"), f"{where}.title"),
                "intro": _text(module.get("intro") or module.get("title"), f"{where}.intro"),
                "situations": situations,
                "vignettes": vignettes,
                "condition": condition,
                "indicators": indicators,
                "bands": bands,
            }
        )
    fields = sum(len(m["situations"] or [""]) * len(m["indicators"]) for m in modules)
    if fields > MAX_FIELDS:
        raise DefinitionError(f"the form would have {fields} answers; at most {MAX_FIELDS}")
    title = _text(data.get("title"), "title")
    if len(title["nl"]) > 200:
        raise DefinitionError("title: at most 200 characters")
    return {
        "slug": slug,
        "title": title,
        "description": _text(data.get("description") or data.get("title"), "description"),
        "modules": modules,
    }


def definition_file(slug: str) -> str:
    path = DEFINITIONS / f"{slug}.yaml"
    return path.read_text(encoding="utf-8")
