"""The blank skeleton asks for the inputs of each chosen kind, with TODO markers."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mlsd.cli import WORKLOAD_KINDS, main
from mlsd.errors import MlsdError
from mlsd.figures import KINDS
from mlsd.figures.skeleton import parse_kinds, skeleton_workloads


def test_the_cli_lists_every_kind() -> None:
    assert WORKLOAD_KINDS == tuple(KINDS)


def test_kinds_are_read_from_a_comma_separated_answer() -> None:
    assert parse_kinds(" llm_serving, batch,llm_serving ") == ("llm_serving", "batch")
    assert parse_kinds("") == ("online_service",)
    with pytest.raises(MlsdError, match="unknown workload kind 'gpu'; choose from: online_service"):
        parse_kinds("gpu")


@pytest.mark.parametrize("kind", list(KINDS))
def test_skeleton_has_every_input_of_the_kind(kind: str) -> None:
    (workload,) = skeleton_workloads((kind,))
    assert set(workload["inputs"]) == {s.key for s in KINDS[kind].inputs}
    assert all(item["value"] is None and item["basis"].startswith("TODO") for item in workload["inputs"].values())


def test_blank_bake_with_every_kind_renders_each_input_table(baked) -> None:
    project = baked("blank", workload_kinds=",".join(KINDS))
    capacity = (project / "docs" / "capacity.md").read_text(encoding="utf-8")
    design = (project / "DESIGN.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f"*{kind.title}.*" in capacity
        assert f"({kind.title})" in design
        for spec in kind.inputs:
            assert f"| {spec.label} | TODO | {spec.unit} | TODO" in capacity, spec.label


def test_new_with_kind_options(tmp_path) -> None:
    result = CliRunner().invoke(main, ["new", "--kind", "training", "--kind", "on_device", "--no-input", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    capacity = next(tmp_path.glob("*/docs/capacity.md")).read_text(encoding="utf-8")
    assert "*Training.*" in capacity and "*On-device inference.*" in capacity
    assert "*Online service.*" not in capacity


def test_kind_is_refused_with_a_preset(tmp_path) -> None:
    result = CliRunner().invoke(main, ["new", "tiktok_fyp", "--kind", "batch", "--no-input", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "--kind shapes the blank skeleton" in result.output
