"""Updating a generated design repo to the current template without losing edits.

Generation leaves a copy of every generated file in ``.mlsd/base/``: the text
as generated, which the user never edits. ``mlsd update`` regenerates from the
recorded answers and, file by file:

- a file the user never edited (equal to its base) takes the new text;
- an edited file gets a three-way merge of base, the user's text and the new
  text; overlapping changes get conflict markers;
- a new template file is added; nothing the user has is ever deleted;
- the base copy is then replaced by the new generation.
"""

from __future__ import annotations

import difflib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from merge3 import Merge3

from mlsd.answers import ANSWERS_FILE
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
    diff_text: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.writes)


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def merge_text(base: str, mine: str, theirs: str) -> tuple[str, bool]:
    """Three-way merge by lines; returns the text and whether it holds conflicts."""
    merger = Merge3(base.splitlines(True), mine.splitlines(True), theirs.splitlines(True))
    conflicted = any(region[0] == "conflict" for region in merger.merge_regions())
    lines = merger.merge_lines(
        name_a=CONFLICT_LABELS[0], name_b=CONFLICT_LABELS[2], name_base=CONFLICT_LABELS[1]
    )
    return "".join(lines), conflicted


def plan_update(project_dir: Path, new_dir: Path) -> UpdatePlan:
    """Decide, file by file, what updating ``project_dir`` to ``new_dir`` means."""
    plan = UpdatePlan(project_dir, new_dir)
    base_dir = project_dir / BASE_DIR
    for relative in generated_files(new_dir):
        if relative in UNMERGED:
            continue
        theirs = _read(new_dir / relative) or ""
        mine = _read(project_dir / relative)
        base = _read(base_dir / relative)
        if mine is None:
            if base is None:
                plan.writes[relative] = theirs
                plan.added.append(relative)
            else:
                plan.kept.append(relative)  # the user deleted it; respect that
            continue
        if mine == theirs:
            continue
        if base is not None and mine == base:
            plan.writes[relative] = theirs
            plan.updated.append(relative)
            continue
        text, conflicted = merge_text(base or "", mine, theirs)
        if text != mine:
            plan.writes[relative] = text
        (plan.conflicts if conflicted else plan.merged).append(relative)
    return plan


def diff(plan: UpdatePlan) -> str:
    """The unified diff of every write in ``plan``."""
    chunks = []
    for relative, text in plan.writes.items():
        current = _read(plan.project_dir / relative) or ""
        chunks.extend(
            difflib.unified_diff(
                current.splitlines(True), text.splitlines(True), f"a/{relative}", f"b/{relative}"
            )
        )
    return "".join(chunks)


def apply(plan: UpdatePlan) -> None:
    """Write the plan's files, the new answers file and the new base."""
    for relative, text in plan.writes.items():
        target = plan.project_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    new_answers = plan.new_dir / ANSWERS_FILE
    if new_answers.is_file():
        shutil.copy2(new_answers, plan.project_dir / ANSWERS_FILE)
    base = plan.project_dir / BASE_DIR
    if base.exists():
        shutil.rmtree(base)
    shutil.copytree(plan.new_dir / BASE_DIR, base)


def update_repo(project_dir: Path, *, dry_run: bool = False, presets=None) -> UpdatePlan:
    """Regenerate ``project_dir`` from its recorded answers and merge; see the module docstring."""
    import tempfile

    from mlsd.answers import interview_length, read_answers, truthy
    from mlsd.errors import MlsdError
    from mlsd.figures.skeleton import parse_kinds
    from mlsd.overrides import decode
    from mlsd.presets import BLANK_ID
    from mlsd.scaffold import GenerationRequest, generate, resolve

    if not (project_dir / ANSWERS_FILE).is_file():
        raise MlsdError(
            f"{project_dir} has no {ANSWERS_FILE}; only repos generated from this template can be updated"
        )
    if not (project_dir / BASE_DIR).is_dir():
        raise MlsdError(
            f"{project_dir} has no {BASE_DIR.as_posix()}/ (the text as generated), so edits cannot be told apart; "
            "generate a fresh repo with mlsd new and copy your text across"
        )
    try:
        answers = read_answers(project_dir)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MlsdError(f"{project_dir / ANSWERS_FILE} is not a readable answers file: {exc}") from None
    with tempfile.TemporaryDirectory(prefix="mlsd-update-") as scratch:
        request = GenerationRequest(
            preset_id=str(answers.get("preset", BLANK_ID)),
            system_name=str(answers.get("system_name", "")),
            system_slug=str(answers.get("system_slug", project_dir.name)),
            output_dir=Path(scratch),
            guidance=truthy(answers.get("guidance", True)),
            interview_minutes=interview_length(answers.get("interview_minutes")),
            preset_file=Path(answers["_mlsd_preset_file"]) if answers.get("_mlsd_preset_file") else None,
            overrides=decode(answers.get("_mlsd_overrides")),
            practice=truthy(answers.get("practice", False)),
            workload_kinds=parse_kinds(answers.get("workload_kinds", "")),
        )
        new_dir = generate(resolve(request, presets))
        plan = plan_update(project_dir, new_dir)
        plan.diff_text = diff(plan)
        if not dry_run:
            apply(plan)
    return plan
