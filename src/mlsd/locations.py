"""Where the template and the presets directories are, found without loading anything else.

Listing presets needs these directories and nothing of generation, so they live
apart from :mod:`mlsd.scaffold`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from mlsd.errors import MlsdError

PRESETS_DIR_VARIABLE = "MLSD_PRESETS_DIR"


def template_root() -> Path:
    """The cookiecutter template: the checkout when running from one, else the wheel's copy.

    An editable install snapshots the template into site-packages, so a checkout
    is preferred whenever this module sits in its ``src/mlsd``.
    """
    package_dir = Path(__file__).resolve().parent
    checkout = package_dir.parent.parent
    if (checkout / "cookiecutter.json").is_file() and (checkout / "src" / "mlsd") == package_dir:
        return checkout
    bundled = package_dir / "template"
    if (bundled / "cookiecutter.json").is_file():
        return bundled
    raise MlsdError("the cookiecutter template is missing from this installation; reinstall mlsd")


def preset_directories(extra_dirs: Sequence[Path] = ()) -> list[Path]:
    """The built-in presets, then any team directories (``--presets-dir`` or $MLSD_PRESETS_DIR)."""
    from_environment = [Path(p) for p in os.environ.get(PRESETS_DIR_VARIABLE, "").split(os.pathsep) if p]
    return [template_root() / "presets", *extra_dirs, *from_environment]
