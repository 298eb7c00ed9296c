"""markdownlint, the other common Markdown linter, passes generated repos under their own config,
and that config agrees with the one for pymarkdownlnt.

markdownlint-cli comes from npm: .ci/run installs it into the test cache, and
these tests install it there themselves when npm is present; only without npm
do they skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, TEST_CACHE, npm_or_skip
from mlsd.markdown import one_line

# .ci/run reads this line to install the same version.
MARKDOWNLINT_CLI_VERSION = "0.50.0"
TEMPLATE = ROOT / "{{cookiecutter.system_slug}}"
# What the generated README tells the user to lint.
LINT_TARGETS = ("README.md", "DESIGN.md", "docs")
# Rules markdownlint has and pymarkdownlnt lacks, switched off in .markdownlint.yaml with a reason there.
MARKDOWNLINT_ONLY = {"md060"}


def _markdownlint() -> Path:
    """The markdownlint command, installed from npm into the test cache when missing."""
    prefix = TEST_CACHE / f"markdownlint-cli-{MARKDOWNLINT_CLI_VERSION}"
    command = prefix / "node_modules" / ".bin" / "markdownlint"
    if command.is_file():
        return command
    npm = npm_or_skip(command, f"markdownlint-cli@{MARKDOWNLINT_CLI_VERSION}")
    staging = tempfile.mkdtemp(dir=TEST_CACHE)
    try:
        installed = subprocess.run(
            [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", staging, f"markdownlint-cli@{MARKDOWNLINT_CLI_VERSION}"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert installed.returncode == 0, f"npm could not install markdownlint-cli: {installed.stderr.strip()[-500:]}"
        try:
            os.rename(staging, prefix)  # all or nothing
        except OSError:
            pass  # another worker installed it first
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    assert command.is_file()
    return command


def _run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(_markdownlint()), *args], cwd=project, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("preset_id", "extra"),
    [
        ("blank", {}),
        ("blank", {"guidance": False}),
        ("tiktok_fyp", {}),
        ("stripe_fraud_detection", {"guidance": False}),
        ("chatgpt_deployment", {}),
        ("tesla_autopilot", {}),
        ("feature_store", {"practice": True}),
    ],
    ids=["blank", "blank-no-guidance", "tiktok_fyp", "stripe-no-guidance", "chatgpt_deployment", "tesla_autopilot", "feature_store-practice"],
)
def test_generated_markdown_passes_markdownlint(baked, preset_id: str, extra: dict) -> None:
    project = baked(preset_id, **extra)
    result = _run(project, *LINT_TARGETS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_markdownlint_reads_the_repos_rules_and_skips_the_mlsd_copy(baked, tmp_path: Path) -> None:
    project = tmp_path / "repo"
    shutil.copytree(baked("blank"), project)
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert "markdownlint " + " ".join(LINT_TARGETS) in readme
    # Everything, dot-directories included: .markdownlintignore keeps .mlsd/ out.
    (project / ".mlsd" / "stray.md").write_text("#not a heading\n", encoding="utf-8")
    assert _run(project, "--dot", ".").returncode == 0
    (project / ".markdownlintignore").unlink()
    unignored = _run(project, "--dot", ".")
    assert unignored.returncode != 0 and ".mlsd/stray.md" in unignored.stderr
    # Without the repo's config markdownlint's defaults apply, and the long lines fail MD013.
    (project / ".markdownlint.yaml").unlink()
    bare = _run(project, *LINT_TARGETS)
    assert bare.returncode != 0 and "MD013" in bare.stderr


def test_bracketed_words_in_preset_text_stay_text() -> None:
    # markdownlint reads "[360][12]" as a reference link with an undefined label (MD052).
    assert one_line("float32[360][12]") == "float32[360]\\[12]"


def _markdownlint_rules() -> dict[str, object]:
    config = yaml.safe_load((TEMPLATE / ".markdownlint.yaml").read_text(encoding="utf-8"))
    return {key.lower(): value for key, value in config.items() if key.lower().startswith("md")}


def _pymarkdown_rules() -> dict[str, dict]:
    config = yaml.safe_load((TEMPLATE / ".pymarkdown.yml").read_text(encoding="utf-8"))
    return {key: value for key, value in config["plugins"].items() if key.startswith("md")}


def test_the_two_lint_configs_agree() -> None:
    markdownlint, pymarkdown = _markdownlint_rules(), _pymarkdown_rules()
    off_in_markdownlint = {rule for rule, value in markdownlint.items() if value is False}
    off_in_pymarkdown = {rule for rule, value in pymarkdown.items() if value.get("enabled") is False}
    assert off_in_markdownlint - MARKDOWNLINT_ONLY == off_in_pymarkdown
    # The one option both set, the indent of nested lists, has one value.
    assert markdownlint["md007"] == {"indent": pymarkdown["md007"]["indent"]}
    # Each file names the other, so whoever edits one finds its twin.
    assert ".pymarkdown.yml" in (TEMPLATE / ".markdownlint.yaml").read_text(encoding="utf-8")
    assert ".markdownlint.yaml" in (TEMPLATE / ".pymarkdown.yml").read_text(encoding="utf-8")
