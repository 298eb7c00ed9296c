"""Online service: requests from people or systems, answered while they wait.

Traffic, bytes, bandwidth and hosts as before, plus the candidate funnel of a
recommender or search system: each stage scores ``peak QPS x candidates in``
candidates a second and needs hosts for that work at its per-host throughput.
"""

from __future__ import annotations

from typing import Any

from mlsd.figures.kinds.base import Kind, Values, n, over
from mlsd.figures.model import FitIssue, InputSpec, Sheet, ceil
from mlsd.figures.units import (
    BITS_PER_BYTE,
    DAYS_PER_YEAR,
    SECONDS_PER_DAY,
    count,
    plural,
    readable_bytes,
    si,
)

# Stage steps in funnel order; stages that share a step run side by side.
STEPS = ("retrieval", "pre_ranking", "ranking", "re_ranking")
STAGE_NUMBERS = ("candidates_in", "candidates_out", "per_host_throughput")

INPUTS = (
    InputSpec("actors", "actors/day", "Actors per day", integer=True),
    InputSpec("requests_per_actor_per_day", "requests/actor/day", "Requests per actor per day"),
    InputSpec("peak_to_average", "ratio", "Peak-to-average traffic ratio"),
    InputSpec("request_bytes", "B", "Request size (bytes)", integer=True),
    InputSpec("response_bytes", "B", "Response size (bytes)", integer=True),
    InputSpec("events_per_actor_per_day", "events/actor/day", "Logged events per actor per day", required=False),
    InputSpec("event_bytes", "B", "Stored size of one event (bytes)", required=False, integer=True),
    InputSpec("retention_days", "days", "Raw event retention (days)", required=False, integer=True),
    InputSpec("index_entries", "entries", "Index entries", required=False, integer=True),
    InputSpec("index_dimensions", "values/entry", "Values per index entry", required=False, integer=True),
    InputSpec("index_bytes_per_value", "B", "Bytes per index value", required=False, integer=True),
    InputSpec("per_host_qps", "requests/s", "Requests one serving host sustains (QPS)", required=False,
              doc="for a service without stages, or its front tier"),
    InputSpec("target_utilization", "fraction", "Target utilisation at peak", maximum=1),
)

LIMITS = (
    InputSpec("throughput_target", "requests/s", "Throughput the service must carry", required=False,
              doc="hosts are sized for the larger of this and the computed peak"),
    InputSpec("max_hosts", "hosts", "Host cap, all tiers", required=False, integer=True),
    InputSpec("max_serving_hosts", "hosts", "Host cap of the serving tier", required=False, integer=True),
)


def _stages(workload: dict[str, Any]) -> list[dict[str, Any]]:
    stages = workload.get("stages")
    return [s for s in stages if isinstance(s, dict)] if isinstance(stages, list) else []


def _stage_value(stage: dict[str, Any], key: str) -> Any:
    item = stage.get(key)
    return item.get("value") if isinstance(item, dict) else None


def extra_inputs(workload: dict[str, Any]) -> list[tuple[str, InputSpec, Any, Any, tuple[str | int, ...]]]:
    """Each stage's numbers as inputs named ``<stage>_<number>``."""
    rows = []
    for index, stage in enumerate(_stages(workload)):
        name, label = stage.get("name"), stage.get("label") or stage.get("name")
        if not isinstance(name, str):
            continue
        unit = "candidates/s" if "candidates_in" in stage else "requests/s"
        specs = {
            "candidates_in": InputSpec("candidates_in", "candidates", f"{label}: candidates in", integer=True),
            "candidates_out": InputSpec("candidates_out", "candidates", f"{label}: candidates out", integer=True),
            "per_host_throughput": InputSpec("per_host_throughput", unit, f"{label}: throughput of one host ({unit})"),
        }
        for key in STAGE_NUMBERS:
            item = stage.get(key)
            if isinstance(item, dict):
                rows.append((f"{name}_{key}", specs[key], item.get("value"), item.get("basis"), ("stages", index, key)))
    return rows


