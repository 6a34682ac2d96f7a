from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from vangnet.exercises.scenarios import ScenarioError, scenario_library, scenario_parse
from vangnet.exercises.tests.conftest import open_with
from vangnet.intake.models import Signal, TrendSignal
from vangnet.network.models import Organisation

VALID = """
slug: mini
title: {nl: Titel, en: Title}
summary: {nl: Samenvatting, en: Summary}
learning_goals: [{nl: Doel, en: Goal}]
organisations: [{key: school, name: School Oefenstad, sector: schools}]
signals:
  - {key: s1, from: school, received_days_ago: 2, category: online,
     description: {nl: Tekst, en: Text}, person: {name: Jan Fictief, age: 15}}
injects: [{minute: 0, text: {nl: Start, en: Start}}]
"""


def test_it_ships_three_scenarios_in_dutch_and_english():
    library = scenario_library()
    assert set(library) == {"teenager-online", "neighbourhood-polarisation", "detainee-return"}
    for scenario in library.values():
        assert scenario.title.nl and scenario.title.en
        assert scenario.learning_goals and scenario.injects
        assert "Oefenstad" in scenario.summary.nl


def test_it_parses_a_minimal_scenario():
    scenario = scenario_parse(VALID)
    assert scenario.slug == "mini"
    assert scenario.signals[0].person_age == 15


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("sector: schools", "sector: spies"), "organisations[0].sector"),
        (("from: school", "from: nobody"), "signals[0].from"),
        (("en: Title", "xx: Title"), "title"),
        (("category: online", "category: gossip"), "signals[0].category"),
        (("received_days_ago: 2", "received_days_ago: -1"), "received_days_ago"),
        (("minute: 0", "minute: many"), "injects[0].minute"),
        (("slug: mini", "slug: Mini Scenario"), "slug"),
    ],
)
def test_it_refuses_a_broken_scenario_with_a_clear_message(change, message):
    with pytest.raises(ScenarioError, match=message.replace("[", r"\[").replace("]", r"\]")):
        scenario_parse(VALID.replace(*change))


def test_it_refuses_a_case_on_a_signal_that_was_not_screened_as_a_case():
    source = VALID + "case: {signal: s1, summary: {nl: a, en: b}, participants: []}\n"
    with pytest.raises(ScenarioError, match=r"case\.signal"):
        scenario_parse(source)


def test_it_refuses_text_that_is_not_yaml():
    with pytest.raises(ScenarioError, match="YAML"):
        scenario_parse("slug: [unclosed")


@pytest.mark.parametrize("slug", sorted(scenario_library()))
def test_every_shipped_scenario_seeds_a_sandbox(personas, slug):
    exercise = open_with(personas, [personas.alice], scenario=slug)
    scenario = scenario_library()[slug]
    with scopes_disabled():
        assert Signal.objects.filter(cell=exercise.cell).count() == len(scenario.signals)
        assert TrendSignal.objects.filter(cell=exercise.cell).count() == len(scenario.trends)
        names = set(Organisation.objects.filter(cell=exercise.cell).values_list("name", flat=True))
    assert {o.name for o in scenario.organisations} <= names
