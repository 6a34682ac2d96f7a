"""Choice and multi questions: for surveys only; scans and event feedback are unchanged."""

from __future__ import annotations

import pytest

from vangnet.questionnaires.definition import (
    SURVEY_KINDS,
    DefinitionError,
    definition_file,
    definition_parse,
)
from vangnet.questionnaires.scoring import answer_score, module_score

SURVEY = """
slug: s
title: {nl: "Bevraging"}
modules:
  - key: m
    title: {nl: "Module"}
    indicators:
      - key: pick
        text: {nl: "Kies"}
        kind: choice
        options:
          - {key: a, text: {nl: "A", en: "A"}}
          - {key: b, text: {nl: "B"}}
      - key: many
        text: {nl: "Meerdere"}
        kind: multi
        allow_na: false
        options:
          - {key: x, text: {nl: "X"}}
          - {key: y, text: {nl: "Y"}}
          - {key: z, text: {nl: "Z"}}
      - key: why
        text: {nl: "Waarom?"}
        kind: text
"""


def survey_parse(source: str):
    return definition_parse(source, kinds=SURVEY_KINDS, require_scored=False)


def test_a_survey_parses_choice_and_multi_with_their_options():
    definition = survey_parse(SURVEY)
    pick, many, why = definition["modules"][0]["indicators"]
    assert pick["kind"] == "choice" and [o["key"] for o in pick["options"]] == ["a", "b"]
    assert pick["options"][1]["text"] == {"nl": "B", "en": "B"}  # English falls back to Dutch
    assert many["kind"] == "multi" and many["allow_na"] is False
    assert "options" not in why
    assert definition["modules"][0]["bands"] == []  # bands are optional for a survey


def test_the_scan_parse_still_rejects_the_survey_kinds():
    with pytest.raises(DefinitionError, match="kind: one of likert, yesno, text"):
        definition_parse(SURVEY)
    only_text = (
        SURVEY.split("      - key: pick")[0] + "      - {key: t, text: {nl: T}, kind: text}\n"
    )
    with pytest.raises(DefinitionError, match="needs at least one scored indicator"):
        definition_parse(only_text)
    survey_parse(only_text)  # a survey may ask only open questions


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('- {key: b, text: {nl: "B"}}', ""), "2 to 20 options"),
        (('- {key: b, text: {nl: "B"}}', '- {key: a, text: {nl: "B"}}'), "unique lowercase key"),
        (('- {key: b, text: {nl: "B"}}', '- {key: B!, text: {nl: "B"}}'), "unique lowercase key"),
        (('- {key: b, text: {nl: "B"}}', '- {key: b, text: {en: "B"}}'), "needs a Dutch text"),
        (('- {key: b, text: {nl: "B"}}', "- just text"), "must be a mapping"),
        (("kind: text", "kind: text\n        options: [{key: a, text: {nl: A}}]"), "only for"),
    ],
)
def test_it_rejects_bad_options(change, message):
    with pytest.raises(DefinitionError, match=message):
        survey_parse(SURVEY.replace(*change))


def test_it_rejects_more_than_twenty_options():
    options = "".join(f"          - {{key: o{n}, text: {{nl: O}}}}\n" for n in range(21))
    source = SURVEY.replace(
        '          - {key: a, text: {nl: "A", en: "A"}}\n          - {key: b, text: {nl: "B"}}\n',
        options,
    )
    with pytest.raises(DefinitionError, match="2 to 20 options"):
        survey_parse(source)


def test_survey_bands_when_given_must_still_cover_0_to_100():
    source = SURVEY + "    bands:\n      - {min: 0, max: 50, text: {nl: laag}}\n"
    with pytest.raises(DefinitionError, match="must end at 100"):
        survey_parse(source)


def test_choices_never_score():
    definition = survey_parse(SURVEY)
    module = definition["modules"][0]
    pick, many, _why = module["indicators"]
    assert answer_score(pick, 1) is None and answer_score(many, 1) is None
    assert module_score(module, {("", "pick"): 1, ("", "many"): 1}) is None


@pytest.mark.parametrize("slug", ["partner-signals-needs", "partner-collaboration", "cell-needs"])
def test_the_shipped_surveys_are_valid_for_surveys_only(slug):
    definition = survey_parse(definition_file(slug))
    assert definition["slug"] == slug
    kinds = {i["kind"] for m in definition["modules"] for i in m["indicators"]}
    assert {"choice", "multi"} <= kinds
    with pytest.raises(DefinitionError):
        definition_parse(definition_file(slug))


def test_the_scan_and_feedback_templates_still_parse():
    for slug in ("livc-scan", "event-feedback"):
        assert definition_parse(definition_file(slug))["slug"] == slug


@pytest.mark.parametrize(
    "extra",
    [
        '    situations: ["typical"]\n    vignettes: {typical: {nl: "Een situatie"}}\n',
        "    condition: case_management\n",
    ],
)
def test_a_survey_refuses_the_scan_only_situations_and_conditions(extra):
    source = SURVEY.replace('    title: {nl: "Module"}\n', '    title: {nl: "Module"}\n' + extra)
    assert source != SURVEY
    with pytest.raises(DefinitionError, match="scans only"):
        survey_parse(source)