def compute(sheet: Sheet, workload: dict[str, Any]) -> None:
    declared = set((workload.get("inputs") or {}).keys()) | set((workload.get("limits") or {}).keys())
    sheet.add("daily_requests", "Requests per day", "actors x requests per actor per day", "{} x {}",
              ("actors", "requests_per_actor_per_day"), lambda a, b: a * b, "requests/day",
              lambda v: f"{count(v)} requests/day")
    sheet.add("average_qps", "Average QPS", "requests per day / 86,400 s", "{} / 86,400 s",
              ("daily_requests",), lambda d: d / SECONDS_PER_DAY, "requests/s", lambda v: f"{si(v)} QPS")
    sheet.add("peak_qps", "Peak QPS", "average QPS x peak-to-average ratio", "{} x {}",
              ("average_qps", "peak_to_average"), lambda a, r: a * r, "requests/s", lambda v: f"{si(v)} QPS")
    load = "peak_qps"
    if "throughput_target" in declared:
        sheet.add("design_qps", "Design load", "max(peak QPS, throughput target)", "max({}, {})",
                  ("peak_qps", "throughput_target"), max, "requests/s", lambda v: f"{si(v)} QPS")
        load = "design_qps"
    if {"events_per_actor_per_day", "event_bytes"} <= declared:
        sheet.add("daily_events", "Events logged per day", "actors x events per actor per day", "{} x {}",
                  ("actors", "events_per_actor_per_day"), lambda a, e: a * e, "events/day",
                  lambda v: f"{count(v)} events/day")
        sheet.add("storage_per_day", "Raw event storage per day", "events per day x bytes per event", "{} x {} B",
                  ("daily_events", "event_bytes"), lambda e, b: e * b, "B/day", lambda v: f"{readable_bytes(v)}/day")
        sheet.add("storage_per_year", "Raw event storage per year", "storage per day x 365", "{} x 365",
                  ("storage_per_day",), lambda d: d * DAYS_PER_YEAR, "B/year", lambda v: f"{readable_bytes(v)}/year")
        if "retention_days" in declared:
            sheet.add("storage_retained", "Raw events held at the retention limit", "storage per day x retention days",
                      "{} x {}", ("storage_per_day", "retention_days"), lambda d, r: d * r, "B", readable_bytes)
    if {"index_entries", "index_dimensions", "index_bytes_per_value"} <= declared:
        sheet.add("index_memory", "Index memory, one replica", "entries x values per entry x bytes per value",
                  "{} x {} x {} B", ("index_entries", "index_dimensions", "index_bytes_per_value"),
                  lambda e, d, b: e * d * b, "B", readable_bytes)
    sheet.add("ingress_bandwidth", "Ingress bandwidth at peak", "peak QPS x request bytes x 8 bit", "{} x {} B x 8",
              ("peak_qps", "request_bytes"), lambda q, b: q * b * BITS_PER_BYTE, "bit/s", lambda v: si(v, "bit/s"))
    sheet.add("egress_bandwidth", "Egress bandwidth at peak", "peak QPS x response bytes x 8 bit", "{} x {} B x 8",
              ("peak_qps", "response_bytes"), lambda q, b: q * b * BITS_PER_BYTE, "bit/s", lambda v: si(v, "bit/s"))
    host_keys = []
    load_name = "design load" if load == "design_qps" else "peak QPS"
    if "per_host_qps" in declared:
        sheet.add("serving_hosts", "Serving hosts at peak", f"ceil({load_name} / (QPS per host x target utilisation))",
                  "ceil({} / ({} x {}))", (load, "per_host_qps", "target_utilization"),
                  lambda q, s, u: ceil(q / (s * u)), "hosts", _hosts)
        host_keys.append("serving_hosts")
    for stage in _stages(workload):
        name, label = stage.get("name"), stage.get("label") or stage.get("name")
        if not isinstance(name, str):
            continue
        if "candidates_in" in stage:
            sheet.add(f"{name}_work", f"{label}: candidates scored per second",
                      f"{load_name} x candidates in", "{} x {}", (load, f"{name}_candidates_in"),
                      lambda q, c: q * c, "candidates/s", lambda v: f"{si(v)} candidates/s")
            work = f"{name}_work"
        else:
            work = load
        sheet.add(f"{name}_hosts", f"{label}: hosts at peak",
                  "ceil(work per second / (per-host throughput x target utilisation))", "ceil({} / ({} x {}))",
                  (work, f"{name}_per_host_throughput", "target_utilization"),
                  lambda w, t, u: ceil(w / (t * u)), "hosts", _hosts)
        host_keys.append(f"{name}_hosts")
    if len(host_keys) > 1:
        sheet.add("hosts", "Hosts at peak, all tiers", "sum of the hosts of every tier and stage",
                  " + ".join("{}" for _ in host_keys), tuple(host_keys), lambda *h: sum(h), "hosts", _hosts)
    elif host_keys:
        sheet.values["hosts"] = sheet.values[host_keys[0]]


def _hosts(value: float) -> str:
    return plural(value, "host")


