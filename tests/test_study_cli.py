"""The command line for study: examples in every --help, wrapping, colour rules, prompts, completion."""

from __future__ import annotations

import json
import re

import click
import pytest
from click.testing import CliRunner

from conftest import PRESETS_DIR, load_yaml
from mlsd.cli import main

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _commands() -> list[list[str]]:
    return [[]] + [[name] for name in main.commands]


@pytest.mark.parametrize("args", _commands(), ids=lambda a: a[0] if a else "mlsd")
def test_every_help_ends_with_examples(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    tail = result.output.rstrip().split("Examples:")
    assert len(tail) == 2, result.output
    examples = [line.strip() for line in tail[1].splitlines() if line.strip()]
    assert 1 <= len(examples) <= 2 and all(line.startswith(("mlsd ", "eval ")) for line in examples)


def test_command_summaries_are_not_cut_off() -> None:
    listing = CliRunner().invoke(main, ["--help"], env={"COLUMNS": "80"}).output.split("Commands:")[1]
    assert not [line for line in listing.splitlines() if line.rstrip().endswith("...")]


@pytest.mark.parametrize("width", [60, 80])
def test_show_fits_the_terminal_and_keeps_list_items_apart(width: int) -> None:
    preset = load_yaml(PRESETS_DIR / "reddit_hot_posts.yaml")
    result = CliRunner().invoke(main, ["show", "reddit_hot_posts"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert all(len(line) <= width or " " not in line.strip() for line in lines)
    for risk in preset["risks"]:
        first_words = " ".join(risk["risk"].split()[:3])
        assert any(line.startswith(f"  - {first_words}") for line in lines), first_words
    assert "; " + preset["risks"][1]["risk"][:10] not in result.output


def test_show_section_fits_the_terminal() -> None:
    result = CliRunner().invoke(main, ["show", "uber_eta", "--section", "1"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "## 1. Problem Statement"
    assert all(len(line) <= 80 or " " not in line.strip() for line in lines)
    assert max(len(line) for line in lines) > 60  # filled, not chopped short


def test_colour_on_a_terminal_and_none_with_no_color() -> None:
    coloured = CliRunner().invoke(main, ["list"], color=True, env={"NO_COLOR": ""})
    assert ANSI.search(coloured.output)
    plain = CliRunner().invoke(main, ["list"], color=True, env={"NO_COLOR": "1"})
    assert not ANSI.search(plain.output)
    piped = CliRunner().invoke(main, ["list"])  # click strips styles when output is not a terminal
    assert not ANSI.search(piped.output)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str) -> None:
    result = CliRunner().invoke(main, ["completion", shell])
    assert result.exit_code == 0
    assert "_MLSD_COMPLETE" in result.output
    assert CliRunner().invoke(main, ["completion", "powershell"]).exit_code == 2


def test_new_on_a_terminal_asks_what_cookiecutter_asks(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("mlsd.cli._interactive", lambda: True)
    # purpose, name (default), slug, length, guidance
    answers = "\n".join(["practice", "", "eta-drill", "30", "y"]) + "\n"
    result = CliRunner().invoke(main, ["new", "uber_eta", "-o", str(tmp_path)], input=answers)
    assert result.exit_code == 0, result.output
    assert "What is the document for? (interview, practice, work)" in result.output
    assert "Interview length in minutes" in result.output and "(30, 45, 60)" in result.output
    recorded = json.loads((tmp_path / "eta-drill" / ".cruft.json").read_text(encoding="utf-8"))["context"]["cookiecutter"]
    assert recorded["purpose"] == "practice" and recorded["interview_minutes"] == "30"


def test_no_color_helper_is_the_only_styling_path() -> None:
    import inspect

    from mlsd import cli

    source = inspect.getsource(cli)
    assert source.count("click.style(") == 1  # inside _style, which honours NO_COLOR
    assert click.style  # noqa: B018 - the helper still relies on click for the codes
