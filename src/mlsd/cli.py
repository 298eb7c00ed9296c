"""The ``mlsd`` command line: each command parses, calls the library, prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from mlsd import __version__
from mlsd.errors import InvalidNameError, MlsdError, PresetError, UnknownPresetError
from mlsd.interview import INTERVIEW_LENGTHS
from mlsd.presets import BLANK_ID, check_preset_file


def _catalogue():
    from mlsd.scaffold import catalogue

    try:
        return catalogue()
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None


def _complete_preset_id(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    try:
        ids = [summary.id for summary in _catalogue().summaries()]
    except (MlsdError, click.ClickException):
        return []
    return [click.shell_completion.CompletionItem(i) for i in ids if i.startswith(incomplete)]


def _load(preset_id: str) -> dict[str, Any]:
    try:
        return _catalogue().load(preset_id)
    except UnknownPresetError as exc:
        raise click.UsageError(str(exc)) from None
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="mlsd")
def main() -> None:
    """Scaffold machine-learning system design documents.

    Start from one of 33 worked presets (TikTok For You page, Stripe fraud
    detection, a feature store, ...) or from a blank skeleton with guidance.
    """


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the presets as JSON.")
def list_presets(as_json: bool) -> None:
    """List the presets, grouped by category."""
    try:
        summaries = _catalogue().summaries()
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        rows = [
            {"id": s.id, "title": s.title, "category": s.category, "summary": s.summary, "system_name": s.system_name}
            for s in summaries
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(soft_wrap=False, highlight=False)
    id_width = max(len(s.id) for s in summaries)
    groups: dict[str, list] = {}
    for summary in summaries:
        groups.setdefault(summary.category_label, []).append(summary)
    for label, members in groups.items():
        table = Table(title=Text(label, style="bold"), title_justify="left", expand=True, show_header=False)
        table.add_column("Id", no_wrap=True, style="cyan", min_width=id_width)
        table.add_column("Title and summary", ratio=1)
        for summary in members:
            # Text objects, not markup strings: a title may contain square brackets.
            cell = Text(summary.title, style="bold")
            cell.append("\n" + summary.summary, style="dim")
            table.add_row(Text(summary.id), cell)
        console.print(table)


@main.command()
@click.argument("preset_id", metavar="ID", shell_complete=_complete_preset_id)
def show(preset_id: str) -> None:
    """Show what preset ID answers, in brief."""
    from mlsd.summary import brief

    click.echo(brief(_load(preset_id), preset_id))


@main.command()
@click.argument("preset_id", metavar="[ID]", required=False, default=BLANK_ID, shell_complete=_complete_preset_id)
@click.option("--name", "system_name", help="System name shown in the documents [default: the preset's].")
@click.option("--slug", "system_slug", help="Directory name of the design repo [default: derived from the name].")
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Where to create the design repo.",
)
@click.option(
    "--interview-minutes",
    type=click.Choice([str(m) for m in INTERVIEW_LENGTHS]),
    help=f"Length of the interview the plan in docs/interview-plan.md is timed for [default: {INTERVIEW_LENGTHS[0]}].",
)
@click.option("--no-guidance", is_flag=True, help="Leave out the writing guidance comments.")
@click.option("--no-input", is_flag=True, help="Ask nothing; use the defaults for every answer left out.")
def new(
    preset_id: str,
    system_name: str | None,
    system_slug: str | None,
    output_dir: Path,
    interview_minutes: str | None,
    no_guidance: bool,
    no_input: bool,
) -> None:
    """Generate a design repo from preset ID (the blank skeleton when ID is left out)."""
    from mlsd.scaffold import GenerationRequest, generate, resolve

    preset = _load(preset_id)
    guidance = not no_guidance
    if not no_input and sys.stdin.isatty():
        from mlsd.naming import derive_slug

        system_name = system_name or click.prompt("System name", default=preset["system_name"])
        system_slug = system_slug or click.prompt("Directory name", default=derive_slug(system_name))
        if interview_minutes is None:
            interview_minutes = click.prompt(
                "Interview length in minutes",
                type=click.Choice([str(m) for m in INTERVIEW_LENGTHS]),
                default=str(INTERVIEW_LENGTHS[0]),
            )
        if not no_guidance:
            guidance = click.confirm("Include writing guidance as HTML comments?", default=True)
    minutes = int(interview_minutes or INTERVIEW_LENGTHS[0])
    request = GenerationRequest(preset_id, system_name, system_slug, output_dir, guidance, minutes)
    try:
        resolved = resolve(request, _catalogue())
    except InvalidNameError as exc:
        raise click.UsageError(str(exc)) from None
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        target = generate(resolved)
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created {target} from preset '{preset_id}'.")
    click.echo(f"Next: open {Path(target) / 'DESIGN.md'}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--strict", is_flag=True, help="Fail on warnings too (numbers that disagree with their targets).")
def validate(files: tuple[Path, ...], strict: bool) -> None:
    """Check preset FILES against the schema; report every problem with file and line."""
    failed = 0
    for path in files:
        try:
            warnings = check_preset_file(path)
        except PresetError as exc:
            failed += 1
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            continue
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)
        if warnings and strict:
            failed += 1
            continue
        click.echo(f"{path}: ok" + (f" ({len(warnings)} warning{'s' * (len(warnings) != 1)})" if warnings else ""))
    if failed:
        raise click.ClickException(f"{failed} of {len(files)} preset file{'s' * (len(files) != 1)} failed validation")
