"""A cache of what listing read from preset heads, kept in the user's cache directory.

An entry holds the exact text a listing parsed and the fields it found in it,
so it is used only while the file still starts with that text: an edited
preset is read again however its timestamps moved, and a stale entry is never
wrong, only unused. The file is JSON, read as data and never run. Anything
unexpected in it (another format, a wrong type, a file another user owns or
others may write) makes the whole cache be ignored and written afresh. Writes
are atomic (a temporary file in the same directory, then ``os.replace``), and a
cache that cannot be read or written only makes listing slower.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# An absolute directory to keep the cache in instead of the platform's place; empty turns it off.
CACHE_DIR_VARIABLE = "MLSD_CACHE_DIR"
CACHE_FILE = "preset-heads.json"
# Far above a thousand presets (about 4 MB); a larger file is not read.
MAX_CACHE_BYTES = 32 * 1024 * 1024
MAX_ENTRIES = 5000


@dataclass(frozen=True)
class Entry:
    """The text a listing parsed, whether it was the whole file, and the fields found in it."""

    whole: bool
    text: str
    fields: tuple[str, ...]


def cache_dir() -> Path | None:
    """mlsd's directory in the user's cache: $MLSD_CACHE_DIR, else the platform's place.

    None when there is no safe absolute place (a relative $XDG_CACHE_HOME is
    ignored, as the XDG specification asks).
    """
    configured = os.environ.get(CACHE_DIR_VARIABLE)
    if configured is not None:
        return Path(configured) if os.path.isabs(configured) else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "")
    elif sys.platform == "darwin":
        base = os.path.join(os.path.expanduser("~"), "Library", "Caches")
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        base = xdg if os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base, "mlsd") if os.path.isabs(base) else None


def load(version: str) -> dict[str, Entry]:
    """The cached entries by absolute file path; empty when the cache is missing or not to be trusted."""
    directory = cache_dir()
    if directory is None:
        return {}
    try:
        with open(directory / CACHE_FILE, "rb") as handle:
            if not _owned_and_private(os.fstat(handle.fileno())):
                return {}
            raw = handle.read(MAX_CACHE_BYTES + 1)
        if len(raw) > MAX_CACHE_BYTES:
            return {}
        data = json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return {}
    return _entries(data, version)


def _owned_and_private(status: os.stat_result) -> bool:
    if not hasattr(os, "getuid"):
        return True
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def _entries(data: object, version: str) -> dict[str, Entry]:
    if not isinstance(data, dict) or data.get("version") != version or not isinstance(data.get("entries"), dict):
        return {}
    entries: dict[str, Entry] = {}
    for key, value in data["entries"].items():
        if not (isinstance(value, list) and len(value) == 3):
            return {}
        whole, text, fields = value
        if not (
            isinstance(whole, bool)
            and isinstance(text, str)
            and isinstance(fields, list)
            and all(isinstance(f, str) for f in fields)
        ):
            return {}
        entries[key] = Entry(whole, text, tuple(fields))
    return entries


def save(version: str, entries: dict[str, Entry], keep_out: Iterable[Path] = ()) -> None:
    """Write ``entries`` atomically, unless the cache directory lies inside one of ``keep_out``."""
    directory = cache_dir()
    if directory is None or _inside_any(directory, keep_out):
        return
    import tempfile

    if len(entries) > MAX_ENTRIES:
        entries = dict(list(entries.items())[-MAX_ENTRIES:])
    document = {"version": version, "entries": {k: [e.whole, e.text, list(e.fields)] for k, e in entries.items()}}
    temporary = None
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{CACHE_FILE}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(json.dumps(document, ensure_ascii=False).encode("utf-8"))
        os.replace(temporary, directory / CACHE_FILE)
        temporary = None
    except OSError:
        pass
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def _inside_any(directory: Path, others: Iterable[Path]) -> bool:
    mine = os.path.realpath(directory)
    for other in others:
        theirs = os.path.realpath(other)
        try:
            if os.path.commonpath([mine, theirs]) == theirs:
                return True
        except ValueError:  # different drives
            continue
    return False
