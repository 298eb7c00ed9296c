"""The view model the templates render: a merged preset plus everything derived.

Templates only look fields up in what :func:`build_document` returns and loop
over lists; every computed or formatted value is made here.
"""

from __future__ import annotations

from typing import Any

from mlsd.capacity import compute, consistency_issues, number
from mlsd.concepts import CONCEPT_GROUPS, CONCEPTS, CONCEPTS_BY_ID
from mlsd.decisions import decision_records
from mlsd.diagram import flowchart
from mlsd.interview import DEFAULT_INTERVIEW_MINUTES, all_lengths, shaped_plan, whiteboard
from mlsd.markdown import anchor, one_line, show
from mlsd.presets import BLANK_ID
from mlsd.schema import CATEGORIES, FEATURE_GROUPS, NOT_APPLICABLE, TODO_MARKER, is_not_applicable
from mlsd.sections import SECTION_TITLES


# Which preset fields feed which of the seven sections (for the TODO summary).
SECTION_FIELDS: dict[int, tuple[str, ...]] = {
    1: ("problem", "clarifying_questions", "formulation"),
    2: ("scope", "scale"),
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
}

ROLLOUT_TITLES = {
    "offline_replay": "Offline replay",
    "shadow": "Shadow",
    "canary": "Canary",
    "blue_green": "Blue-green switch",
    "ab_test": "A/B test",
    "ramp": "Ramp",
    "full": "Full launch",
}

SCALE_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("traffic", "actors", "Actors per day: {actor_label}"),
    ("traffic", "requests_per_actor_per_day", "Requests per actor per day: {request_label}"),
    ("traffic", "peak_to_average", "Peak-to-average traffic ratio"),
    ("traffic", "request_bytes", "Request size (bytes)"),
    ("traffic", "response_bytes", "Response size (bytes)"),
    ("logging", "events_per_actor_per_day", "Logged events per actor per day: {event_label}"),
    ("logging", "event_bytes", "Stored size of one event (bytes)"),
    ("logging", "retention_days", "Raw event retention (days)"),
    ("index", "entities", "Index entries: {entity_label}"),
    ("index", "dimensions", "Values per entry"),
    ("index", "bytes_per_value", "Bytes per value"),
    ("serving", "per_server_qps", "Requests one serving host sustains (QPS)"),
    ("serving", "target_utilization", "Target utilisation at peak"),
    ("serving", "p99_latency_ms", "End-to-end p99 latency target (ms)"),
)


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


def concept_tags(preset: dict[str, Any]) -> dict[str, str]:
    """Concept id -> how it applies in this design."""
    return dict(preset.get("concepts") or {})


