"""RepoFiles: reads and writes that never leave the repo, follow a link, hang or truncate."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from mlsd.errors import MlsdError
from mlsd.repo_files import (
    TEMP_MARKER,
    RepoFiles,
    UnsafePathError,
    decode_text,
    open_regular,
    read_regular_bytes,
)


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """A repo and, beside it, an outside directory holding a file that must never change."""
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / "docs").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.md").write_text("outside\n", encoding="utf-8")
    (repo / "DESIGN.md").write_text("design\n", encoding="utf-8")
    return repo, outside


def test_reads_a_regular_file_and_says_none_for_a_missing_one(layout) -> None:
    repo, _ = layout
    files = RepoFiles(repo)
    assert files.read_text("DESIGN.md") == "design\n"
    assert files.read_text("docs/missing.md") is None
    assert files.read_text("nowhere/missing.md") is None


@pytest.mark.parametrize("path", ["../outside/secret.md", "docs/../../outside/secret.md", "/etc/passwd"])
def test_paths_that_leave_the_repo_are_refused(layout, path: str) -> None:
    repo, _ = layout
    with pytest.raises(UnsafePathError, match="inside the repo|outside the repo"):
        RepoFiles(repo).read_text(path)


def test_an_absolute_path_inside_the_repo_is_accepted(layout) -> None:
    repo, _ = layout
    files = RepoFiles(repo)
    assert str(files.relative(repo.resolve() / "docs" / "x.json")) == "docs/x.json"
    assert str(files.relative(Path(os.path.abspath(repo)) / "." / "DESIGN.md")) == "DESIGN.md"


def test_a_linked_file_or_parent_is_refused_for_reading(layout) -> None:
    repo, outside = layout
    (repo / "linked.md").symlink_to(outside / "secret.md")
    (repo / "linked_dir").symlink_to(outside)
    files = RepoFiles(repo)
    with pytest.raises(UnsafePathError, match="linked.md: is a symbolic link"):
        files.read_text("linked.md")
    with pytest.raises(UnsafePathError, match="linked_dir: is a symbolic link"):
        files.read_text("linked_dir/secret.md")
    with pytest.raises(UnsafePathError, match="linked_dir: is a symbolic link"):
        files.list_dir("linked_dir")


def test_a_dangling_link_is_refused_not_taken_for_a_missing_file(layout) -> None:
    repo, outside = layout
    (repo / "gone.md").symlink_to(outside / "nothing-here.md")
    with pytest.raises(UnsafePathError, match="gone.md: is a symbolic link"):
        RepoFiles(repo).read_text("gone.md")
    assert RepoFiles(repo).exists("gone.md")


def test_a_fifo_is_refused_without_waiting_for_a_writer(layout) -> None:
    repo, _ = layout
    os.mkfifo(repo / "pipe.md")
    with pytest.raises(UnsafePathError, match="pipe.md: is a FIFO, not a regular file"):
        RepoFiles(repo).read_text("pipe.md")
    with pytest.raises(UnsafePathError, match="is a FIFO"):
        read_regular_bytes(repo / "pipe.md", 100)
    with pytest.raises(UnsafePathError, match="is a FIFO"):
        open_regular(repo / "pipe.md")


def test_a_link_to_a_device_is_refused_even_where_links_are_followed(tmp_path: Path) -> None:
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    with pytest.raises(UnsafePathError, match="is a device"):
        read_regular_bytes(tmp_path / "zero.yaml", 1024)
    with pytest.raises(UnsafePathError, match="is a device"):
        open_regular(tmp_path / "zero.yaml")


def test_reads_stop_at_the_limit(layout) -> None:
    repo, _ = layout
    (repo / "big.md").write_bytes(b"x" * 101)
    with pytest.raises(UnsafePathError, match="over the 100-byte limit"):
        RepoFiles(repo).read_bytes("big.md", limit=100)
    assert RepoFiles(repo).read_bytes("big.md", limit=101) == b"x" * 101



def test_invalid_utf8_names_file_and_line() -> None:
    with pytest.raises(MlsdError, match=r"^DESIGN.md:3: is not valid UTF-8; save the file as UTF-8$"):
        decode_text(b"a\nb\n\xff\n", "DESIGN.md")


def test_a_write_replaces_atomically_and_keeps_the_mode(layout) -> None:
    repo, _ = layout
    os.chmod(repo / "DESIGN.md", 0o600)
    inode = os.stat(repo / "DESIGN.md").st_ino
    RepoFiles(repo).write_text("DESIGN.md", "new\n")
    assert (repo / "DESIGN.md").read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(os.stat(repo / "DESIGN.md").st_mode) == 0o600
    assert os.stat(repo / "DESIGN.md").st_ino != inode  # a new file renamed over the old one
    assert not [p for p in repo.rglob("*") if TEMP_MARKER in p.name]


def test_a_write_creates_missing_directories(layout) -> None:
    repo, _ = layout
    RepoFiles(repo).write_text(".mlsd/base/docs/x.md", "x\n")
    assert (repo / ".mlsd/base/docs/x.md").read_text(encoding="utf-8") == "x\n"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(layout, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, _ = layout

    def disk_full(fd: int, data) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full)
    with pytest.raises(OSError, match="No space left"):
        RepoFiles(repo).write_text("DESIGN.md", "new text that does not fit\n")
    monkeypatch.undo()
    assert (repo / "DESIGN.md").read_text(encoding="utf-8") == "design\n"
    assert sorted(p.name for p in repo.iterdir()) == ["DESIGN.md", "docs"]


@pytest.mark.parametrize("dangling", [False, True])
def test_writes_never_go_through_a_link(layout, dangling: bool) -> None:
    repo, outside = layout
    target = outside / ("new.pth" if dangling else "secret.md")
    (repo / "DESIGN.md").unlink()
    (repo / "DESIGN.md").symlink_to(target)
    (repo / "docs_link").symlink_to(outside)
    files = RepoFiles(repo)
    with pytest.raises(UnsafePathError, match="DESIGN.md: is a symbolic link"):
        files.write_text("DESIGN.md", "payload\n")
    with pytest.raises(UnsafePathError, match="docs_link: is a symbolic link"):
        files.write_text("docs_link/secret.md", "payload\n")
    assert (outside / "secret.md").read_text(encoding="utf-8") == "outside\n"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.md"]


def test_a_directory_in_place_of_a_file_is_refused(layout) -> None:
    repo, _ = layout
    (repo / "docs" / "capacity.md").mkdir()
    with pytest.raises(UnsafePathError, match="capacity.md: is a directory, not a regular file"):
        RepoFiles(repo).write_text("docs/capacity.md", "x\n")
    with pytest.raises(UnsafePathError, match="capacity.md: is a directory, not a regular file"):
        RepoFiles(repo).read_text("docs/capacity.md")


def test_remove_tree_removes_links_not_what_they_point_to(layout) -> None:
    repo, outside = layout
    (repo / ".mlsd" / "old").mkdir(parents=True)
    (repo / ".mlsd" / "old" / "link").symlink_to(outside)
    (repo / ".mlsd" / "old" / "f.md").write_text("x", encoding="utf-8")
    RepoFiles(repo).remove_tree(".mlsd/old")
    assert not (repo / ".mlsd" / "old").exists()
    assert (outside / "secret.md").read_text(encoding="utf-8") == "outside\n"


def test_walk_files_lists_regular_files_and_refuses_links(layout) -> None:
    repo, outside = layout
    (repo / "docs" / "a.md").write_text("a", encoding="utf-8")
    files = RepoFiles(repo)
    assert [str(p) for p in files.walk_files("docs")] == ["docs/a.md"]
    (repo / "docs" / "out").symlink_to(outside)
    with pytest.raises(UnsafePathError, match="out: is a symbolic link"):
        list(files.walk_files("docs"))


def test_a_second_lock_holder_waits_then_is_told_another_run_is_going_on(layout) -> None:
    repo, _ = layout
    files = RepoFiles(repo)
    with files.lock():
        with pytest.raises(MlsdError, match="another mlsd update or sync is running on"):
            with RepoFiles(repo).lock(wait_seconds=0.2):
                pass
    acquired, released = threading.Event(), threading.Event()

    def hold_briefly() -> None:
        with RepoFiles(repo).lock():
            acquired.set()
            released.wait(5)

    holder = threading.Thread(target=hold_briefly)
    holder.start()
    try:
        assert acquired.wait(5)  # the holder has the lock before this thread asks for it
        threading.Timer(0.3, released.set).start()
        with files.lock(wait_seconds=5):  # waits for the holder instead of failing
            assert released.is_set()
    finally:
        holder.join()
    assert sorted(p.name for p in (repo / ".mlsd").iterdir()) == []  # no lock file is left behind
