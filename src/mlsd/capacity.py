"""Capacity figures derived from a preset's ``scale``, and the checks that tie them
to the preset's own targets.

Every figure is computed here once; templates only show what this returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from mlsd.schema import Issue, is_not_applicable

SECONDS_PER_DAY = 86_400
DAYS_PER_YEAR = 365
# Throughput targets in this unit are compared with the traffic the scale implies.
REQUEST_RATE_UNIT = "requests/s"
# A throughput target far above the computed peak means the two disagree.
MAX_THROUGHPUT_OVER_PEAK = 5.0


def _value(scale: dict[str, Any], group: str, name: str) -> float | None:
    block = scale.get(group)
    if not isinstance(block, dict) or is_not_applicable(block):
        return None
    item = block.get(name)
    if isinstance(item, dict):
        value = item.get("value")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


@dataclass(frozen=True)
class Figure:
    """One derived figure: its formula in words, the numbers in it, and the result."""

    key: str
    label: str
    formula: str
    inputs: str | None
    value: float | None
    unit: str
    readable: str | None


def si(value: float, unit: str = "", decimals: int = 1) -> str:
    """Readable magnitude: 1_234_000 -> '1.2 M', with an optional unit."""
    prefixes = ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))
    for factor, prefix in prefixes:
        if abs(value) >= factor:
            text = f"{value / factor:.{decimals}f}".rstrip("0").rstrip(".")
            return f"{text} {prefix}{unit}".rstrip()
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
    return f"{text} {unit}".rstrip()


def readable_bytes(value: float) -> str:
    """Bytes in decimal units: 3.4e12 -> '3.4 TB'."""
    return si(value, "B")


def readable_count(value: float) -> str:
    return si(value)


def number(value: float) -> str:
    """A plain input number as written in a formula: 600000000 -> '600,000,000'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3g}" if abs(value) < 1 else f"{value:,.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Capacity:
    """Everything computed from one preset's scale."""

    figures: list[Figure]
    budget: list[tuple[str, float]]
    budget_total_ms: float | None
    p99_latency_ms: float | None
    servers: int | None

    def by_key(self) -> dict[str, Figure]:
        return {f.key: f for f in self.figures}


def compute(scale: dict[str, Any]) -> Capacity:
    """Derive capacity figures; any figure with a missing input is left as ``None``."""
    actors = _value(scale, "traffic", "actors")
    per_actor = _value(scale, "traffic", "requests_per_actor_per_day")
    peak_ratio = _value(scale, "traffic", "peak_to_average")
    request_bytes = _value(scale, "traffic", "request_bytes")
    response_bytes = _value(scale, "traffic", "response_bytes")
    events = _value(scale, "logging", "events_per_actor_per_day")
    event_bytes = _value(scale, "logging", "event_bytes")
    retention = _value(scale, "logging", "retention_days")
    entities = _value(scale, "index", "entities")
    dimensions = _value(scale, "index", "dimensions")
    value_bytes = _value(scale, "index", "bytes_per_value")
    per_server = _value(scale, "serving", "per_server_qps")
    utilization = _value(scale, "serving", "target_utilization")
    p99 = _value(scale, "serving", "p99_latency_ms")

    def known(*values: float | None) -> bool:
        return all(v is not None for v in values)

    figures: list[Figure] = []

    def add(key: str, label: str, formula: str, parts: tuple[float | None, ...], compute_value, unit: str, fmt) -> float | None:
        value = compute_value() if known(*parts) else None
        inputs = None
        if known(*parts):
            inputs = formula
            for part in parts:
                inputs = inputs.replace("{}", number(part), 1)  # type: ignore[arg-type]
        figures.append(
            Figure(
                key=key,
                label=label,
                formula=formula,
                inputs=inputs,
                value=value,
                unit=unit,
                readable=fmt(value) if value is not None else None,
            )
        )
        return value

    daily_requests = add(
        "daily_requests", "Requests per day", "{} actors x {} requests/actor",
        (actors, per_actor), lambda: actors * per_actor, "requests/day",
        lambda v: f"{si(v)} requests/day",
    )
    average_qps = add(
        "average_qps", "Average QPS", "{} requests/day / 86,400 s",
        (daily_requests,), lambda: daily_requests / SECONDS_PER_DAY, "requests/s",
        lambda v: f"{si(v)} QPS",
    )
    peak_qps = add(
        "peak_qps", "Peak QPS", "{} QPS x {} peak/average",
        (average_qps, peak_ratio), lambda: average_qps * peak_ratio, "requests/s",
        lambda v: f"{si(v)} QPS",
    )
    daily_events = add(
        "daily_events", "Events logged per day", "{} actors x {} events/actor",
        (actors, events), lambda: actors * events, "events/day",
        lambda v: f"{si(v)} events/day",
    )
    storage_day = add(
        "storage_per_day", "Raw event storage per day", "{} events/day x {} B",
        (daily_events, event_bytes), lambda: daily_events * event_bytes, "B/day",
        lambda v: f"{readable_bytes(v)}/day",
    )
    add(
        "storage_per_year", "Raw event storage per year", "{} B/day x 365 days",
        (storage_day,), lambda: storage_day * DAYS_PER_YEAR, "B/year",
        lambda v: f"{readable_bytes(v)}/year",
    )
    add(
        "storage_retained", "Storage held at the retention limit", "{} B/day x {} days",
        (storage_day, retention), lambda: storage_day * retention, "B",
        readable_bytes,
    )
    if not is_not_applicable(scale.get("index")):
        add(
            "index_memory", "Index memory (one replica)", "{} entities x {} values x {} B",
            (entities, dimensions, value_bytes), lambda: entities * dimensions * value_bytes, "B",
            readable_bytes,
        )
    add(
        "ingress_bandwidth", "Ingress bandwidth at peak", "{} QPS x {} B x 8 bit",
        (peak_qps, request_bytes), lambda: peak_qps * request_bytes * 8, "bit/s",
        lambda v: si(v, "bit/s"),
    )
    add(
        "egress_bandwidth", "Egress bandwidth at peak", "{} QPS x {} B x 8 bit",
        (peak_qps, response_bytes), lambda: peak_qps * response_bytes * 8, "bit/s",
        lambda v: si(v, "bit/s"),
    )
    servers_value = add(
        "servers", "Serving hosts at peak", "ceil({} QPS / ({} QPS/host x {} utilisation))",
        (peak_qps, per_server, utilization),
        lambda: float(math.ceil(peak_qps / (per_server * utilization))), "hosts",
        lambda v: f"{int(v):,} hosts",
    )

    budget: list[tuple[str, float]] = []
    serving = scale.get("serving") if isinstance(scale.get("serving"), dict) else {}
    for share in serving.get("latency_budget") or []:
        if isinstance(share, dict) and isinstance(share.get("ms"), (int, float)):
            budget.append((str(share.get("component")), float(share["ms"])))
    total = sum(ms for _, ms in budget) if budget else None
    return Capacity(
        figures=figures,
        budget=budget,
        budget_total_ms=total,
        p99_latency_ms=p99,
        servers=int(servers_value) if servers_value is not None else None,
    )


def consistency_issues(preset: dict[str, Any]) -> list[Issue]:
    """Where a preset's numbers disagree with its own targets."""
    scale = preset.get("scale")
    if not isinstance(scale, dict):
        return []
    capacity = compute(scale)
    issues: list[Issue] = []
    p99 = capacity.p99_latency_ms
    if p99 is not None and capacity.budget_total_ms is not None and capacity.budget_total_ms > p99:
        issues.append(
            Issue(
                ("scale", "serving", "latency_budget"),
                f"budget adds up to {number(capacity.budget_total_ms)} ms, over the p99 target of {number(p99)} ms",
            )
        )
    requirements = (preset.get("scope") or {}).get("non_functional_requirements") or []
    latency_targets = [
        r.get("value") for r in requirements if isinstance(r, dict) and r.get("kind") == "latency" and r.get("unit") == "ms"
    ]
    if p99 is not None and p99 not in latency_targets:
        issues.append(
            Issue(
                ("scope", "non_functional_requirements"),
                f"no latency requirement in ms states the p99 target of {number(p99)} ms from scale.serving.p99_latency_ms",
            )
        )
    peak = capacity.by_key()["peak_qps"].value
    for index, requirement in enumerate(requirements):
        if not isinstance(requirement, dict) or requirement.get("kind") != "throughput":
            continue
        value = requirement.get("value")
        if requirement.get("unit") != REQUEST_RATE_UNIT or peak is None or not isinstance(value, (int, float)):
            continue
        if value < peak:
            issues.append(
                Issue(
                    ("scope", "non_functional_requirements", index, "value"),
                    f"{number(value)} requests/s cannot carry the peak of {number(round(peak))} requests/s that scale.traffic implies",
                )
            )
        elif value > peak * MAX_THROUGHPUT_OVER_PEAK:
            issues.append(
                Issue(
                    ("scope", "non_functional_requirements", index, "value"),
                    f"{number(value)} requests/s is over {MAX_THROUGHPUT_OVER_PEAK:g}x the peak of {number(round(peak))} requests/s that scale.traffic implies",
                )
            )
    return issues
