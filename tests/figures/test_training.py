"""Training formulas and fit checks, by hand."""

from __future__ import annotations

import pytest

from helpers import messages, values, workload

BASE = {
    "examples_per_run": 1e9, "epochs": 2, "flops_per_example": 3.6e9, "accelerator_tflops": 100,
    "utilization": 0.4, "accelerators": 8, "runs_per_month": 4, "accelerator_hourly_price": 2.5,
}


def test_compute_hours_and_cost() -> None:
    v = values(workload("training", BASE))
    # 1e9 x 2 x 3.6e9 = 7.2e18 FLOP; / (100e12 x 0.4) = 180,000 s = 50 accelerator-hours
    assert v["flops_per_run"] == pytest.approx(7.2e18)
    assert v["accelerator_hours_per_run"] == pytest.approx(50)
    # 50 / 8 = 6.25 h of wall clock; x 4 runs = 200 accelerator-hours a month; x USD 2.5 = USD 500
    assert v["run_hours"] == pytest.approx(6.25)
    assert v["accelerator_hours_per_month"] == pytest.approx(200)
    assert v["cost_per_month"] == pytest.approx(500)


def test_window_and_budget_both_ways() -> None:
    assert workload("training", BASE, {"run_window_hours": 6.25, "max_cost_per_month": 500}).fit == []
    assert messages(workload("training", BASE, {"run_window_hours": 6, "max_cost_per_month": 400})) == [
        "a run takes 6.25 h of wall-clock time, over its window of 6 h",
        "training costs USD 500 a month, over the budget of USD 400",
    ]
