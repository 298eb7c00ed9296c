"""Batch processing: items per run through a pool of workers, against the window it must fit."""

from __future__ import annotations

from typing import Any

from mlsd.figures.kinds.base import Kind, Values, n, over
from mlsd.figures.model import FitIssue, InputSpec, Sheet
from mlsd.figures.units import SECONDS_PER_HOUR, count, decimal, duration_hours, money, readable_bytes, si

INPUTS = (
    InputSpec("items_per_run", "items", "Items per run", integer=True),
    InputSpec("runs_per_day", "runs/day", "Runs per day"),
    InputSpec("items_per_s_per_worker", "items/s", "Items one worker processes per second"),
    InputSpec("workers", "workers", "Workers in the pool", integer=True),
    InputSpec("backlog_items", "items", "Backlog to reprocess", required=False, integer=True),
    InputSpec("worker_hourly_price", "USD/h", "Price of one worker-hour (USD)", required=False),
    InputSpec("input_bytes_per_item", "B", "Bytes kept per input item (originals)", required=False),
    InputSpec("output_bytes_per_item", "B", "Bytes kept per output item (results, intermediates)", required=False),
    InputSpec("retention_days", "days", "Retention (days)", required=False),
)

LIMITS = (
    InputSpec("window_hours", "h", "Window a run must fit (hours)", required=False),
    InputSpec("max_cost_per_day", "USD/day", "Compute budget per day (USD)", required=False),
)


def compute(sheet: Sheet, workload: dict[str, Any]) -> None:
    declared = set((workload.get("inputs") or {}).keys())
    add = sheet.add
    add("pool_throughput", "Pool throughput", "workers x items per second per worker", "{} x {}",
        ("workers", "items_per_s_per_worker"), lambda w, r: w * r, "items/s", lambda v: f"{si(v)} items/s")
    add("run_hours", "Run time", "items per run / pool throughput", "{} / {} / 3,600 s",
        ("items_per_run", "pool_throughput"), lambda i, t: i / t / SECONDS_PER_HOUR, "h", duration_hours)
    add("busy_hours_per_day", "Pool busy per day", "run time x runs per day", "{} x {}",
        ("run_hours", "runs_per_day"), lambda h, r: h * r, "h", lambda v: decimal(v, "h"))
    add("items_per_day", "Items per day", "items per run x runs per day", "{} x {}",
        ("items_per_run", "runs_per_day"), lambda i, r: i * r, "items/day", lambda v: f"{count(v)} items/day")
    add("worker_hours_per_day", "Compute per day", "items per day / items per second per worker / 3,600 s",
        "{} / {} / 3,600", ("items_per_day", "items_per_s_per_worker"),
        lambda i, r: i / r / SECONDS_PER_HOUR, "worker-hours/day", lambda v: f"{si(v)} worker-hours/day")
    if "worker_hourly_price" in declared:
        add("cost_per_day", "Compute cost per day", "worker-hours per day x price per worker-hour", "{} x {}",
            ("worker_hours_per_day", "worker_hourly_price"), lambda h, p: h * p, "USD/day", lambda v: f"{money(v)}/day")
    if "backlog_items" in declared:
        add("backlog_hours", "Backlog drain time, whole pool", "backlog / pool throughput", "{} / {} / 3,600 s",
            ("backlog_items", "pool_throughput"), lambda b, t: b / t / SECONDS_PER_HOUR, "h", duration_hours)
    if {"input_bytes_per_item", "output_bytes_per_item"} <= declared:
        add("storage_per_day", "Storage written per day", "items per day x (input + output bytes per item)",
            "{} x ({} B + {} B)", ("items_per_day", "input_bytes_per_item", "output_bytes_per_item"),
            lambda i, a, b: i * (a + b), "B/day", lambda v: f"{readable_bytes(v)}/day")
        if "retention_days" in declared:
            add("storage_retained", "Storage held at the retention limit", "storage per day x retention days",
                "{} x {}", ("storage_per_day", "retention_days"), lambda s, d: s * d, "B", readable_bytes)


def fit(values: Values, workload: dict[str, Any]) -> list[FitIssue]:
    issues = over(values, "run_hours", "window_hours",
                  lambda h, cap: f"a run takes {n(h)} h, longer than its window of {n(cap)} h")
    busy = values.get("busy_hours_per_day")
    if busy is not None and busy > 24:
        issues.append(FitIssue(("inputs", "runs_per_day", "value"),
                               f"the runs of a day keep the pool busy {n(busy)} h, more than the 24 h a day has"))
    issues += over(values, "cost_per_day", "max_cost_per_day",
                   lambda c, cap: f"compute costs USD {n(c)} a day, over the budget of USD {n(cap)}")
    return issues


KIND = Kind(
    name="batch",
    title="Batch processing",
    summary="items processed in runs by a pool of workers: run time against its window, backlog, compute-hours, cost, storage",
    inputs=INPUTS,
    limits=LIMITS,
    compute=compute,
    fit=fit,
    headline=("run_hours", "worker_hours_per_day", "storage_retained"),
)
