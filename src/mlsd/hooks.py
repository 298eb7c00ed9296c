"""What cookiecutter's generation hooks do; the hook scripts only call these."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from mlsd.errors import MlsdError
from mlsd.naming import check_name, check_slug
from mlsd.presets import consistency_warnings
from mlsd.decisions import write_records
from mlsd.template_env import catalogue_for, template_root_for, truthy


def pre_generate(answers: dict[str, Any]) -> int:
    """Validate the name, the slug and the preset; print one line and return 1 on error."""
    try:
        check_name(str(answers.get("system_name", "")))
        check_slug(str(answers.get("system_slug", "")))
        preset = catalogue_for(answers).load(str(answers.get("preset", "")))
    except MlsdError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for warning in consistency_warnings(preset):
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def post_generate(project_dir: Path, answers: dict[str, Any]) -> int:
    """Write the decision records, then drop byte-code caches a pip-compiled template may carry."""
    if "preset" in answers:
        try:
            write_records(
                project_dir,
                catalogue_for(answers).load(str(answers["preset"])),
                template_root=template_root_for(answers),
                system_name=str(answers.get("system_name", "")),
                guidance=truthy(answers.get("guidance", True)),
            )
        except (MlsdError, OSError) as exc:
            print(f"error: cannot write the decision records: {exc}", file=sys.stderr)
            return 1
    for cache in project_dir.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    return 0
