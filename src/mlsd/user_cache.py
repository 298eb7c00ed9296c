"""Small files in the user's cache directory that spare commands repeated work.

Every file is checked against what it was computed from before it is used, so
a stale file is never wrong, only unused. The listing and ``show`` caches are
JSON, read as data; compiled templates (:mod:`mlsd.template_cache`) are
Python code, trusted as Python trusts its own byte-code caches. A file from
another version of mlsd (or of its modules), one another user owns or others
may write, or one that is not what its reader expects is ignored and written
afresh. Writes are atomic (a temporary file in the same directory, then
``os.replace``), and a cache that cannot be read or written only makes a
command slower.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mlsd import __version__

# An absolute directory to keep the cache in instead of the platform's place; empty turns it off.
CACHE_DIR_VARIABLE = "MLSD_CACHE_DIR"
# Far above what a thousand presets need (about 4 MB); a larger file is not read.
MAX_CACHE_BYTES = 32 * 1024 * 1024
_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


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


def code_version() -> str:
    """mlsd's version and the size and time of each of its modules: what cached results were computed by."""
    try:
        modules = sorted(
            f"{entry.name}:{entry.stat().st_size}:{entry.stat().st_mtime_ns}"
            for entry in os.scandir(_PACKAGE_DIR)
            if entry.name.endswith(".py")
        )
    except OSError:
        modules = ["unknown"]
    return " ".join([__version__, *modules])


def read_private(name: str, limit: int = MAX_CACHE_BYTES) -> bytes | None:
    """The bytes of the cache file ``name`` (a relative path), or None.

    None too when the file is the user's but others may write it, belongs to
    someone else, or is larger than ``limit``: such a file is never trusted.
    """
    directory = cache_dir()
    if directory is None:
        return None
    try:
        with open(directory / name, "rb") as handle:
            if not _owned_and_private(os.fstat(handle.fileno())):
                return None
            raw = handle.read(limit + 1)
    except OSError:
        return None
    return raw if len(raw) <= limit else None


def read(name: str, version: str) -> Any:
    """The data stored under ``name`` by this ``version``, or None."""
    raw = read_private(name)
    if raw is None:
        return None
    import json

    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or document.get("version") != version:
        return None
    return document.get("data")


def _owned_and_private(status: os.stat_result) -> bool:
    if not hasattr(os, "getuid"):
        return True
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def write_private(name: str, data: bytes, keep_out: Iterable[Path] = ()) -> None:
    """Store ``data`` as the cache file ``name`` atomically, readable by the user alone.

    Nothing is written when the cache directory lies inside one of ``keep_out``.
    """
    directory = cache_dir()
    if directory is None or _inside_any(directory, keep_out):
        return
    import tempfile

    target = directory / name
    temporary = None
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
        temporary = None
    except OSError:
        pass
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def write(name: str, version: str, data: Any, keep_out: Iterable[Path] = ()) -> None:
    """Store ``data`` under ``name`` atomically, unless the cache directory lies inside one of ``keep_out``."""
    if cache_dir() is None:
        return  # before importing json: with the cache off, listing never needs it
    import json

    write_private(name, json.dumps({"version": version, "data": data}, ensure_ascii=False).encode("utf-8"), keep_out)


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
