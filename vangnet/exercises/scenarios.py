"""The scenario library: fictional tabletop-exercise scenarios (YAML), parsed strictly.

Every person, place and organisation in a scenario is invented (municipality "Oefenstad").
A scenario gives: title, summary and learning goals (Dutch and English), fictional partner
organisations, signals (and trend signals), optionally a case already open with participants
and actions, and injects (timed prompts for the facilitator).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from vangnet.intake.models import AgeBand, Category, Outcome, Urgency, YesNoUnknown
from vangnet.network.models import Participation, Sector

SCENARIOS = Path(__file__).resolve().parent / "scenarios"
_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,49}$")
MAX_DAYS_AGO = 365
MAX_MINUTE = 600


class ScenarioError(ValueError):
    """The scenario is not valid; the message says where."""


@dataclass(frozen=True)
class Text:
    nl: str
    en: str

    def for_language(self, language: str | None) -> str:
        return self.en if (language or "").startswith("en") else self.nl


@dataclass(frozen=True)
class ScenarioOrganisation:
    key: str
    name: str
    sector: str
    participation: str


@dataclass(frozen=True)
class ScenarioSignal:
    key: str
    organisation: str
    received_days_ago: int
    category: str
    urgency: str
    description: Text
    person_name: str
    person_age: int | None
    police_status: str  # "" (not recorded), or yes / no / unknown
    screening: str  # "" (left for the participants) or an Outcome value
    screening_reason: Text | None


@dataclass(frozen=True)
class ScenarioTrend:
    organisation: str
    received_days_ago: int
    category: str
    area: str
    description: Text


@dataclass(frozen=True)
class ScenarioParticipant:
    organisation: str
    reason: Text
    case_manager: bool


@dataclass(frozen=True)
class ScenarioAction:
    owner: str
    description: Text
    due_in_days: int


@dataclass(frozen=True)
class ScenarioCase:
    signal: str
    summary: Text
    participants: tuple[ScenarioParticipant, ...]
    actions: tuple[ScenarioAction, ...]


@dataclass(frozen=True)
class Inject:
    minute: int
    text: Text


@dataclass(frozen=True)
class Scenario:
    slug: str
    title: Text
    summary: Text
    learning_goals: tuple[Text, ...]
    organisations: tuple[ScenarioOrganisation, ...]
    signals: tuple[ScenarioSignal, ...]
    trends: tuple[ScenarioTrend, ...]
    case: ScenarioCase | None
    injects: tuple[Inject, ...]


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(f"{where}: must be a mapping")
    return value


def _list(value: Any, where: str, *, minimum: int = 0) -> list[Any]:
    if value is None and minimum == 0:
        return []
    if not isinstance(value, list) or len(value) < minimum:
        raise ScenarioError(f"{where}: a list of at least {minimum} item(s)")
    return value


def _text(value: Any, where: str) -> Text:
    if not isinstance(value, dict):
        raise ScenarioError(f"{where}: needs a Dutch (nl) and an English (en) text")
    nl, en = value.get("nl"), value.get("en")
    if not isinstance(nl, str) or not nl.strip() or not isinstance(en, str) or not en.strip():
        raise ScenarioError(f"{where}: needs a Dutch (nl) and an English (en) text")
    return Text(nl.strip(), en.strip())


def _str(value: Any, where: str, *, max_length: int = 150) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise ScenarioError(f"{where}: a text of 1 to {max_length} characters")
    return value.strip()


def _int(value: Any, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScenarioError(f"{where}: a whole number from {low} to {high}")
    return value


def _choice(value: Any, where: str, choices: list[str]) -> str:
    if value not in choices:
        raise ScenarioError(f"{where}: one of {', '.join(c for c in choices if c)}")
    return str(value)


def _ref(value: Any, where: str, keys: set[str]) -> str:
    if value not in keys:
        raise ScenarioError(
            f"{where}: an organisation key of this scenario ({', '.join(sorted(keys))})"
        )
    return str(value)


def scenario_parse(source: str) -> Scenario:
    """YAML text → a validated scenario; ScenarioError says what and where."""
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        raise ScenarioError(f"not valid YAML: {error}") from None
    data = _mapping(data, "scenario")
    slug = data.get("slug")
    if not isinstance(slug, str) or not _KEY.match(slug):
        raise ScenarioError("slug: lowercase letters, digits and dashes")
    unknown = set(data) - {
        "slug", "title", "summary", "learning_goals", "organisations", "signals", "trends",
        "case", "injects",
    }  # fmt: skip
    if unknown:
        raise ScenarioError(f"unknown key(s): {', '.join(sorted(unknown))}")

    organisations: list[ScenarioOrganisation] = []
    names: set[str] = set()
    for index, raw in enumerate(_list(data.get("organisations"), "organisations", minimum=1)):
        at = f"organisations[{index}]"
        item = _mapping(raw, at)
        key = item.get("key")
        if not isinstance(key, str) or not _KEY.match(key) or key in {o.key for o in organisations}:
            raise ScenarioError(f"{at}.key: a unique lowercase key")
        name = _str(item.get("name"), f"{at}.name")
        if name in names:
            raise ScenarioError(f"{at}.name: used twice")
        names.add(name)
        organisations.append(
            ScenarioOrganisation(
                key=key,
                name=name,
                sector=_choice(item.get("sector"), f"{at}.sector", list(Sector.values)),
                participation=_choice(
                    item.get("participation", Participation.CORE),
                    f"{at}.participation",
                    list(Participation.values),
                ),
            )
        )
    org_keys = {o.key for o in organisations}

    signals: list[ScenarioSignal] = []
    for index, raw in enumerate(_list(data.get("signals"), "signals", minimum=1)):
        at = f"signals[{index}]"
        item = _mapping(raw, at)
        key = item.get("key")
        if not isinstance(key, str) or not _KEY.match(key) or key in {s.key for s in signals}:
            raise ScenarioError(f"{at}.key: a unique lowercase key")
        person = _mapping(item.get("person", {}), f"{at}.person")
        age = person.get("age")
        screening = _choice(item.get("screening", ""), f"{at}.screening", ["", *Outcome.values])
        reason = item.get("screening_reason")
        if screening and reason is None:
            raise ScenarioError(f"{at}.screening_reason: needed with a screening")
        signals.append(
            ScenarioSignal(
                key=key,
                organisation=_ref(item.get("from"), f"{at}.from", org_keys),
                received_days_ago=_int(
                    item.get("received_days_ago"), f"{at}.received_days_ago", 0, MAX_DAYS_AGO
                ),
                category=_choice(item.get("category"), f"{at}.category", list(Category.values)),
                urgency=_choice(
                    item.get("urgency", Urgency.NORMAL), f"{at}.urgency", list(Urgency.values)
                ),
                description=_text(item.get("description"), f"{at}.description"),
                person_name=_str(person.get("name"), f"{at}.person.name") if person else "",
                person_age=_int(age, f"{at}.person.age", 1, 100) if age is not None else None,
                police_status=_choice(
                    item.get("police_status", ""), f"{at}.police_status", ["", *YesNoUnknown.values]
                ),
                screening=screening,
                screening_reason=_text(reason, f"{at}.screening_reason") if screening else None,
            )
        )  # fmt: skip
    signal_keys = {s.key: s for s in signals}

    trends: list[ScenarioTrend] = []
    for index, raw in enumerate(_list(data.get("trends"), "trends")):
        at = f"trends[{index}]"
        item = _mapping(raw, at)
        trends.append(
            ScenarioTrend(
                organisation=_ref(item.get("from"), f"{at}.from", org_keys),
                received_days_ago=_int(
                    item.get("received_days_ago"), f"{at}.received_days_ago", 0, MAX_DAYS_AGO
                ),
                category=_choice(item.get("category"), f"{at}.category", list(Category.values)),
                area=_str(item.get("area"), f"{at}.area", max_length=100),
                description=_text(item.get("description"), f"{at}.description"),
            )
        )  # fmt: skip

    case: ScenarioCase | None = None
    if data.get("case") is not None:
        item = _mapping(data["case"], "case")
        signal_key = item.get("signal")
        if signal_key not in signal_keys or signal_keys[signal_key].screening != Outcome.CASE:
            raise ScenarioError("case.signal: the key of a signal screened with outcome 'case'")
        participants = []
        for index, raw in enumerate(
            _list(item.get("participants"), "case.participants", minimum=1)
        ):
            at = f"case.participants[{index}]"
            part = _mapping(raw, at)
            participants.append(
                ScenarioParticipant(
                    organisation=_ref(part.get("organisation"), f"{at}.organisation", org_keys),
                    reason=_text(part.get("reason"), f"{at}.reason"),
                    case_manager=bool(part.get("case_manager", False)),
                )
            )
        if sum(p.case_manager for p in participants) != 1:
            raise ScenarioError("case.participants: exactly one case manager")
        actions = []
        for index, raw in enumerate(_list(item.get("actions"), "case.actions")):
            at = f"case.actions[{index}]"
            act = _mapping(raw, at)
            actions.append(
                ScenarioAction(
                    owner=_ref(act.get("owner"), f"{at}.owner", org_keys),
                    description=_text(act.get("description"), f"{at}.description"),
                    due_in_days=_int(act.get("due_in_days"), f"{at}.due_in_days", 1, 365),
                )
            )
        case = ScenarioCase(
            signal=str(signal_key),
            summary=_text(item.get("summary"), "case.summary"),
            participants=tuple(participants),
            actions=tuple(actions),
        )
    elif any(s.screening == Outcome.CASE for s in signals):
        raise ScenarioError("signals: a signal screened with outcome 'case' needs a case")

    injects: list[Inject] = []
    for index, raw in enumerate(_list(data.get("injects"), "injects", minimum=1)):
        at = f"injects[{index}]"
        item = _mapping(raw, at)
        minute = _int(item.get("minute"), f"{at}.minute", 0, MAX_MINUTE)
        if injects and minute < injects[-1].minute:
            raise ScenarioError(f"{at}.minute: injects go in order of time")
        injects.append(Inject(minute=minute, text=_text(item.get("text"), f"{at}.text")))

    return Scenario(
        slug=slug,
        title=_text(data.get("title"), "title"),
        summary=_text(data.get("summary"), "summary"),
        learning_goals=tuple(
            _text(goal, f"learning_goals[{i}]")
            for i, goal in enumerate(_list(data.get("learning_goals"), "learning_goals", minimum=1))
        ),
        organisations=tuple(organisations),
        signals=tuple(signals),
        trends=tuple(trends),
        case=case,
        injects=tuple(injects),
    )


@cache
def scenario_library() -> dict[str, Scenario]:
    """Every shipped scenario by slug; a broken file stops with the file name in the message."""
    library: dict[str, Scenario] = {}
    for path in sorted(SCENARIOS.glob("*.yaml")):
        try:
            scenario = scenario_parse(path.read_text(encoding="utf-8"))
        except ScenarioError as error:
            raise ScenarioError(f"{path.name}: {error}") from None
        if scenario.slug != path.stem:
            raise ScenarioError(f"{path.name}: the slug must equal the file name")
        library[scenario.slug] = scenario
    return library


def scenario_get(slug: str) -> Scenario | None:
    return scenario_library().get(slug)


def age_band(age: int | None) -> str:
    if age is None:
        return AgeBand.UNKNOWN
    if age < 12:
        return AgeBand.UNDER_12
    if age < 18:
        return AgeBand.AGE_12_17
    if age <= 25:
        return AgeBand.AGE_18_25
    if age <= 40:
        return AgeBand.AGE_26_40
    return AgeBand.OVER_40
