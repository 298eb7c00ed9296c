"""Files inside a design repo, read and written without ever leaving it.

A design repo is cloned from colleagues and strangers, so every path mlsd reads
or writes in one is untrusted. :class:`RepoFiles` walks each path one directory
at a time from the repo's root with ``O_NOFOLLOW``, so a symbolic link anywhere
on the way, a ``..`` or an absolute path is refused before anything is opened.
Reads take regular files only (a FIFO would hang, ``/dev/zero`` never ends) and
stop at a size limit; writes go to a temporary file in the same directory and
are renamed over the target, so a full disk, a signal or a crash leaves each
file either as it was or as intended.

Only the standard library is used: the generation hook runs this under plain
cookiecutter.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from mlsd.errors import MlsdError

# Far above any honest design document or recorded answer file (DESIGN.md of the
# largest preset is about 60 KB), far below what would exhaust memory.
MAX_TEXT_BYTES = 4 * 1024 * 1024
TEMP_MARKER = ".mlsd-tmp-"
# Locked while an update or a sync changes a repo.
LOCK_DIRECTORY = ".mlsd"
LOCK_WAIT_SECONDS = 3.0
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class UnsafePathError(MlsdError):
    """A path that leaves the repo, passes through a link, or is not a regular file."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_bytes(path: Path, limit: int, display: str | None = None, *, follow_links: bool = True) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Used for files named on the command line or found in preset directories, where
    a link to a regular file is fine (``follow_links``) but a link to a FIFO or a
    device is not: the check is on what was opened, never on the name.
    """
    name = display or str(path)
    flags = _READ_FLAGS if not follow_links else _READ_FLAGS & ~os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnsafePathError(f"{name}: {_open_failure(exc)}") from None
    try:
        return _read_open_file(fd, limit, name)
    finally:
        os.close(fd)


def open_regular(path: Path, display: str | None = None) -> BinaryIO:
    """``path`` opened for binary reading if it is a regular file (links to one are fine).

    Opened without blocking and checked on the descriptor, so a FIFO never hangs
    the caller and a name swapped after a check cannot slip through.
    """
    name = display or str(path)
    try:
        fd = os.open(path, _READ_FLAGS & ~os.O_NOFOLLOW)
    except OSError as exc:
        raise UnsafePathError(f"{name}: {_open_failure(exc)}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise UnsafePathError(f"{name}: is {_kind(mode)}, not a regular file; mlsd reads only regular files")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _open_failure(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link; mlsd reads only real files inside the repo: replace the link with the file"
    if exc.errno == errno.ENOENT:
        return "does not exist (a dangling link or a missing file)"
    if exc.errno == errno.ENOTDIR:
        return "a parent of it is not a directory"
    return f"cannot be opened: {exc.strerror or exc}"


def _read_open_file(fd: int, limit: int, name: str) -> bytes:
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise UnsafePathError(f"{name}: is {_kind(info.st_mode)}, not a regular file; mlsd reads only regular files")
    chunks = []
    remaining = limit + 1  # one byte more than allowed tells a file over the limit
    while remaining > 0:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    data = b"".join(chunks)
    if len(data) > limit:
        raise UnsafePathError(f"{name}: is over the {limit:,}-byte limit for this file; nothing that large is expected here")
    return data


def decode_text(data: bytes, name: str) -> str:
    """``data`` as UTF-8, or one line naming the file and the line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MlsdError(f"{name}:{line}: is not valid UTF-8; save the file as UTF-8") from None


