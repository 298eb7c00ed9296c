"""Streaming formulas and fit checks, by hand."""

from __future__ import annotations

import pytest

from helpers import messages, values, workload

BASE = {
    "events_per_day": 864_000_000, "peak_to_average": 3, "event_bytes": 500, "state_keys": 10_000_000,
    "state_bytes_per_key": 2_000, "events_per_s_per_partition": 5_000, "target_utilization": 0.6, "retention_days": 7,
}


def test_events_state_and_partitions() -> None:
    v = values(workload("streaming", BASE))
    # 864,000,000 / 86,400 = 10,000 events/s; x 3 = 30,000 at peak; x 500 B x 8 = 120 Mbit/s
    assert v["average_events_per_s"] == pytest.approx(10_000)
    assert v["peak_events_per_s"] == pytest.approx(30_000)
    assert v["ingress_bandwidth"] == pytest.approx(120e6)
    # ceil(30,000 / (5,000 x 0.6)) = 10 partitions
    assert v["partitions"] == 10
    # 10,000,000 x 2,000 B = 20 GB of state; log 864e6 x 500 B x 7 = 3.024 TB
    assert v["state_bytes"] == pytest.approx(20e9)
    assert v["log_retained"] == pytest.approx(3.024e12)


def test_partition_and_state_caps_both_ways() -> None:
    assert workload("streaming", BASE, {"max_partitions": 10, "max_state_gb": 20}).fit == []
    assert messages(workload("streaming", BASE, {"max_partitions": 8, "max_state_gb": 16})) == [
        "10 partitions needed at peak exceed the cap of 8",
        "state of 20 GB is over the store's 16 GB",
    ]
