"""On-device formulas and fit checks, by hand."""

from __future__ import annotations

import pytest

from helpers import messages, values, workload

BASE = {
    "devices": 1_000_000, "frames_per_second": 40, "gops_per_inference": 100, "accelerator_tops": 10,
    "utilization_ceiling": 0.5, "model_mb": 20, "rollout_window_days": 10,
}


def test_frame_time_and_distribution() -> None:
    v = values(workload("on_device", BASE))
    # 1,000 / 40 = 25 ms a frame; 100e9 / (10e12 x 0.5) = 20 ms of compute; 20 / 25 = 80%
    assert v["frame_period_ms"] == pytest.approx(25)
    assert v["time_per_frame_ms"] == pytest.approx(20)
    assert v["frame_share"] == pytest.approx(0.8)
    # 100 GOP x 40 = 4 TOPS kept busy
    assert v["sustained_tops"] == pytest.approx(4)
    # 1,000,000 x 20 MB = 20 TB; x 8 / (10 x 86,400 s) = 185.2 Mbit/s
    assert v["distribution_bytes"] == pytest.approx(20e12)
    assert v["distribution_bandwidth"] == pytest.approx(20e12 * 8 / 864_000)


def test_frame_compute_against_the_period_both_ways() -> None:
    assert workload("on_device", BASE).fit == []
    # 50 fps leaves 20 ms, and 20 ms fits; 60 fps leaves 16.67 ms
    assert workload("on_device", {**BASE, "frames_per_second": 50}).fit == []
    assert messages(workload("on_device", {**BASE, "frames_per_second": 60})) == [
        "compute per frame takes 20 ms, over the frame period of 16.67 ms"]


def test_frame_budget_and_size_limits_both_ways() -> None:
    assert workload("on_device", BASE, {"frame_budget_ms": 20, "memory_limit_mb": 20, "download_limit_mb": 20}).fit == []
    assert messages(workload("on_device", BASE, {"frame_budget_ms": 15, "memory_limit_mb": 10, "download_limit_mb": 5})) == [
        "compute per frame takes 20 ms, over its budget of 15 ms",
        "the 20 MB model is over the memory limit of 10 MB",
        "the 20 MB model is over the download limit of 5 MB",
    ]
