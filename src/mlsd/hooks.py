"""What cookiecutter's generation hooks do; the hook scripts only call these."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from mlsd.answers import purpose_of, truthy
from mlsd.check import CHECK_BASELINE, check_directory, write_baseline
from mlsd.decisions import write_records
from mlsd.errors import MlsdError
from mlsd.figures.skeleton import parse_kinds
from mlsd.naming import check_name, check_slug
from mlsd.preset_checks import preset_warnings, workload_errors
from mlsd.repo_files import RepoFiles
from mlsd.snapshot import record_base
from mlsd.template_env import preset_for, template_root_for
from mlsd.work_mode import INTERVIEW_ONLY_FILES


def _with_root(answers: dict[str, Any], template_root: str | None) -> dict[str, Any]:
    # The hook runs in the new project's directory, where a relative _repo_dir means
    # nothing, and cruft renders without one: use the absolute root the renderer knew.
    if template_root:
        return {**answers, "_repo_dir": template_root}
    return answers


def pre_generate(answers: dict[str, Any], template_root: str | None = None) -> int:
    """Validate the name, the slug and the preset; print one line and return 1 on error."""
    answers = _with_root(answers, template_root)
    try:
        check_name(str(answers.get("system_name", "")))
        check_slug(str(answers.get("system_slug", "")))
        purpose_of(answers)
        parse_kinds(answers.get("workload_kinds", ""))
        _, preset = preset_for(answers)
    except MlsdError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    errors = workload_errors(preset)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    if errors:
        return 1
    # A practice skeleton carries the blank's placeholder figures, not the
    # reference design's, so warnings about them would only be noise.
    if purpose_of(answers) != "practice":
        for warning in preset_warnings(preset):
            print(f"warning: {warning}", file=sys.stderr)
    return 0


def post_generate(project_dir: Path, answers: dict[str, Any], template_root: str | None = None) -> int:
    """Write the decision records, then drop byte-code caches a pip-compiled template may carry."""
    answers = _with_root(answers, template_root)
    if "preset" in answers:
        try:
            write_records(
                project_dir,
                preset_for(answers)[1],
                template_root=template_root_for(answers),
                system_name=str(answers.get("system_name", "")),
                guidance=truthy(answers.get("guidance", True)),
            )
        except (MlsdError, OSError) as exc:
            print(f"error: cannot write the decision records: {exc}", file=sys.stderr)
            return 1
    if purpose_of(answers) == "work":
        files = RepoFiles(project_dir)
        for relative in INTERVIEW_ONLY_FILES:
            files.remove_file(relative)
    for cache in project_dir.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    record_base(project_dir)
    # Today's findings are accepted, so the repo's own CI fails only on new ones.
    write_baseline(check_directory(project_dir), RepoFiles(project_dir), CHECK_BASELINE)
    return 0
