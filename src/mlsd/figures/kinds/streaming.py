"""Streaming: events at peak, the state kept per key, and the partitions that carry them."""

from __future__ import annotations

from typing import Any

from mlsd.figures.kinds.base import Kind, Values, n, over
from mlsd.figures.model import FitIssue, InputSpec, Sheet, ceil
from mlsd.figures.units import BITS_PER_BYTE, SECONDS_PER_DAY, plural, readable_bytes, si

INPUTS = (
    InputSpec("events_per_day", "events/day", "Events per day", integer=True),
    InputSpec("peak_to_average", "ratio", "Peak-to-average event ratio"),
    InputSpec("event_bytes", "B", "Bytes per event", integer=True),
    InputSpec("state_keys", "keys", "Keys with state (users, devices, sessions)", integer=True, required=False),
    InputSpec("state_bytes_per_key", "B", "State kept per key (bytes)", required=False),
    InputSpec("events_per_s_per_partition", "events/s", "Events one partition and its consumer sustain per second"),
    InputSpec("target_utilization", "fraction", "Target utilisation at peak", maximum=1),
    InputSpec("retention_days", "days", "Log retention (days)", required=False),
)

LIMITS = (
    InputSpec("max_partitions", "partitions", "Partition cap", required=False, integer=True),
    InputSpec("max_state_gb", "GB", "State store capacity (GB)", required=False),
)


def compute(sheet: Sheet, workload: dict[str, Any]) -> None:
    declared = set((workload.get("inputs") or {}).keys())
    add = sheet.add
    add("average_events_per_s", "Average events per second", "events per day / 86,400 s", "{} / 86,400 s",
        ("events_per_day",), lambda e: e / SECONDS_PER_DAY, "events/s", lambda v: f"{si(v)} events/s")
    add("peak_events_per_s", "Peak events per second", "average events per second x peak-to-average ratio", "{} x {}",
        ("average_events_per_s", "peak_to_average"), lambda a, p: a * p, "events/s", lambda v: f"{si(v)} events/s")
    add("ingress_bandwidth", "Ingress bandwidth at peak", "peak events per second x bytes per event x 8 bit",
        "{} x {} B x 8", ("peak_events_per_s", "event_bytes"), lambda e, b: e * b * BITS_PER_BYTE, "bit/s",
        lambda v: si(v, "bit/s"))
    add("partitions", "Partitions (and consumers) at peak",
        "ceil(peak events per second / (events per second per partition x target utilisation))", "ceil({} / ({} x {}))",
        ("peak_events_per_s", "events_per_s_per_partition", "target_utilization"),
        lambda e, p, u: ceil(e / (p * u)), "partitions", lambda v: plural(v, "partition"))
    if {"state_keys", "state_bytes_per_key"} <= declared:
        add("state_bytes", "State size", "keys x state per key", "{} x {} B", ("state_keys", "state_bytes_per_key"),
            lambda k, b: k * b, "B", readable_bytes)
    if "retention_days" in declared:
        add("log_retained", "Event log held at the retention limit", "events per day x bytes per event x retention days",
            "{} x {} B x {}", ("events_per_day", "event_bytes", "retention_days"), lambda e, b, d: e * b * d, "B",
            readable_bytes)


def fit(values: Values, workload: dict[str, Any]) -> list[FitIssue]:
    issues = over(values, "partitions", "max_partitions",
                  lambda p, cap: f"{n(p)} partitions needed at peak exceed the cap of {n(cap)}")
    state, cap = values.get("state_bytes"), values.get("max_state_gb")
    if state is not None and cap is not None and state > cap * 1e9:
        issues.append(FitIssue(("limits", "max_state_gb", "value"),
                               f"state of {readable_bytes(state)} is over the store's {n(cap)} GB"))
    return issues


KIND = Kind(
    name="streaming",
    title="Streaming",
    summary="events processed as they arrive: peak events per second, state size, partitions and consumers",
    inputs=INPUTS,
    limits=LIMITS,
    compute=compute,
    fit=fit,
    headline=("peak_events_per_s", "partitions", "state_bytes"),
)
