"""Shared fixtures: the template root on sys.path, isolated cookiecutter config."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRESETS_DIR = ROOT / "presets"
# pytest-cookies does not put the template root on sys.path, and cookiecutter's
# _extensions import needs it there to find mlsd_cookiecutter_bridge.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PRESET_FILES = sorted(PRESETS_DIR.glob("*.yaml"))
PRESET_IDS = [p.stem for p in PRESET_FILES]
WORKED_PRESET_IDS = [i for i in PRESET_IDS if i != "blank"]
# Slow end-to-end checks (site builds, the real cookiecutter command line, lint
# variants) run on a few representative presets: the blank skeleton and the
# smallest and the largest worked preset. Fast checks run on every preset.
_BY_SIZE = sorted((p for p in PRESET_FILES if p.stem != "blank"), key=lambda p: (p.stat().st_size, p.stem))
REPRESENTATIVE_PRESET_IDS = sorted({"blank", *(p.stem for p in _BY_SIZE[:1] + _BY_SIZE[-1:])} & set(PRESET_IDS))


# Every worked preset carries interview coaching data (test_coaching holds each to it).
COACHED_PRESET_IDS = [p.stem for p in PRESET_FILES if p.stem != "blank"]


@pytest.fixture(autouse=True)
def isolated_cookiecutter_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep cookiecutter's replay files and clones out of the real home directory."""
    home = tmp_path_factory.mktemp("home")
    config = home / "cookiecutter.yaml"
    config.write_text(
        f"cookiecutters_dir: {home / 'cookiecutters'}\nreplay_dir: {home / 'replay'}\n", encoding="utf-8"
    )
    monkeypatch.setenv("COOKIECUTTER_CONFIG", str(config))
    return home


def project_files() -> list[str]:
    """The project's files as a clone would hold them: tracked, plus new ones not ignored."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [line for line in listed.stdout.splitlines() if (ROOT / line).is_file()]


def copy_project(destination: Path) -> Path:
    """The project's working tree, uncommitted changes included, copied to ``destination`` (no git)."""
    for relative in project_files():
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, target)
    return destination


def copy_as_git_repo(repo: Path) -> Path:
    """:func:`copy_project`, committed to a fresh git repo at ``repo``."""
    copy_project(repo)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "template"], cwd=repo, check=True)
    return repo


# Where tests keep what they fetch from npm across runs (.ci/run fills it ahead).
TEST_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mlsd-tests"


def npm_or_skip(missing: Path, package: str) -> str:
    """The npm command, or skip the test: ``missing`` is not cached and npm is not installed."""
    npm = shutil.which("npm")
    if not npm:
        pytest.skip(f"no {missing} and no npm to fetch {package}; .ci/run fetches it")
    TEST_CACHE.mkdir(parents=True, exist_ok=True)
    return npm


def line_of(path: Path, text: str) -> int:
    """The number of the first line of ``path`` that holds ``text``."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text in line)


@pytest.fixture
def editable_copy(baked, tmp_path: Path):
    """A fresh copy of a baked repo that a test may edit: ``editable_copy(preset_id)``."""

    def copy(preset_id: str, **extra) -> Path:
        target = tmp_path / f"{preset_id}-copy"
        shutil.copytree(baked(preset_id, **extra), target)
        return target

    return copy


def replace_once(path: Path, old: str, new: str) -> None:
    """Edit ``path`` as a person would: the first ``old`` becomes ``new``, which must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep mlsd's cache of preset heads out of the real cache directory, one per test."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("MLSD_CACHE_DIR", str(cache))
    return cache


_PARSED_YAML: dict[tuple[str, int, int], str] = {}


def load_yaml(path: Path) -> dict:
    """A fresh copy of a YAML file's data, parsed once per version of the file.

    Many tests read every preset; parsing each one once per worker (with
    libyaml where present) keeps that cheap, and the copy lets a test edit it.
    """
    import json

    import yaml

    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _PARSED_YAML:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        _PARSED_YAML[key] = json.dumps(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))
    return json.loads(_PARSED_YAML[key])


@pytest.fixture(scope="session")
def baked(cookies_session, tmp_path_factory: pytest.TempPathFactory, worker_id: str):
    """Bake through pytest-cookies once per answer set and share the result.

    Tests only read what was generated, so one bake serves every test that
    asks for the same preset and answers, on every xdist worker: the first
    worker to need a bake makes it under a lock in the session's shared
    temporary directory, and the others read where it went.
    """
    import fcntl
    import hashlib
    import json

    basetemp = tmp_path_factory.getbasetemp()
    shared = (basetemp.parent if worker_id != "master" else basetemp) / "baked-shared"
    shared.mkdir(exist_ok=True)
    cache: dict[tuple, Path] = {}

    def bake(preset_id: str, **extra) -> Path:
        key = (preset_id, tuple(sorted(extra.items())))
        if key in cache:
            return cache[key]
        name = hashlib.sha256(json.dumps(key, default=str).encode()).hexdigest()[:16]
        record = shared / f"{name}.path"
        with open(shared / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not record.is_file():
                result = cookies_session.bake(template=str(ROOT), extra_context={"preset": preset_id, **extra})
                assert result.exception is None, result.exception
                assert result.exit_code == 0
                record.write_text(str(result.project_path), encoding="utf-8")
            cache[key] = Path(record.read_text(encoding="utf-8"))
        return cache[key]

    return bake
