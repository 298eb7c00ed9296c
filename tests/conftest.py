"""Shared fixtures: the template root on sys.path, isolated cookiecutter config."""

from __future__ import annotations

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


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep mlsd's cache of preset heads out of the real cache directory, one per test."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("MLSD_CACHE_DIR", str(cache))
    return cache


def load_yaml(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def baked(cookies_session):
    """Bake through pytest-cookies once per answer set and share the result.

    Tests only read what was generated, so one bake serves every test that
    asks for the same preset and answers.
    """
    cache: dict[tuple, Path] = {}

    def bake(preset_id: str, **extra) -> Path:
        key = (preset_id, tuple(sorted(extra.items())))
        if key not in cache:
            result = cookies_session.bake(template=str(ROOT), extra_context={"preset": preset_id, **extra})
            assert result.exception is None, result.exception
            assert result.exit_code == 0
            cache[key] = Path(result.project_path)
        return cache[key]

    return bake
