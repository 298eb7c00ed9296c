"""Capacity figures, recomputed here from the YAML by hand, and the consistency checks."""

from __future__ import annotations

import copy
import math

import pytest

from conftest import PRESETS_DIR, WORKED_PRESET_IDS, load_yaml
from mlsd.capacity import compute, consistency_issues, si


def _v(scale: dict, group: str, key: str) -> float:
    return scale[group][key]["value"]


@pytest.mark.parametrize("preset_id", WORKED_PRESET_IDS)
def test_figures_match_an_independent_computation(preset_id: str) -> None:
    scale = load_yaml(PRESETS_DIR / f"{preset_id}.yaml")["scale"]
    figures = compute(scale).by_key()
    daily = _v(scale, "traffic", "actors") * _v(scale, "traffic", "requests_per_actor_per_day")
    peak = daily / 86_400 * _v(scale, "traffic", "peak_to_average")
    storage_day = (
        _v(scale, "traffic", "actors") * _v(scale, "logging", "events_per_actor_per_day") * _v(scale, "logging", "event_bytes")
    )
    servers = math.ceil(peak / (_v(scale, "serving", "per_server_qps") * _v(scale, "serving", "target_utilization")))
    assert figures["peak_qps"].value == pytest.approx(peak)
    assert figures["storage_per_year"].value == pytest.approx(storage_day * 365)
    assert figures["servers"].value == servers
    assert figures["egress_bandwidth"].value == pytest.approx(peak * _v(scale, "traffic", "response_bytes") * 8)
    if "not_applicable" not in scale["index"]:
        memory = _v(scale, "index", "entities") * _v(scale, "index", "dimensions") * _v(scale, "index", "bytes_per_value")
        assert figures["index_memory"].value == pytest.approx(memory)
    else:
        assert "index_memory" not in figures


@pytest.mark.parametrize("preset_id", WORKED_PRESET_IDS)
def test_presets_agree_with_their_own_targets(preset_id: str) -> None:
    assert consistency_issues(load_yaml(PRESETS_DIR / f"{preset_id}.yaml")) == []


def _preset() -> dict:
    if not WORKED_PRESET_IDS:
        pytest.skip("no worked preset yet")
    return copy.deepcopy(load_yaml(PRESETS_DIR / f"{WORKED_PRESET_IDS[0]}.yaml"))


def test_a_throughput_target_below_peak_is_reported() -> None:
    preset = _preset()
    preset["scale"]["traffic"]["actors"]["value"] *= 100
    requirements = preset["scope"]["non_functional_requirements"]
    throughput = [r for r in requirements if r["kind"] == "throughput" and r["unit"] == "requests/s"]
    if not throughput:
        pytest.skip("first preset states no requests/s throughput")
    messages = [i.message for i in consistency_issues(preset)]
    assert any("cannot carry the peak" in m for m in messages)


def test_a_p99_no_requirement_states_is_reported() -> None:
    preset = _preset()
    preset["scale"]["serving"]["p99_latency_ms"]["value"] = 12_345
    messages = [i.message for i in consistency_issues(preset)]
    assert "no latency requirement in ms states the p99 target of 12,345 ms from scale.serving.p99_latency_ms" in messages


def test_blank_leaves_figures_open() -> None:
    figures = compute(load_yaml(PRESETS_DIR / "blank.yaml")["scale"]).figures
    assert figures and all(f.value is None and f.inputs is None for f in figures)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(1_234_000, "", "1.2 M"), (3.4e12, "B", "3.4 TB"), (950, "", "950"), (2.5, "", "2.5"), (1e9, "bit/s", "1 Gbit/s")],
)
def test_readable_units(value: float, unit: str, text: str) -> None:
    assert si(value, unit) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(99.995, "99.995"), (600_000_000, "600,000,000"), (138_888.888, "138,889"), (0.6, "0.6"), (0.00012, "0.00012")],
)
def test_numbers_keep_their_precision(value: float, text: str) -> None:
    from mlsd.capacity import number

    assert number(value) == text
