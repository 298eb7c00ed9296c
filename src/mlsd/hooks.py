"""What cookiecutter's generation hooks do; the hook scripts only call these."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from mlsd.errors import MlsdError
from mlsd.naming import check_name, check_slug
from mlsd.template_env import catalogue_for


def pre_generate(answers: dict[str, Any]) -> int:
    """Validate the name, the slug and the preset; print one line and return 1 on error."""
    try:
        check_name(str(answers.get("system_name", "")))
        check_slug(str(answers.get("system_slug", "")))
        catalogue_for(answers).load(str(answers.get("preset", "")))
    except MlsdError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def post_generate(project_dir: Path, answers: dict[str, Any]) -> int:
    """Tidy the output: no byte-code caches from a pip-compiled template."""
    for cache in project_dir.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    return 0
