"""Every preset's workloads compute in full and fit the limits they declare."""

from __future__ import annotations

import pytest

from conftest import PRESETS_DIR, WORKED_PRESET_IDS, load_yaml
from mlsd.figures import KINDS, compute, workload_issues
from mlsd.figures.fit import fit_issues


@pytest.mark.parametrize("preset_id", WORKED_PRESET_IDS)
def test_every_workload_computes_and_fits(preset_id: str) -> None:
    preset = load_yaml(PRESETS_DIR / f"{preset_id}.yaml")
    assert workload_issues(preset) == []
    figures = compute(preset)
    assert figures.workloads, "a preset declares at least one workload"
    for workload in figures.workloads:
        missing = [f.key for f in workload if f.value is None]
        assert missing == [], f"{workload.name}: no value for {missing}"
    assert [i.message for i in fit_issues(preset, figures)] == []


@pytest.mark.parametrize("preset_id", WORKED_PRESET_IDS)
def test_names_are_stable_identifiers(preset_id: str) -> None:
    figures = compute(load_yaml(PRESETS_DIR / f"{preset_id}.yaml"))
    for name in figures:
        workload, key = name.split(".")
        assert workload.replace("_", "").isalnum() and key.replace("_", "").isalnum(), name
        assert name == name.lower()


def test_every_kind_is_used_by_some_preset() -> None:
    used = {w["kind"] for p in WORKED_PRESET_IDS for w in load_yaml(PRESETS_DIR / f"{p}.yaml")["workloads"]}
    assert used == set(KINDS)


def test_unknown_kind_and_input_are_named() -> None:
    preset = load_yaml(PRESETS_DIR / "tiktok_fyp.yaml")
    preset["workloads"][0]["inputs"]["actorz"] = {"value": 1, "basis": "a"}
    preset["workloads"].append({"kind": "online_servise", "name": "x", "label": "x", "inputs": {}})
    messages = {(tuple(i.path), i.message) for i in workload_issues(preset)}
    assert (("workloads", 0, "inputs", "actorz"), "unknown input; did you mean 'actors'?") in messages
    assert (("workloads", 1, "kind"), "unknown workload kind 'online_servise'; did you mean 'online_service'?") in messages


def test_required_inputs_and_bounds_are_checked() -> None:
    preset = load_yaml(PRESETS_DIR / "tiktok_fyp.yaml")
    inputs = preset["workloads"][0]["inputs"]
    del inputs["peak_to_average"]
    inputs["target_utilization"]["value"] = 1.5
    inputs["actors"]["value"] = 2.5
    messages = {(tuple(i.path), i.message) for i in workload_issues(preset)}
    assert (("workloads", 0, "inputs", "peak_to_average"), "required by a online_service workload (Peak-to-average traffic ratio)") in messages
    assert (("workloads", 0, "inputs", "target_utilization", "value"), "must be at most 1, got 1.5") in messages
    assert (("workloads", 0, "inputs", "actors", "value"), "expected a whole number, got 2.5") in messages


def test_preset_format_documents_every_kind_and_input() -> None:
    from conftest import ROOT

    text = (ROOT / "docs" / "preset-format.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f"### `{kind.name}`" in text
        for spec in kind.inputs + kind.limits:
            assert f"| `{spec.key}` |" in text, f"{kind.name}.{spec.key} is not documented"
