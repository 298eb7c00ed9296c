"""The mlsd command line, through click's CliRunner: every command and error path."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PRESET_IDS, PRESETS_DIR, WORKED_PRESET_IDS, load_yaml
from mlsd import __version__
from mlsd.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _tree_digest(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"mlsd, version {__version__}\n"


def test_every_command_has_help_text(runner: CliRunner) -> None:
    for name, command in main.commands.items():
        assert command.help, f"mlsd {name} has no help text"
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Usage: main" in result.output or f"Usage: mlsd {name}" in result.output or "Usage:" in result.output


def test_list_json_matches_the_preset_files(runner: CliRunner) -> None:
    result = runner.invoke(main, ["list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert sorted(r["id"] for r in rows) == sorted(PRESET_IDS)
    assert rows[0]["id"] == "blank"
    for row in rows:
        preset = load_yaml(PRESETS_DIR / f"{row['id']}.yaml")
        assert row["title"] == preset["title"]
        assert row["category"] == preset["category"]
        assert row["summary"] == preset["summary"]


def test_list_table_groups_by_category(runner: CliRunner) -> None:
    result = runner.invoke(main, ["list"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    for preset_id in PRESET_IDS:
        assert preset_id in result.output
    assert result.output.index("Custom system") < result.output.index("blank")


@pytest.mark.parametrize("preset_id", WORKED_PRESET_IDS[:3])
def test_show_gives_the_presets_answers(runner: CliRunner, preset_id: str) -> None:
    preset = load_yaml(PRESETS_DIR / f"{preset_id}.yaml")
    result = runner.invoke(main, ["show", preset_id])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{preset['title']}  [{preset_id}]\n")
    assert preset["model"]["baseline"]["name"] in result.output
    assert f"Generate it: mlsd new {preset_id}" in result.output


def test_show_unknown_preset_lists_near_ids(runner: CliRunner) -> None:
    result = runner.invoke(main, ["show", "tiktok_fy"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: unknown preset 'tiktok_fy': did you mean tiktok_fyp, tiktok_ad_ranking? "
        "run 'mlsd list' to see every preset id"
    )


def test_new_unknown_preset_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["new", "stripe_fraud", "-o", str(tmp_path), "--no-input"])
    assert result.exit_code == 2
    assert "unknown preset 'stripe_fraud': did you mean" in result.output
    assert list(tmp_path.iterdir()) == []


def test_new_without_id_generates_the_blank(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["new", "-o", str(tmp_path), "--no-input"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Created {tmp_path / 'my-ml-system'} from preset 'blank'."
    assert "TODO" in (tmp_path / "my-ml-system" / "DESIGN.md").read_text(encoding="utf-8")


def test_new_preset_with_name_and_slug(runner: CliRunner, tmp_path: Path) -> None:
    preset_id = WORKED_PRESET_IDS[0]
    result = runner.invoke(
        main, ["new", preset_id, "--name", "Checkout risk", "--slug", "risk-doc", "-o", str(tmp_path), "--no-input"]
    )
    assert result.exit_code == 0, result.output
    design = (tmp_path / "risk-doc" / "DESIGN.md").read_text(encoding="utf-8")
    assert design.startswith("# Checkout risk: ML system design\n")
    assert f"mlsd preset `{preset_id}`" in design


@pytest.mark.parametrize(
    "name",
    [
        "{{ 7*7 }}",
        "{% raw %}x{% endraw %}",
        "{{ cycler.__init__.__globals__.os.popen('echo pwned').read() }}",
        'Quote " and back\\slash',
        "Émoji 🚀 and 中文",
    ],
)
def test_a_name_is_data_never_jinja(runner: CliRunner, tmp_path: Path, name: str) -> None:
    result = runner.invoke(main, ["new", "--name", name, "--slug", "doc", "-o", str(tmp_path), "--no-input"])
    assert result.exit_code == 0, result.output
    design = (tmp_path / "doc" / "DESIGN.md").read_text(encoding="utf-8")
    assert design.splitlines()[0] == f"# {name}: ML system design"
    assert "pwned" not in design.replace(name, "")


def test_new_refuses_an_existing_directory_and_touches_nothing(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "my-ml-system"
    target.mkdir()
    (target / "DESIGN.md").write_text("my own words\n", encoding="utf-8")
    before = _tree_digest(tmp_path)
    result = runner.invoke(main, ["new", "-o", str(tmp_path), "--no-input"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {target} already exists; nothing was changed. Choose another --slug or --output-dir\n"
    )
    assert _tree_digest(tmp_path) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug", "Bad Slug"], "Error: the slug 'Bad Slug' is not a valid directory name; use lower-case letters, digits and single hyphens, starting with a letter or digit"),
        (["--slug", "../up"], "Error: the slug '../up' is not a valid directory name; use lower-case letters, digits and single hyphens, starting with a letter or digit"),
        (["--slug", "con"], "Error: the slug 'con' is a reserved device name on Windows; choose another"),
        (["--name", "   "], "Error: the system name is empty; give a name such as 'Checkout fraud scoring'"),
        (["--name", "!!!"], "Error: the slug is empty: the name has no letters or digits to derive it from; pass --slug with lower-case letters, digits and single hyphens, starting with a letter or digit"),
        (["--name", "a\nb"], "Error: the system name contains control characters or line breaks; use one line of text"),
    ],
)
def test_new_rejects_bad_names_and_slugs(runner: CliRunner, tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(main, ["new", "-o", str(tmp_path), "--no-input", *args])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == message
    assert list(tmp_path.iterdir()) == []


def test_new_without_a_terminal_does_not_prompt(runner: CliRunner, tmp_path: Path) -> None:
    # CliRunner's stdin is not a terminal: defaults are used and nothing waits for input.
    result = runner.invoke(main, ["new", "-o", str(tmp_path)], input="")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "my-ml-system" / "DESIGN.md").is_file()


def test_new_no_guidance(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["new", "-o", str(tmp_path), "--no-input", "--no-guidance"])
    assert result.exit_code == 0, result.output
    assert "<!--" not in (tmp_path / "my-ml-system" / "DESIGN.md").read_text(encoding="utf-8")


def test_validate_reports_ok(runner: CliRunner) -> None:
    files = [str(PRESETS_DIR / f"{i}.yaml") for i in PRESET_IDS]
    result = runner.invoke(main, ["validate", *files])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{f}: ok" for f in files]


def test_validate_reports_every_problem_with_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    text = (PRESETS_DIR / "blank.yaml").read_text(encoding="utf-8")
    text = text.replace("id: blank", "id: broken").replace("system_kind: product", "system_kind: gadget")
    broken.write_text(text + "extra_field: 1\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    kind_line = text.splitlines().index("system_kind: gadget") + 1
    assert f"{broken}:{kind_line}: system_kind: 'gadget' is not one of: product, platform" in lines
    assert any(line.startswith(f"{broken}:") and "extra_field: unknown field" in line for line in lines)
    assert lines[-1] == "Error: 1 of 1 preset file failed validation"


def test_validate_reports_malformed_yaml_with_its_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: [unclosed\nsummary: x\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(f"{bad}:3: invalid YAML:")


def test_shell_completion_offers_preset_ids(runner: CliRunner) -> None:
    result = runner.invoke(
        main, [], env={"_MLSD_COMPLETE": "bash_complete", "COMP_WORDS": "mlsd new tik", "COMP_CWORD": "2"},
        prog_name="mlsd",
    )
    offered = {line.split(",", 1)[1] for line in result.output.splitlines() if "," in line}
    assert offered == {i for i in PRESET_IDS if i.startswith("tik")}


def _over_budget_copy(tmp_path: Path) -> Path:
    preset_id = WORKED_PRESET_IDS[0]
    data = load_yaml(PRESETS_DIR / f"{preset_id}.yaml")
    data["scale"]["serving"]["latency_budget"][0]["ms"] = 100_000
    import yaml

    path = tmp_path / f"{preset_id}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_validate_warns_when_numbers_disagree_and_strict_fails(runner: CliRunner, tmp_path: Path) -> None:
    path = _over_budget_copy(tmp_path)
    lenient = runner.invoke(main, ["validate", str(path)])
    assert lenient.exit_code == 0
    warning = [line for line in lenient.output.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1
    assert warning[0].startswith(f"warning: {path}:")
    assert "scale.serving.latency_budget: critical path takes" in warning[0]
    assert lenient.output.splitlines()[-1] == f"{path}: ok (1 warning)"
    strict = runner.invoke(main, ["validate", "--strict", str(path)])
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1] == "Error: 1 of 1 preset file failed validation"


def test_new_times_the_interview_plan(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["new", "-o", str(tmp_path), "--no-input", "--interview-minutes", "60"])
    assert result.exit_code == 0, result.output
    plan = (tmp_path / "my-ml-system" / "docs" / "interview-plan.md").read_text(encoding="utf-8")
    assert "A 60-minute plan" in plan
    bad = runner.invoke(main, ["new", "-o", str(tmp_path / "x"), "--no-input", "--interview-minutes", "20"])
    assert bad.exit_code == 2
    assert "'20' is not one of '30', '45', '60'" in bad.output
