"""cookiecutter's entry point into mlsd: the template's Jinja extension.

cookiecutter puts the template root on ``sys.path`` and imports this module by
name (see ``_extensions`` in cookiecutter.json). The name is specific to mlsd
because Python caches modules by name across templates in one process. In a
checkout or a git clone the ``mlsd`` package sits in ``src/`` beside this file,
so plain cookiecutter works without mlsd installed; in a wheel the template lives
inside the installed package and the import finds it there.
"""

import sys
from pathlib import Path

_TEMPLATE_ROOT = Path(__file__).resolve().parent
_SOURCE = _TEMPLATE_ROOT / "src"
if (_SOURCE / "mlsd" / "__init__.py").is_file() and str(_SOURCE) not in sys.path:
    sys.path.insert(0, str(_SOURCE))

from mlsd import template_env  # noqa: E402

template_env.remember_template_root(_TEMPLATE_ROOT)
MlsdExtension = template_env.MlsdExtension
