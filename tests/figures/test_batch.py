"""Batch formulas and fit checks, by hand."""

from __future__ import annotations

import pytest

from helpers import messages, values, workload

BASE = {
    "items_per_run": 3_600_000, "runs_per_day": 2, "items_per_s_per_worker": 10, "workers": 50,
    "backlog_items": 36_000_000, "worker_hourly_price": 1.5, "input_bytes_per_item": 1_000_000,
    "output_bytes_per_item": 200_000, "retention_days": 30,
}


def test_run_time_cost_and_storage() -> None:
    v = values(workload("batch", BASE))
    # 50 x 10 = 500 items/s; 3,600,000 / 500 = 7,200 s = 2 h a run; 2 runs = 4 h busy a day
    assert v["pool_throughput"] == 500
    assert v["run_hours"] == pytest.approx(2)
    assert v["busy_hours_per_day"] == pytest.approx(4)
    # 7,200,000 items a day / 10 per s / 3,600 = 200 worker-hours; x USD 1.5 = USD 300
    assert v["worker_hours_per_day"] == pytest.approx(200)
    assert v["cost_per_day"] == pytest.approx(300)
    # backlog 36,000,000 / 500 / 3,600 = 20 h
    assert v["backlog_hours"] == pytest.approx(20)
    # 7,200,000 x 1.2 MB = 8.64 TB a day; x 30 = 259.2 TB
    assert v["storage_per_day"] == pytest.approx(8.64e12)
    assert v["storage_retained"] == pytest.approx(259.2e12)


def test_window_and_budget_both_ways() -> None:
    assert workload("batch", BASE, {"window_hours": 2, "max_cost_per_day": 300}).fit == []
    assert messages(workload("batch", BASE, {"window_hours": 1.5, "max_cost_per_day": 250})) == [
        "a run takes 2 h, longer than its window of 1.5 h",
        "compute costs USD 300 a day, over the budget of USD 250",
    ]


def test_runs_that_overflow_the_day() -> None:
    # 13 runs of 2 h keep the pool busy 26 h a day
    assert messages(workload("batch", {**BASE, "runs_per_day": 13})) == [
        "the runs of a day keep the pool busy 26 h, more than the 24 h a day has"]
