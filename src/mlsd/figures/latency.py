"""The latency budget as a critical path over the architecture's components.

A budget is a sequence of steps. A step is a component with its p99 share in
ms, a network hop with its ms, or a ``parallel`` group of branches (each branch
itself a sequence). Sequences add; a parallel group costs its slowest branch.
An optional ``first_byte`` marker in the top-level sequence says where the
first token or byte of a streamed response reaches the user, so time to first
byte and time to the complete response are two figures.

Adding p99s of consecutive steps over-states the p99 of their sum (tails rarely
coincide), so every total here is an upper bound; it is still the number a
design is held to, because a budget that fits when summed fits in practice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlsd.figures.model import Figure
from mlsd.figures.units import number
from mlsd.schema import Issue, figure_value

FIRST_BYTE = "first_byte"
COMPLETE = "complete"
# Which point of the response the p99 target bounds, when the preset says nothing.
DEFAULT_MEASURE = COMPLETE


@dataclass(frozen=True)
class Step:
    """One step of the path: a component or hop (``branches`` empty) or a parallel group."""

    kind: str  # "component", "hop" or "parallel"
    name: str
    ms: float
    branches: tuple[tuple["Step", ...], ...] = ()
    note: str = ""
    # Where a component or hop sits in the budget as written, e.g. "[1].parallel[0][0]",
    # so an edited value can be recorded against its field.
    where: str = ""


def _steps(raw: Any, prefix: str = "") -> tuple[list[Step], int | None]:
    """Parse a sequence; return its steps and the index of a ``first_byte`` marker, if any."""
    steps: list[Step] = []
    marker: int | None = None
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(item, dict):
            continue
        note = str(item.get("note") or "")
        if FIRST_BYTE in item:
            marker = len(steps)
        elif "parallel" in item:
            branches = tuple(
                tuple(_steps(branch, f"{prefix}[{index}].parallel[{b}]")[0])
                for b, branch in enumerate(item["parallel"] or [])
                if isinstance(branch, list)
            )
            branches = tuple(b for b in branches if b)
            if branches:
                slowest = max(_sequence_ms(b) for b in branches)
                steps.append(Step("parallel", "parallel", slowest, branches, note))
        elif "component" in item or "hop" in item:
            ms = figure_value(item.get("ms"))
            if ms is not None:
                kind = "component" if "component" in item else "hop"
                steps.append(Step(kind, str(item[kind]), ms, (), note, f"{prefix}[{index}]"))
    return steps, marker


def _sequence_ms(steps: tuple[Step, ...] | list[Step]) -> float:
    return sum(step.ms for step in steps)


def _sum_of_parts(steps: tuple[Step, ...] | list[Step]) -> float:
    """Every step added, parallel branches included: what a serial sum would claim."""
    return sum(sum(_sum_of_parts(b) for b in s.branches) if s.branches else s.ms for s in steps)


def expression(steps: tuple[Step, ...] | list[Step]) -> str:
    """The path written out: ``20 + max(45, 15) + 80``; a branch of several steps in brackets."""
    parts = []
    for step in steps:
        if step.branches:
            inner = []
            for branch in step.branches:
                text = expression(branch)
                inner.append(f"({text})" if len(branch) > 1 else text)
            parts.append(f"max({', '.join(inner)})")
        else:
            parts.append(number(step.ms))
    return " + ".join(parts)


def _names(steps: tuple[Step, ...] | list[Step], names: dict[str, str], *, with_ms: bool = False) -> str:
    """The path in words, for the formula column; with each step's ms for a summary."""
    parts = []
    for step in steps:
        if step.branches:
            parts.append("slowest of (" + " | ".join(_names(b, names, with_ms=with_ms) for b in step.branches) + ")")
            continue
        name = f"network hop {step.name.replace('_', ' ')}" if step.kind == "hop" else names.get(step.name, step.name)
        parts.append(f"{name} {number(step.ms)} ms" if with_ms else name)
    return " + ".join(parts)


def described(budget: LatencyBudget, names: dict[str, str]) -> str:
    """The request path in words with each step's budget: ``Feed API 20 ms + slowest of (...)``."""
    return _names(budget.steps, names, with_ms=True)


@dataclass(frozen=True)
class LatencyBudget:
    """The computed budget: the critical path, time to first byte, and the target."""

    steps: list[Step]
    first_byte_index: int | None
    target_ms: float | None
    measures: str
    figures: list[Figure]

    def by_key(self) -> dict[str, Figure]:
        return {f.key: f for f in self.figures}

    @property
    def critical_path_ms(self) -> float | None:
        return _sequence_ms(self.steps) if self.steps else None

    @property
    def first_byte_ms(self) -> float | None:
        if self.first_byte_index is None or not self.steps:
            return None
        return _sequence_ms(self.steps[: self.first_byte_index])

    @property
    def held_ms(self) -> float | None:
        """The figure the p99 target bounds: time to first byte or to the complete response."""
        return self.first_byte_ms if self.measures == FIRST_BYTE else self.critical_path_ms

    @property
    def sum_of_parts_ms(self) -> float | None:
        return _sum_of_parts(self.steps) if self.steps else None


