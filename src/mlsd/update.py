"""Updating a generated design repo to the current template without losing edits.

Generation leaves a copy of every generated file in ``.mlsd/base/``: the text
as generated, which the user never edits. ``mlsd update`` regenerates from the
recorded answers and, file by file:

- a file the user never edited (equal to its base) takes the new text;
- an edited file gets a three-way merge of base, the user's text and the new
  text; overlapping changes get conflict markers;
- a new template file is added; nothing the user has is ever deleted;
- the base copy is then replaced by the new generation.

The repo is untrusted input (people clone design repos from others), so every
file is read and written through :class:`mlsd.repo_files.RepoFiles`: no link is
followed, nothing outside the repo is touched. The update is all or nothing:
every result is computed first, each file is replaced atomically, and if any
write fails (a full disk, SIGTERM) the files already written are put back. A
lock keeps two updates of one repo apart.
"""

from __future__ import annotations

import difflib
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from merge3 import Merge3

from mlsd.answers import ANSWERS_FILE
from mlsd.errors import MlsdError
from mlsd.repo_files import RepoFiles, decode_text
from mlsd.snapshot import BASE_DIR, UNMERGED, generated_files

CONFLICT_LABELS = ("your edits", "base", "template")


@dataclass
class UpdatePlan:
    """What an update does to each file; nothing is written until :func:`apply`."""

    project_dir: Path
    new_dir: Path
    writes: dict[str, str] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    # Each written file's bytes before the update (None: it did not exist), to restore on failure.
    originals: dict[str, bytes | None] = field(default_factory=dict)
    diff_text: str = ""
    # Whether the update changes anything, the answers and base copy included.
    pending: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.writes)


def merge_text(base: str, mine: str, theirs: str) -> tuple[str, bool]:
    """Three-way merge by lines; returns the text and whether it holds conflicts."""
    merger = Merge3(base.splitlines(True), mine.splitlines(True), theirs.splitlines(True))
    conflicted = any(region[0] == "conflict" for region in merger.merge_regions())
    lines = merger.merge_lines(
        name_a=CONFLICT_LABELS[0], name_b=CONFLICT_LABELS[2], name_base=CONFLICT_LABELS[1]
    )
    return "".join(lines), conflicted


def _uses_crlf(text: str) -> bool:
    return "\r\n" in text


def plan_update(files: RepoFiles, new_dir: Path) -> UpdatePlan:
    """Decide, file by file, what updating the repo to ``new_dir`` means; reads only.

    The generated text uses LF. A file the user keeps with CRLF endings is merged
    on LF and written back with CRLF, so an update never flips every line.
    """
    plan = UpdatePlan(files.display_root, new_dir)
    for relative in generated_files(new_dir):
        if relative in UNMERGED:
            continue
        theirs = decode_text((new_dir / relative).read_bytes(), relative)
        mine_bytes = files.read_bytes(relative)
        base_bytes = files.read_bytes(BASE_DIR / relative)
        base = decode_text(base_bytes, files.show(BASE_DIR / relative)) if base_bytes is not None else None
        if mine_bytes is None:
            if base is None:
                files.check_writable(relative)
                plan.writes[relative] = theirs
                plan.originals[relative] = None
                plan.added.append(relative)
            else:
                plan.kept.append(relative)  # the user deleted it; respect that
            continue
        mine = decode_text(mine_bytes, files.show(relative))
        crlf = _uses_crlf(mine)
        if crlf:
            mine = mine.replace("\r\n", "\n")
        if mine == theirs:
            continue
        if base is not None and mine == base:
            text, bucket = theirs, plan.updated
        else:
            text, conflicted = merge_text(base or "", mine, theirs)
            bucket = plan.conflicts if conflicted else plan.merged
            if text == mine:
                continue  # the user's text already holds the template's change
        plan.writes[relative] = text.replace("\n", "\r\n") if crlf else text
        plan.originals[relative] = mine_bytes
        bucket.append(relative)
    return plan


def diff(plan: UpdatePlan) -> str:
    """The unified diff of every write in ``plan``."""
    chunks = []
    for relative, text in plan.writes.items():
        original = plan.originals.get(relative)
        current = original.decode("utf-8") if original is not None else ""
        chunks.extend(
            difflib.unified_diff(
                current.splitlines(True), text.splitlines(True), f"a/{relative}", f"b/{relative}"
            )
        )
    return "".join(chunks)


