"""The README's two opening commands, and its examples, which must match real output."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0].strip()


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    commands = re.findall(r"```sh\n(.+?)\n```", README, flags=re.S)[:2]
    assert "mlsd new tiktok_fyp" in commands[0]
    assert "pytest" in commands[1]
    head = README.split("```sh", 1)[0]
    assert head.count("\n") <= 4, "the commands must come first"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def test_readme_examples_are_real_generated_output(baked) -> None:
    project = baked("tiktok_fyp")
    capacity = (project / "docs" / "capacity.md").read_text(encoding="utf-8")
    design = (project / "DESIGN.md").read_text(encoding="utf-8")
    generated_table = "| Figure | Formula " + _block(capacity, "| Figure | Formula", "\n\n")
    generated_diagram = _block(design, "```mermaid", "```")
    readme_table = _block(README, "<!-- example: capacity -->", "<!-- end example -->")
    readme_diagram = _block(_block(README, "<!-- example: diagram -->", "<!-- end example -->"), "```mermaid", "```")
    assert readme_table == generated_table, "README capacity example is stale; paste:\n" + generated_table
    assert readme_diagram == generated_diagram, "README diagram example is stale; paste:\n" + generated_diagram


def _example_lines(name: str) -> list[str]:
    block = _block(README, f"<!-- example: {name} -->", "<!-- end example -->")
    return [line for line in _block(block, "```text", "```").splitlines() if not line.startswith("$ ")]


def test_readme_check_examples_are_real_output(baked, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mlsd.cli import main

    runner = CliRunner()
    blank = runner.invoke(main, ["check", str(baked("blank"))]).output.splitlines()
    for line in _example_lines("check-blank"):
        assert line in blank, line
    repo = tmp_path / "eta-refinement-service"
    shutil.copytree(baked("uber_eta", purpose="practice"), repo)
    design = repo / "DESIGN.md"
    answer = "\nWe judge the model by the mean absolute error of pickup predictions, in seconds.\n"
    design.write_text(design.read_text(encoding="utf-8").replace("## 1. Problem Statement\n", "## 1. Problem Statement\n" + answer, 1), encoding="utf-8")
    practice = runner.invoke(main, ["check", str(repo), "--against", "uber_eta"])
    for line in _example_lines("check-practice"):
        assert line in practice.output.splitlines(), line
