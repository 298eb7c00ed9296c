"""The latency budget as a critical path: hand-worked paths, warnings, schema errors, every preset."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from conftest import PRESETS_DIR, WORKED_PRESET_IDS, load_yaml
from mlsd.errors import PresetError
from mlsd.figures import latency
from mlsd.figures.latency import compute, expression, latency_issues
from mlsd.preset_checks import check_preset_file


def _scale(path: list, target: float, measures: str | None = None) -> dict:
    p99 = {"value": target, "basis": "test"}
    if measures:
        p99["measures"] = measures
    return {"serving": {"p99_latency_ms": p99, "latency_budget": path}}


PARALLEL = [
    {"component": "gateway", "ms": 20},
    {"parallel": [[{"component": "lexical", "ms": 45}], [{"component": "semantic", "ms": 15}]]},
    {"component": "ranker", "ms": 80},
    {"hop": "device_to_edge", "ms": 15},
]


def test_parallel_group_costs_its_slowest_branch() -> None:
    budget = compute(_scale(PARALLEL, 200))
    # 20 + max(45, 15) + 80 + 15 = 160; a serial sum would say 20 + 45 + 15 + 80 + 15 = 175.
    assert budget.critical_path_ms == 160
    assert budget.sum_of_parts_ms == 175
    assert budget.critical_path_ms < budget.sum_of_parts_ms
    assert expression(budget.steps) == "20 + max(45, 15) + 80 + 15"
    assert budget.by_key()["latency.critical_path_ms"].inputs == "20 + max(45, 15) + 80 + 15 = 160 ms"
    assert budget.by_key()["latency.headroom_ms"].value == 40


def test_a_branch_of_several_steps_adds_up_inside_the_max() -> None:
    path = [
        {"component": "a", "ms": 10},
        {"parallel": [
            [{"component": "b", "ms": 30}, {"hop": "b_to_c", "ms": 5}, {"component": "c", "ms": 20}],
            [{"component": "d", "ms": 50}],
        ]},
    ]
    budget = compute(_scale(path, 100))
    # 10 + max(30 + 5 + 20, 50) = 10 + 55 = 65
    assert budget.critical_path_ms == 65
    assert expression(budget.steps) == "10 + max((30 + 5 + 20), 50)"


def test_streaming_splits_time_to_first_byte_from_the_complete_reply() -> None:
    path = [{"component": "gateway", "ms": 20}, {"component": "model", "ms": 600},
            {"first_byte": "first token"}, {"component": "model", "ms": 3000}]
    budget = compute(_scale(path, 1000, "first_byte"))
    # first byte: 20 + 600 = 620; complete: 620 + 3000 = 3,620
    assert budget.first_byte_ms == 620
    assert budget.critical_path_ms == 3620
    assert budget.held_ms == 620
    assert latency_issues({"scale": _scale(path, 1000, "first_byte")}) == []
    over = latency_issues({"scale": _scale(path, 1000)})
    assert len(over) == 1 and "critical path takes 3,620 ms" in over[0].message


def test_an_over_target_path_is_warned_with_its_formula() -> None:
    issues = latency_issues({"scale": _scale(PARALLEL, 150)})
    assert [i.path for i in issues] == [("scale", "serving", "latency_budget")]
    assert issues[0].message == (
        "critical path takes 160 ms (20 + max(45, 15) + 80 + 15), over the p99 target of 150 ms"
    )
    assert latency_issues({"scale": _scale(PARALLEL, 160)}) == []


def _write_variant(tmp_path: Path, change) -> Path:
    data = copy.deepcopy(load_yaml(PRESETS_DIR / "amazon_product_search.yaml"))
    change(data["scale"]["serving"]["latency_budget"])
    path = tmp_path / "amazon_product_search.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(PresetError) as caught:
        check_preset_file(path)
    return [str(p) for p in caught.value.problems]


def test_an_unknown_component_in_a_branch_names_file_line_and_field(tmp_path: Path) -> None:
    def rename(budget: list) -> None:
        group = next(step for step in budget if "parallel" in step)
        group["parallel"][1][0]["component"] = "vector_serach"

    path = _write_variant(tmp_path, rename)
    problems = _problems(path)
    field = "scale.serving.latency_budget[2].parallel[1][0].component"
    assert any(p.startswith(f"{path}:") and field in p and "'vector_serach' is not a component id" in p
               for p in problems), problems


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda b: b.append({"component": "ranker", "hop": "x", "ms": 1}), "exactly one of"),
        (lambda b: b.append({"parallel": [[{"component": "ranker", "ms": 1}]]}), "at least 2 branches"),
        (lambda b: b.extend([{"first_byte": "a"}, {"first_byte": "b"}]), "only one first_byte"),
        (lambda b: b.append({"component": "ranker", "ms": "fast"}), "expected a number"),
        (lambda b: b.append({"parallel": [[{"first_byte": "x"}], [{"component": "ranker", "ms": 1}]]}),
         "not a parallel branch"),
    ],
)
def test_malformed_steps_are_schema_errors(tmp_path: Path, change, expected: str) -> None:
    problems = _problems(_write_variant(tmp_path, change))
    assert any(expected in p and "scale.serving.latency_budget" in p for p in problems), problems


@pytest.mark.parametrize("preset_id", WORKED_PRESET_IDS)
def test_every_preset_path_names_its_components_and_fits_its_target(preset_id: str) -> None:
    preset = load_yaml(PRESETS_DIR / f"{preset_id}.yaml")
    ids = {c["id"] for c in preset["architecture"]["components"]}
    budget = compute(preset["scale"], {})
    named = [s.name for s in _leaves(budget.steps) if s.kind == "component"]
    assert named and set(named) <= ids
    assert budget.held_ms is not None and budget.held_ms <= budget.target_ms
    assert latency_issues(preset) == []
    assert budget.critical_path_ms <= budget.sum_of_parts_ms


def _leaves(steps):
    for step in steps:
        if step.branches:
            for branch in step.branches:
                yield from _leaves(branch)
        else:
            yield step


def test_presets_the_review_named_model_their_real_paths() -> None:
    amazon = compute(load_yaml(PRESETS_DIR / "amazon_product_search.yaml")["scale"])
    # 15 + 25 + max(45, 35) + 30 + 70 = 185, not the serial 220
    assert (amazon.critical_path_ms, amazon.sum_of_parts_ms) == (185, 220)
    code = compute(load_yaml(PRESETS_DIR / "code_completion.yaml")["scale"])
    assert any(step.kind == "hop" for step in code.steps)
    for streaming in ("chatgpt_deployment", "support_chatbot", "voice_assistant"):
        assert compute(load_yaml(PRESETS_DIR / f"{streaming}.yaml")["scale"]).first_byte_ms is not None
    voice = load_yaml(PRESETS_DIR / "voice_assistant.yaml")["scale"]
    # The promise runs from the end of the user's speech, so the endpoint timeout is the first step.
    assert compute(voice).steps[0].name == "device_runtime"
    chatbot = compute(load_yaml(PRESETS_DIR / "support_chatbot.yaml")["scale"])
    assert chatbot.critical_path_ms < chatbot.sum_of_parts_ms


def test_rows_say_where_each_settable_step_is_written() -> None:
    # mlsd sync records an edited budget row against this place in the budget.
    scale = {"serving": {"p99_latency_ms": {"value": 300, "basis": "b"}, "latency_budget": [
        {"component": "gateway", "ms": 20},
        {"parallel": [[{"component": "lexical", "ms": 45}], [{"component": "semantic", "ms": 15}, {"hop": "edge", "ms": 5}]]},
        {"first_byte": "the first token"},
        {"component": "ranker", "ms": 80},
    ]}}
    rows = latency.rows(latency.compute(scale), {})
    assert [(r["step"].split(": ")[-1].lstrip("↳ "), r["where"]) for r in rows] == [
        ("gateway", "[0]"),
        ("Parallel (slowest branch counts)", ""),
        ("lexical", "[1].parallel[0][0]"),
        ("semantic", "[1].parallel[1][0]"),
        ("edge", "[1].parallel[1][1]"),
        ("*First byte reaches the user*", ""),
        ("ranker", "[3]"),
    ]
