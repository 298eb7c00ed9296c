"""The generated text of a design repo, kept in ``.mlsd/base/`` for later merges.

Written by the post-generation hook, so it runs under plain cookiecutter too and
needs nothing beyond the standard library.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mlsd.answers import ANSWERS_FILE

BASE_DIR = Path(".mlsd") / "base"
# Top-level directories that are never part of a generation.
NOT_GENERATED = {".mlsd", ".git"}
# Not merged: the answers file is rewritten by the update itself.
UNMERGED = {ANSWERS_FILE}


def generated_files(root: Path) -> list[str]:
    """Relative paths of the files under ``root``, the base directory excluded."""
    paths = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and relative.parts[0] not in NOT_GENERATED:
            paths.append(relative.as_posix())
    return paths


def record_base(project_dir: Path) -> None:
    """Copy every generated file into ``.mlsd/base/`` (run right after generation)."""
    base = project_dir / BASE_DIR
    if base.exists():
        shutil.rmtree(base)
    for relative in generated_files(project_dir):
        if relative in UNMERGED:
            continue
        target = base / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(project_dir / relative, target)