def _ms_figure(key: str, label: str, formula: str, steps: list[Step], value: float) -> Figure:
    text = f"{number(value)} ms"
    return Figure(key=key, label=label, formula=formula, inputs=f"{expression(steps)} = {text}",
                  value=value, unit="ms", readable=text)


def compute(scale: dict[str, Any], names: dict[str, str] | None = None) -> LatencyBudget:
    """Critical path, time to first byte and sum of parts from ``scale.serving``."""
    names = names or {}
    serving = scale.get("serving") if isinstance(scale.get("serving"), dict) else {}
    steps, marker = _steps(serving.get("latency_budget"))
    target = serving.get("p99_latency_ms") if isinstance(serving.get("p99_latency_ms"), dict) else {}
    target_ms = figure_value(target.get("value"))
    measures = target.get("measures") if target.get("measures") in (FIRST_BYTE, COMPLETE) else DEFAULT_MEASURE
    budget = LatencyBudget(steps, marker, target_ms, measures, [])
    figures: list[Figure] = []
    if steps:
        words = _names(steps, names)
        if marker is not None:
            figures.append(_ms_figure("latency.first_byte_ms", "Time to first byte (p99 path)",
                                      _names(steps[:marker], names), steps[:marker], budget.first_byte_ms or 0.0))
        figures.append(_ms_figure("latency.critical_path_ms", "Critical path to the complete response (p99 path)",
                                  words, steps, budget.critical_path_ms or 0.0))
        parts = budget.sum_of_parts_ms or 0.0
        figures.append(Figure(
            key="latency.sum_of_parts_ms", label="Sum of every step's p99 (upper bound, not a path)",
            formula="every component and hop added, parallel branches included",
            inputs=" + ".join(number(s.ms) for s in leaves(steps)) + f" = {number(parts)} ms",
            value=parts, unit="ms", readable=f"{number(parts)} ms"))
        held = budget.held_ms
        if target_ms is not None and held is not None:
            headroom = target_ms - held
            figures.append(Figure(
                key="latency.headroom_ms", label="Headroom under the p99 target",
                formula=f"p99 target - {'time to first byte' if measures == FIRST_BYTE else 'critical path'}",
                inputs=f"{number(target_ms)} - {number(held)} ms", value=headroom, unit="ms",
                readable=f"{number(headroom)} ms"))
    return LatencyBudget(steps, marker, target_ms, measures, figures)


def leaves(steps: list[Step] | tuple[Step, ...]) -> list[Step]:
    """The components and hops of a path, branches included, in the order the budget table lists them."""
    out: list[Step] = []
    for step in steps:
        if step.branches:
            for branch in step.branches:
                out.extend(leaves(branch))
        else:
            out.append(step)
    return out


def rows(budget: LatencyBudget, names: dict[str, str]) -> list[dict[str, str]]:
    """One table row per step, branches indented under their group, for docs/capacity.md.

    ``where`` names a component or hop's place in the budget as written; rows the
    path computes (a parallel group, the first byte) have none.
    """
    out: list[dict[str, str]] = []

    def add(steps: list[Step] | tuple[Step, ...], depth: int, label: str = "") -> None:
        for step in steps:
            if step.branches:
                out.append({"step": "↳ " * depth + "Parallel (slowest branch counts)",
                            "ms": number(step.ms), "note": step.note, "where": ""})
                for index, branch in enumerate(step.branches, start=1):
                    add(branch, depth + 1, f"branch {index}: ")
            else:
                name = (f"Network hop: {step.name.replace('_', ' ')}" if step.kind == "hop"
                        else names.get(step.name, step.name))
                out.append({"step": "↳ " * depth + label + name, "ms": number(step.ms), "note": step.note,
                            "where": step.where})

    add(budget.steps[: budget.first_byte_index] if budget.first_byte_index is not None else budget.steps, 0)
    if budget.first_byte_index is not None:
        out.append({"step": "*First byte reaches the user*", "ms": number(budget.first_byte_ms or 0.0), "note": "",
                    "where": ""})
        add(budget.steps[budget.first_byte_index:], 0)
    return out


def latency_issues(preset: dict[str, Any]) -> list[Issue]:
    """The budget's path against the p99 target: a warning when it runs over."""
    scale = preset.get("scale")
    if not isinstance(scale, dict):
        return []
    budget = compute(scale)
    held, target = budget.held_ms, budget.target_ms
    if held is None or target is None or held <= target:
        return []
    what = "time to first byte" if budget.measures == FIRST_BYTE else "critical path"
    return [Issue(("scale", "serving", "latency_budget"),
                  f"{what} takes {number(held)} ms ({expression(budget.steps if budget.measures != FIRST_BYTE else budget.steps[: budget.first_byte_index])}), "
                  f"over the p99 target of {number(target)} ms")]
