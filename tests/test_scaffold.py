"""Finding the template in a checkout and in a built wheel; escaping answers."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from jinja2 import Environment

from conftest import ROOT
from mlsd.answers import jinja_literal
from mlsd.scaffold import template_root


def test_checkout_template_is_preferred() -> None:
    assert template_root() == ROOT


@pytest.mark.parametrize("value", ["{{ 7*7 }}", "{% raw %}", 'q"uote', "back\\slash", "emoji 🚀", "line\nbreak", "\u2028"])
def test_jinja_literal_renders_to_the_value(value: str) -> None:
    assert Environment().from_string(jinja_literal(value)).render() == value


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("mlsd-*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    assert "mlsd/template/cookiecutter.json" in names
    assert "mlsd/template/presets/blank.yaml" in names
    assert "mlsd/template/fragments/decision-record.md" in names
    assert "mlsd/template/templates/work/readiness.md" in names
    assert "mlsd/template/{{cookiecutter.system_slug}}/DESIGN.md" in names
    assert not [n for n in names if "__pycache__" in n]
    return site


def test_a_wheel_ships_the_template_and_generates(unpacked_wheel: Path, tmp_path: Path) -> None:
    script = (
        "import sys, json; sys.path.insert(0, sys.argv[1]);"
        "from mlsd.scaffold import template_root;"
        "from mlsd.cli import main;"
        "print(json.dumps(str(template_root())), flush=True);"
        "main(['new', 'blank', '-o', sys.argv[2], '--no-input', '--purpose', 'work'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(unpacked_wheel), str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    root = Path(json.loads(result.stdout.splitlines()[0]))
    assert root == unpacked_wheel / "mlsd" / "template"
    # Work mode includes its parts from templates/ beside the project template: the wheel carries them.
    assert "### ML production readiness" in (tmp_path / "my-ml-system" / "DESIGN.md").read_text(encoding="utf-8")
