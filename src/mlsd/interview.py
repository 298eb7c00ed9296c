"""The interview plan: the seed's six framework steps, timed and filled from a preset."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from mlsd.figures.latency import LatencyBudget, leaves
from mlsd.figures.latency import Step as PathStep
from mlsd.markdown import anchor, quantity, show
from mlsd.schema import INTERVIEW_STEPS

INTERVIEW_LENGTHS = (30, 45, 60)
# The length a plan is timed for when nobody says; cookiecutter.json lists it first so plain
# cookiecutter defaults to it too.
DEFAULT_INTERVIEW_MINUTES = 45


@dataclass(frozen=True)
class Step:
    """One framework step of the seed with its nominal share of the interview."""

    title: str
    weight: float  # the seed's minutes; ranges such as 5-10 count as their midpoint
    seed_minutes: str
    sections: tuple[int, ...]


# The seed's framework: step, its time budget, and the DESIGN.md sections it feeds.
FRAMEWORK: tuple[Step, ...] = (
    Step("Clarify requirements", 7.5, "5-10", (1, 2)),
    Step("ML problem formulation", 10, "10", (1, 3)),
    Step("System architecture", 15, "15", (5,)),
    Step("Model design", 10, "10", (4,)),
    Step("Scaling and optimisation", 10, "10", (6,)),
    Step("Monitoring and maintenance", 5, "5", (6, 7)),
)


def allocate_minutes(total: int, weights: list[float] | None = None) -> list[int]:
    """Split ``total`` minutes in proportion to ``weights``, summing exactly.

    Largest-remainder rounding: floor every share, then hand the minutes left
    over to the steps with the largest fractional parts (earlier steps first on ties).
    """
    weights = weights or [step.weight for step in FRAMEWORK]
    if total <= 0:
        raise ValueError("an interview needs a positive number of minutes")
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    minutes = [math.floor(x) for x in exact]
    left = total - sum(minutes)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - minutes[i]), i))
    for index in by_remainder[:left]:
        minutes[index] += 1
    return minutes


# --------------------------------------------------------------------------- #
# The plan shaped by the question: time follows where the preset says the
# signal is, each step says what to decide, draw and have ready, and links
# into DESIGN.md rather than repeating it.
# --------------------------------------------------------------------------- #

# Relative time for a 60-minute interview before a preset shifts it: the
# introduction, the six steps in FRAMEWORK order, then the interviewer's deep dive.
INTRODUCTION_WEIGHT = 3.0
DEEP_DIVE_WEIGHT = 10.0
SHAPED_STEP_WEIGHTS = {"clarify": 5.0, "formulate": 7.0, "architecture": 11.0, "model": 8.0, "scale": 8.0, "monitor": 4.0}
# The step named as the focus gets this much more time unless the preset weighs it itself.
FOCUS_BOOST = 1.6


@dataclass(frozen=True)
class StepGuide:
    """What a candidate does in one step: decide, draw, and the DESIGN.md headings it draws on."""

    decide: str
    draw: str
    headings: tuple[str, ...]


STEP_GUIDES: dict[str, StepGuide] = {
    "clarify": StepGuide(
        "Who is served, what is predicted, the latency and scale you design for, what is off limits.",
        "Nothing yet: write the agreed assumptions in a corner of the board and keep them visible.",
        ("Clarifying questions and assumptions", "Non-functional requirements", "Scale assumptions"),
    ),
    "formulate": StepGuide(
        "The problem type, the label and how late and noisy it is, and the metric ladder from business to guardrail.",
        "The label's timeline: event, label arrival, training cut-off.",
        ("ML formulation", "Metrics", "Data sources", "Labelling strategy"),
    ),
    "architecture": StepGuide(
        "Which components sit on the request path and which run offline or on streams, and what each hands the next.",
        "The whiteboard card below: the request path left to right with its latency shares, offline jobs underneath.",
        ("Component diagram", "Data flow", "APIs"),
    ),
    "model": StepGuide(
        "The baseline to beat, the model you ship first and why, the features by group, and how it is trained.",
        "The model's inputs and output, and the training loop from logs to a registered version.",
        ("Candidate models", "Choice", "Features", "Training approach"),
    ),
    "scale": StepGuide(
        "Where the hot spots are at peak, what you cache, how you roll out and measure a new version.",
        "The peak numbers beside each box of the card; the rollout stages as a line.",
        ("Serving strategy", "Scaling approach", "Experiment design"),
    ),
    "monitor": StepGuide(
        "What you watch per model, data and system, when you retrain or roll back, and the risks you accept.",
        "The feedback loop from logged predictions to labels to retraining.",
        ("Monitoring plan", "Maintenance", "7. Risks & Mitigations"),
    ),
}


def step_ids() -> tuple[str, ...]:
    """The six steps' ids, in FRAMEWORK order (the ids preset data names)."""
    return INTERVIEW_STEPS


def shaped_weights(preset: dict[str, Any]) -> tuple[list[float], str | None]:
    """Relative time per part (introduction, six steps, deep dive) and the focus step, from the preset."""
    signal = (preset.get("interview") or {}).get("signal") or {}
    focus = signal.get("focus")
    given = signal.get("weights") or {}
    weights = []
    for step in step_ids():
        weight = float(given.get(step, SHAPED_STEP_WEIGHTS[step]))
        if step == focus and step not in given:
            weight *= FOCUS_BOOST
        weights.append(weight)
    return [INTRODUCTION_WEIGHT, *weights, DEEP_DIVE_WEIGHT], focus


