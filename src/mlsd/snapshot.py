"""The generated text of a design repo, kept in ``.mlsd/base/`` for later merges.

Written by the post-generation hook, so it runs under plain cookiecutter too and
needs nothing beyond the standard library.
"""

from __future__ import annotations

from pathlib import Path

from mlsd.answers import ANSWERS_FILE
from mlsd.repo_files import RepoFiles

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
    """Copy every generated file into ``.mlsd/base/`` (run right after generation).

    Through :class:`RepoFiles`, so even in a directory that existed before
    (``cookiecutter -f``) no link in it is followed and each copy is atomic.
    """
    files = RepoFiles(project_dir)
    files.remove_tree(BASE_DIR)
    for relative in generated_files(project_dir):
        if relative in UNMERGED:
            continue
        files.write_bytes(BASE_DIR / relative, files.read_bytes(relative) or b"")
