"""On-device inference: compute per frame against the device's accelerator, model size
against memory and download limits, and the bytes a rollout pushes to the fleet."""

from __future__ import annotations

from typing import Any

from mlsd.figures.kinds.base import Kind, Values, n, over
from mlsd.figures.model import FitIssue, InputSpec, Sheet
from mlsd.figures.units import BITS_PER_BYTE, SECONDS_PER_DAY, decimal, readable_bytes, si

MB = 1e6

INPUTS = (
    InputSpec("devices", "devices", "Devices in the fleet that receive the model", integer=True),
    InputSpec("frames_per_second", "frames/s", "Invocations or frames per second on one device"),
    InputSpec("gops_per_inference", "GOP", "Compute per inference (giga-operations)"),
    InputSpec("accelerator_tops", "TOPS", "Peak throughput of the device accelerator (tera-operations/s)"),
    InputSpec("utilization_ceiling", "fraction", "Share of peak throughput the model reaches", maximum=1),
    InputSpec("model_mb", "MB", "Model size as shipped (MB)"),
    InputSpec("rollout_window_days", "days", "Rollout window (days)", required=False),
)

LIMITS = (
    InputSpec("frame_budget_ms", "ms", "Share of the frame period this model may use (ms)", required=False,
              doc="when absent the whole frame period is the limit"),
    InputSpec("memory_limit_mb", "MB", "Memory the model may take on the device (MB)", required=False),
    InputSpec("download_limit_mb", "MB", "Largest download allowed (MB)", required=False),
)


def compute(sheet: Sheet, workload: dict[str, Any]) -> None:
    add = sheet.add
    add("frame_period_ms", "Frame period", "1,000 ms / frames per second", "1,000 / {}",
        ("frames_per_second",), lambda f: 1000 / f, "ms", lambda v: decimal(v, "ms"))
    add("time_per_frame_ms", "Compute time per frame",
        "compute per inference / (accelerator throughput x utilisation ceiling)", "{} GOP / ({} TOPS x {})",
        ("gops_per_inference", "accelerator_tops", "utilization_ceiling"),
        lambda g, t, u: g * 1e9 / (t * 1e12 * u) * 1000, "ms", lambda v: decimal(v, "ms"))
    add("frame_share", "Share of the frame period used", "time per frame / frame period", "{} / {}",
        ("time_per_frame_ms", "frame_period_ms"), lambda t, p: t / p, "fraction", lambda v: f"{v * 100:.0f}%")
    add("sustained_tops", "Accelerator throughput the model keeps busy", "compute per inference x frames per second",
        "{} GOP x {}", ("gops_per_inference", "frames_per_second"), lambda g, f: g * f / 1000, "TOPS",
        lambda v: decimal(v, "TOPS"))
    add("distribution_bytes", "Bytes pushed in one rollout", "devices x model size", "{} x {} MB",
        ("devices", "model_mb"), lambda d, m: d * m * MB, "B", readable_bytes)
    if "rollout_window_days" in (workload.get("inputs") or {}):
        add("distribution_bandwidth", "Average rollout bandwidth", "bytes per rollout x 8 bit / rollout window",
            "{} x 8 / ({} x 86,400 s)", ("distribution_bytes", "rollout_window_days"),
            lambda b, d: b * BITS_PER_BYTE / (d * SECONDS_PER_DAY), "bit/s", lambda v: si(v, "bit/s"))


def fit(values: Values, workload: dict[str, Any]) -> list[FitIssue]:
    issues = over(values, "time_per_frame_ms", "frame_period_ms",
                  lambda t, period: f"compute per frame takes {n(t)} ms, over the frame period of {n(period)} ms",
                  field=("inputs", "frames_per_second", "value"))
    issues += over(values, "time_per_frame_ms", "frame_budget_ms",
                   lambda t, cap: f"compute per frame takes {n(t)} ms, over its budget of {n(cap)} ms")
    issues += over(values, "model_mb", "memory_limit_mb",
                   lambda m, cap: f"the {n(m)} MB model is over the memory limit of {n(cap)} MB")
    issues += over(values, "model_mb", "download_limit_mb",
                   lambda m, cap: f"the {n(m)} MB model is over the download limit of {n(cap)} MB")
    return issues


KIND = Kind(
    name="on_device",
    title="On-device inference",
    summary="a model running on phones, cars or speakers: time per frame against the frame period, model size, rollout bytes",
    inputs=INPUTS,
    limits=LIMITS,
    compute=compute,
    fit=fit,
    headline=("time_per_frame_ms", "frame_period_ms", "distribution_bytes"),
)
