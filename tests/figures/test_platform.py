"""Platform formulas and fit checks, by hand."""

from __future__ import annotations

import pytest

from helpers import messages, values, workload

BASE = {
    "tenants": 50, "endpoints": 400, "replica_floor": 2, "replicas_per_host": 8, "peak_qps": 60_000,
    "per_replica_qps": 100, "target_utilization": 0.6, "host_hourly_price": 3,
}


def test_floors_and_traffic_bin_packed() -> None:
    v = values(workload("platform", BASE))
    # 400 / 50 = 8 endpoints a tenant; 400 x 2 = 800 floor replicas; ceil(800 / 8) = 100 hosts
    assert v["endpoints_per_tenant"] == 8
    assert v["floor_replicas"] == 800
    assert v["floor_hosts"] == 100
    # ceil(60,000 / (100 x 0.6)) = 1,000 replicas; ceil(1,000 / 8) = 125 hosts; the larger binds
    assert v["traffic_replicas"] == 1_000
    assert v["traffic_hosts"] == 125
    assert v["hosts"] == 125
    # 125 x USD 3 x 730 h = USD 273,750 a month
    assert v["cost_per_month"] == pytest.approx(273_750)


def test_the_floor_binds_when_traffic_is_light() -> None:
    # 6,000 QPS needs ceil(6,000 / 60) = 100 replicas, 13 hosts; the floors need 100 hosts
    assert values(workload("platform", {**BASE, "peak_qps": 6_000}))["hosts"] == 100


def test_host_cap_and_budget_both_ways() -> None:
    assert workload("platform", BASE, {"max_hosts": 125, "max_cost_per_month": 273_750}).fit == []
    assert messages(workload("platform", BASE, {"max_hosts": 120, "max_cost_per_month": 200_000})) == [
        "125 hosts needed exceed the host cap of 120",
        "the fleet costs USD 273,750 a month, over the budget of USD 200,000",
    ]
