"""The view model the templates render: a merged preset plus everything derived.

Templates only look fields up in what :func:`build_document` returns and loop
over lists; every computed or formatted value is made here.
"""

from __future__ import annotations

from typing import Any

from mlsd.concepts import CONCEPT_GROUPS, CONCEPTS, CONCEPTS_BY_ID, Concept
from mlsd.decisions import decision_records
from mlsd.diagram import flowchart
from mlsd.derived_inputs import fingerprint_line
from mlsd.figures import KINDS, FigureSet, headline
from mlsd.figures import compute as compute_figures
from mlsd.figures import experiments as experiment_sizing
from mlsd.figures import latency
from mlsd.figures.fit import fit_issues
from mlsd.figures.units import number
from mlsd.interview import DEFAULT_INTERVIEW_MINUTES, PlanFigures, all_lengths, shaped_plan, whiteboard
from mlsd.markdown import anchor, first_statement, quantity, show
from mlsd.work_mode import work_sections
from mlsd.presets import BLANK_ID
from mlsd.schema import CATEGORIES, FEATURE_GROUPS, TODO_MARKER
from mlsd.sections import SECTION_TITLES


# Which preset fields feed which of the seven sections (for the TODO summary).
SECTION_FIELDS: dict[int, tuple[str, ...]] = {
    1: ("problem", "clarifying_questions", "formulation"),
    2: ("scope", "workloads", "scale"),
    3: ("data",),
    4: ("model",),
    5: ("architecture",),
    6: ("deployment",),
    7: ("risks", "decisions"),
}

FEATURE_GROUP_TITLES = {
    "user": "User",
    "item": "Item",
    "entity": "Entity",
    "query": "Query",
    "context": "Context",
    "cross": "Cross",
    "sequence": "Sequence",
    "raw_input": "Raw input",
    "device": "Device and vehicle state",
}

# How the components table marks where a technology comes from; a design's own
# pick for a question that names no company needs no mark.
STACK_LABELS = {"published": "published", "stand_in": "stand-in"}

ROLLOUT_TITLES = {
    "offline_replay": "Offline replay",
    "shadow": "Shadow",
    "canary": "Canary",
    "blue_green": "Blue-green switch",
    "ab_test": "A/B test",
    "ramp": "Ramp",
    "full": "Full launch",
}

PROBE_KIND_TITLES = {
    "deep_dive": "Deep dive",
    "scale_10x": "At 10x",
    "curveball": "Curveball",
    "trade_off": "Trade-off",
}


def interview_step_titles() -> dict[str, str]:
    """Step id -> title, as the plan names them."""
    from mlsd.interview import FRAMEWORK, step_ids

    return {sid: step.title for sid, step in zip(step_ids(), FRAMEWORK)}


