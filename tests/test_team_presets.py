"""A team's own presets: a presets directory, a preset file, --set overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import PRESETS_DIR, WORKED_PRESET_IDS, load_yaml
from mlsd.cli import main

TEAM_ID = "warehouse_slotting"


@pytest.fixture
def team_dir(tmp_path: Path) -> Path:
    data = load_yaml(PRESETS_DIR / f"{WORKED_PRESET_IDS[0]}.yaml")
    data.update(id=TEAM_ID, title="Warehouse slotting", system_name="Slotting optimiser", summary="Place SKUs in bins.")
    directory = tmp_path / "team"
    directory.mkdir()
    (directory / f"{TEAM_ID}.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return directory


def _run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def test_a_team_preset_lists_shows_generates_and_validates(team_dir: Path, tmp_path: Path) -> None:
    listed = _run("list", "--json", "--presets-dir", str(team_dir))
    assert listed.exit_code == 0, listed.output
    assert TEAM_ID in listed.output
    shown = _run("show", TEAM_ID, "--presets-dir", str(team_dir))
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith(f"Warehouse slotting  [{TEAM_ID}]\n")
    out = tmp_path / "out"
    made = _run("new", TEAM_ID, "--presets-dir", str(team_dir), "-o", str(out), "--no-input")
    assert made.exit_code == 0, made.output
    assert made.output.splitlines()[0] == f"Created {out / 'slotting-optimiser'} from preset '{TEAM_ID}'."
    design = (out / "slotting-optimiser" / "DESIGN.md").read_text(encoding="utf-8")
    assert f"mlsd preset `{TEAM_ID}`" in design and "| Question | Warehouse slotting |" in design
    checked = _run("validate", str(team_dir / f"{TEAM_ID}.yaml"))
    assert checked.exit_code == 0, checked.output


def test_the_environment_variable_adds_a_presets_dir(team_dir: Path) -> None:
    listed = _run("list", "--json", env={"MLSD_PRESETS_DIR": str(team_dir)})
    assert listed.exit_code == 0, listed.output
    assert TEAM_ID in listed.output


def test_a_preset_file_generates_directly(team_dir: Path, tmp_path: Path) -> None:
    made = _run("new", "--preset-file", str(team_dir / f"{TEAM_ID}.yaml"), "-o", str(tmp_path), "--no-input")
    assert made.exit_code == 0, made.output
    assert (tmp_path / "slotting-optimiser" / "docs" / "capacity.md").is_file()


def test_a_broken_team_preset_is_refused_with_file_and_line(team_dir: Path, tmp_path: Path) -> None:
    path = team_dir / f"{TEAM_ID}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["system_kind"] = "gizmo"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    made = _run("new", "--preset-file", str(path), "-o", str(tmp_path / "o"), "--no-input")
    assert made.exit_code == 1
    assert f"{path}:" in made.output and "system_kind: 'gizmo' is not one of: product, platform" in made.output
    assert not (tmp_path / "o").exists()


def test_a_team_id_may_not_shadow_a_builtin(team_dir: Path) -> None:
    clash = team_dir / f"{WORKED_PRESET_IDS[0]}.yaml"
    clash.write_text((team_dir / f"{TEAM_ID}.yaml").read_text(encoding="utf-8").replace(f"id: {TEAM_ID}", f"id: {WORKED_PRESET_IDS[0]}"), encoding="utf-8")
    listed = _run("list", "--presets-dir", str(team_dir))
    assert listed.exit_code == 1
    assert f"duplicate id '{WORKED_PRESET_IDS[0]}'" in listed.output


def test_set_overrides_a_preset_field_and_an_answer(tmp_path: Path) -> None:
    preset_id = WORKED_PRESET_IDS[0]
    made = _run(
        "new", preset_id, "-o", str(tmp_path), "--no-input",
        "--set", "problem.users=Night-shift planners.",
        "--set", "system_name=Overridden name",
    )
    assert made.exit_code == 0, made.output
    design = (tmp_path / "overridden-name" / "DESIGN.md").read_text(encoding="utf-8")
    assert "### Users\n\nNight-shift planners.\n" in design
    assert design.startswith("# Overridden name: ML system design")


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("nonsense", "--set 'nonsense' is not key=value"),
        ("problem.nobody=x", "--set problem.nobody: the preset has no field 'nobody' on that path"),
        ("problem=x", "--set problem: only a single value can be set"),
        ("workloads[0].inputs.actors.value=lots", "--set workloads[0].inputs.actors.value: expected a number, got 'lots'"),
    ],
)
def test_bad_set_values_are_refused(tmp_path: Path, assignment: str, message: str) -> None:
    made = _run("new", WORKED_PRESET_IDS[0], "-o", str(tmp_path), "--no-input", "--set", assignment)
    assert made.exit_code != 0
    assert message in made.output
    assert list(tmp_path.iterdir()) == []


def test_a_set_that_breaks_a_rule_is_reported(tmp_path: Path) -> None:
    made = _run("new", WORKED_PRESET_IDS[0], "-o", str(tmp_path), "--no-input", "--set", "risks[0].kind=cosmic")
    assert made.exit_code == 1
    assert "with --set: risks[0].kind: 'cosmic' is not one of" in made.output