def shaped_minutes(preset: dict[str, Any], total: int) -> list[int]:
    """Minutes for the introduction, the six steps and the deep dive, summing exactly to ``total``."""
    weights, _ = shaped_weights(preset)
    return allocate_minutes(total, weights)


@dataclass(frozen=True)
class PlanFigures:
    """The computed numbers a plan quotes: each workload's headline figures and the latency path."""

    workloads: list[dict[str, Any]]  # the view model's workloads: title, kind, headline
    budget: LatencyBudget
    p99_ms: float | None


def _component_shares(steps: tuple[PathStep, ...] | list[PathStep]) -> dict[str, float]:
    """Each component's p99 share on the path, branches included."""
    return {step.name: step.ms for step in leaves(steps) if step.kind == "component"}


def _headlines(figures: PlanFigures) -> list[str]:
    # The preset's own kinds lead: an on-device design is sized per frame, a batch per run.
    return [f"{w['title']} ({w['kind']}): {'; '.join(w['headline']) or 'TODO'}" for w in figures.workloads]


def _numbers_ready(preset: dict[str, Any], figures: PlanFigures, step: str) -> list[str]:
    """The few figures a candidate should be able to say without looking, per step."""
    requirements = preset["scope"]["non_functional_requirements"]

    def requirement(kinds: tuple[str, ...]) -> list[str]:
        return [f"{r['name']}: {quantity(r['value'], r['unit'])}" for r in requirements if r["kind"] in kinds]

    if step == "clarify":
        return requirement(("latency", "throughput"))[:3]
    if step == "formulate":
        metrics = preset["formulation"]["metrics"]
        return [f"{level.capitalize()} metric: {metrics[level][0]['name']}" for level in ("business", "offline")]
    if step == "architecture":
        names = {c["id"]: c["name"] for c in preset["architecture"]["components"]}
        shares = [f"{names.get(c, c)}: {show(ms)} ms" for c, ms in _component_shares(figures.budget.steps).items()]
        path = f"critical path {show(figures.budget.critical_path_ms)} ms" if figures.budget.critical_path_ms is not None else "critical path TODO"
        return [f"p99 target: {show(figures.p99_ms)} ms, {path}", *shares]
    if step == "model":
        features = preset["model"]["features"]
        groups = sorted({f["group"] for f in features})
        return [f"{len(features)} features in {len(groups)} groups ({', '.join(groups)})"]
    if step == "scale":
        return _headlines(figures)
    return requirement(("availability", "freshness", "accuracy"))[:3]


def shaped_plan(
    preset: dict[str, Any], figures: PlanFigures, total_minutes: int, section_headings: list[str]
) -> dict[str, Any]:
    """The whole timed plan for one length: rows for the clock, the six steps, and the deep dive."""
    weights, focus = shaped_weights(preset)
    minutes = allocate_minutes(total_minutes, weights)
    signal = (preset.get("interview") or {}).get("signal") or {}
    probes = (preset.get("interview") or {}).get("probes") or []
    titles = {sid: step.title for sid, step in zip(step_ids(), FRAMEWORK)}
    rows = []
    start = 0
    labels = ["Introduction", *(f"{n}. {t}" for n, t in enumerate(titles.values(), start=1)), "Interviewer's deep dive"]
    for label, share in zip(labels, minutes):
        rows.append({"title": label, "minutes": share, "start": start, "end": start + share})
        start += share
    section_anchors = {h: anchor(h) for h in section_headings}
    steps = []
    for index, (sid, share) in enumerate(zip(step_ids(), minutes[1:-1])):
        guide = STEP_GUIDES[sid]
        links = [{"heading": h, "anchor": section_anchors.get(h, anchor(h))} for h in guide.headings]
        steps.append(
            {
                "id": sid,
                "number": index + 1,
                "title": titles[sid],
                "minutes": share,
                "focus": sid == focus,
                "decide": guide.decide,
                "draw": guide.draw,
                "numbers": _numbers_ready(preset, figures, sid),
                "links": links,
                "probes": [p["question"] for p in probes if p["step"] == sid],
            }
        )
    deep_dive = {
        "minutes": minutes[-1],
        "focus": titles.get(focus or "", ""),
        "why": signal.get("why", ""),
        "probes": [p["question"] for p in probes if p["kind"] == "deep_dive"],
    }
    return {"minutes": total_minutes, "rows": rows, "steps": steps, "deep_dive": deep_dive}


def all_lengths(preset: dict[str, Any], figures: PlanFigures, section_headings: list[str]) -> list[dict[str, Any]]:
    """The shaped plan for every interview length, shortest first."""
    return [shaped_plan(preset, figures, length, section_headings) for length in INTERVIEW_LENGTHS]


def whiteboard(preset: dict[str, Any], figures: PlanFigures) -> dict[str, Any]:
    """The one-page card: the online components with their latency shares, what feeds them, the headline numbers."""
    components = preset["architecture"]["components"]
    shares = _component_shares(figures.budget.steps)
    path = figures.budget.critical_path_ms
    first_byte = figures.budget.first_byte_ms
    return {
        "online": [
            f"{c['name']} ({show(shares[c['id']])} ms)" if c["id"] in shares else c["name"]
            for c in components
            if c["path"] == "online"
        ],
        "feeding": [f"{c['name']} ({c['path']})" for c in components if c["path"] != "online"],
        "headline": [
            *_headlines(figures),
            f"p99 target {show(figures.p99_ms)} ms, critical path {show(path)} ms"
            + (f", first byte after {show(first_byte)} ms" if first_byte is not None else ""),
            f"Label delay: {preset['formulation']['label']['delay']}",
        ],
    }
