"""The preset schema: a small declarative description and its validator.

The schema is data (``PRESET_SCHEMA``) built from a handful of node types. The
validator walks a loaded preset against it and collects every problem at once,
each with its field path, so an author fixes a file in one pass.

Two modes share one schema. A ``preset`` must meet the content bar (minimum
counts, real numbers). The ``skeleton`` (the blank custom system) has every field
but may leave numbers empty and lists short, because it holds TODO markers.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from typing import Any, Iterator

from mlsd.categories import CATEGORIES
from mlsd.identifiers import is_identifier

FieldPath = tuple[str | int, ...]

PRESET = "preset"
SKELETON = "skeleton"
# Larger numbers are refused: products of a few of them would overflow a float.
MAX_NUMBER = 1e30
# Marks an answer still to write; only the blank skeleton may hold it.
TODO_MARKER = "TODO"

# Every risk of a worked preset names its owner and the signal that detects it.
RISK_REGISTER_REQUIRED = PRESET


@dataclass(frozen=True)
class Issue:
    """A schema violation at a field path (file and line are added by the caller)."""

    path: FieldPath
    message: str


class Node:
    """Base of the schema node types."""

    doc: str = ""

    def validate(self, value: Any, path: FieldPath, mode: str) -> Iterator[Issue]:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


@dataclass(frozen=True)
class Text(Node):
    """A non-empty string."""

    doc: str = ""

    def validate(self, value: Any, path: FieldPath, mode: str) -> Iterator[Issue]:
        if not isinstance(value, str):
            yield Issue(path, f"expected text, got {_kind_of(value)}")
        elif not value.strip():
            yield Issue(path, "must not be empty (write the text, or a TODO marker)")

    def describe(self) -> str:
        return "text"


@dataclass(frozen=True)
class Identifier(Node):
    """A lower-case snake_case identifier."""

    doc: str = ""

    def validate(self, value: Any, path: FieldPath, mode: str) -> Iterator[Issue]:
        if not isinstance(value, str):
            yield Issue(path, f"expected an identifier, got {_kind_of(value)}")
        elif not is_identifier(value):
            yield Issue(
                path,
                f"'{value}' is not a valid id: use lower-case ASCII letters, digits and "
                "underscores, starting with a letter (look-alike letters from other scripts are refused)",
            )

    def describe(self) -> str:
        return "identifier (snake_case)"




@dataclass(frozen=True)
class Number(Node):
    """A number; ``minimum``/``maximum`` bound it. Skeletons may leave it empty."""

    minimum: float | None = 0
    maximum: float | None = None
    exclusive_minimum: bool = True
    integer: bool = False
    doc: str = ""

    def validate(self, value: Any, path: FieldPath, mode: str) -> Iterator[Issue]:
        if value is None and mode == SKELETON:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            yield Issue(path, f"expected a number, got {_kind_of(value)}")
            return
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            yield Issue(path, f"must be a finite number no larger than {MAX_NUMBER:g}, got {value:g}")
            return
        if self.integer and not float(value).is_integer():
            yield Issue(path, f"expected a whole number, got {value}")
        if self.minimum is not None:
            if self.exclusive_minimum and value <= self.minimum:
                yield Issue(path, f"must be greater than {self.minimum:g}, got {value:g}")
            elif not self.exclusive_minimum and value < self.minimum:
                yield Issue(path, f"must be at least {self.minimum:g}, got {value:g}")
        if self.maximum is not None and value > self.maximum:
            yield Issue(path, f"must be at most {self.maximum:g}, got {value:g}")

    def describe(self) -> str:
        return "whole number" if self.integer else "number"


@dataclass(frozen=True)
class Choice(Node):
    """One of a fixed set of strings."""

    options: tuple[str, ...] = ()
    doc: str = ""

    def validate(self, value: Any, path: FieldPath, mode: str) -> Iterator[Issue]:
        if not isinstance(value, str):
            yield Issue(path, f"expected one of {', '.join(self.options)}; got {_kind_of(value)}")
        elif value not in self.options:
            yield Issue(path, f"'{value}' is not one of: {', '.join(self.options)}")

    def describe(self) -> str:
        return "one of: " + ", ".join(self.options)


def _too_few(
    items: list[Any] | dict[Any, Any], min_items: int, path: FieldPath, mode: str, nouns: tuple[str, str]
) -> Iterator[Issue]:
    """The count check lists and mappings share: presets need ``min_items``, the skeleton none."""
    needed = min_items if mode == PRESET else 0
    if len(items) < needed:
        yield Issue(path, f"needs at least {needed} {nouns[needed != 1]}, has {len(items)}")


@dataclass(frozen=True)
class ListOf(Node):
    """A list of items; ``min_items`` applies to presets, not to the skeleton."""

    item: Node = field(default_factory=Text)
    min_items: int = 1
    unique: bool = False
    doc: str = ""

    def validate(self, value: Any, path: FieldPath, mode: str) -> Iterator[Issue]:
        if not isinstance(value, list):
            yield Issue(path, f"expected a list, got {_kind_of(value)}")
            return
        yield from _too_few(value, self.min_items, path, mode, ("item", "items"))
        seen: set[Any] = set()
        for index, item in enumerate(value):
            yield from self.item.validate(item, path + (index,), mode)
            if self.unique and isinstance(item, str):
                if item in seen:
                    yield Issue(path + (index,), f"'{item}' is listed twice")
                seen.add(item)

    def describe(self) -> str:
        return f"list of {self.item.describe()} (at least {self.min_items})"


@dataclass(frozen=True)
class Field:
    """A field of a record."""

    node: Node
    # True, False, or PRESET: required in worked presets, optional in the blank skeleton.
    required: bool | str = True
    doc: str = ""


@dataclass(frozen=True)
class Record(Node):
    """A mapping with a fixed set of fields; unknown fields are rejected."""

    fields: dict[str, Field] = field(default_factory=dict)
    doc: str = ""

    def validate(self, value: Any, path: FieldPath, mode: str) -> Iterator[Issue]:
        if not isinstance(value, dict):
            yield Issue(path, f"expected a mapping of fields, got {_kind_of(value)}")
            return
        for name, spec in self.fields.items():
            if name not in value:
                # A field required in PRESET mode only may be left out of the blank skeleton.
                if spec.required is True or (spec.required == PRESET and mode == PRESET):
                    yield Issue(path + (name,), "required")
                continue
            yield from spec.node.validate(value[name], path + (name,), mode)
        for name in value:
            if name not in self.fields:
                known = list(self.fields)
                near = difflib.get_close_matches(str(name), known, n=1)
                hint = f"did you mean '{near[0]}'?" if near else f"expected one of: {', '.join(known)}"
                yield Issue(path + (str(name),), f"unknown field; {hint}")

    def describe(self) -> str:
        return "mapping"


@dataclass(frozen=True)
class MapOf(Node):
    """A mapping from identifiers to values of one kind, such as concept id -> note."""

    value: Node = field(default_factory=Text)
    min_items: int = 1
    doc: str = ""

    def validate(self, value: Any, path: FieldPath, mode: str) -> Iterator[Issue]:
        if not isinstance(value, dict):
            yield Issue(path, f"expected a mapping of id: text, got {_kind_of(value)}")
            return
        yield from _too_few(value, self.min_items, path, mode, ("entry", "entries"))
        for key, item in value.items():
            yield from Identifier().validate(key, path + (str(key),), mode)
            yield from self.value.validate(item, path + (str(key),), mode)

    def describe(self) -> str:
        return f"mapping of id to {self.value.describe()} (at least {self.min_items})"


NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class OrNotApplicable(Node):
    """Either the wrapped node or ``{not_applicable: <why>}``, never left empty."""

    node: Node = field(default_factory=Text)
    doc: str = ""

    def validate(self, value: Any, path: FieldPath, mode: str) -> Iterator[Issue]:
        if isinstance(value, dict) and NOT_APPLICABLE in value:
            extra = [k for k in value if k != NOT_APPLICABLE]
            if extra:
                yield Issue(path, f"'{NOT_APPLICABLE}' stands alone; remove: {', '.join(map(str, extra))}")
            reason = value[NOT_APPLICABLE]
            if not isinstance(reason, str) or not reason.strip():
                yield Issue(path + (NOT_APPLICABLE,), "say why it does not apply, in one sentence")
            return
        if value is None or value == "" or value == {} or value == []:
            yield Issue(
                path, f"must not be empty; if it does not apply, write {{{NOT_APPLICABLE}: <why>}}"
            )
            return
        yield from self.node.validate(value, path, mode)

    def describe(self) -> str:
        return f"{self.node.describe()}, or {{{NOT_APPLICABLE}: reason}}"


def is_not_applicable(value: Any) -> bool:
    """True for a ``{not_applicable: reason}`` marker."""
    return isinstance(value, dict) and NOT_APPLICABLE in value


LATENCY_STEP_KINDS = ("component", "hop", "parallel", "first_byte")


@dataclass(frozen=True)
class LatencyPath(Node):
    """A latency budget: a sequence of steps, where a step is a component or a
    network hop with its p99 ms, a ``parallel`` group of branches (each branch a
    sequence of its own), or, at the top level only, a ``first_byte`` marker."""

    min_items: int = 1
    top_level: bool = True
    doc: str = ""

    def validate(self, value: Any, path: FieldPath, mode: str) -> Iterator[Issue]:
        if not isinstance(value, list):
            yield Issue(path, f"expected a list of steps, got {_kind_of(value)}")
            return
        yield from _too_few(value, self.min_items, path, mode, ("step", "steps"))
        markers = 0
        for index, step in enumerate(value):
            where = path + (index,)
            kinds = [k for k in LATENCY_STEP_KINDS if isinstance(step, dict) and k in step]
            if len(kinds) != 1:
                yield Issue(where, "a step names exactly one of: " + ", ".join(LATENCY_STEP_KINDS))
                continue
            kind = kinds[0]
            if kind == "first_byte":
                markers += 1
                if not self.top_level:
                    yield Issue(where, "first_byte marks the top-level path, not a parallel branch")
                elif markers > 1:
                    yield Issue(where, "only one first_byte marker per budget")
                yield from _LATENCY_STEPS[kind].validate(step, where, mode)
            elif kind == "parallel":
                yield from _LATENCY_STEPS[kind].validate({k: v for k, v in step.items() if k != "parallel"}, where, mode)
                branches = step["parallel"]
                if not isinstance(branches, list) or len(branches) < 2:
                    yield Issue(where + ("parallel",), "needs at least 2 branches, each a list of steps")
                    continue
                for b, branch in enumerate(branches):
                    yield from LatencyPath(top_level=False).validate(branch, where + ("parallel", b), mode)
            else:
                yield from _LATENCY_STEPS[kind].validate(step, where, mode)

    def describe(self) -> str:
        return "list of steps: {component, ms}, {hop, ms}, {parallel: [[steps], [steps]]} or {first_byte: text}"


_LATENCY_STEPS = {
    "component": Record({"component": Field(Identifier(), doc="a component id"), "ms": Field(Number()),
                         "note": Field(Text(), required=False)}),
    "hop": Record({"hop": Field(Identifier(), doc="a name for the network leg, e.g. device_to_edge"),
                   "ms": Field(Number()), "note": Field(Text(), required=False)}),
    "parallel": Record({"note": Field(Text(), required=False)}),
    "first_byte": Record({"first_byte": Field(Text(), doc="what reaches the user at this point")}),
}


def latency_component_refs(steps: Any, path: FieldPath = ()) -> list[tuple[FieldPath, str]]:
    """Every component id a raw latency budget names, with its field path."""
    found: list[tuple[FieldPath, str]] = []
    for index, step in enumerate(steps if isinstance(steps, list) else []):
        if not isinstance(step, dict):
            continue
        if isinstance(step.get("component"), str):
            found.append((path + (index, "component"), step["component"]))
        branches = step.get("parallel")
        for b, branch in enumerate(branches if isinstance(branches, list) else []):
            found.extend(latency_component_refs(branch, path + (index, "parallel", b)))
    return found


# --------------------------------------------------------------------------- #
# The preset schema itself.
# --------------------------------------------------------------------------- #


NFR_KINDS = (
    "latency",
    "throughput",
    "availability",
    "freshness",
    "cost",
    "accuracy",
    "privacy",
    "scalability",
    "durability",
)
# Dense perception models read raw signals and the device's state, not the
# user/item/entity tables of a recommender, so they have groups of their own.
FEATURE_GROUPS = ("user", "item", "entity", "query", "context", "cross", "sequence", "raw_input", "device")
COMPONENT_PATHS = ("online", "streaming", "offline")
TECH_STACKS = ("published", "stand_in", "choice")
RISK_KINDS = ("technical", "business", "privacy", "safety", "fairness", "legal", "operational")
ROLLOUT_STAGES = ("offline_replay", "shadow", "canary", "blue_green", "ab_test", "ramp", "full")


def figure_value(item: Any) -> float | None:
    """The number in a ``{value, basis}`` figure, or a bare number; ``None`` when there is none."""
    if isinstance(item, dict):
        item = item.get("value")
    if isinstance(item, (int, float)) and not isinstance(item, bool):
        return float(item)
    return None


def figure(doc: str, *, integer: bool = False, maximum: float | None = None) -> Node:
    """A scale figure: a number with the basis for assuming it."""
    return Record(
        {
            "value": Field(Number(integer=integer, maximum=maximum), doc="the assumed figure"),
            "basis": Field(Text(), doc="why this figure: a public number with its year, or the reasoning"),
        },
        doc=doc,
    )


_latency_target = Record(
    {
        "value": Field(Number(), doc="the assumed figure"),
        "basis": Field(Text(), doc="why this figure: a public number with its year, or the reasoning"),
        "measures": Field(
            Choice(("complete", "first_byte")),
            required=False,
            doc="which point the target bounds: the complete response (default) or the first byte or token",
        ),
    },
    doc="end-to-end p99 target in ms",
)

_sized_metric = Record(
    {
        "id": Field(Identifier(), doc="names the computed figures: experiment.<id>.sample_size_per_arm"),
        "name": Field(Text(), doc="the metric as the hypothesis states it"),
        "role": Field(Choice(("primary", "guardrail")), doc="the decision metric, or a guardrail with its tolerance"),
        "kind": Field(Choice(("proportion", "mean", "count")), doc="count: a Poisson rate per unit of exposure"),
        "baseline": Field(figure("the control value: a proportion, a mean, or events per unit")),
        "cv": Field(figure("standard deviation over the mean, per unit (mean metrics)"), required=False),
        "effect": Field(
            Record(
                {
                    "relative": Field(Number(minimum=None), required=False, doc="share of the baseline, e.g. 0.005"),
                    "absolute": Field(Number(minimum=None), required=False, doc="in the metric's own unit"),
                }
            ),
            doc="the minimum detectable effect, or the non-inferiority margin",
        ),
        "test": Field(Choice(("superiority", "non_inferiority"))),
        "sides": Field(Number(integer=True, minimum=1, exclusive_minimum=False, maximum=2), required=False,
                       doc="1 or 2 for superiority; non-inferiority is always one-sided"),
        "unit": Field(Text(), doc="what one observation is, plural: users, sessions, miles"),
        "units_per_day": Field(
            Record(
                {
                    "value": Field(Number(), required=False, doc="observations per day"),
                    "ref": Field(Text(), required=False, doc="or a workload input or figure by name, e.g. feed.actors"),
                    "basis": Field(Text(), doc="why this many: a public number with its year, or the reasoning"),
                },
                doc="observations per day over all eligible traffic, before the split: a value or a ref",
            )
        ),
        "design": Field(
            Record(
                {
                    "kind": Field(Choice(("clustered", "switchback", "geo", "paired"))),
                    "cluster_size": Field(figure("observations per cluster or window (m)")),
                    "icc": Field(figure("intra-cluster correlation", maximum=1)),
                }
            ),
            required=False,
            doc="for correlated observations: design effect 1 + (m - 1) x ICC",
        ),
        "variance_reduction": Field(figure("share of variance removed by CUPED, stratification or pairing", maximum=1),
                                    required=False),
    }
)

_sizing = Record(
    {
        "alpha": Field(Number(maximum=0.5)),
        "power": Field(Number(maximum=1)),
        "traffic_share": Field(Number(maximum=0.5), doc="share of eligible traffic in each arm"),
        "planned_days": Field(Number(integer=True), doc="the planned run length; every metric must fit in it"),
        "round_to": Field(Choice(("days", "weeks")), doc="weeks where weekly cycles matter: the run is whole weeks"),
        "metrics": Field(ListOf(_sized_metric, min_items=1)),
        "note": Field(Text(), required=False, doc="what besides statistics sets the run length"),
    }
)
def _figures_map(doc: str) -> Node:
    return MapOf(
        Record(
            {
                "value": Field(Number(), doc="the assumed figure"),
                "basis": Field(Text(), doc="why this figure: a public number with its year, or 'assumption' and the reasoning"),
                "label": Field(Text(), required=False, doc="what it counts in this system, such as 'daily active users'"),
            }
        ),
        min_items=0,
        doc=doc,
    )


_workload = Record(
    {
        "kind": Field(Identifier(), doc="one of the workload kinds"),
        "name": Field(Identifier(), doc="names its figures: <name>.<key>"),
        "label": Field(Text(), doc="what this workload is, in a few words"),
        "inputs": Field(_figures_map("the kind's inputs, each a value with its basis")),
        "limits": Field(_figures_map("caps and targets the computed figures must meet"), required=False),
        "stages": Field(
            ListOf(
                Record(
                    {
                        "step": Field(Identifier(), doc="retrieval, pre_ranking, ranking or re_ranking"),
                        "name": Field(Identifier()),
                        "label": Field(Text()),
                        "candidates_in": Field(figure("candidates the stage scores per request"), required=False),
                        "candidates_out": Field(figure("candidates it hands on")),
                        "per_host_throughput": Field(figure("candidates (or requests) one host handles per second")),
                    }
                ),
                min_items=1,
            ),
            required=False,
            doc="an online service's candidate funnel",
        ),
    }
)


_metric = Record(
    {
        "name": Field(Text()),
        "definition": Field(Text(), doc="how it is computed"),
        "target": Field(Text(), doc="the goal, with a number where one belongs"),
    }
)

_option = Record(
    {
        "name": Field(Text()),
        "description": Field(Text()),
        "pros": Field(ListOf(Text(), min_items=1)),
        "cons": Field(ListOf(Text(), min_items=1)),
    }
)

# --------------------------------------------------------------------------- #
# Interview coaching data: probes, where the signal is, and the key ideas a
# practice answer is graded on (docs/preset-format.md, "Interview data").
# --------------------------------------------------------------------------- #

# The one switch: False while presets gain the block family by family; True makes

INTERVIEW_STEPS = ("clarify", "formulate", "architecture", "model", "scale", "monitor")
PROBE_KINDS = ("deep_dive", "scale_10x", "curveball", "trade_off")
LEVELS = ("mid", "senior", "staff")
DIMENSIONS = (
    "requirements",
    "formulation",
    "data",
    "model",
    "architecture",
    "serving_scale",
    "monitoring",
    "trade_offs",
)
MIN_PROBES, MAX_PROBES = 8, 12


@dataclass(frozen=True)
class Phrasings(Node):
    """Groups of ways to say one part of an idea: ``[["mae", "mean absolute error"], ["pickup"]]``.

    The idea is found when every group has a match inside one sentence or bullet.
    """

    doc: str = ""

    def validate(self, value: Any, path: FieldPath, mode: str) -> Iterator[Issue]:
        if not isinstance(value, list) or not value:
            yield Issue(path, f"expected a list of phrase groups such as [[mae, mean absolute error], [pickup]], got {_kind_of(value)}")
            return
        if len(value) > 4:
            yield Issue(path, f"at most 4 groups, so one sentence can hold them all; has {len(value)}")
        for index, group in enumerate(value):
            where = path + (index,)
            if not isinstance(group, list) or not group:
                yield Issue(where, f"expected a non-empty list of phrasings, got {_kind_of(group)}")
                continue
            for position, phrase in enumerate(group):
                if not isinstance(phrase, str) or not any(ch.isalnum() for ch in phrase):
                    yield Issue(where + (position,), "expected a word or phrase with letters or digits")

    def describe(self) -> str:
        return "list of phrase groups (each a list of synonyms)"


_probe = Record(
    {
        "question": Field(Text(), doc="what the interviewer asks, specific to this system"),
        "kind": Field(Choice(PROBE_KINDS)),
        "step": Field(Choice(INTERVIEW_STEPS), doc="the plan step it follows"),
        "mid": Field(Text(), doc="what a mid-level answer contains"),
        "senior": Field(Text(), doc="what a senior answer adds"),
        "staff": Field(Text(), doc="what a staff answer adds"),
        "red_flags": Field(ListOf(Text(), min_items=1), doc="what sinks an answer"),
    }
)

INTERVIEW_SCHEMA = Record(
    {
        "signal": Field(
            Record(
                {
                    "focus": Field(Choice(INTERVIEW_STEPS), doc="the step where this question is won or lost"),
                    "why": Field(Text(), doc="one sentence on why the signal is there"),
                    "weights": Field(
                        # Above the largest default step weight (11), so any step can be given more.
                        MapOf(Number(maximum=20), min_items=1),
                        required=False,
                        doc="relative time per step, overriding the defaults for the steps named",
                    ),
                }
            )
        ),
        "probes": Field(ListOf(_probe, min_items=MIN_PROBES)),
        "clarifying": Field(
            ListOf(
                Record(
                    {
                        "question": Field(Number(integer=True, minimum=1, exclusive_minimum=False), doc="1-based index into clarifying_questions"),
                        "key": Field(Choice(("yes", "no")), doc="yes when missing it costs the candidate"),
                        "phrasings": Field(Phrasings()),
                    }
                ),
                min_items=3,
            ),
            doc="how a candidate may ask each clarifying question in their own words",
        ),
        "key_points": Field(
            ListOf(
                Record(
                    {
                        "section": Field(Number(integer=True, minimum=1, exclusive_minimum=False, maximum=7)),
                        "dimension": Field(Choice(DIMENSIONS)),
                        "level": Field(Choice(LEVELS), doc="the lowest level expected to say it"),
                        "idea": Field(Text(), doc="the idea, in a short sentence"),
                        "phrasings": Field(Phrasings()),
                    }
                ),
                min_items=14,
            )
        ),
    }
)

PRESET_SCHEMA = Record(
    {
        "id": Field(Identifier(), doc="equals the file name without .yaml"),
        "title": Field(Text(), doc="the question as the seed names it"),
        "category": Field(Choice(tuple(CATEGORIES))),
        "system_kind": Field(
            Choice(("product", "platform")),
            doc="product: end users see the predictions; platform: other ML teams are the users",
        ),
        "summary": Field(Text(), doc="one line for `mlsd list`"),
        "system_name": Field(Text(), doc="default name of the generated design"),
        "concepts": Field(
            MapOf(Text(), min_items=3),
            doc="seed key-concept id -> one line on how this design exercises it",
        ),
        "study": Field(
            MapOf(Text(), min_items=0),
            required=False,
            doc="seed key-concept id -> why a candidate for this question should be ready to discuss it;"
            " the study checklist lists these, or every untagged concept when absent",
        ),
        "references": Field(
            ListOf(
                Record(
                    {
                        "title": Field(Text()),
                        "authors": Field(Text(), required=False),
                        "venue": Field(Text(), doc="publisher, journal, conference or blog"),
                        "year": Field(Number(integer=True, minimum=1900, exclusive_minimum=False, maximum=2100)),
                        "relevance": Field(Text(), doc="what it informs in this design, in our words"),
                    }
                ),
                min_items=0,
            )
        ),
        "clarifying_questions": Field(
            ListOf(
                Record({"question": Field(Text()), "assumption": Field(Text())}),
                min_items=5,
            )
        ),
        "problem": Field(
            Record(
                {
                    "users": Field(Text(), doc="who the system serves"),
                    "business_objective": Field(Text()),
                    "success_criteria": Field(ListOf(Text(), min_items=2)),
                }
            )
        ),
        "scope": Field(
            Record(
                {
                    "in_scope": Field(ListOf(Text(), min_items=2)),
                    "out_of_scope": Field(ListOf(Text(), min_items=2)),
                    "functional_requirements": Field(ListOf(Text(), min_items=3)),
                    "non_functional_requirements": Field(
                        ListOf(
                            Record(
                                {
                                    "name": Field(Text()),
                                    "kind": Field(Choice(NFR_KINDS)),
                                    "value": Field(Number(exclusive_minimum=False)),
                                    "unit": Field(Text()),
                                    "detail": Field(Text(), doc="percentile, scope or condition"),
                                }
                            ),
                            min_items=4,
                        )
                    ),
                    "constraints": Field(
                        Record(
                            {
                                "budget": Field(Text()),
                                "privacy": Field(Text()),
                                "serving_mode": Field(Text(), doc="real-time versus batch, and why"),
                                "other": Field(ListOf(Text(), min_items=0), required=False),
                            }
                        )
                    ),
                }
            )
        ),
        "workloads": Field(
            ListOf(_workload, min_items=1),
            doc="what the system is made of, each sized by its kind's formulas (see the kinds below)",
        ),
        "scale": Field(
            Record(
                {
                    "serving": Field(
                        Record(
                            {
                                "p99_latency_ms": Field(_latency_target),
                                "latency_budget": Field(
                                    LatencyPath(min_items=2),
                                    doc="the request path: components and network hops in sequence, "
                                    "parallel groups, and where the first byte of a streamed reply leaves",
                                ),
                            }
                        )
                    ),
                }
            )
        ),
        "formulation": Field(
            Record(
                {
                    "problem_type": Field(Text()),
                    "learning_setting": Field(Text()),
                    "label": Field(
                        Record(
                            {
                                "definition": Field(Text()),
                                "source": Field(Text(), doc="how the label is obtained"),
                                "delay": Field(Text(), doc="how long until it is known"),
                                "noise": Field(Text(), doc="how it is biased or wrong, and the counter"),
                            }
                        )
                    ),
                    "metrics": Field(
                        Record(
                            {
                                "business": Field(ListOf(_metric, min_items=1)),
                                "online": Field(ListOf(_metric, min_items=1)),
                                "offline": Field(ListOf(_metric, min_items=1)),
                                "guardrail": Field(ListOf(_metric, min_items=1)),
                            }
                        )
                    ),
                    "trade_offs": Field(ListOf(Text(), min_items=2)),
                }
            )
        ),
        "data": Field(
            Record(
                {
                    "sources": Field(
                        ListOf(
                            Record(
                                {
                                    "name": Field(Text()),
                                    "description": Field(Text()),
                                    "volume": Field(Text(), doc="with units"),
                                }
                            ),
                            min_items=3,
                        )
                    ),
                    "entities": Field(
                        ListOf(
                            Record(
                                {
                                    "name": Field(Text()),
                                    "kind": Field(Choice(("entity", "event"))),
                                    "fields": Field(
                                        ListOf(
                                            Record(
                                                {
                                                    "name": Field(Text()),
                                                    "type": Field(Text()),
                                                    "note": Field(Text(), required=False),
                                                }
                                            ),
                                            min_items=3,
                                        )
                                    ),
                                }
                            ),
                            min_items=2,
                        )
                    ),
                    "collection": Field(Text()),
                    "labelling": Field(Text()),
                    "privacy": Field(Text()),
                }
            )
        ),
        "model": Field(
            Record(
                {
                    "baseline": Field(_option),
                    "candidates": Field(ListOf(_option, min_items=2)),
                    "choice": Field(Text(), doc="which option ships first, and why"),
                    "features": Field(
                        ListOf(
                            Record(
                                {
                                    "name": Field(Text()),
                                    "group": Field(Choice(FEATURE_GROUPS)),
                                    "description": Field(Text()),
                                }
                            ),
                            min_items=8,
                        )
                    ),
                    "training": Field(
                        Record(
                            {
                                "pipeline": Field(Text()),
                                "cadence": Field(Text()),
                                "tuning": Field(Text()),
                                "distributed": Field(Text()),
                            }
                        )
                    ),
                }
            )
        ),
        "architecture": Field(
            Record(
                {
                    "components": Field(
                        ListOf(
                            Record(
                                {
                                    "id": Field(Identifier()),
                                    "name": Field(Text()),
                                    "path": Field(Choice(COMPONENT_PATHS)),
                                    "responsibility": Field(Text()),
                                    "tech": Field(Text(), doc="a named technology"),
                                    "stack": Field(
                                        Choice(TECH_STACKS),
                                        required=False,
                                        doc="published: the company has described using this technology;"
                                        " stand_in: an open-source or generic equivalent in place of its"
                                        " own; choice: the design's pick where the question names no company",
                                    ),
                                }
                            ),
                            min_items=6,
                        )
                    ),
                    "data_flow": Field(
                        ListOf(
                            Record(
                                {
                                    "from": Field(Identifier()),
                                    "to": Field(Identifier()),
                                    "carries": Field(Text()),
                                }
                            ),
                            min_items=5,
                        )
                    ),
                    "apis": Field(
                        ListOf(
                            Record(
                                {
                                    "name": Field(Text()),
                                    "method": Field(Choice(("GET", "POST", "PUT", "PATCH", "DELETE", "RPC", "STREAM"))),
                                    "path": Field(Text()),
                                    "request": Field(Text()),
                                    "response": Field(Text()),
                                    "latency_ms": Field(Number(), doc="p99 target"),
                                }
                            ),
                            min_items=2,
                        )
                    ),
                }
            )
        ),
        "deployment": Field(
            Record(
                {
                    "serving": Field(
                        Record(
                            {
                                "online": Field(OrNotApplicable(Text())),
                                "batch": Field(OrNotApplicable(Text())),
                                "edge": Field(OrNotApplicable(Text())),
                            }
                        )
                    ),
                    "scaling": Field(Text()),
                    "caching": Field(OrNotApplicable(Text())),
                    "optimization": Field(Text(), doc="model optimisation and hardware"),
                    "experiment": Field(
                        Record(
                            {
                                "hypothesis": Field(Text()),
                                "primary_metric": Field(Text()),
                                "guardrails": Field(ListOf(Text(), min_items=2)),
                                "randomization_unit": Field(Text()),
                                "sizing": Field(_sizing, doc="the inputs the sample size and run length are computed from"),
                                "rollout": Field(
                                    ListOf(
                                        Record(
                                            {
                                                "stage": Field(Choice(ROLLOUT_STAGES)),
                                                "detail": Field(Text()),
                                            }
                                        ),
                                        min_items=2,
                                    )
                                ),
                            }
                        )
                    ),
                    "monitoring": Field(
                        Record(
                            {
                                "model": Field(ListOf(Text(), min_items=2)),
                                "data": Field(ListOf(Text(), min_items=2)),
                                "system": Field(ListOf(Text(), min_items=2)),
                            }
                        )
                    ),
                    "maintenance": Field(
                        Record(
                            {
                                "retraining": Field(Text()),
                                "versioning": Field(Text()),
                                "rollback": Field(Text()),
                            }
                        )
                    ),
                }
            )
        ),
        "risks": Field(
            ListOf(
                Record(
                    {
                        "risk": Field(Text()),
                        "kind": Field(Choice(RISK_KINDS)),
                        "likelihood": Field(Choice(("low", "medium", "high"))),
                        "impact": Field(Choice(("low", "medium", "high"))),
                        "owner": Field(Text(), required=RISK_REGISTER_REQUIRED, doc="the role that answers for the risk, e.g. 'ranking on-call'"),
                        "detection": Field(
                            Text(),
                            required=RISK_REGISTER_REQUIRED,
                            doc="the signal or alert that shows the risk is happening, with its threshold",
                        ),
                        "mitigation": Field(Text()),
                    }
                ),
                min_items=5,
            )
        ),
        "decisions": Field(
            ListOf(
                Record(
                    {
                        "title": Field(Text()),
                        "context": Field(Text()),
                        "options": Field(ListOf(Text(), min_items=2, unique=True)),
                        "chosen": Field(Text(), doc="one of the options, word for word"),
                        "rationale": Field(Text()),
                        "consequences": Field(ListOf(Text(), min_items=1)),
                    }
                ),
                min_items=2,
            )
        ),
        # Every built-in preset coaches (tests hold them to it); a team's preset for a design
        # doc at work may leave it out.
        "interview": Field(INTERVIEW_SCHEMA, required=False, doc="interview coaching data"),
    }
)


def validate_shape(data: Any, mode: str = PRESET) -> list[Issue]:
    """Check ``data`` against :data:`PRESET_SCHEMA`; return every issue found."""
    return list(PRESET_SCHEMA.validate(data, (), mode))
