"""Experiment sizing: the standard formulas against hand-worked values, and every preset's plan."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest
import yaml

from conftest import PRESETS_DIR, WORKED_PRESET_IDS, load_yaml
from mlsd.errors import PresetError
from mlsd.figures.experiments import (
    compute,
    design_effect,
    experiment_issues,
    figure_values,
    n_count,
    n_mean,
    n_proportion,
    units_per_day,
    z_alpha,
)
from mlsd.preset_checks import check_preset_file
from mlsd.scaffold import catalogue

Z975, Z95, Z80 = 1.959964, 1.644854, 0.841621


def test_z_values_come_from_the_normal_distribution() -> None:
    assert z_alpha(0.05, 2) == pytest.approx(Z975, abs=1e-6)
    assert z_alpha(0.05, 1) == pytest.approx(Z95, abs=1e-6)


def test_two_proportions_match_the_textbook_value() -> None:
    # p1 = 0.10, p2 = 0.15, alpha 0.05 two-sided, power 0.8 (Fleiss, no continuity correction):
    # p_bar = 0.125; 1.96 x sqrt(2 x 0.125 x 0.875) = 0.9167; 0.8416 x sqrt(0.09 + 0.1275) = 0.3925
    # (0.9167 + 0.3925)^2 / 0.05^2 = 1.7140 / 0.0025 = 685.6 -> 686 per arm
    assert math.ceil(n_proportion(0.10, 0.15, 0.05, 0.8, 2)) == 686


def test_non_inferiority_on_a_proportion_uses_the_margin_one_sided() -> None:
    # Face recall 0.99, margin 0.002, one-sided alpha 0.05, power 0.8:
    # (1.6449 + 0.8416)^2 x 2 x 0.99 x 0.01 / 0.002^2 = 6.1826 x 0.0198 / 4e-6 = 30,604 per arm
    assert n_proportion(0.99, 0.99, 0.05, 0.8, 1, d=0.002) == pytest.approx(30_604, abs=1)


def test_means_use_cv_times_mean_as_sigma() -> None:
    # CV 1, mean 1, d = 1% of the mean, two-sided 0.05, power 0.8:
    # 2 x (1.96 + 0.8416)^2 x 1^2 / 0.01^2 = 2 x 7.8489 / 0.0001 = 156,978
    assert n_mean(1.0, 1.0, 0.01, 0.05, 0.8, 2) == pytest.approx(156_978, abs=1)
    # Guardrail: CV 1.3, tolerance 0.2% two-sided -> 2 x 7.8489 x 1.69 / 0.002^2 = 6.63M per arm,
    # one-sided non-inferiority -> 2 x 6.1826 x 1.69 / 0.002^2 = 5.22M per arm
    assert n_mean(1.0, 1.3, 0.002, 0.05, 0.8, 2) == pytest.approx(6_632_628, rel=1e-4)
    assert n_mean(1.0, 1.3, 0.002, 0.05, 0.8, 1) == pytest.approx(5_224_261, rel=1e-4)


def test_poisson_rates_count_events_on_the_hypothesis_quantity() -> None:
    # One intervention per 500 miles; +20% miles per intervention is a rate ratio of 1/1.2.
    # miles = 7.8489 x (0.002 + 0.0016667) / (0.0003333)^2 = 259,013; events = 259,013 / 500 = 518
    rate = 1 / 500
    assert n_count(rate, rate / 1.2, 0.05, 0.8, 2) * rate == pytest.approx(518, abs=1)
    # A 20% drop instead would need 7.8489 x 1.8 / 0.04 = 353 events: a different quantity.
    assert n_count(rate, rate * 0.8, 0.05, 0.8, 2) * rate == pytest.approx(353, abs=1)


def test_design_effect() -> None:
    # 1 + (m - 1) x ICC = 1 + (84 - 1) x 0.025 = 3.075
    assert design_effect(84, 0.025) == pytest.approx(3.075)


def _experiment(**metric) -> dict:
    base = {
        "id": "m", "name": "Metric", "role": "primary", "kind": "proportion",
        "baseline": {"value": 0.10, "basis": "x"}, "effect": {"absolute": 0.05}, "test": "superiority",
        "sides": 2, "unit": "users", "units_per_day": {"value": 1000, "basis": "x"},
    }
    base.update(metric)
    return {"sizing": {"alpha": 0.05, "power": 0.8, "traffic_share": 0.1, "planned_days": 14,
                       "round_to": "days", "metrics": [base]}}


def test_duration_from_units_per_day_and_share_rounds_to_weeks() -> None:
    experiment = _experiment()
    sizing = compute(experiment)
    # 686 / (1,000 x 0.1) = 6.86 -> 7 days
    assert sizing.by_key()["experiment.sample_size_per_arm"].value == 686
    assert sizing.duration_days == 7
    experiment["sizing"]["metrics"][0]["units_per_day"]["value"] = 500
    # 686 / 50 = 13.7 -> 14 days, or 14 days in whole weeks too; 300/day -> 22.9 -> 23, weeks -> 28
    assert compute(experiment).duration_days == 14
    experiment["sizing"]["metrics"][0]["units_per_day"]["value"] = 300
    assert compute(experiment).duration_days == 23
    experiment["sizing"]["round_to"] = "weeks"
    sizing = compute(experiment)
    assert sizing.duration_days == 28
    assert sizing.by_key()["experiment.duration_days"].inputs == "ceil(686 / (300 x 0.1)) = 23, so 28 in whole weeks"


def test_clustering_and_variance_reduction_scale_the_sample() -> None:
    sizing = compute(_experiment(
        design={"kind": "clustered", "cluster_size": {"value": 5, "basis": "x"}, "icc": {"value": 0.05, "basis": "x"}},
        variance_reduction={"value": 0.5, "basis": "x"},
    ))
    # 685.6 x (1 + 4 x 0.05) x (1 - 0.5) = 685.6 x 1.2 x 0.5 = 411.4 -> 412; clusters = 412 / 5 -> 83
    figures = sizing.by_key()
    assert figures["experiment.m.sample_size_per_arm"].value == 412
    assert figures["experiment.m.clusters_per_arm"].value == 83


def test_a_run_longer_than_planned_is_a_warning() -> None:
    experiment = _experiment(units_per_day={"value": 100, "basis": "x"})
    # 686 / (100 x 0.1) = 68.6 -> 69 days against 14 planned
    issues = experiment_issues({"deployment": {"experiment": experiment}})
    assert len(issues) == 1
    assert issues[0].path == ("deployment", "experiment", "sizing", "metrics", 0)
    assert "69 days" in issues[0].message and "planned 14 days" in issues[0].message


def test_switchback_windows_for_uber() -> None:
    preset = load_yaml(PRESETS_DIR / "uber_eta.yaml")
    sizing = compute(preset["deployment"]["experiment"])
    windows = sizing.by_key()["experiment.cancellations.clusters_per_arm"].value
    # 40 cities x 24 hourly windows x 14 days / 2 arms = 6,720 windows per arm available
    assert windows <= 40 * 24 * 14 / 2 == 6_720


def test_youtube_guardrail_is_sized_for_its_own_tolerance() -> None:
    experiment = load_yaml(PRESETS_DIR / "youtube_recommendations.yaml")["deployment"]["experiment"]
    guard = next(m for m in experiment["sizing"]["metrics"] if m["id"] == "total_watch_time")
    assert guard["effect"] == {"relative": 0.002} and guard["test"] == "non_inferiority"
    values = figure_values(catalogue().load("youtube_recommendations"))
    needed = compute(experiment, values).by_key()["experiment.total_watch_time.sample_size_per_arm"].value
    per_arm = units_per_day(guard, values) * experiment["sizing"]["traffic_share"]
    assert needed <= per_arm


@pytest.mark.parametrize("preset_id", WORKED_PRESET_IDS)
def test_every_preset_sizes_its_experiment_within_its_plan(preset_id: str) -> None:
    preset = catalogue().load(preset_id)
    experiment = preset["deployment"]["experiment"]
    values = figure_values(preset)
    sizing = compute(experiment, values)
    roles = [m.role for m in sizing.metrics]
    assert roles.count("primary") == 1
    for metric in sizing.metrics:
        assert metric.sample_size_per_arm and metric.sample_size_per_arm > 0
        assert metric.days_needed is not None and metric.days_needed <= sizing.planned_days
    assert experiment_issues(preset) == []
    keys = sizing.by_key()
    assert {"experiment.sample_size_per_arm", "experiment.duration_days"} <= set(keys)
    # The arm must be able to hold what is needed: share x units a day x planned days.
    for raw, metric in zip(experiment["sizing"]["metrics"], sizing.metrics):
        available = units_per_day(raw, values) * experiment["sizing"]["traffic_share"] * sizing.planned_days
        assert metric.sample_size_per_arm <= available


def test_a_preset_without_sizing_fails_validation_with_its_field(tmp_path: Path) -> None:
    data = copy.deepcopy(load_yaml(PRESETS_DIR / "snapchat_lenses.yaml"))
    del data["deployment"]["experiment"]["sizing"]["metrics"][0]["baseline"]
    data["deployment"]["experiment"]["sizing"]["metrics"][0]["kind"] = "ratio"
    path = tmp_path / "snapchat_lenses.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(PresetError) as caught:
        check_preset_file(path)
    text = [str(p) for p in caught.value.problems]
    assert any(p.startswith(f"{path}:") and "deployment.experiment.sizing.metrics[0].baseline: required" in p for p in text), text
    assert any("sizing.metrics[0].kind" in p and "'ratio' is not one of" in p for p in text), text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda m: m.update(effect={"relative": 0.01, "absolute": 0.001}), "effect: give exactly one of relative or absolute"),
        (lambda m: m.update(kind="mean"), "cv: a mean metric needs its coefficient of variation"),
        (lambda m: m.update(test="non_inferiority", sides=2), "sides: a non-inferiority test is one-sided"),
    ],
)
def test_inconsistent_sizing_inputs_are_errors(tmp_path: Path, change, expected: str) -> None:
    data = copy.deepcopy(load_yaml(PRESETS_DIR / "snapchat_lenses.yaml"))
    change(data["deployment"]["experiment"]["sizing"]["metrics"][0])
    path = tmp_path / "snapchat_lenses.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(PresetError) as caught:
        check_preset_file(path)
    assert any(expected in str(p) for p in caught.value.problems), caught.value.problems
