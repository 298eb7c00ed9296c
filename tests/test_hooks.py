"""The generation hooks: bad answers stop generation with one line and leave nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from mlsd.hooks import post_generate, pre_generate


def test_pre_generate_accepts_good_answers() -> None:
    answers = {"system_name": "Fraud", "system_slug": "fraud", "preset": "blank", "_repo_dir": str(ROOT)}
    assert pre_generate(answers) == 0


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"system_name": "x", "system_slug": "Bad Slug", "preset": "blank"}, "error: the slug 'Bad Slug' is not a valid directory name"),
        ({"system_name": " ", "system_slug": "x", "preset": "blank"}, "error: the system name is empty"),
        ({"system_name": "x", "system_slug": "x", "preset": "nope"}, "error: unknown preset 'nope'"),
    ],
)
def test_pre_generate_rejects_with_one_line(capsys, answers: dict, message: str) -> None:
    assert pre_generate({**answers, "_repo_dir": str(ROOT)}) == 1
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_a_failing_hook_leaves_no_partial_output(tmp_path: Path) -> None:
    from cookiecutter.exceptions import FailedHookException
    from cookiecutter.main import cookiecutter

    with pytest.raises(FailedHookException):
        cookiecutter(str(ROOT), no_input=True, output_dir=str(tmp_path), extra_context={"system_slug": "Bad Slug"})
    assert list(tmp_path.iterdir()) == []


def test_post_generate_removes_bytecode_caches(tmp_path: Path) -> None:
    cache = tmp_path / "docs" / "__pycache__"
    cache.mkdir(parents=True)
    (cache / "x.pyc").write_bytes(b"\0")
    (tmp_path / "DESIGN.md").write_text("kept\n", encoding="utf-8")
    assert post_generate(tmp_path, {}) == 0
    assert not cache.exists()
    assert (tmp_path / "DESIGN.md").read_text(encoding="utf-8") == "kept\n"


def test_pre_generate_warns_but_goes_on_when_numbers_disagree(tmp_path: Path, capsys) -> None:
    import shutil

    import yaml

    from conftest import WORKED_PRESET_IDS, load_yaml

    preset_id = WORKED_PRESET_IDS[0]
    shutil.copytree(ROOT / "presets", tmp_path / "presets")
    data = load_yaml(ROOT / "presets" / f"{preset_id}.yaml")
    data["scale"]["serving"]["latency_budget"][0]["ms"] = 100_000
    (tmp_path / "presets" / f"{preset_id}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    answers = {"system_name": "x", "system_slug": "x", "preset": preset_id, "_repo_dir": str(tmp_path)}
    assert pre_generate(answers) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("warning: ") and "over the p99 target" in err[0]
