"""A short plain-text digest of a preset, for ``mlsd show``."""

from __future__ import annotations

from typing import Any

from mlsd.figures import KINDS, compute, headline
from mlsd.markdown import one_line, show
from mlsd.references import resolve_references
from mlsd.schema import CATEGORIES


def brief(preset: dict[str, Any], preset_id: str) -> str:
    """What the preset answers: the problem, targets, model, architecture and risks."""
    preset = resolve_references(preset)
    figures = compute(preset)
    metrics = preset["formulation"]["metrics"]
    lines = [
        f"{preset['title']}  [{preset_id}]",
        f"{CATEGORIES.get(preset['category'], preset['category'])} · {preset['system_kind']} · system name: {preset['system_name']}",
        "",
        one_line(preset["summary"]),
        "",
        f"Objective:   {one_line(preset['problem']['business_objective'])}",
        f"Users:       {one_line(preset['problem']['users'])}",
        "Targets:     " + "; ".join(
            f"{r['name']} {show(r['value'])} {r['unit']}" for r in preset["scope"]["non_functional_requirements"]
        ),
        *[
            f"Workload:    {w.label} ({KINDS[w.kind].title}): "
            + ("; ".join(f"{f.label} {f.readable}" for f in headline(w)) or "TODO")
            for w in figures.workloads
        ],
        "Metrics:     " + "; ".join(
            f"{level}: {metrics[level][0]['name']}" for level in ("business", "online", "offline", "guardrail")
        ),
        f"Label:       {one_line(preset['formulation']['label']['definition'])}",
        f"Baseline:    {preset['model']['baseline']['name']}",
        "Candidates:  " + "; ".join(c["name"] for c in preset["model"]["candidates"]),
        "Components:  " + "; ".join(f"{c['name']} ({c['tech']})" for c in preset["architecture"]["components"]),
        "Risks:       " + "; ".join(one_line(r["risk"]) for r in preset["risks"]),
        "Decisions:   " + "; ".join(d["title"] for d in preset["decisions"]),
        "Concepts:    " + (", ".join(preset.get("concepts") or []) or "none tagged"),
        "",
        f"Generate it: mlsd new {preset_id}",
    ]
    return "\n".join(lines)