def fit(values: Values, workload: dict[str, Any]) -> list[FitIssue]:
    issues: list[FitIssue] = []
    peak, target = values.get("peak_qps"), values.get("throughput_target")
    if peak is not None and target is not None and target < peak * (1 - 1e-9):
        issues.append(FitIssue(("limits", "throughput_target", "value"),
                               f"throughput target of {n(target)} requests/s is below the computed peak of {n(peak)} requests/s"))
    at = f" at {n(max(peak or 0, target or 0))} requests/s" if target is not None else ""
    issues += over(values, "hosts", "max_hosts",
                   lambda h, cap: f"{n(h)} hosts needed{at} exceed the host cap of {n(cap)}")
    issues += over(values, "serving_hosts", "max_serving_hosts",
                   lambda h, cap: f"{n(h)} serving hosts needed{at} exceed the serving tier's cap of {n(cap)}")
    issues += _funnel(workload)
    return issues


def _funnel(workload: dict[str, Any]) -> list[FitIssue]:
    """Candidates out of one step must be the candidates in of each stage of the next."""
    issues: list[FitIssue] = []
    stages = _stages(workload)
    by_step: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, stage in enumerate(stages):
        by_step.setdefault(str(stage.get("step")), []).append((index, stage))
    present = [s for s in STEPS if s in by_step]
    for before, after in zip(present, present[1:]):
        outs = [_stage_value(s, "candidates_out") for _, s in by_step[before]]
        if any(not isinstance(o, (int, float)) for o in outs):
            continue
        total = sum(outs)
        for index, stage in by_step[after]:
            came_in = _stage_value(stage, "candidates_in")
            if isinstance(came_in, (int, float)) and came_in != total:
                issues.append(FitIssue(("stages", index, "candidates_in", "value"),
                                       f"{stage.get('name')} takes {n(came_in)} candidates in, but the {before.replace('_', '-')} step "
                                       f"hands on {n(total)}; the funnel must close"))
    for index, stage in enumerate(stages):
        came_in, went_out = _stage_value(stage, "candidates_in"), _stage_value(stage, "candidates_out")
        if isinstance(came_in, (int, float)) and isinstance(went_out, (int, float)) and went_out > came_in:
            issues.append(FitIssue(("stages", index, "candidates_out", "value"),
                                   f"{stage.get('name')} hands on {n(went_out)} candidates, more than the {n(came_in)} it takes in"))
    return issues


def structure(workload: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """Stages: a known step, a unique identifier name, and their numbers."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    stages = workload.get("stages")
    if stages is None:
        return problems
    if not isinstance(stages, list):
        return [(("stages",), "expected a list of stages")]
    seen: set[str] = set()
    last_step = -1
    for index, stage in enumerate(stages):
        if not isinstance(stage, dict):
            problems.append((("stages", index), "expected a mapping with step, name, label and its numbers"))
            continue
        step = stage.get("step")
        if step not in STEPS:
            problems.append((("stages", index, "step"), f"'{step}' is not one of: {', '.join(STEPS)}"))
        elif STEPS.index(step) < last_step:
            problems.append((("stages", index, "step"), f"'{step}' comes after a later step; list stages in funnel order"))
        else:
            last_step = STEPS.index(step)
        name = stage.get("name")
        if not isinstance(name, str):
            continue
        if name in seen:
            problems.append((("stages", index, "name"), f"'{name}' is used twice"))
        else:
            seen.add(name)
        if step != "retrieval" and "candidates_in" not in stage:
            problems.append((("stages", index, "candidates_in"), "required for every stage after retrieval"))
    return problems


KIND = Kind(
    name="online_service",
    title="Online service",
    summary="requests answered while someone waits: traffic, bytes, bandwidth, hosts, and the candidate funnel",
    inputs=INPUTS,
    limits=LIMITS,
    compute=compute,
    fit=fit,
    headline=("peak_qps", "hosts", "serving_hosts", "storage_per_day", "index_memory"),
    structure=structure,
    extra_inputs=extra_inputs,
    structure_doc=(
        "`stages` (optional): the candidate funnel, in order. Each stage has `step` (one of "
        + ", ".join(STEPS) + "), `name` (identifier), `label`, and the figures `candidates_in` (not needed for "
        "retrieval), `candidates_out` and `per_host_throughput` (candidates scored per second by one host, or "
        "requests per second for a retrieval stage). Stages that share a step run side by side and their outputs add; "
        "the outputs of one step must equal the input of every stage of the next."
    ),
)
