"""The real cookiecutter command line, in subprocesses, with mlsd not installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import PRESETS_DIR, REPRESENTATIVE_PRESET_IDS, copy_as_git_repo, load_yaml
from mlsd.derived_inputs import FINGERPRINT_PREFIX

PRESET = "stripe_fraud_detection"


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Python that has cookiecutter but cannot import an installed mlsd.

    The new venv reaches this environment's packages through a plain .pth line;
    .pth files inside that directory (the editable mlsd) are not processed.
    """
    venv = tmp_path_factory.mktemp("bare") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    (Path(purelib) / "parent_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    probe = subprocess.run([str(python), "-c", "import cookiecutter, mlsd.presets"], capture_output=True, text=True)
    assert "No module named 'mlsd" in probe.stderr
    return python


@pytest.fixture(scope="module")
def template_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's files in a fresh git repository, as a user would clone them."""
    return copy_as_git_repo(tmp_path_factory.mktemp("template") / "mlsd")


def _cookiecutter(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [str(python), "-m", "cookiecutter", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120
    )


# A subprocess per preset is slow; pytest-cookies generates every preset in test_bake.py.
@pytest.mark.parametrize("preset_id", REPRESENTATIVE_PRESET_IDS)
def test_representative_presets_through_the_real_command_line(bare_python: Path, template_copy: Path, tmp_path: Path, preset_id: str) -> None:
    result = _cookiecutter(bare_python, "--no-input", str(template_copy), f"preset={preset_id}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (project,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    design = (project / "DESIGN.md").read_text(encoding="utf-8")
    assert f"mlsd preset `{preset_id}`" in design
    assert "## 7. Risks & Mitigations" in design
    assert load_yaml(PRESETS_DIR / f"{preset_id}.yaml")["model"]["baseline"]["name"].split()[0] in design
    assert not list(project.rglob("__pycache__"))


def test_git_url_without_mlsd_installed(bare_python: Path, template_copy: Path, tmp_path: Path) -> None:
    result = _cookiecutter(
        bare_python, "--no-input", f"git+file://{template_copy}", "system_name=Checkout risk", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    design = (tmp_path / "checkout-risk" / "DESIGN.md").read_text(encoding="utf-8")
    assert design.startswith("# Checkout risk: ML system design\n")
    assert "TODO" in design
    # The pinned source is worked out by the template itself, without an installed mlsd.
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=template_copy, capture_output=True, text=True, check=True
    ).stdout.strip()
    hooks = (tmp_path / "checkout-risk" / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert f'repo: "file://localhost{template_copy}"\n    rev: {commit}\n' in hooks


def test_a_bad_slug_fails_in_one_line_and_leaves_nothing(bare_python: Path, template_copy: Path, tmp_path: Path) -> None:
    result = _cookiecutter(bare_python, "--no-input", str(template_copy), "system_slug=Bad Slug", cwd=tmp_path)
    assert result.returncode != 0
    assert "error: the slug 'Bad Slug' is not a valid directory name" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _tree(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file()}


def test_replay_generates_the_same_repo_again(
    bare_python: Path, template_copy: Path, tmp_path: Path, isolated_cookiecutter_home: Path
) -> None:
    answers = ["preset=uber_eta", "system_name=Replayed ETA", "interview_minutes=60", "guidance=no"]
    first = _cookiecutter(bare_python, "--no-input", str(template_copy), *answers, "-o", "first", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    replay_file = isolated_cookiecutter_home / "replay" / f"{template_copy.name}.json"
    assert json.loads(replay_file.read_text(encoding="utf-8"))["cookiecutter"]["system_name"] == "Replayed ETA"

    again = _cookiecutter(bare_python, "--replay", str(template_copy), "-o", "second", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    original, replayed = tmp_path / "first" / "replayed-eta", tmp_path / "second" / "replayed-eta"
    assert _tree(replayed) == _tree(original)
    assert "| **Total** | **60** |" in (replayed / "docs" / "interview-plan.md").read_text(encoding="utf-8")
    assert "<!--" not in (replayed / "DESIGN.md").read_text(encoding="utf-8")


def test_config_file_default_context_answers_the_prompts(bare_python: Path, template_copy: Path, tmp_path: Path) -> None:
    config = tmp_path / "team-cookiecutter.yaml"
    config.write_text(
        f"cookiecutters_dir: {tmp_path / 'cookiecutters'}\n"
        f"replay_dir: {tmp_path / 'replay'}\n"
        "default_context:\n"
        "  preset: feature_store\n"
        "  system_name: Team feature platform\n"
        '  interview_minutes: "60"\n'
        "  guidance: false\n",
        encoding="utf-8",
    )
    made = _cookiecutter(
        bare_python, "--no-input", "--config-file", str(config), str(template_copy), "-o", "out", cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    project = tmp_path / "out" / "team-feature-platform"
    design = (project / "DESIGN.md").read_text(encoding="utf-8")
    assert design.startswith("# Team feature platform: ML system design\n")
    assert "mlsd preset `feature_store`" in design
    assert "| **Total** | **60** |" in (project / "docs" / "interview-plan.md").read_text(encoding="utf-8")
    # No guidance comment anywhere; a derived file's inputs fingerprint is a comment but no guidance.
    assert not [
        p.name for p in project.rglob("*.md")
        if any("<!--" in line and not line.startswith(FINGERPRINT_PREFIX) for line in p.read_text(encoding="utf-8").splitlines())
    ]
    assert json.loads((project / ".cruft.json").read_text(encoding="utf-8"))["context"]["cookiecutter"]["preset"] == "feature_store"


def _cruft(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cruft", *args], cwd=cwd, capture_output=True, text=True, timeout=180
    )


@pytest.fixture
def own_template(template_copy: Path, tmp_path: Path) -> Path:
    """A clone of the template this test may add commits to."""
    clone = tmp_path / "template"
    subprocess.run(["git", "clone", "-q", str(template_copy), str(clone)], check=True)
    return clone


def _commit_to(repo: Path, message: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "--allow-empty", "-m", message],
        cwd=repo,
        check=True,
    )


def test_cruft_check_on_a_repo_from_plain_cookiecutter(bare_python: Path, own_template: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    made = _cookiecutter(bare_python, "--no-input", f"git+file://{own_template}", f"preset={PRESET}", "-o", str(out), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    (project,) = list(out.iterdir())
    record = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    assert record["template"] == f"file://{own_template}"
    assert record["commit"] == subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=own_template, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert _cruft("check", cwd=project).returncode == 0
    _commit_to(own_template, "a newer template")
    stale = _cruft("check", cwd=project)
    assert stale.returncode != 0
    assert "out of date" in stale.stdout + stale.stderr


def test_cruft_create_then_check(own_template: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    made = _cruft("create", "--no-input", f"file://{own_template}", "--output-dir", str(out), cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    (project,) = list(out.iterdir())
    assert (project / "docs" / "capacity.md").is_file()
    assert _cruft("check", cwd=project).returncode == 0


def test_cruft_update_brings_a_template_change_in(bare_python: Path, own_template: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    made = _cookiecutter(bare_python, "--no-input", f"git+file://{own_template}", f"preset={PRESET}", "-o", str(out), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    (project,) = list(out.iterdir())
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "generated"], cwd=project, check=True)
    readme = own_template / "{{cookiecutter.system_slug}}" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("## How to use it", "## How to work with it"), encoding="utf-8")
    subprocess.run([*git, "commit", "-q", "-am", "reword a heading"], cwd=own_template, check=True)
    updated = _cruft("update", "-y", cwd=project)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert "## How to work with it" in (project / "README.md").read_text(encoding="utf-8")
    assert _cruft("check", cwd=project).returncode == 0