def _contains_todo(value: Any) -> bool:
    if isinstance(value, str):
        return TODO_MARKER in value
    if isinstance(value, dict):
        return any(_contains_todo(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_todo(v) for v in value)
    return value is None


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _value(item: Any) -> float | None:
    value = item.get("value") if isinstance(item, dict) else None
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def workload_views(figures: FigureSet) -> list[dict[str, Any]]:
    """Each workload's input and figure tables, and its headline figures, ready to render."""
    views = []
    for workload in figures.workloads:
        kind = KINDS[workload.kind]
        views.append(
            {
                "name": workload.name,
                "title": workload.label,
                "kind": kind.title,
                "inputs": [
                    {"label": _capitalise(f.label), "value": show(f.readable), "unit": f.unit, "basis": show(f.basis),
                     "limit": f.role == "limit", "name": f"{workload.name}.{f.key}"}
                    for f in workload.inputs
                ],
                "figures": [
                    {"label": f.label, "formula": f.formula, "inputs": f.inputs or TODO_MARKER + ": fill in the inputs",
                     "result": f.readable or TODO_MARKER, "name": f"{workload.name}.{f.key}"}
                    for f in workload.figures
                ],
                "headline": [f"{f.readable} ({f.label[:1].lower()}{f.label[1:]})" for f in headline(workload)],
            }
        )
    return views


def concept_tags(preset: dict[str, Any]) -> dict[str, str]:
    """Concept id -> how it applies in this design."""
    return dict(preset.get("concepts") or {})


def _experiment_line(sizing: experiment_sizing.ExperimentSizing) -> str:
    """The primary metric's sample size and the planned run, as one clause."""
    primary = next((m for m in sizing.metrics if m.role == "primary"), None)
    if primary is None or primary.sample_size_per_arm is None or sizing.planned_days is None:
        return TODO_MARKER
    return f"{number(primary.sample_size_per_arm)} {primary.unit} per arm on {primary.name}, planned for {quantity(sizing.planned_days, 'days')}"


def _study_list(preset: dict[str, Any], tagged: dict[str, str]) -> list[tuple[Concept, str]]:
    """The concepts to study with why: the preset's own list, or, for a custom
    design that has none, every concept it does not tag."""
    study = preset.get("study")
    if isinstance(study, dict) and study:
        return [(c, study[c.id]) for c in CONCEPTS if c.id in study]
    return [(c, "") for c in CONCEPTS if c.id not in tagged]


def build_document(
    preset: dict[str, Any],
    *,
    preset_id: str,
    guidance: bool = True,
    interview_minutes: int = DEFAULT_INTERVIEW_MINUTES,
    practice: bool = False,
    work: bool = False,
) -> dict[str, Any]:
    """Everything the generated documents show, for one merged preset."""
    figures = compute_figures(preset)
    components = preset["architecture"]["components"]
    names = {c["id"]: c["name"] for c in components}

    sections = []
    for number_, title in enumerate(SECTION_TITLES, start=1):
        heading = f"{number_}. {title}"
        todo = any(_contains_todo(preset.get(key)) for key in SECTION_FIELDS[number_])
        sections.append({"number": number_, "title": title, "heading": heading, "anchor": anchor(heading), "todo": todo})

    workloads = workload_views(figures)
    requirements = [
        {**r, "target": quantity(r.get("value"), str(r.get("unit", "")))}
        for r in preset["scope"]["non_functional_requirements"]
    ]

    features_by_group = []
    for group in FEATURE_GROUPS:
        members = [f for f in preset["model"]["features"] if f.get("group") == group]
        if members:
            features_by_group.append({"title": FEATURE_GROUP_TITLES[group], "features": members})

    serving = [
        {"mode": mode.capitalize(), "text": show(preset["deployment"]["serving"][mode])}
        for mode in ("online", "batch", "edge")
    ]

    budget = latency.compute(preset["scale"], names)
    sizing = experiment_sizing.compute(preset["deployment"]["experiment"], {name: figures[name].value for name in figures})
    p99 = _value(preset["scale"]["serving"].get("p99_latency_ms"))

    how = concept_tags(preset)
    tagged = [
        {"id": c, "label": CONCEPTS_BY_ID[c].label, "group": CONCEPTS_BY_ID[c].group,
         "summary": CONCEPTS_BY_ID[c].summary, "how": how[c]}
        for c in how
        if c in CONCEPTS_BY_ID
    ]
    checklist = [
        {"title": group, "concepts": [{"label": c.label, "summary": c.summary, "why": why}
                                      for c, why in _study_list(preset, how) if c.group == group]}
        for group in CONCEPT_GROUPS
    ]
    checklist = [group for group in checklist if group["concepts"]]

    metrics = preset["formulation"]["metrics"]
    card = {
        "scale": " / ".join(f"{w['title']}: {', '.join(w['headline']) or TODO_MARKER}" for w in workloads),
        "latency": f"p99 target {show(p99)} ms; critical path {show(budget.critical_path_ms)} ms"
        + (f", first byte after {number(budget.first_byte_ms)} ms" if budget.first_byte_ms is not None else ""),
        "metrics": "; ".join(
            f"{level}: {metrics[level][0]['name']}" for level in ("business", "online", "offline", "guardrail")
        ),
        "architecture": " / ".join(f"{c['name']} ({c['tech']})" for c in components if c.get("path") == "online"),
        "rollout": ", then ".join(ROLLOUT_TITLES.get(r["stage"], r["stage"]) for r in preset["deployment"]["experiment"]["rollout"]),
        "risks": "; ".join(first_statement(r["risk"]).rstrip(".") for r in preset["risks"][:3]),
        "request_path": latency.described(budget, names) if budget.steps else TODO_MARKER,
        "experiment": _experiment_line(sizing),
        "model": first_statement(preset["model"]["choice"]),
        # The summary names the main workload; capacity.md has the others.
        "main_scale": f"{workloads[0]['title']}: {', '.join(workloads[0]['headline']) or TODO_MARKER}"
        + (f"; {len(workloads) - 1} more in capacity" if len(workloads) > 1 else ""),
    }
    headings = [s["heading"] for s in sections]
    plan_figures = PlanFigures(workloads, budget, p99)
    interview = shaped_plan(preset, plan_figures, interview_minutes, headings)
    coaching = preset.get("interview") or {}
    probes = [
        {**probe, "kind_label": PROBE_KIND_TITLES[probe["kind"]], "step_title": interview_step_titles().get(probe["step"], "")}
        for probe in sorted(coaching.get("probes", []), key=lambda p: list(interview_step_titles()).index(p["step"]))
    ]
    warnings = [issue.message for issue in fit_issues(preset, figures)]
    records = decision_records(preset)

    flows = [
        {"source": names.get(f["from"], f["from"]), "target": names.get(f["to"], f["to"]), "carries": f["carries"]}
        for f in preset["architecture"]["data_flow"]
    ]

    entities = [
        {**entity, "fields": [{"note": "", **f} for f in entity["fields"]]} for entity in preset["data"]["entities"]
    ]
    references = [{"authors": "", **ref} for ref in preset.get("references", [])]

    rollout = [
        {**stage, "title": ROLLOUT_TITLES.get(stage["stage"], stage["stage"])}
        for stage in preset["deployment"]["experiment"]["rollout"]
    ]
    apis = [{**api, "latency": show(api.get("latency_ms"))} for api in preset["architecture"]["apis"]]
    component_rows = [
        {**c, "technology": c["tech"] + (f" ({STACK_LABELS[c['stack']]})" if c.get("stack") in STACK_LABELS else "")}
        for c in components
    ]

    budget_rows = latency.rows(budget, names)
    table_values = [row["value"] for w in workloads for row in w["inputs"]] + [row["ms"] for row in budget_rows]
    return {
        "p": preset,
        # Derived files end with this, so mlsd check can tell when DESIGN.md's tables changed since.
        "inputs_fingerprint": fingerprint_line(table_values),
        "rollout": rollout,
        "apis": apis,
        "components": component_rows,
        "stacks_labelled": any(c.get("stack") in STACK_LABELS for c in components),
        "entities": entities,
        "references": references,
        "other_constraints": preset["scope"]["constraints"].get("other", []),
        "preset_id": preset_id,
        "is_blank": preset_id == BLANK_ID,
        "practice": practice,
        # The risk register: ids in order, and an owner and a detection signal for each.
        "risks": [
            {**risk, "id": f"R{number}", "owner": show(risk.get("owner")), "detection": show(risk.get("detection"))}
            for number, risk in enumerate(preset["risks"], start=1)
        ],
        "work": work_sections(preset, [f for w in figures.workloads for f in w.figures]) if work else None,
        "guidance": guidance,
        "category_label": CATEGORIES.get(preset["category"], preset["category"]),
        "sections": sections,
        "todo_sections": [s for s in sections if s["todo"]],
        "requirements": requirements,
        "workloads": workloads,
        "figures": figures,
        "budget_rows": budget_rows
        or [{"step": f"{TODO_MARKER}: the steps on the request path", "ms": TODO_MARKER, "note": ""}],
        "budget_figures": [
            {"label": f.label, "formula": f.formula, "inputs": f.inputs or "", "readable": f.readable or TODO_MARKER}
            for f in budget.figures
        ]
        or [{"label": "Critical path", "formula": "steps in sequence add; a parallel group costs its slowest branch",
             "inputs": f"{TODO_MARKER}: fill in the steps", "readable": TODO_MARKER}],
        "budget_path": latency.expression(budget.steps) if budget.steps else TODO_MARKER,
        "critical_path_ms": show(budget.critical_path_ms),
        "first_byte_ms": number(budget.first_byte_ms) if budget.first_byte_ms is not None else None,
        "budget_measures": "time to first byte" if budget.measures == latency.FIRST_BYTE else "critical path",
        "p99_latency_ms": show(p99),
        "sizing": sizing,
        "sizing_rows": [
            {"label": f.label, "formula": f.formula, "inputs": f.inputs or "", "result": f.readable or TODO_MARKER}
            for f in sizing.figures
            if not f.key.startswith("experiment.") or f.key.count(".") > 1
        ]
        or [{"label": "Sample size per arm", "formula": "see the formulas above",
             "inputs": f"{TODO_MARKER}: fill in the sizing inputs", "result": TODO_MARKER}],
        "sizing_metrics": [
            {"name": m.name, "role": m.role, "unit": m.unit,
             "n": f"{number(m.sample_size_per_arm)} {m.unit}" if m.sample_size_per_arm is not None else TODO_MARKER,
             "days": quantity(m.days_needed, "days") if m.days_needed is not None else TODO_MARKER}
            for m in sizing.metrics
        ],
        "planned_days": show(sizing.planned_days),
        "features_by_group": features_by_group,
        "serving": serving,
        "caching": show(preset["deployment"]["caching"]),
        "diagram": flowchart(components, preset["architecture"]["data_flow"]),
        "flows": flows,
        "concepts": tagged,
        "concept_checklist": checklist,
        "study_is_chosen": bool(preset.get("study")),
        "card": card,
        "interview": interview,
        "interview_lengths": [{"minutes": p["minutes"], "rows": p["rows"]} for p in all_lengths(preset, plan_figures, headings)],
        "whiteboard": whiteboard(preset, plan_figures),
        "probes": probes,
        "signal": coaching.get("signal"),
        "interview_minutes": interview_minutes,
        "consistency_warnings": warnings,
        "decision_records": records,
        "decisions": [{**d, "file": r["file"]} for d, r in zip(preset["decisions"], records)],
    }