def apply(plan: UpdatePlan, files: RepoFiles) -> None:
    """Write the plan: the new base aside first, then each file, then swap the base in.

    Any failure (a full disk, a refused path, SIGTERM turned into an exception)
    puts back every file already written and removes the new base, then
    re-raises; the repo is left as it was.
    """
    token = f"{BASE_DIR.name}.new"
    staged_base = BASE_DIR.parent / token
    old_base = BASE_DIR.parent / f"{BASE_DIR.name}.old"
    files.remove_tree(staged_base)  # a leftover of an earlier run that was killed outright
    files.remove_tree(old_base)
    written: list[str] = []
    try:
        for relative in generated_files(plan.new_dir / BASE_DIR):
            files.write_bytes(staged_base / relative, (plan.new_dir / BASE_DIR / relative).read_bytes())
        for relative, text in plan.writes.items():
            written.append(relative)
            files.write_text(relative, text)
        new_answers = plan.new_dir / ANSWERS_FILE
        if new_answers.is_file():
            plan.originals.setdefault(ANSWERS_FILE, files.read_bytes(ANSWERS_FILE))
            written.append(ANSWERS_FILE)
            files.write_bytes(ANSWERS_FILE, new_answers.read_bytes())
        had_base = files.exists(BASE_DIR)
        if had_base:
            files.rename(BASE_DIR, old_base)
        try:
            files.rename(staged_base, BASE_DIR)
        except BaseException:
            if had_base:
                files.rename(old_base, BASE_DIR)
            raise
    except BaseException as exc:
        files.remove_tree(staged_base)
        _put_back(plan, files, written, exc)
    files.remove_tree(old_base)


def write_planned(plan: UpdatePlan, files: RepoFiles) -> None:
    """Write ``plan.writes`` and nothing else, all or nothing: on any failure the
    files already written are put back, as :func:`apply` does."""
    written: list[str] = []
    try:
        for relative, text in plan.writes.items():
            written.append(relative)
            files.write_text(relative, text)
    except BaseException as exc:
        _put_back(plan, files, written, exc)


def _put_back(plan: UpdatePlan, files: RepoFiles, written: list[str], exc: BaseException) -> None:
    """Restore what was written, then raise the one-line error (or ``exc`` itself, for Ctrl-C)."""
    failed = _restore(plan, files, written)
    if failed:
        raise MlsdError(
            f"the update stopped ({_reason(exc)}) and these files could not be put back: "
            + ", ".join(failed) + "; restore them with git checkout"
        ) from None
    if isinstance(exc, (MlsdError, OSError)):
        raise MlsdError(f"the update stopped: {_reason(exc)}; every file was put back as it was") from None
    raise exc


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        where = f" writing {PurePosixPath(exc.filename).name}" if exc.filename else ""
        return f"{exc.strerror or exc}{where}"
    return str(exc) or type(exc).__name__


def _restore(plan: UpdatePlan, files: RepoFiles, written: list[str]) -> list[str]:
    """Put back each file in ``written``; return the ones that could not be."""
    failed = []
    for relative in reversed(written):
        original = plan.originals.get(relative)
        try:
            if original is None:
                files.remove_file(relative)
            else:
                files.write_bytes(relative, original)
        except (OSError, MlsdError):
            failed.append(relative)
    return failed


def update_repo(
    project_dir: Path,
    *,
    dry_run: bool = False,
    presets=None,
    preset_file: Path | None = None,
) -> UpdatePlan:
    """Regenerate ``project_dir`` from its recorded answers and merge; see the module docstring.

    A preset file recorded in the answers is never opened by its recorded path
    (a relative one would be read against the current directory, and a planted
    one would supply the text): the user names it again with ``preset_file``.
    """
    import tempfile
    from contextlib import nullcontext

    from mlsd.answers import read_answers
    from mlsd.interrupts import terminate_as_exception
    from mlsd.scaffold import generate, resolve

    files = RepoFiles(project_dir)
    answers = read_answers(project_dir)
    if files.list_dir(BASE_DIR) is None:
        raise MlsdError(
            f"{project_dir} has no {BASE_DIR.as_posix()}/ (the text as generated), so edits cannot be told apart; "
            "generate a fresh repo with mlsd new and copy your text across"
        )
    check_preset_file(project_dir, answers, preset_file, "update from it")
    # A dry run writes nothing, not even the lock file.
    with nullcontext() if dry_run else files.lock(), tempfile.TemporaryDirectory(prefix="mlsd-update-") as scratch:
        request = regeneration(project_dir, answers, Path(scratch), preset_file)
        new_dir = generate(resolve(request, presets))
        _refuse_older_template(project_dir, answers, new_dir)
        plan = plan_update(files, new_dir)
        plan.diff_text = diff(plan)
        plan.pending = bool(plan.writes) or _answers_or_base_differ(files, new_dir)
        if not dry_run and plan.pending:
            with terminate_as_exception():
                apply(plan, files)
    return plan


