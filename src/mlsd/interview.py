"""The interview plan: the seed's six framework steps, timed and filled from a preset."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from mlsd.markdown import anchor, quantity, show
from mlsd.schema import is_not_applicable

INTERVIEW_LENGTHS = (45, 60)


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


def _points(preset: dict[str, Any], workloads: list[dict[str, Any]], step_index: int) -> list[str]:
    """The preset's talking points for one step, in the order they are best said."""
    scope, formulation = preset["scope"], preset["formulation"]
    model, deployment = preset["model"], preset["deployment"]
    if step_index == 0:
        points = [f"Ask: {q['question']} Assume: {q['assumption']}" for q in preset["clarifying_questions"]]
        points += [f"Target: {r['name']}, {quantity(r['value'], r['unit'])}" for r in scope["non_functional_requirements"]]
        return points
    if step_index == 1:
        label = formulation["label"]
        metrics = formulation["metrics"]
        return [
            f"Problem type: {formulation['problem_type']}",
            f"Learning setting: {formulation['learning_setting']}",
            f"Label: {label['definition']} Delay: {label['delay']}",
            f"Label noise: {label['noise']}",
            *[f"{level.capitalize()} metric: {m['name']} ({m['target']})" for level in ("business", "online", "offline", "guardrail") for m in metrics[level][:1]],
            "Data: " + "; ".join(f"{s['name']} ({s['volume']})" for s in preset["data"]["sources"]),
        ]
    if step_index == 2:
        architecture = preset["architecture"]
        return [
            *[f"{c['name']} ({c['path']}): {c['tech']}" for c in architecture["components"]],
            *[f"API {a['method']} {a['path']} within {show(a['latency_ms'])} ms p99" for a in architecture["apis"]],
        ]
    if step_index == 3:
        groups = sorted({f["group"] for f in model["features"]})
        return [
            f"Baseline: {model['baseline']['name']}",
            *[f"Stronger option: {c['name']}" for c in model["candidates"]],
            f"Choice: {model['choice']}",
            f"Features ({len(model['features'])}, groups: {', '.join(groups)}): "
            + ", ".join(f["name"] for f in model["features"][:6]),
            f"Training: {model['training']['cadence']}",
        ]
    if step_index == 4:
        # The preset's own kinds lead: an on-device design is sized per frame, not per host.
        points = [f"{w['title']} ({w['kind']}): {'; '.join(w['headline']) or 'TODO'}" for w in workloads]
        points += [f"Scaling: {deployment['scaling']}", f"Optimisation: {deployment['optimization']}"]
        if not is_not_applicable(deployment["caching"]):
            points.append(f"Caching: {deployment['caching']}")
        experiment = deployment["experiment"]
        points += [
            f"Experiment: {experiment['hypothesis']}",
            "Rollout: " + ", then ".join(stage["stage"].replace("_", " ") for stage in experiment["rollout"]),
        ]
        return points
    monitoring, maintenance = deployment["monitoring"], deployment["maintenance"]
    return [
        *[f"Watch ({area}): {monitoring[area][0]}" for area in ("model", "data", "system")],
        f"Retraining: {maintenance['retraining']}",
        f"Rollback: {maintenance['rollback']}",
        *[f"Risk: {r['risk']} Mitigation: {r['mitigation']}" for r in preset["risks"][:3]],
    ]


def plan(preset: dict[str, Any], workloads: list[dict[str, Any]], total_minutes: int, section_headings: list[str]) -> list[dict[str, Any]]:
    """The six steps with minutes, start times, talking points and section links."""
    minutes = allocate_minutes(total_minutes)
    steps = []
    start = 0
    for index, (step, share) in enumerate(zip(FRAMEWORK, minutes)):
        steps.append(
            {
                "number": index + 1,
                "title": step.title,
                "minutes": share,
                "start": start,
                "end": start + share,
                "seed_minutes": step.seed_minutes,
                "sections": [
                    {"heading": section_headings[n - 1], "anchor": anchor(section_headings[n - 1])}
                    for n in step.sections
                ],
                "points": _points(preset, workloads, index),
            }
        )
        start += share
    return steps
