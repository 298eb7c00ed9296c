"""The figures engine: every number a design states, computed from the preset's workloads.

``compute(preset)`` gives a :class:`FigureSet` naming each input and figure
``<workload>.<key>``; :mod:`mlsd.figures.fit` holds them against the limits the
preset declares. Plain Python: no templates, prompts or CLI.
"""

from __future__ import annotations

import difflib
from typing import Any

from mlsd.figures.kinds import KINDS
from mlsd.figures.model import INPUT, LIMIT, Figure, FigureSet, InputSpec, Sheet, Workload
from mlsd.figures.units import number
from mlsd.schema import Issue

__all__ = ["KINDS", "Figure", "FigureSet", "Workload", "compute", "headline", "workload_issues", "workloads_of"]


def workloads_of(preset: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The preset's workloads of a known kind, with their index in the list."""
    items = preset.get("workloads")
    if not isinstance(items, list):
        return []
    return [(i, w) for i, w in enumerate(items) if isinstance(w, dict) and w.get("kind") in KINDS]


def _numeric(item: Any) -> float | None:
    value = item.get("value") if isinstance(item, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _input_figure(key: str, spec: InputSpec, item: Any, role: str) -> Figure:
    value = _numeric(item)
    own = item.get("label") if isinstance(item, dict) else None
    label = f"{spec.label}: {own}" if isinstance(own, str) and own.strip() else spec.label
    basis = item.get("basis") if isinstance(item, dict) else None
    return Figure(
        key=key, label=label, formula="", inputs=None, value=value, unit=spec.unit,
        readable=number(value) if value is not None else None, role=role,
        basis=basis if isinstance(basis, str) else None,
    )


def input_paths(workload: dict[str, Any]) -> dict[str, tuple[str | int, ...]]:
    """Where in the workload each shown input lives: ``("inputs", key)``, ``("stages", 0, key)``..."""
    kind = KINDS[workload["kind"]]
    paths: dict[str, tuple[str | int, ...]] = {}
    for group, specs in (("inputs", kind.inputs), ("limits", kind.limits)):
        declared = workload.get(group) if isinstance(workload.get(group), dict) else {}
        paths.update({spec.key: (group, spec.key) for spec in specs if spec.key in declared})
    for key, _, _, _, path in kind.extra_inputs(workload):
        paths[key] = path
    return paths


def compute_workload(index: int, workload: dict[str, Any]) -> Workload:
    """One workload's inputs, limits and figures, and where its numbers break its limits."""
    kind = KINDS[workload["kind"]]
    inputs = workload.get("inputs") if isinstance(workload.get("inputs"), dict) else {}
    limits = workload.get("limits") if isinstance(workload.get("limits"), dict) else {}
    shown: list[Figure] = []
    values: dict[str, float | None] = {}
    for spec in kind.inputs:
        if spec.key in inputs:
            shown.append(_input_figure(spec.key, spec, inputs[spec.key], INPUT))
            values[spec.key] = shown[-1].value
    for key, spec, value, basis, _ in kind.extra_inputs(workload):
        shown.append(_input_figure(key, spec, {"value": value, "basis": basis}, INPUT))
        values[key] = shown[-1].value
    for spec in kind.limits:
        if spec.key in limits:
            shown.append(_input_figure(spec.key, spec, limits[spec.key], LIMIT))
            values[spec.key] = shown[-1].value
    sheet = Sheet(values)
    kind.compute(sheet, workload)
    return Workload(
        index=index,
        name=str(workload.get("name")),
        kind=kind.name,
        label=str(workload.get("label") or kind.title),
        inputs=shown,
        figures=sheet.figures,
        fit=kind.fit(sheet.values, workload),
        out_of_range=sheet.out_of_range,
    )


# How many figures of a workload lead a summary.
HEADLINE_FIGURES = 3


def headline(workload: Workload, limit: int = HEADLINE_FIGURES) -> list[Figure]:
    """The computed figures that say most about a workload, in its kind's order."""
    by_key = {f.key: f for f in workload.figures}
    chosen = [by_key[k] for k in KINDS[workload.kind].headline if k in by_key and by_key[k].readable]
    return chosen[:limit]


def compute(preset: dict[str, Any]) -> FigureSet:
    """Every workload's inputs and figures, in the preset's order."""
    return FigureSet([compute_workload(index, workload) for index, workload in workloads_of(preset)])


def workload_issues(preset: dict[str, Any]) -> list[Issue]:
    """What each workload's kind requires beyond the generic shape the schema checks.

    A known kind, unique names, the kind's required inputs present, no unknown
    inputs or limits, whole numbers and bounds where the kind says so, and the
    kind's own structure (such as an online service's stages).
    """
    items = preset.get("workloads")
    if not isinstance(items, list):
        return []
    issues: list[Issue] = []
    names: set[str] = set()
    for index, workload in enumerate(items):
        if not isinstance(workload, dict):
            continue
        where = ("workloads", index)
        kind = KINDS.get(workload.get("kind"))  # type: ignore[arg-type]
        if kind is None:
            near = difflib.get_close_matches(str(workload.get("kind")), list(KINDS), n=1)
            hint = f"did you mean '{near[0]}'?" if near else f"one of: {', '.join(KINDS)}"
            issues.append(Issue(where + ("kind",), f"unknown workload kind '{workload.get('kind')}'; {hint}"))
            continue
        name = workload.get("name")
        if isinstance(name, str):
            if name in names:
                issues.append(Issue(where + ("name",), f"'{name}' names two workloads; each needs its own"))
            names.add(name)
        for group, specs in (("inputs", kind.inputs), ("limits", kind.limits)):
            given = workload.get(group)
            if not isinstance(given, dict):
                continue
            known = {s.key: s for s in specs}
            for key, item in given.items():
                spec = known.get(key)
                if spec is None:
                    near = difflib.get_close_matches(str(key), list(known), n=1)
                    hint = f"did you mean '{near[0]}'?" if near else f"a {kind.name} takes: {', '.join(known)}"
                    issues.append(Issue(where + (group, str(key)), f"unknown {group[:-1]}; {hint}"))
                    continue
                value = _numeric(item)
                if value is None:
                    continue
                if spec.integer and not value.is_integer():
                    issues.append(Issue(where + (group, key, "value"), f"expected a whole number, got {value:g}"))
                if spec.maximum is not None and value > spec.maximum:
                    issues.append(Issue(where + (group, key, "value"), f"must be at most {spec.maximum:g}, got {value:g}"))
            if group == "inputs":
                for spec in specs:
                    if spec.required and spec.key not in given:
                        issues.append(Issue(where + (group, spec.key), f"required by a {kind.name} workload ({spec.label})"))
        if workload.get("stages") is not None and kind.name != "online_service":
            issues.append(Issue(where + ("stages",), "only an online_service workload has stages"))
        issues += [Issue(where + path, message) for path, message in kind.structure(workload)]
        keys = [s.key for s in kind.inputs if s.key in (workload.get("inputs") or {})]
        keys += [key for key, *_ in kind.extra_inputs(workload)]
        clash = sorted({k for k in keys if keys.count(k) > 1})
        if clash:
            issues.append(Issue(where + ("stages",), f"stage numbers clash with inputs: {', '.join(clash)}"))
    return issues
