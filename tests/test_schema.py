"""The preset schema: every preset file validates; each rule reports where and why."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from conftest import PRESET_FILES, PRESET_IDS, PRESETS_DIR, load_yaml
from mlsd.errors import PresetError
from mlsd.presets import load_preset_file
from mlsd.schema import PRESET, SKELETON, validate_shape


@pytest.mark.parametrize("preset_file", PRESET_FILES, ids=PRESET_IDS)
def test_every_preset_file_validates(preset_file: Path) -> None:
    load_preset_file(preset_file, PRESETS_DIR)


def _messages(data: dict, mode: str = PRESET) -> dict[str, str]:
    def dotted(path) -> str:
        out = ""
        for part in path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out

    return {dotted(issue.path): issue.message for issue in validate_shape(data, mode)}


@pytest.fixture
def blank() -> dict:
    return load_yaml(PRESETS_DIR / "blank.yaml")


def test_blank_is_a_valid_skeleton_but_not_a_finished_preset(blank: dict) -> None:
    assert _messages(blank, SKELETON) == {}
    problems = _messages(blank, PRESET)
    assert problems["scope.non_functional_requirements[0].value"] == "expected a number, got nothing"
    assert problems["model.features"] == "needs at least 8 items, has 1"


def test_every_error_is_reported_at_once(blank: dict) -> None:
    data = copy.deepcopy(blank)
    del data["architecture"]["components"][0]["tech"]
    data["architecture"]["components"][0]["teck"] = "Redis"
    data["risks"][1]["likelihood"] = "sometimes"
    data["problem"]["users"] = ""
    data["workloads"][0]["inputs"]["actors"]["value"] = "many"
    problems = _messages(data, SKELETON)
    assert problems == {
        "architecture.components[0].tech": "required",
        "architecture.components[0].teck": "unknown field; did you mean 'tech'?",
        "risks[1].likelihood": "'sometimes' is not one of: low, medium, high",
        "problem.users": "must not be empty (write the text, or a TODO marker)",
        "workloads[0].inputs.actors.value": "expected a number, got text",
    }


def test_not_applicable_must_say_why(blank: dict) -> None:
    data = copy.deepcopy(blank)
    data["deployment"]["caching"] = {"not_applicable": ""}
    problems = _messages(data, SKELETON)
    assert problems["deployment.caching.not_applicable"] == "say why it does not apply, in one sentence"
    data["deployment"]["serving"]["edge"] = {"not_applicable": "runs in the data centre", "extra": 1}
    data["deployment"]["caching"] = ""
    problems = _messages(data, SKELETON)
    assert problems["deployment.serving.edge"] == "'not_applicable' stands alone; remove: extra"
    assert problems["deployment.caching"] == (
        "must not be empty; if it does not apply, write {not_applicable: <why>}"
    )


def test_a_valid_not_applicable_passes(blank: dict) -> None:
    data = copy.deepcopy(blank)
    data["deployment"]["caching"] = {"not_applicable": "Every answer is computed fresh: nothing repeats."}
    assert _messages(data, SKELETON) == {}


def test_bad_identifier_and_numbers(blank: dict) -> None:
    data = copy.deepcopy(blank)
    data["architecture"]["components"][0]["id"] = "Bad-Id"
    data["scale"]["serving"]["p99_latency_ms"]["value"] = float("inf")
    data["workloads"][0]["inputs"]["actors"]["value"] = 0
    data["references"] = [{"title": "t", "venue": "v", "year": 1800, "relevance": "r"}]
    problems = _messages(data, SKELETON)
    assert problems["architecture.components[0].id"].startswith("'Bad-Id' is not a valid id")
    assert problems["scale.serving.p99_latency_ms.value"] == "must be a finite number no larger than 1e+30, got inf"
    assert problems["workloads[0].inputs.actors.value"] == "must be greater than 0, got 0"
    assert problems["references[0].year"] == "must be at least 1900, got 1800"


def test_file_errors_carry_file_line_and_field(tmp_path: Path, blank: dict) -> None:
    text = (PRESETS_DIR / "blank.yaml").read_text(encoding="utf-8").replace("id: blank", "id: other")
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PresetError) as caught:
        load_preset_file(path)
    first = caught.value.problems[0]
    assert str(first) == f"{path}:4: id: 'other' differs from the file name; rename one so both say 'mine'"
