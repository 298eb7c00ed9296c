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


def _has_interview_data(path: Path) -> bool:
    from mlsd.schema import INTERVIEW_DATA_REQUIRED

    if path.stem == "blank":
        return False
    # Reading the top-level keys is enough; the schema tests validate the block itself.
    return INTERVIEW_DATA_REQUIRED or any(line.startswith("interview:") for line in path.read_text(encoding="utf-8").splitlines())


# The presets that carry interview coaching data; every one of them is held to the coaching tests.
COACHED_PRESET_IDS = [p.stem for p in PRESET_FILES if _has_interview_data(p)]


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
