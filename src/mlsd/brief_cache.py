"""What ``mlsd show ID`` printed, kept while its sources stay byte for byte the same.

The brief of a preset depends on the preset file, the blank skeleton it is
merged over, and mlsd's code. An entry holds the full text of both files and
is used only when both still read exactly so, under the same code version
(:func:`mlsd.user_cache.code_version`); otherwise ``show`` loads, validates and
summarises the preset as usual and stores the result. Only a preset that
loaded without error is stored, so every error is still reported by the loader.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mlsd.errors import MlsdError
from mlsd.listing import BLANK_ID, MAX_PRESET_BYTES, PRESET_SUFFIX, preset_paths
from mlsd.repo_files import read_regular_bytes


@dataclass(frozen=True)
class Sources:
    """The files a brief is made from, as read now."""

    preset_id: str
    path: str
    preset: str
    blank: str
    directories: tuple[Path, ...]

    @property
    def file_name(self) -> str:
        # One file per preset file; the checksum only keeps two directories' same id apart.
        safe_id = re.sub(r"[^A-Za-z0-9_-]", "_", self.preset_id)[:60]
        return f"brief-{safe_id}-{zlib.crc32(self.path.encode('utf-8')):08x}.json"


def sources(directories: Sequence[Path], preset_id: str) -> Sources | None:
    """The current text of ``preset_id`` and of the blank skeleton; None when either cannot be read.

    None as well for an unknown id or a faulty directory, which the loader reports.
    """
    try:
        path = preset_paths(directories).get(preset_id)
        if path is None:
            return None
        # Regular files only, bounded: a FIFO or /dev/zero named like a preset never hangs show.
        preset = read_regular_bytes(path, MAX_PRESET_BYTES).decode("utf-8")
        blank = read_regular_bytes(directories[0] / f"{BLANK_ID}{PRESET_SUFFIX}", MAX_PRESET_BYTES).decode("utf-8")
    except (MlsdError, OSError, UnicodeDecodeError):
        return None
    return Sources(preset_id, os.path.abspath(path), preset, blank, tuple(directories))


def cached_brief(found: Sources, width: int) -> str | None:
    """The brief stored for exactly these sources and this terminal width, or None."""
    from mlsd import user_cache

    data = user_cache.read(found.file_name, user_cache.code_version())
    if not isinstance(data, dict) or not isinstance(data.get("brief"), str):
        return None
    if [data.get("path"), data.get("preset"), data.get("blank"), data.get("width")] != [found.path, found.preset, found.blank, width]:
        return None
    return data["brief"]


def store_brief(found: Sources, brief: str, width: int) -> None:
    """Keep ``brief``, unless a source changed since ``found`` was read (then the next show makes it again)."""
    from mlsd import user_cache

    again = sources(found.directories, found.preset_id)
    if again != found:
        return
    data = {"path": found.path, "preset": found.preset, "blank": found.blank, "width": width, "brief": brief}
    user_cache.write(found.file_name, user_cache.code_version(), data, keep_out=found.directories)