class RepoFiles:
    """Reads and writes under one repo root; see the module docstring."""

    def __init__(self, root: Path):
        # The root is the directory the user named; links in their own path to it are theirs.
        try:
            self.root = Path(root).resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            raise UnsafePathError(f"{root}: cannot be used as a repo: {getattr(exc, 'strerror', None) or exc}") from None
        if not self.root.is_dir():
            raise UnsafePathError(f"{root}: is not a directory")
        self.display_root = Path(root)

    # -- paths ------------------------------------------------------------- #

    def relative(self, path: str | os.PathLike[str]) -> PurePosixPath:
        """``path`` as a clean relative path inside the repo, or :class:`UnsafePathError`.

        An absolute path is accepted when it lies, by its letters alone, under
        the root as the user named it or as it resolves; nothing on the way is
        resolved, so a link inside the repo cannot carry a path out of it.
        """
        candidate = Path(path)
        if candidate.is_absolute():
            normal = Path(os.path.normpath(candidate))
            for base in (Path(os.path.abspath(self.display_root)), self.root):
                try:
                    candidate = normal.relative_to(base)
                    break
                except ValueError:
                    continue
            else:
                raise UnsafePathError(f"{path}: is outside the repo {self.display_root}; mlsd writes only inside it")
        parts = PurePosixPath(candidate.as_posix()).parts
        parts = tuple(p for p in parts if p != ".")
        if not parts or ".." in parts or parts[0] == "/":
            raise UnsafePathError(f"{path}: is not a path inside the repo {self.display_root}")
        return PurePosixPath(*parts)

    def show(self, relative: str | os.PathLike[str]) -> str:
        return str(self.display_root / relative)

    def _open_parent(self, relative: PurePosixPath, *, create: bool) -> int | None:
        """A descriptor of the directory holding ``relative``; None when it does not exist."""
        fd = os.open(self.root, _DIR_FLAGS)
        walked = PurePosixPath()
        try:
            for part in relative.parts[:-1]:
                walked /= part
                try:
                    child = os.open(part, _DIR_FLAGS, dir_fd=fd)
                except FileNotFoundError:
                    if not create:
                        os.close(fd)
                        return None
                    try:
                        os.mkdir(part, 0o777, dir_fd=fd)
                    except FileExistsError:
                        pass
                    child = os.open(part, _DIR_FLAGS, dir_fd=fd)
                except OSError as exc:
                    raise self._refusal(walked, exc, fd) from None
                os.close(fd)
                fd = child
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _refusal(self, relative: PurePosixPath, exc: OSError, parent_fd: int) -> UnsafePathError:
        """Say what sits at ``relative`` that could not be opened as wanted."""
        try:
            mode = os.stat(relative.name, dir_fd=parent_fd, follow_symlinks=False).st_mode
        except OSError:
            return UnsafePathError(f"{self.show(relative)}: {_open_failure(exc)}")
        reason = f"is {_kind(mode)}"
        if stat.S_ISLNK(mode):
            reason += "; mlsd never follows links inside a repo: replace the link with a real file or directory"
        return UnsafePathError(f"{self.show(relative)}: {reason}")

    def check_writable(self, path: str | os.PathLike[str]) -> None:
        """Refuse now, before anything is written, a target that a write would refuse."""
        relative = self.relative(path)
        fd = self._open_parent(relative, create=False)
        if fd is None:
            return
        try:
            self._check_target(relative, fd, allow_missing=True)
        finally:
            os.close(fd)

    def _check_target(self, relative: PurePosixPath, fd: int, *, allow_missing: bool) -> os.stat_result | None:
        try:
            info = os.stat(relative.name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            if allow_missing:
                return None
            raise UnsafePathError(f"{self.show(relative)}: does not exist") from None
        if not stat.S_ISREG(info.st_mode):
            extra = "; mlsd never follows links inside a repo" if stat.S_ISLNK(info.st_mode) else ""
            raise UnsafePathError(f"{self.show(relative)}: is {_kind(info.st_mode)}, not a regular file{extra}")
        return info

    # -- reading ----------------------------------------------------------- #

    def exists(self, path: str | os.PathLike[str]) -> bool:
        """Whether anything (a link included) sits at ``path``; parents must be real directories."""
        relative = self.relative(path)
        fd = self._open_parent(relative, create=False)
        if fd is None:
            return False
        try:
            os.stat(relative.name, dir_fd=fd, follow_symlinks=False)
            return True
        except FileNotFoundError:
            return False
        finally:
            os.close(fd)

    def _open_entry(self, relative: PurePosixPath, flags: int) -> int | None:
        """A descriptor of ``relative`` opened with ``flags`` (link-free); None when it does not exist."""
        fd = self._open_parent(relative, create=False)
        if fd is None:
            return None
        try:
            return os.open(relative.name, flags, dir_fd=fd)
        except FileNotFoundError:
            return None  # O_NOFOLLOW: a link, dangling or not, fails with ELOOP instead
        except OSError as exc:
            raise self._refusal(relative, exc, fd) from None
        finally:
            os.close(fd)

    def read_bytes(self, path: str | os.PathLike[str], limit: int = MAX_TEXT_BYTES) -> bytes | None:
        """The bytes of a regular file in the repo; None when it does not exist."""
        relative = self.relative(path)
        fd = self._open_entry(relative, _READ_FLAGS)
        if fd is None:
            return None
        try:
            return _read_open_file(fd, limit, self.show(relative))
        finally:
            os.close(fd)

    def read_text(self, path: str | os.PathLike[str], limit: int = MAX_TEXT_BYTES) -> str | None:
        """A regular file's text, line endings as written; None when it does not exist."""
        data = self.read_bytes(path, limit)
        return None if data is None else decode_text(data, self.show(self.relative(path)))

    def list_dir(self, path: str | os.PathLike[str]) -> list[str] | None:
        """Sorted entry names of a real directory in the repo; None when it does not exist."""
        fd = self._open_entry(self.relative(path), _DIR_FLAGS)
        if fd is None:
            return None
        try:
            return sorted(os.listdir(fd))
        finally:
            os.close(fd)

    # -- writing ----------------------------------------------------------- #

    @contextmanager
    def lock(self, directory: str = LOCK_DIRECTORY, wait_seconds: float | None = None) -> Iterator[None]:
        """Hold the repo's lock; wait briefly for another holder, then say it is busy.

        The lock is ``flock`` on the real directory ``directory`` itself, so no
        lock file is left in the repo, and the kernel releases it when its holder
        exits, however it exits: a killed update never leaves a stale lock.
        """
        import fcntl

        # The directory holding a name inside it is the directory itself, opened link-free.
        fd = self._open_parent(self.relative(directory) / "lock", create=True)
        assert fd is not None
        try:
            deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds)
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise MlsdError(
                            f"another mlsd update or sync is running on {self.display_root}; "
                            "wait for it to finish, then run the command again"
                        ) from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def write_bytes(self, path: str | os.PathLike[str], data: bytes) -> None:
        """Replace or create a regular file atomically: a temporary file, then a rename.

        A file that replaces one already there is flushed to disk before the
        rename, so a crash leaves the old text or the new, never an empty file.
        A new file is not: nothing is lost if a crash cuts a fresh generation
        short, and syncing every file of it would double its cost.
        """
        relative = self.relative(path)
        fd = self._open_parent(relative, create=True)
        assert fd is not None
        try:
            existing = self._check_target(relative, fd, allow_missing=True)
            mode = stat.S_IMODE(existing.st_mode) if existing else 0o644
            temp = f".{relative.name}{TEMP_MARKER}{os.urandom(4).hex()}"
            file_fd = os.open(temp, _CREATE_FLAGS, mode, dir_fd=fd)
            try:
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(file_fd, view) :]
                    if existing is not None:
                        os.fsync(file_fd)
                finally:
                    os.close(file_fd)
                os.replace(temp, relative.name, src_dir_fd=fd, dst_dir_fd=fd)
            except BaseException:
                try:
                    os.unlink(temp, dir_fd=fd)
                except OSError:
                    pass
                raise
        finally:
            os.close(fd)

    def write_text(self, path: str | os.PathLike[str], text: str) -> None:
        self.write_bytes(path, text.encode("utf-8"))

    def remove_file(self, path: str | os.PathLike[str]) -> None:
        """Remove a regular file (used to undo a file this run created)."""
        relative = self.relative(path)
        fd = self._open_parent(relative, create=False)
        if fd is None:
            return
        try:
            if self._check_target(relative, fd, allow_missing=True) is not None:
                os.unlink(relative.name, dir_fd=fd)
        finally:
            os.close(fd)

    def rename(self, source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        """Rename within one directory of the repo; neither name may be a link."""
        src, dst = self.relative(source), self.relative(target)
        if src.parent != dst.parent:
            raise ValueError("rename stays within one directory")
        fd = self._open_parent(src, create=False)
        if fd is None:
            raise UnsafePathError(f"{self.show(src)}: does not exist")
        try:
            for name in (src.name, dst.name):
                try:
                    if stat.S_ISLNK(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode):
                        raise UnsafePathError(f"{self.show(src.parent / name)}: is a symbolic link; mlsd never follows links inside a repo")
                except FileNotFoundError:
                    pass
            os.rename(src.name, dst.name, src_dir_fd=fd, dst_dir_fd=fd)
        finally:
            os.close(fd)

    def remove_tree(self, path: str | os.PathLike[str]) -> None:
        """Remove a directory the run made, never following a link inside it."""
        relative = self.relative(path)
        fd = self._open_parent(relative, create=False)
        if fd is None:
            return
        try:
            _remove_tree_at(relative.name, fd)
        finally:
            os.close(fd)

    def walk_files(self, path: str | os.PathLike[str]) -> Iterator[PurePosixPath]:
        """Relative paths of the regular files under a real directory; links are refused."""
        names = self.list_dir(path)
        if names is None:
            return
        base = self.relative(path)
        for name in names:
            child = base / name
            fd = self._open_parent(child, create=False)
            assert fd is not None
            try:
                mode = os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode
            finally:
                os.close(fd)
            if stat.S_ISDIR(mode):
                yield from self.walk_files(child)
            elif stat.S_ISREG(mode):
                yield child
            else:
                raise UnsafePathError(f"{self.show(child)}: is {_kind(mode)}, not a regular file")


def _remove_tree_at(name: str, parent_fd: int) -> None:
    try:
        info = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(info.st_mode):
        os.unlink(name, dir_fd=parent_fd)
        return
    fd = os.open(name, _DIR_FLAGS, dir_fd=parent_fd)
    try:
        for entry in os.listdir(fd):
            _remove_tree_at(entry, fd)
    finally:
        os.close(fd)
    os.rmdir(name, dir_fd=parent_fd)
