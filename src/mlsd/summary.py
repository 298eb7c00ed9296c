"""A short plain-text digest of a preset, for ``mlsd show``, laid out for a terminal."""

from __future__ import annotations

from typing import Any

from mlsd.figures import KINDS, compute, headline
from mlsd.markdown import one_line, quantity
from mlsd.references import resolve_references
from mlsd.schema import CATEGORIES
from mlsd.terminal_text import field_lines, fill


def brief(preset: dict[str, Any], preset_id: str, width: int = 80) -> str:
    """What the preset answers: the problem, targets, workloads, model, architecture and risks.

    Every list (targets, workloads, candidates, components, risks, decisions) gets
    one item per line, so no two items run together.
    """
    preset = resolve_references(preset)
    figures = compute(preset)
    metrics = preset["formulation"]["metrics"]
    fields: list[tuple[str, str | list[str]]] = [
        ("Objective", one_line(preset["problem"]["business_objective"])),
        ("Users", one_line(preset["problem"]["users"])),
        ("Targets", [f"{r['name']}: {quantity(r['value'], r['unit'])}" for r in preset["scope"]["non_functional_requirements"]]),
        ("Workloads", [
            f"{w.label} ({KINDS[w.kind].title}): " + ("; ".join(f"{f.label} {f.readable}" for f in headline(w)) or "TODO")
            for w in figures.workloads
        ]),
        ("Metrics", [f"{level}: {metrics[level][0]['name']}" for level in ("business", "online", "offline", "guardrail")]),
        ("Label", one_line(preset["formulation"]["label"]["definition"])),
        ("Baseline", preset["model"]["baseline"]["name"]),
        ("Candidates", [c["name"] for c in preset["model"]["candidates"]]),
        ("Components", [f"{c['name']} ({c['tech']})" for c in preset["architecture"]["components"]]),
        ("Risks", [one_line(r["risk"]) for r in preset["risks"]]),
        ("Decisions", [d["title"] for d in preset["decisions"]]),
        ("Concepts", ", ".join(preset.get("concepts") or []) or "none tagged"),
    ]
    lines = [
        f"{preset['title']}  [{preset_id}]",
        *fill(
            f"{CATEGORIES.get(preset['category'], preset['category'])} · {preset['system_kind']} · "
            f"system name: {preset['system_name']}",
            width,
        ),
        "",
        *fill(one_line(preset["summary"]), width),
        "",
    ]
    for label, value in fields:
        lines += field_lines(label, value, width)
    lines += ["", f"Generate it: mlsd new {preset_id}"]
    return "\n".join(lines)
