"""Training: compute per run against accelerator throughput, so accelerator-hours and cost."""

from __future__ import annotations

from typing import Any

from mlsd.figures.kinds.base import Kind, Values, n, over
from mlsd.figures.model import FitIssue, InputSpec, Sheet
from mlsd.figures.units import SECONDS_PER_HOUR, decimal, duration_hours, money, si

INPUTS = (
    InputSpec("examples_per_run", "examples", "Examples (or tokens) per epoch", integer=True),
    InputSpec("epochs", "epochs", "Epochs per run"),
    InputSpec("flops_per_example", "FLOP", "Training compute per example, forward and backward (FLOP)"),
    InputSpec("accelerator_tflops", "TFLOP/s", "Peak throughput of one accelerator at the training precision (TFLOP/s)"),
    InputSpec("utilization", "fraction", "Share of peak throughput reached (model FLOP utilisation)", maximum=1),
    InputSpec("accelerators", "accelerators", "Accelerators per run", integer=True),
    InputSpec("runs_per_month", "runs/month", "Runs per month"),
    InputSpec("accelerator_hourly_price", "USD/h", "Price of one accelerator-hour (USD)", required=False),
)

LIMITS = (
    InputSpec("run_window_hours", "h", "Wall-clock time a run may take (hours)", required=False),
    InputSpec("max_cost_per_month", "USD/month", "Training budget per month (USD)", required=False),
)


def compute(sheet: Sheet, workload: dict[str, Any]) -> None:
    add = sheet.add
    add("flops_per_run", "Compute per run", "examples x epochs x FLOP per example", "{} x {} x {}",
        ("examples_per_run", "epochs", "flops_per_example"), lambda e, p, f: e * p * f, "FLOP",
        lambda v: f"{v:.3g}".replace("e+", "e") + " FLOP")
    add("accelerator_hours_per_run", "Accelerator-hours per run",
        "compute per run / (peak FLOP/s x utilisation) / 3,600 s", "{} / ({} TFLOP/s x {}) / 3,600",
        ("flops_per_run", "accelerator_tflops", "utilization"),
        lambda f, t, u: f / (t * 1e12 * u) / SECONDS_PER_HOUR, "accelerator-hours",
        lambda v: f"{si(v) if v >= 1000 else decimal(v, '')} accelerator-hours".replace("  ", " "))
    add("run_hours", "Wall-clock time per run", "accelerator-hours per run / accelerators", "{} / {}",
        ("accelerator_hours_per_run", "accelerators"), lambda h, a: h / a, "h", duration_hours)
    add("accelerator_hours_per_month", "Accelerator-hours per month", "accelerator-hours per run x runs per month",
        "{} x {}", ("accelerator_hours_per_run", "runs_per_month"), lambda h, r: h * r, "accelerator-hours/month",
        lambda v: f"{si(v) if v >= 1000 else decimal(v, '')} accelerator-hours/month".replace("  ", " "))
    if "accelerator_hourly_price" in (workload.get("inputs") or {}):
        add("cost_per_month", "Training cost per month", "accelerator-hours per month x hourly price", "{} x {}",
            ("accelerator_hours_per_month", "accelerator_hourly_price"), lambda h, p: h * p, "USD/month",
            lambda v: f"{money(v)}/month")


def fit(values: Values, workload: dict[str, Any]) -> list[FitIssue]:
    issues = over(values, "run_hours", "run_window_hours",
                  lambda h, cap: f"a run takes {n(h)} h of wall-clock time, over its window of {n(cap)} h")
    issues += over(values, "cost_per_month", "max_cost_per_month",
                   lambda c, cap: f"training costs USD {n(c)} a month, over the budget of USD {n(cap)}")
    return issues


KIND = Kind(
    name="training",
    title="Training",
    summary="model training runs: compute per run against accelerator throughput, accelerator-hours and cost per month",
    inputs=INPUTS,
    limits=LIMITS,
    compute=compute,
    fit=fit,
    headline=("accelerator_hours_per_run", "cost_per_month"),
)
