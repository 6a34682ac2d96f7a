from __future__ import annotations

import pytest

from vangnet.questionnaires.definition import DefinitionError, definition_file, definition_parse
from vangnet.questionnaires.scoring import answer_score, band_text, module_results, module_score

LIKERT = {"key": "a", "kind": "likert", "weight": 1.0, "reverse": False, "allow_na": True}
REVERSED = {"key": "b", "kind": "likert", "weight": 2.0, "reverse": True, "allow_na": True}
YESNO = {"key": "c", "kind": "yesno", "weight": 1.0, "reverse": False, "allow_na": False}
TEXT = {"key": "d", "kind": "text", "weight": 1.0, "reverse": False, "allow_na": True}
MODULE = {
    "key": "m",
    "situations": [],
    "indicators": [LIKERT, REVERSED, YESNO, TEXT],
    "bands": [
        {"min": 0, "max": 39, "text": {"nl": "laag"}},
        {"min": 40, "max": 69, "text": {"nl": "midden"}},
        {"min": 70, "max": 100, "text": {"nl": "hoog"}},
    ],
}


def test_it_scores_single_answers():
    assert answer_score(LIKERT, 1) == 0
    assert answer_score(LIKERT, 4) == 75
    assert answer_score(REVERSED, 4) == 25  # "I agree" with a negative statement scores low
    assert answer_score(YESNO, 1) == 100 and answer_score(YESNO, 0) == 0
    assert answer_score(LIKERT, None) is None  # not applicable
    assert answer_score(TEXT, None) is None
    with pytest.raises(ValueError):
        answer_score(LIKERT, 6)


def test_it_computes_a_weighted_module_score_by_hand():
    # likert 4 → 75 (w1), reversed 2 → 75 (w2), yes → 100 (w1): (75 + 150 + 100) / 4 = 81.25
    answers = {("", "a"): 4, ("", "b"): 2, ("", "c"): 1, ("", "d"): None}
    assert module_score(MODULE, answers) == 81.2


def test_not_applicable_answers_do_not_count():
    # likert n/a, reversed 5 → 0 (w2), no → 0: (0 + 0) / 3 = 0
    assert module_score(MODULE, {("", "a"): None, ("", "b"): 5, ("", "c"): 0}) == 0
    assert module_score(MODULE, {("", "a"): None}) is None


def test_both_situations_count_for_a_situational_module():
    module = {**MODULE, "situations": ["typical", "atypical"], "indicators": [LIKERT]}
    assert module_score(module, {("typical", "a"): 5, ("atypical", "a"): 3}) == 75


def test_it_reports_mean_spread_and_the_coordinator_gap():
    result = module_results(
        MODULE,
        [
            (True, {("", "a"): 5}),  # coordinator: 100
            (False, {("", "a"): 3}),  # partner: 50
            (False, {("", "a"): 1}),  # partner: 0
        ],
    )
    assert result.score == 50 and result.respondents == 3
    assert result.gap == 75  # 100 - mean(50, 0)
    assert result.spread == 40.8 and (result.low, result.high) == (0, 100)


def test_it_picks_the_feedback_band():
    assert band_text(MODULE, 39.4, "nl") == "laag"
    assert band_text(MODULE, 69.6, "nl") == "midden"  # a band runs up to the next one
    assert band_text(MODULE, 70, "nl") == "hoog"


def test_the_shipped_template_is_valid():
    definition = definition_parse(definition_file("livc-scan"))
    keys = [m["key"] for m in definition["modules"]]
    assert keys == [
        "structure",
        "vision",
        "current_working",
        "case_management",
        "information_sharing",
        "collaboration",
        "knowledge_transfer",
    ]
    current = definition["modules"][2]
    assert current["situations"] == ["typical", "atypical"]
    assert definition["modules"][3]["condition"] == "case_management"
    assert any(i["reverse"] for m in definition["modules"] for i in m["indicators"])


@pytest.mark.parametrize(
    "broken",
    [
        "not: [valid",
        "slug: x\nmodules: []",
        "slug: x\ntitle: {nl: t}\nmodules:\n - key: a\n   title: {nl: t}\n   indicators:\n"
        "    - {key: q, text: {nl: q}, kind: score}\n   bands: []",
    ],
)
def test_it_refuses_a_broken_definition(broken):
    with pytest.raises(DefinitionError):
        definition_parse(broken)
