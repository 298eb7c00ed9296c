"""Capacity figures derived from a preset's ``scale``, and the checks that tie them
to the preset's own targets.

Every figure is computed here once; templates only show what this returns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

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
    prefixes = ((1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"))
    for factor, prefix in prefixes:
        if abs(value) >= factor:
            text = f"{value / factor:.{decimals}f}".rstrip("0").rstrip(".")
            return f"{text} {prefix}{unit}".rstrip()
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"
    return f"{text} {unit}".rstrip()


def readable_bytes(value: float) -> str:
    """Bytes in decimal units: 3.4e12 -> '3.4 TB'."""
    return si(value, "B")


def count(value: float) -> str:
    """A large count in words: 1.2e10 -> '12 billion', 3_400 -> '3,400'."""
    for factor, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= factor:
            text = f"{value / factor:.1f}".rstrip("0").rstrip(".")
            return f"{text} {word}"
    return f"{round(value):,}"


def number(value: float) -> str:
    """A number as written in a document: 600000000 -> '600,000,000', 99.995 -> '99.995'.

    Large values are rounded to whole units; smaller ones keep up to six
    significant digits, so an availability of 99.995 is never shown as 100.
    """
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 1e5:
        return f"{round(value):,}"
    return f"{value:,.6g}"


@dataclass(frozen=True)
class Capacity:
    """Everything computed from one preset's scale."""

    figures: list[Figure]
    p99_latency_ms: float | None
    servers: int | None

    def by_key(self) -> dict[str, Figure]:
        return {f.key: f for f in self.figures}


def compute(scale: dict[str, Any]) -> Capacity:
    """Derive capacity figures; any figure with a missing input is left as ``None``."""
    raw = {
        (group, name): _value(scale, group, name)
        for group, names in _INPUTS.items()
        for name in names
    }
    figures: list[Figure] = []
    results: dict[str, float | None] = {}
    shown: dict[str, str] = {}

    def part(ref: str) -> tuple[float | None, str]:
        """An input by reference: a derived figure's key, or ``group.name`` of the scale."""
        if ref in results:
            value = results[ref]
            return value, shown.get(ref, "")
        group, name = ref.split(".")
        value = raw[(group, name)]
        return value, number(value) if value is not None else ""

    for spec in _FIGURES:
        if spec.key == "index_memory" and is_not_applicable(scale.get("index")):
            continue
        inputs = [part(ref) for ref in spec.inputs]
        ready = all(value is not None for value, _ in inputs)
        value = spec.calculate(*(v for v, _ in inputs)) if ready else None
        results[spec.key] = value
        if value is not None:
            shown[spec.key] = spec.fmt(value)
        figures.append(
            Figure(
                key=spec.key,
                label=spec.label,
                formula=spec.formula,
                inputs=spec.template.format(*(text for _, text in inputs)) if ready else None,
                value=value,
                unit=spec.unit,
                readable=shown.get(spec.key),
            )
        )

    servers = results.get("servers")
    return Capacity(
        figures=figures,
        p99_latency_ms=raw[("serving", "p99_latency_ms")],
        servers=int(servers) if servers is not None else None,
    )


_INPUTS = {
    "traffic": ("actors", "requests_per_actor_per_day", "peak_to_average", "request_bytes", "response_bytes"),
    "logging": ("events_per_actor_per_day", "event_bytes", "retention_days"),
    "index": ("entities", "dimensions", "bytes_per_value"),
    "serving": ("per_server_qps", "target_utilization", "p99_latency_ms"),
}


@dataclass(frozen=True)
class _FigureSpec:
    key: str
    label: str
    formula: str
    template: str
    inputs: tuple[str, ...]
    calculate: Callable[..., float]
    unit: str
    fmt: Callable[[float], str]


_FIGURES: tuple[_FigureSpec, ...] = (
    _FigureSpec("daily_requests", "Requests per day", "actors x requests per actor per day", "{} x {}",
                ("traffic.actors", "traffic.requests_per_actor_per_day"), lambda a, b: a * b,
                "requests/day", lambda v: f"{count(v)} requests/day"),
    _FigureSpec("average_qps", "Average QPS", "requests per day / 86,400 s", "{} / 86,400 s",
                ("daily_requests",), lambda d: d / SECONDS_PER_DAY, "requests/s", lambda v: f"{si(v)} QPS"),
    _FigureSpec("peak_qps", "Peak QPS", "average QPS x peak-to-average ratio", "{} x {}",
                ("average_qps", "traffic.peak_to_average"), lambda a, r: a * r, "requests/s",
                lambda v: f"{si(v)} QPS"),
    _FigureSpec("daily_events", "Events logged per day", "actors x events per actor per day", "{} x {}",
                ("traffic.actors", "logging.events_per_actor_per_day"), lambda a, e: a * e, "events/day",
                lambda v: f"{count(v)} events/day"),
    _FigureSpec("storage_per_day", "Raw event storage per day", "events per day x bytes per event", "{} x {} B",
                ("daily_events", "logging.event_bytes"), lambda e, b: e * b, "B/day",
                lambda v: f"{readable_bytes(v)}/day"),
    _FigureSpec("storage_per_year", "Raw event storage per year", "storage per day x 365", "{} x 365",
                ("storage_per_day",), lambda d: d * DAYS_PER_YEAR, "B/year", lambda v: f"{readable_bytes(v)}/year"),
    _FigureSpec("storage_retained", "Raw events held at the retention limit", "storage per day x retention days",
                "{} x {}", ("storage_per_day", "logging.retention_days"), lambda d, r: d * r, "B", readable_bytes),
    _FigureSpec("index_memory", "Index memory, one replica", "entries x values per entry x bytes per value",
                "{} x {} x {} B", ("index.entities", "index.dimensions", "index.bytes_per_value"),
                lambda e, d, b: e * d * b, "B", readable_bytes),
    _FigureSpec("ingress_bandwidth", "Ingress bandwidth at peak", "peak QPS x request bytes x 8 bit", "{} x {} B x 8",
                ("peak_qps", "traffic.request_bytes"), lambda q, b: q * b * 8, "bit/s", lambda v: si(v, "bit/s")),
    _FigureSpec("egress_bandwidth", "Egress bandwidth at peak", "peak QPS x response bytes x 8 bit", "{} x {} B x 8",
                ("peak_qps", "traffic.response_bytes"), lambda q, b: q * b * 8, "bit/s", lambda v: si(v, "bit/s")),
    _FigureSpec("servers", "Serving hosts at peak", "ceil(peak QPS / (QPS per host x target utilisation))",
                "ceil({} / ({} x {}))", ("peak_qps", "serving.per_server_qps", "serving.target_utilization"),
                lambda q, s, u: float(math.ceil(q / (s * u))), "hosts", lambda v: f"{int(v):,} host{'s' * (int(v) != 1)}"),
)


def consistency_issues(preset: dict[str, Any]) -> list[Issue]:
    """Where a preset's numbers disagree with its own targets."""
    scale = preset.get("scale")
    if not isinstance(scale, dict):
        return []
    capacity = compute(scale)
    issues: list[Issue] = []
    # The latency budget against this target is checked in mlsd.figures.latency.
    p99 = capacity.p99_latency_ms
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
