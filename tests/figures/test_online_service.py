"""Online service formulas, the candidate funnel, and its fit checks, by hand."""

from __future__ import annotations

import pytest

from helpers import messages, values, workload

BASE = {
    "actors": 1_000_000, "requests_per_actor_per_day": 8.64, "peak_to_average": 2,
    "request_bytes": 1_000, "response_bytes": 5_000, "events_per_actor_per_day": 10, "event_bytes": 100,
    "retention_days": 30, "index_entries": 1_000_000, "index_dimensions": 64, "index_bytes_per_value": 2,
    "target_utilization": 0.5,
}
STAGES = [
    {"step": "retrieval", "name": "ann", "label": "ANN", "candidates_out": {"value": 600, "basis": "a"},
     "per_host_throughput": {"value": 50, "basis": "a"}},
    {"step": "retrieval", "name": "trending", "label": "Trending", "candidates_out": {"value": 400, "basis": "a"},
     "per_host_throughput": {"value": 100, "basis": "a"}},
    {"step": "ranking", "name": "ranker", "label": "Ranker", "candidates_in": {"value": 1000, "basis": "a"},
     "candidates_out": {"value": 50, "basis": "a"}, "per_host_throughput": {"value": 100_000, "basis": "a"}},
]


def test_traffic_bytes_and_storage() -> None:
    v = values(workload("online_service", {**BASE, "per_host_qps": 20}))
    # 1,000,000 x 8.64 = 8,640,000 requests a day; / 86,400 = 100 QPS; x 2 = 200 QPS at peak
    assert v["daily_requests"] == pytest.approx(8_640_000)
    assert v["average_qps"] == pytest.approx(100)
    assert v["peak_qps"] == pytest.approx(200)
    # 1,000,000 x 10 events x 100 B = 1 GB a day; x 365 = 365 GB; x 30 = 30 GB held
    assert v["storage_per_day"] == pytest.approx(1e9)
    assert v["storage_per_year"] == pytest.approx(365e9)
    assert v["storage_retained"] == pytest.approx(30e9)
    # 1,000,000 x 64 x 2 B = 128 MB
    assert v["index_memory"] == pytest.approx(128e6)
    # 200 QPS x 1,000 B x 8 = 1.6 Mbit/s in; x 5,000 B x 8 = 8 Mbit/s out
    assert v["ingress_bandwidth"] == pytest.approx(1.6e6)
    assert v["egress_bandwidth"] == pytest.approx(8e6)
    # ceil(200 / (20 x 0.5)) = 20 hosts
    assert v["serving_hosts"] == 20


def test_stages_size_fan_out_work() -> None:
    w = workload("online_service", BASE, stages=STAGES)
    v = values(w)
    # retrieval works per request: ceil(200 / (50 x 0.5)) = 8 and ceil(200 / (100 x 0.5)) = 4 hosts
    assert v["ann_hosts"] == 8
    assert v["trending_hosts"] == 4
    # ranking scores 200 QPS x 1,000 candidates = 200,000 a second; ceil(200,000 / (100,000 x 0.5)) = 4 hosts
    assert v["ranker_work"] == pytest.approx(200_000)
    assert v["ranker_hosts"] == 4
    # 8 + 4 + 4 = 16 hosts in all
    assert v["hosts"] == 16
    assert w.fit == []
    assert v["ranker_candidates_in"] == 1000


def test_a_funnel_that_does_not_close_is_reported() -> None:
    stages = [dict(s) for s in STAGES]
    stages[2] = {**stages[2], "candidates_in": {"value": 800, "basis": "a"}}
    found = messages(workload("online_service", BASE, stages=stages))
    assert found == ["ranker takes 800 candidates in, but the retrieval step hands on 1,000; the funnel must close"]


def test_a_stage_cannot_hand_on_more_than_it_takes() -> None:
    stages = [dict(s) for s in STAGES]
    stages[2] = {**stages[2], "candidates_out": {"value": 2000, "basis": "a"}}
    assert "ranker hands on 2,000 candidates, more than the 1,000 it takes in" in messages(
        workload("online_service", BASE, stages=stages))


def test_host_cap_both_ways() -> None:
    inputs = {**BASE, "per_host_qps": 20}
    # 20 hosts needed at the 200 QPS peak
    assert workload("online_service", inputs, {"max_hosts": 20}).fit == []
    assert messages(workload("online_service", inputs, {"max_hosts": 19})) == [
        "20 hosts needed exceed the host cap of 19"]


def test_throughput_target_sizes_the_hosts_and_must_cover_the_peak() -> None:
    inputs = {**BASE, "per_host_qps": 20}
    # design load max(200, 300) = 300 QPS; ceil(300 / (20 x 0.5)) = 30 hosts, over a cap of 25
    w = workload("online_service", inputs, {"throughput_target": 300, "max_hosts": 25})
    assert values(w)["serving_hosts"] == 30
    assert messages(w) == ["30 hosts needed at 300 requests/s exceed the host cap of 25"]
    assert messages(workload("online_service", inputs, {"throughput_target": 150})) == [
        "throughput target of 150 requests/s is below the computed peak of 200 requests/s"]


def test_missing_inputs_leave_figures_open() -> None:
    w = workload("online_service", {"actors": 5})
    assert all(f.value is None and f.inputs is None for f in w.figures)


def test_huge_inputs_are_out_of_range_not_a_crash() -> None:
    w = workload("online_service", {**BASE, "actors": 1e300, "requests_per_actor_per_day": 1e300, "per_host_qps": 1})
    assert "daily_requests" in w.out_of_range
    assert values(w)["serving_hosts"] is None


def test_serving_tier_cap_both_ways() -> None:
    inputs = {**BASE, "per_host_qps": 20}
    # 20 serving hosts at the 200 QPS peak
    assert workload("online_service", inputs, {"max_serving_hosts": 20}).fit == []
    assert messages(workload("online_service", inputs, {"max_serving_hosts": 15})) == [
        "20 serving hosts needed exceed the serving tier's cap of 15"]
