"""Scoring: every scored answer becomes 0..100; modules are weighted means.

Likert 1..5 → (v-1)/4·100; yes/no → 100 / 0; reverse scoring flips the scale; "not applicable",
free text and survey choices (choice, multi) do not count. A module's score for one respondent
is the weighted mean of its answered indicators (over every situation the module is answered
for).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


def answer_score(indicator: Mapping[str, Any], value: int | None) -> float | None:
    """One answer on 0..100, or None when it does not count (n/a, text, missing)."""
    if value is None or indicator["kind"] in ("text", "choice", "multi"):
        return None  # free text and survey choices never score
    if indicator["kind"] == "likert":
        if not 1 <= value <= 5:
            raise ValueError("a Likert answer is 1..5")
        score = (value - 1) / 4 * 100
    else:  # yesno: 1 = yes, 0 = no
        if value not in (0, 1):
            raise ValueError("a yes/no answer is 0 or 1")
        score = 100.0 * value
    return 100.0 - score if indicator["reverse"] else score


def module_score(
    module: Mapping[str, Any], answers: Mapping[tuple[str, str], int | None]
) -> float | None:
    """Weighted mean for one respondent; `answers` maps (situation, indicator key) → value."""
    total = weight = 0.0
    situations = module["situations"] or [""]
    for situation in situations:
        for indicator in module["indicators"]:
            score = answer_score(indicator, answers.get((situation, indicator["key"])))
            if score is not None:
                total += score * indicator["weight"]
                weight += indicator["weight"]
    return round(total / weight, 1) if weight else None


@dataclass(frozen=True)
class ModuleResult:
    key: str
    score: float | None  # mean over respondents
    spread: float | None  # population standard deviation over respondents
    low: float | None
    high: float | None
    gap: float | None  # coordinator minus the mean of the partners
    respondents: int


def module_results(
    module: Mapping[str, Any],
    responses: Iterable[tuple[bool, Mapping[tuple[str, str], int | None]]],
) -> ModuleResult:
    """`responses`: (is_coordinator, answers) per respondent."""
    scores: list[float] = []
    coordinator: list[float] = []
    partners: list[float] = []
    for is_coordinator, answers in responses:
        score = module_score(module, answers)
        if score is None:
            continue
        scores.append(score)
        (coordinator if is_coordinator else partners).append(score)
    if not scores:
        return ModuleResult(module["key"], None, None, None, None, None, 0)
    gap = (
        round(statistics.fmean(coordinator) - statistics.fmean(partners), 1)
        if coordinator and partners
        else None
    )
    return ModuleResult(
        key=module["key"],
        score=round(statistics.fmean(scores), 1),
        spread=round(statistics.pstdev(scores), 1),
        low=min(scores),
        high=max(scores),
        gap=gap,
        respondents=len(scores),
    )


def band_text(module: Mapping[str, Any], score: float | None, language: str) -> str:
    if score is None:
        return ""
    bands = module["bands"]
    for index, band in enumerate(bands):
        upper = bands[index + 1]["min"] if index + 1 < len(bands) else float("inf")
        if band["min"] <= score < upper:  # a band runs up to where the next one starts
            return str(band["text"].get(language) or band["text"]["nl"])
    return ""