def check_preset_file(project_dir: Path, answers: dict[str, Any], preset_file: Path | None, doing: str) -> None:
    """A repo made from a preset file is regenerated only from a file the user names again."""
    from mlsd.presets import BLANK_ID

    recorded_file = answers.get("_mlsd_preset_file")
    if recorded_file and preset_file is None:
        raise MlsdError(
            f"{project_dir} was generated from the preset file {recorded_file}; "
            f"name that file again with --preset-file to {doing}"
        )
    if preset_file is not None and not recorded_file:
        raise MlsdError(
            f"{project_dir} was generated from the preset '{answers.get('preset', BLANK_ID)}', not from a file; "
            "leave out --preset-file"
        )


def regeneration(
    project_dir: Path,
    answers: dict[str, Any],
    output_dir: Path,
    preset_file: Path | None,
    overrides: dict[str, str] | None = None,
) -> Any:
    """The generation request that reproduces ``project_dir`` from its recorded answers."""
    from mlsd.answers import interview_length, purpose_of, truthy
    from mlsd.figures.skeleton import parse_kinds
    from mlsd.overrides import decode
    from mlsd.presets import BLANK_ID
    from mlsd.scaffold import GenerationRequest

    return GenerationRequest(
        preset_id=str(answers.get("preset", BLANK_ID)),
        system_name=str(answers.get("system_name", "")),
        system_slug=str(answers.get("system_slug", project_dir.name)),
        output_dir=output_dir,
        guidance=truthy(answers.get("guidance", True)),
        interview_minutes=interview_length(answers.get("interview_minutes")),
        preset_file=preset_file,
        overrides=overrides if overrides is not None else decode(answers.get("_mlsd_overrides")),
        purpose=purpose_of(answers),
        workload_kinds=parse_kinds(answers.get("workload_kinds", "")),
    )


def _git(checkout: Path, *args: str) -> int:
    try:
        return subprocess.run(["git", *args], cwd=checkout, capture_output=True, timeout=10).returncode
    except (OSError, subprocess.SubprocessError):
        return -1


def _refuse_older_template(project_dir: Path, answers: dict[str, Any], new_dir: Path) -> None:
    """Refuse to take a repo back to a template older than the one it records.

    The repo records the template commit it was generated or last updated
    from. When the installed template is a git checkout, git says whether its
    commit is newer: an older one (say, an old mlsd run after ``cruft update``)
    would silently undo template changes, so it is refused, as is a recorded
    commit the checkout does not know.
    """
    from mlsd.scaffold import template_root

    recorded = str(answers.get("_commit") or "")
    try:
        new = json.loads((new_dir / ANSWERS_FILE).read_text(encoding="utf-8")).get("commit") or ""
    except (OSError, ValueError):
        return
    checkout = template_root()
    if not recorded or not new or recorded == new or not (checkout / ".git").exists():
        return
    short_new, short_recorded = new[:12], recorded[:12]
    if _git(checkout, "cat-file", "-e", f"{recorded}^{{commit}}") != 0:
        raise MlsdError(
            f"{project_dir} records template commit {short_recorded}, which this mlsd's template ({short_new}) "
            "does not contain; install an mlsd that does, then run mlsd update again"
        )
    if _git(checkout, "merge-base", "--is-ancestor", new, recorded) == 0:
        raise MlsdError(
            f"this mlsd's template ({short_new}) is older than the one {project_dir} records ({short_recorded}); "
            "update mlsd first, then run mlsd update again"
        )


def _answers_or_base_differ(files: RepoFiles, new_dir: Path) -> bool:
    """Whether the recorded answers or the base copy would change, when no user file does."""
    if files.read_bytes(ANSWERS_FILE) != (new_dir / ANSWERS_FILE).read_bytes():
        return True
    new_base = new_dir / BASE_DIR
    wanted = generated_files(new_base)
    if sorted(p.relative_to(BASE_DIR.as_posix()).as_posix() for p in files.walk_files(BASE_DIR)) != wanted:
        return True
    return any(files.read_bytes(BASE_DIR / relative) != (new_base / relative).read_bytes() for relative in wanted)
