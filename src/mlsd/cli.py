"""The ``mlsd`` command line: each command parses, calls the library, prints."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from mlsd import __version__
from mlsd.errors import InvalidNameError, MlsdError, PresetError, UnknownPresetError

if TYPE_CHECKING:
    from mlsd.listing import PresetSummary
    from mlsd.presets import PresetCatalogue

# Start-up stays lean: a command imports the library modules it uses when it
# runs, so `mlsd --help` loads none of them and `mlsd list` no capacity model,
# interview plan or cookiecutter (bench/run.py measures this).
# mlsd.interview's lengths, repeated because options are built at import time;
# tests/test_listing.py holds the two equal.
INTERVIEW_LENGTHS = (30, 45, 60)
DEFAULT_INTERVIEW_MINUTES = 45
# The workload kinds of mlsd.figures.kinds, repeated for the same reason.
WORKLOAD_KINDS = ("online_service", "llm_serving", "on_device", "batch", "streaming", "training", "platform")

F = TypeVar("F", bound=Callable[..., Any])
# --set keys that are answers to the prompts rather than preset fields.
ANSWER_OVERRIDES = ("system_name", "system_slug", "interview_minutes", "guidance", "purpose")
# mlsd.answers' purposes, repeated because options are built at import time;
# tests/test_work_mode.py holds the two equal.
PURPOSES = ("interview", "practice", "work")


def _interactive() -> bool:
    """True when a person can answer prompts: standard input is a terminal."""
    return sys.stdin.isatty()


def _catalogue(presets_dirs: tuple[Path, ...] = ()) -> PresetCatalogue:
    from mlsd.scaffold import catalogue

    try:
        return catalogue(presets_dirs)
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None


def _complete_preset_id(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    try:
        ids = list(_catalogue(tuple(ctx.params.get("presets_dirs") or ())).paths())
    except (MlsdError, click.ClickException):
        return []
    return [click.shell_completion.CompletionItem(i) for i in sorted(ids) if i.startswith(incomplete)]


def presets_dir_option(command: F) -> F:
    return click.option(
        "--presets-dir",
        "presets_dirs",
        multiple=True,
        type=click.Path(file_okay=False, exists=True, path_type=Path),
        help="A directory of your team's presets, added to the built-in ones (repeatable; "
        "also $MLSD_PRESETS_DIR).",
    )(command)


def _load(catalogue: PresetCatalogue, preset_id: str) -> dict[str, Any]:
    try:
        return catalogue.load(preset_id)
    except UnknownPresetError as exc:
        raise click.UsageError(str(exc)) from None
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None


class RepoUnreadable(click.ClickException):
    """A repo that cannot be checked as it is (a missing, linked or special file): one line, exit 2.

    Not a usage error: the command line was right, so click's usage banner would only bury the line.
    """

    exit_code = 2


class MlsdGroup(click.Group):
    """Exits 130 on Ctrl-C and 143 on SIGTERM, the shell conventions, instead of click's generic 1.

    Every command that writes undoes a partial write before the signal reaches
    here (a half-made target is removed, a half-applied update put back), so the
    message is true when it is printed.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Abort, KeyboardInterrupt):
            from mlsd.interrupts import EXIT_INTERRUPTED

            click.echo("\nInterrupted; nothing was written.", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Exception:
            raise
        except BaseException as exc:
            # Imported only on this path, so start-up does not pay for signal handling.
            from mlsd.interrupts import EXIT_TERMINATED, Terminated

            if not isinstance(exc, Terminated):
                raise
            click.echo("\nTerminated; nothing was written.", err=True)
            ctx.exit(EXIT_TERMINATED)


@click.group(
    cls=MlsdGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="\b\nExamples:\n  mlsd new uber_eta --practice\n  mlsd practice uber_eta --minutes 45",
)
@click.version_option(__version__, "--version", prog_name="mlsd")
def main() -> None:
    """Scaffold machine-learning system design documents.

    Start from one of 33 worked presets (TikTok For You page, Stripe fraud
    detection, a feature store, ...) or from a blank skeleton with guidance.
    """


@main.command("list", short_help="List the presets by category.", epilog="\b\nExamples:\n  mlsd list\n  mlsd list --presets-dir ./team-presets --json")
@click.option("--json", "as_json", is_flag=True, help="Print the presets as JSON.")
@presets_dir_option
def list_presets(as_json: bool, presets_dirs: tuple[Path, ...]) -> None:
    """List the presets, grouped by category."""
    # The listing module alone: no schema, no preset loader, and YAML only for heads not seen before.
    from mlsd import listing
    from mlsd.locations import preset_directories

    try:
        summaries = listing.list_presets(preset_directories(presets_dirs))
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        import json

        rows = [
            {"id": s.id, "title": s.title, "category": s.category, "summary": s.summary, "system_name": s.system_name}
            for s in summaries
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    _print_listing(summaries)


def _print_listing(summaries: list[PresetSummary]) -> None:
    """Print the presets under their category labels, wrapped to the terminal's width.

    Plain text styled by click rather than a rich table: importing rich alone
    takes about half of this command's start-up budget (docs/performance.md).
    click drops the styles when the output is not a terminal.
    """
    width = _terminal_width()
    id_width = max((len(s.id) for s in summaries), default=0)
    indent = 2 + id_width + 2
    side_by_side = width - indent >= 30
    if not side_by_side:
        indent = 6  # too narrow for two columns: the text goes under the id
    groups: dict[str, list[PresetSummary]] = {}
    for summary in summaries:
        groups.setdefault(summary.category_label, []).append(summary)
    out: list[str] = []
    for label, members in groups.items():
        out += [""] if out else []
        out += [_style(line, bold=True) for line in _wrap(label, width)]
        for summary in members:
            lines = [_style(line, bold=True) for line in _wrap(summary.title, width - indent)]
            lines += [_style(line, dim=True) for line in _wrap(summary.summary, width - indent)]
            styled_id = _style(summary.id.ljust(id_width) if side_by_side else summary.id, fg="cyan")
            if side_by_side and lines:
                out.append(f"  {styled_id}  {lines.pop(0)}")
            else:
                out.append(f"  {styled_id}")
            out += [" " * indent + line for line in lines]
    click.echo("\n".join(out))


def _terminal_width() -> int:
    """$COLUMNS, else the terminal's width, else 80: shutil's rule, without importing shutil."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def _wrap(text: str, width: int) -> list[str]:
    from mlsd.terminal_text import fill

    return fill(text, width)


def _style(text: str, **styles: Any) -> str:
    """click.style unless NO_COLOR is set; click drops the styles itself when output is not a terminal."""
    return text if os.environ.get("NO_COLOR") else click.style(text, **styles)


@main.command(short_help="Show a preset in brief, or one section.", epilog="\b\nExamples:\n  mlsd show uber_eta\n  mlsd show uber_eta --section 4")
@click.argument("preset_id", metavar="ID", shell_complete=_complete_preset_id)
@click.option(
    "--section",
    type=click.IntRange(1, 7),
    help="Reveal one section (1 to 7) of the reference design, as generated.",
)
@presets_dir_option
def show(preset_id: str, section: int | None, presets_dirs: tuple[Path, ...]) -> None:
    """Show what preset ID answers, in brief, or one section of its design in full."""
    if section is None:
        _show_brief(preset_id, presets_dirs, _terminal_width())
        return
    catalogue = _catalogue(presets_dirs)
    _load(catalogue, preset_id)
    from mlsd.scaffold import reference_section
    from mlsd.terminal_text import markdown_for_terminal

    try:
        text = reference_section(catalogue, preset_id, section)
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None
    for line in markdown_for_terminal(text, _terminal_width()):
        click.echo(_style(line, bold=True) if line.startswith("#") else line)


def _show_brief(preset_id: str, presets_dirs: tuple[Path, ...], width: int) -> None:
    """The brief of a preset laid out for ``width``, from the cache while the preset and the blank are unchanged."""
    from mlsd import brief_cache
    from mlsd.locations import preset_directories

    try:
        found = brief_cache.sources(preset_directories(presets_dirs), preset_id)
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None
    text = brief_cache.cached_brief(found, width) if found is not None else None
    if text is None:
        from mlsd.summary import brief

        text = brief(_load(_catalogue(presets_dirs), preset_id), preset_id, width)
        if found is not None:
            brief_cache.store_brief(found, text, width)
    lines = text.splitlines()
    click.echo("\n".join([_style(lines[0], bold=True), *lines[1:]]))


def _parse_sets(assignments: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """Split ``--set`` values into prompt answers and preset field overrides."""
    from mlsd.overrides import OverrideError, parse_assignment

    answers: dict[str, str] = {}
    fields: dict[str, str] = {}
    for text in assignments:
        try:
            key, value = parse_assignment(text)
        except OverrideError as exc:
            raise click.UsageError(str(exc)) from None
        (answers if key in ANSWER_OVERRIDES else fields)[key] = value
    return answers, fields


@main.command(short_help="Generate a design repo from a preset.", epilog="\b\nExamples:\n  mlsd new tiktok_fyp -o ~/designs\n  mlsd new uber_eta --practice --interview-minutes 30 --no-input")
@click.argument("preset_id", metavar="[ID]", required=False, shell_complete=_complete_preset_id)
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
    help=f"Length of the interview the plan in docs/interview-plan.md is timed for [default: {DEFAULT_INTERVIEW_MINUTES}].",
)
@click.option(
    "--purpose",
    type=click.Choice(PURPOSES),
    help="'interview' to study a worked design, 'practice' to rehearse with its answers hidden (as --practice), "
    "'work' for a design doc under review: status, cost, readiness, model card, no interview files "
    "[default: interview].",
)
@click.option("--no-guidance", is_flag=True, help="Leave out the writing guidance comments.")
@click.option(
    "--practice",
    is_flag=True,
    help="Practice mode: the preset's clarifying questions and the guidance, none of its answers.",
)
@click.option(
    "--preset-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Generate from this preset file instead of a preset id.",
)
@presets_dir_option
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override an answer (system_name, ...) or a preset field by its path, "
    "e.g. workloads[0].inputs.actors.value=5e8 (repeatable).",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(WORKLOAD_KINDS),
    help="For the blank skeleton: a workload kind whose inputs it asks for (repeatable) [default: online_service].",
)
@click.option("--no-input", is_flag=True, help="Ask nothing; use the defaults for every answer left out.")
def new(
    preset_id: str | None,
    system_name: str | None,
    system_slug: str | None,
    output_dir: Path,
    interview_minutes: str | None,
    purpose: str | None,
    no_guidance: bool,
    practice: bool,
    preset_file: Path | None,
    presets_dirs: tuple[Path, ...],
    assignments: tuple[str, ...],
    kinds: tuple[str, ...],
    no_input: bool,
) -> None:
    """Generate a design repo from preset ID (the blank skeleton when ID is left out)."""
    from mlsd.presets import BLANK_ID
    from mlsd.scaffold import GenerationRequest, generate, resolve

    if preset_file is not None and preset_id is not None:
        raise click.UsageError("give a preset ID or --preset-file, not both")
    if purpose == "practice":
        practice = True
    elif practice and purpose is not None:
        raise click.UsageError(f"--practice is purpose 'practice'; it does not go with --purpose {purpose}")
    if kinds and (preset_id not in (None, "blank") or preset_file is not None):
        raise click.UsageError("--kind shapes the blank skeleton; a preset brings its own workloads")
    if practice and preset_id is None and preset_file is None:
        raise click.UsageError("--practice needs a preset ID: it keeps that preset's questions and hides its answers")
    answer_sets, field_sets = _parse_sets(assignments)
    system_name = system_name if system_name is not None else answer_sets.get("system_name")
    system_slug = system_slug if system_slug is not None else answer_sets.get("system_slug")
    interview_minutes = interview_minutes or answer_sets.get("interview_minutes")
    if interview_minutes is not None and interview_minutes not in {str(m) for m in INTERVIEW_LENGTHS}:
        raise click.UsageError(f"interview_minutes must be one of {', '.join(map(str, INTERVIEW_LENGTHS))}")
    guidance = not no_guidance
    if "guidance" in answer_sets:
        from mlsd.answers import truthy

        guidance = guidance and truthy(answer_sets["guidance"])

    catalogue = _catalogue(presets_dirs)
    preset_id = preset_id or BLANK_ID
    if preset_file is None:
        _load(catalogue, preset_id)  # unknown ids fail here, before any prompt
    if not no_input and _interactive():
        from mlsd.naming import derive_slug
        from mlsd.presets import resolve_preset

        try:
            _, preset = resolve_preset(catalogue, preset_id, preset_file=preset_file)
        except MlsdError as exc:
            raise click.ClickException(str(exc)) from None
        # The questions cookiecutter asks, in its order; practice is one of the purposes.
        if purpose is None and not practice:
            # The blank skeleton has no answers to hide, so it is not offered practice.
            choices = PURPOSES if preset_id != BLANK_ID or preset_file else tuple(p for p in PURPOSES if p != "practice")
            purpose = click.prompt("What is the document for?", type=click.Choice(choices), default=PURPOSES[0])
            practice = purpose == "practice"
        system_name = system_name or click.prompt("System name", default=preset["system_name"])
        system_slug = system_slug or click.prompt("Directory name", default=derive_slug(system_name))
        if interview_minutes is None and purpose != "work":
            interview_minutes = click.prompt(
                "Interview length in minutes",
                type=click.Choice([str(m) for m in INTERVIEW_LENGTHS]),
                default=str(DEFAULT_INTERVIEW_MINUTES),
            )
        if guidance:
            guidance = click.confirm("Include writing guidance as HTML comments?", default=True)
        if not kinds and preset_id == BLANK_ID and preset_file is None:
            answer = click.prompt("Workload kinds, comma-separated (" + ", ".join(WORKLOAD_KINDS) + ")", default=WORKLOAD_KINDS[0])
            kinds = tuple(k.strip() for k in answer.split(",") if k.strip())
    request = GenerationRequest(
        preset_id=preset_id,
        system_name=system_name,
        system_slug=system_slug,
        output_dir=output_dir,
        guidance=guidance,
        interview_minutes=int(interview_minutes or DEFAULT_INTERVIEW_MINUTES),
        preset_file=preset_file,
        overrides=field_sets,
        practice=practice,
        purpose=purpose or answer_sets.get("purpose") or PURPOSES[0],
        workload_kinds=tuple(dict.fromkeys(kinds)),
    )
    try:
        resolved = resolve(request, catalogue)
    except (InvalidNameError, UnknownPresetError) as exc:
        raise click.UsageError(str(exc)) from None
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        target = generate(resolved)
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None
    mode = " in practice mode" if practice else ""
    click.echo(f"Created {target} from preset '{resolved.resolved_id}'{mode}.")
    click.echo(f"Next: open {Path(target) / 'DESIGN.md'}")
    if practice:
        click.echo(f"When done: mlsd check {target} --against {resolved.resolved_id}")


@main.command(short_help="Update a repo to the template, keeping edits.", epilog="\b\nExamples:\n  mlsd update path/to/design-repo --dry-run\n  mlsd update path/to/design-repo")
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the changes as a diff and write nothing.")
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 when an update is available, 0 when the repo is up to date (for CI).",
)
@click.option(
    "--preset-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The preset file a repo made with 'mlsd new --preset-file' was generated from; "
    "the path recorded in the repo is never opened.",
)
@presets_dir_option
def update(
    directory: Path, dry_run: bool, check_only: bool, preset_file: Path | None, presets_dirs: tuple[Path, ...]
) -> None:
    """Bring a generated design repo up to date with the current template, keeping your edits."""
    from mlsd.update import update_repo

    try:
        plan = update_repo(
            directory, dry_run=dry_run or check_only, presets=_catalogue(presets_dirs), preset_file=preset_file
        )
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None
    if check_only:
        if not plan.pending:
            click.echo("Up to date.")
            return
        changed = len(plan.writes)
        click.echo(f"An update is available: {changed} file(s) of yours would change; run: mlsd update {directory}")
        sys.exit(1)
    if dry_run:
        click.echo(plan.diff_text, nl=False)
        click.echo(f"Dry run: {len(plan.writes)} file(s) would change; nothing was written.", err=True)
        if plan.conflicts:
            click.echo("Would conflict: " + ", ".join(plan.conflicts), err=True)
        return
    for label, files in (
        ("added", plan.added),
        ("updated", plan.updated),
        ("merged with your edits", plan.merged),
        ("left deleted as you had it", plan.kept),
    ):
        for name in files:
            click.echo(f"{label}: {name}")
    if not plan.writes:
        click.echo("Already up to date.")
    if plan.conflicts:
        raise click.ClickException(
            "conflicts in " + ", ".join(plan.conflicts) + "; resolve the <<<<<<< markers, then commit"
        )


@main.command(short_help="Recompute derived files from DESIGN.md's tables.", epilog="\b\nExamples:\n  mlsd sync\n  mlsd sync designs/checkout-risk")
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--preset-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The preset file a repo made with 'mlsd new --preset-file' was generated from.",
)
def sync(directory: Path, preset_file: Path | None) -> None:
    """Recompute docs/capacity.md, the interview plan and the concepts page from DESIGN.md's tables.

    Edit a workload input or a latency step in DESIGN.md, then run this: the
    edited values are recorded with the repo's answers and only derived files
    are rewritten.
    """
    from mlsd.sync import sync_repo

    try:
        result = sync_repo(directory, preset_file=preset_file)
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None
    if not result.written:
        click.echo("Derived files already match DESIGN.md.")
        return
    for name in result.written:
        click.echo(f"recomputed: {name}")
    if result.recorded:
        click.echo(f"Recorded {len(result.recorded)} edited value(s) with the answers in .cruft.json, so mlsd update keeps them.")


@main.command(short_help="Check a design repo, or grade a practice one.", epilog="\b\nExamples:\n  mlsd check . --format json\n  mlsd check my-practice --against uber_eta --reveal 1")
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Findings recorded here are accepted; only new ones fail. Written when it does not exist yet.",
)
@click.option("--update-baseline", is_flag=True, help="Rewrite the --baseline file with today's findings.")
@click.option(
    "--against",
    "against",
    metavar="ID",
    shell_complete=_complete_preset_id,
    help="Grade the document against the key ideas of preset ID, in the sections you attempted.",
)
@click.option("--all", "score_all", is_flag=True, help="With --against: score every section, attempted or not.")
@click.option(
    "--reveal",
    type=click.IntRange(1, 7),
    multiple=True,
    metavar="N",
    help="With --against: name the missed ideas of section N (repeatable); others stay hidden.",
)
@presets_dir_option
def check(
    directory: Path,
    output_format: str,
    baseline: Path | None,
    update_baseline: bool,
    against: str | None,
    score_all: bool,
    reveal: tuple[int, ...],
    presets_dirs: tuple[Path, ...],
) -> None:
    """Check the design repo DIRECTORY: sections, TODOs, numbers, metrics, risks, capacity.

    Exit status: 0 clean, 1 findings, 2 usage error.
    """
    from mlsd import check as checks

    if update_baseline and baseline is None:
        raise click.UsageError("--update-baseline needs --baseline FILE")
    if against is not None:
        _report_coverage(directory, against, output_format, presets_dirs, score_all, reveal)
        return
    if score_all or reveal:
        raise click.UsageError("--all and --reveal grade a practice repo; add --against ID")
    try:
        report, recorded = checks.check_with_baseline(directory, baseline, update=update_baseline)
    except MlsdError as exc:
        raise RepoUnreadable(str(exc)) from None
    if recorded:
        click.echo(f"Recorded {len(report.findings)} finding(s) in {baseline}; later checks fail only on new ones.")
        return
    if output_format == "json":
        import json

        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    else:
        for finding in report.findings:
            click.echo(str(finding))
        suffix = f" ({report.baselined} accepted by the baseline)" if report.baselined else ""
        click.echo(report.summary_line() + suffix)
    if report.findings:
        sys.exit(1)


def _report_coverage(
    directory: Path, preset_id: str, output_format: str, presets_dirs: tuple[Path, ...], score_all: bool, reveal: tuple[int, ...]
) -> None:
    from mlsd.check import read_design
    from mlsd.coverage import NoKeyIdeas, measure
    from mlsd.coverage_report import as_json, text_lines
    from mlsd.repo_files import RepoFiles
    from mlsd.snapshot import BASE_DIR

    try:
        files = RepoFiles(directory)
        design = read_design(files)
        generated = files.read_text(BASE_DIR / "DESIGN.md")
    except MlsdError as exc:
        raise RepoUnreadable(str(exc)) from None
    reference = _load(_catalogue(presets_dirs), preset_id)
    try:
        coverage = measure(design, reference, preset_id, generated_text=generated, score_all=score_all)
    except NoKeyIdeas as exc:
        raise click.ClickException(f"{exc}; grade against a preset that has them, or read it with mlsd show") from None
    revealed = set(reveal)
    if output_format == "json":
        import json

        click.echo(json.dumps(as_json(coverage, revealed), indent=2, ensure_ascii=False))
        return
    _echo_wrapped(text_lines(coverage, revealed))


def _echo_wrapped(lines: list[str]) -> None:
    """Print report lines wrapped to the terminal, continuation lines indented under their first word."""
    width = _terminal_width()
    for line in lines:
        indent = len(line) - len(line.lstrip())
        marker = line.lstrip().split(" ", 1)[0] if line.lstrip().startswith(("found:", "missed:")) else ""
        hang = indent + (len(marker) + 2 if marker else 2)
        wrapped = _wrap(line, width - hang) if len(line) > width else [line.strip()]
        for number, part in enumerate(wrapped):
            click.echo((" " * (indent if number == 0 else hang)) + _style_report(part, number == 0))


def _style_report(text: str, first: bool) -> str:
    if not first:
        return text
    if text.startswith("found:"):
        return _style("found:", fg="green") + text[len("found:") :]
    if text.startswith("missed:"):
        return _style("missed:", fg="yellow") + text[len("missed:") :]
    if text.startswith("coverage of "):
        return _style(text, bold=True)
    return text


@main.command(short_help="Run a timed mock interview in the terminal.", epilog="\b\nExamples:\n  mlsd practice uber_eta\n  mlsd practice tiktok_ad_ranking --minutes 60 --dir ads-practice")
@click.argument("preset_id", metavar="ID", shell_complete=_complete_preset_id)
@click.option(
    "--minutes",
    type=click.Choice([str(m) for m in INTERVIEW_LENGTHS]),
    default=str(DEFAULT_INTERVIEW_MINUTES),
    show_default=True,
    help="Length of the mock interview.",
)
@click.option(
    "--dir",
    "repo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The practice repo to write into: made in practice mode when missing, continued when it exists "
    "[default: ./<name>-practice].",
)
@presets_dir_option
def practice(preset_id: str, minutes: str, repo_dir: Path | None, presets_dirs: tuple[Path, ...]) -> None:
    """A timed mock interview on preset ID in the terminal, saved into a practice repo as you type."""
    if not _interactive():
        click.echo("mlsd practice needs a terminal to type into; run it in one (for a file, use mlsd check --against).", err=True)
        sys.exit(2)
    from mlsd.naming import derive_slug
    from mlsd.practice_session import Session
    from mlsd.scaffold import GenerationRequest, generate, resolve

    catalogue = _catalogue(presets_dirs)
    preset = _load(catalogue, preset_id)
    target = repo_dir or Path(f"{derive_slug(preset['system_name'])}-practice")
    resolved = None
    if not (target / "DESIGN.md").is_file():
        request = GenerationRequest(
            preset_id=preset_id,
            system_slug=target.name,
            output_dir=target.parent,
            interview_minutes=int(minutes),
            practice=True,
        )
        try:
            resolved = resolve(request, catalogue)  # a bad answer stops here, before the clock starts
        except MlsdError as exc:
            raise click.ClickException(str(exc)) from None
        if target.exists():
            raise click.ClickException(f"{target} exists but holds no DESIGN.md; choose another --dir")

    def prepare() -> None:
        if resolved is None:
            click.echo(f"Continuing in {target}.")
            return
        try:
            generate(resolved)
        except MlsdError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Answers are saved in the practice repo {target}.")

    def ask(prompt: str) -> str | None:
        try:
            return input(_style(prompt, fg="cyan") if sys.stdout.isatty() else prompt)
        except EOFError:
            return None

    session = Session(preset, target, int(minutes), ask, click.echo, prepare=prepare)
    try:
        session.run()
    except KeyboardInterrupt:
        click.echo(f"\nInterrupted; every answer typed so far is in {target}.", err=True)
        sys.exit(130)
    except MlsdError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Grade it: mlsd check {target} --against {preset_id}")


COMPLETION_SHELLS = ("bash", "zsh", "fish")


@main.command(short_help="Print the shell completion script.", epilog="\b\nExamples:\n  eval \"$(mlsd completion bash)\"        # in ~/.bashrc\n  mlsd completion fish > ~/.config/fish/completions/mlsd.fish")
@click.argument("shell", type=click.Choice(COMPLETION_SHELLS))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL (commands, options and preset ids)."""
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    assert completer is not None  # click ships all three
    click.echo(completer(main, {}, "mlsd", "_MLSD_COMPLETE").source())


@main.command(short_help="Validate preset files against the schema.", epilog="\b\nExamples:\n  mlsd validate presets/my_system.yaml\n  mlsd validate --strict presets/*.yaml")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--strict", is_flag=True, help="Fail on warnings too (figures that break the limits the preset declares).")
def validate(files: tuple[Path, ...], strict: bool) -> None:
    """Check preset FILES against the schema; report every problem with file and line."""
    from mlsd.preset_checks import check_preset_file

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