def build_document(
    preset: dict[str, Any],
    *,
    preset_id: str,
    guidance: bool = True,
    interview_minutes: int = DEFAULT_INTERVIEW_MINUTES,
    practice: bool = False,
) -> dict[str, Any]:
    """Everything the generated documents show, for one merged preset."""
    scale = preset["scale"]
    capacity = compute(scale)
    components = preset["architecture"]["components"]
    names = {c["id"]: c["name"] for c in components}

    sections = []
    for number_, title in enumerate(SECTION_TITLES, start=1):
        heading = f"{number_}. {title}"
        todo = any(_contains_todo(preset.get(key)) for key in SECTION_FIELDS[number_])
        sections.append({"number": number_, "title": title, "heading": heading, "anchor": anchor(heading), "todo": todo})

    labels = {
        "actor_label": scale["traffic"].get("actor_label", ""),
        "request_label": scale["traffic"].get("request_label", ""),
        "event_label": scale["logging"].get("event_label", ""),
        "entity_label": "" if is_not_applicable(scale["index"]) else scale["index"].get("entity_label", ""),
    }
    scale_rows = []
    for group, key, template in SCALE_FIGURES:
        block = scale.get(group)
        if not isinstance(block, dict) or is_not_applicable(block) or not isinstance(block.get(key), dict):
            continue
        scale_rows.append(
            {
                "label": _capitalise(template.format(**labels)),
                "value": show(block[key].get("value")),
                "basis": show(block[key].get("basis")),
            }
        )
    index_not_applicable = scale["index"][NOT_APPLICABLE] if is_not_applicable(scale["index"]) else None

    requirements = [
        {**r, "target": f"{show(r.get('value'))} {r.get('unit', '')}".strip()}
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

    budget = [
        {"component": names.get(component, component), "ms": number(ms)} for component, ms in capacity.budget
    ]

    how = concept_tags(preset)
    tagged = [
        {"id": c, "label": CONCEPTS_BY_ID[c].label, "group": CONCEPTS_BY_ID[c].group,
         "summary": CONCEPTS_BY_ID[c].summary, "how": how[c]}
        for c in how
        if c in CONCEPTS_BY_ID
    ]
    checklist = [
        {"title": group, "concepts": [c for c in CONCEPTS if c.group == group and c.id not in how]}
        for group in CONCEPT_GROUPS
    ]
    checklist = [group for group in checklist if group["concepts"]]

    figures = capacity.figures
    capacity_rows = [
        {"label": f.label, "formula": f.formula, "inputs": f.inputs or TODO_MARKER + ": fill in the inputs",
         "result": f.readable or TODO_MARKER}
        for f in figures
    ]
    by_key = capacity.by_key()
    metrics = preset["formulation"]["metrics"]
    card = {
        "scale": f"{show(by_key['peak_qps'].readable)} at peak; {show(by_key['storage_per_day'].readable)} of raw events; "
        f"{show(by_key['servers'].readable)}",
        "latency": f"p99 {show(capacity.p99_latency_ms)} ms, budget {show(capacity.budget_total_ms)} ms across "
        f"{len(capacity.budget)} online components",
        "metrics": "; ".join(
            f"{level}: {metrics[level][0]['name']}" for level in ("business", "online", "offline", "guardrail")
        ),
        "architecture": " / ".join(f"{c['name']} ({c['tech']})" for c in components if c.get("path") == "online"),
        "rollout": ", then ".join(ROLLOUT_TITLES.get(r["stage"], r["stage"]) for r in preset["deployment"]["experiment"]["rollout"]),
        "risks": "; ".join(one_line(r["risk"]) for r in preset["risks"][:3]),
    }
    headings = [s["heading"] for s in sections]
    interview = shaped_plan(preset, capacity, interview_minutes, headings)
    coaching = preset.get("interview") or {}
    probes = [
        {**probe, "kind_label": PROBE_KIND_TITLES[probe["kind"]], "step_title": interview_step_titles().get(probe["step"], "")}
        for probe in sorted(coaching.get("probes", []), key=lambda p: list(interview_step_titles()).index(p["step"]))
    ]
    warnings = [issue.message for issue in consistency_issues(preset)]
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

    return {
        "p": preset,
        "rollout": rollout,
        "apis": apis,
        "entities": entities,
        "references": references,
        "other_constraints": preset["scope"]["constraints"].get("other", []),
        "preset_id": preset_id,
        "is_blank": preset_id == BLANK_ID,
        "practice": practice,
        "guidance": guidance,
        "category_label": CATEGORIES.get(preset["category"], preset["category"]),
        "sections": sections,
        "todo_sections": [s for s in sections if s["todo"]],
        "requirements": requirements,
        "scale_rows": scale_rows,
        "index_not_applicable": index_not_applicable,
        "capacity": capacity,
        "budget": budget,
        "budget_total_ms": show(capacity.budget_total_ms),
        "p99_latency_ms": show(capacity.p99_latency_ms),
        "features_by_group": features_by_group,
        "serving": serving,
        "caching": show(preset["deployment"]["caching"]),
        "diagram": flowchart(components, preset["architecture"]["data_flow"]),
        "flows": flows,
        "concepts": tagged,
        "concept_checklist": checklist,
        "capacity_rows": capacity_rows,
        "card": card,
        "interview": interview,
        "interview_lengths": [{"minutes": p["minutes"], "rows": p["rows"]} for p in all_lengths(preset, capacity, headings)],
        "whiteboard": whiteboard(preset, capacity),
        "probes": probes,
        "signal": coaching.get("signal"),
        "interview_minutes": interview_minutes,
        "consistency_warnings": warnings,
        "decision_records": records,
        "decisions": [{**d, "file": r["file"]} for d, r in zip(preset["decisions"], records)],
    }
