"""Fit checks: where a preset's computed figures break the limits it declares.

Each kind compares its own figures with its own limits; this module gathers
them with full field paths, adds the checks that span the preset (throughput
and latency requirements against the workloads), and says what is out of range.
"""

from __future__ import annotations

from typing import Any

from mlsd.figures import FigureSet, compute
from mlsd.figures.experiments import experiment_issues
from mlsd.figures.latency import latency_issues
from mlsd.figures.units import number
from mlsd.schema import Issue

# Throughput requirements in this unit are compared with an online service's peak.
REQUEST_RATE_UNIT = "requests/s"
# A throughput requirement far above the computed peak means the two disagree.
MAX_THROUGHPUT_OVER_PEAK = 5.0


def fit_issues(preset: dict[str, Any], figures: FigureSet | None = None) -> list[Issue]:
    """Every disagreement between the preset's numbers and its own limits and targets."""
    figures = figures if figures is not None else compute(preset)
    issues: list[Issue] = []
    for workload in figures.workloads:
        where = ("workloads", workload.index)
        issues += [Issue(where + fit.field, f"{workload.name}: {fit.message}") for fit in workload.fit]
        for key in workload.out_of_range:
            issues.append(Issue(where + ("inputs",), f"{workload.name}.{key} is out of range; the inputs are too large to compute it"))
    issues += _latency_issues(preset)
    issues += experiment_issues(preset)
    issues += _throughput_issues(preset, figures)
    return issues


def _latency_issues(preset: dict[str, Any]) -> list[Issue]:
    """The critical path against the p99 target, and the p99 target against the requirements."""
    serving = (preset.get("scale") or {}).get("serving") or {}
    p99_item = serving.get("p99_latency_ms")
    p99 = p99_item.get("value") if isinstance(p99_item, dict) else None
    if isinstance(p99, bool) or not isinstance(p99, (int, float)):
        return []
    issues = latency_issues(preset)
    requirements = (preset.get("scope") or {}).get("non_functional_requirements") or []
    targets = [r.get("value") for r in requirements if isinstance(r, dict) and r.get("kind") == "latency" and r.get("unit") == "ms"]
    if p99 not in targets:
        issues.append(Issue(("scope", "non_functional_requirements"),
                            f"no latency requirement in ms states the p99 target of {number(p99)} ms from scale.serving.p99_latency_ms"))
    return issues


def _throughput_issues(preset: dict[str, Any], figures: FigureSet) -> list[Issue]:
    """A requests/s requirement must carry the online peak, and not dwarf it."""
    peaks = [w.by_key()["peak_qps"].value for w in figures.of_kind("online_service")]
    peaks = [p for p in peaks if p is not None]
    if not peaks:
        return []
    peak = sum(peaks)
    issues: list[Issue] = []
    requirements = (preset.get("scope") or {}).get("non_functional_requirements") or []
    for index, requirement in enumerate(requirements):
        if not isinstance(requirement, dict) or requirement.get("kind") != "throughput":
            continue
        value = requirement.get("value")
        if requirement.get("unit") != REQUEST_RATE_UNIT or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        where = ("scope", "non_functional_requirements", index, "value")
        if value < peak:
            issues.append(Issue(where, f"{number(value)} requests/s cannot carry the peak of {number(round(peak))} requests/s that the online workloads imply"))
        elif value > peak * MAX_THROUGHPUT_OVER_PEAK:
            issues.append(Issue(where, f"{number(value)} requests/s is over {MAX_THROUGHPUT_OVER_PEAK:g}x the peak of {number(round(peak))} requests/s that the online workloads imply"))
    return issues
