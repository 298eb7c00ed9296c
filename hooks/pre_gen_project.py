"""Check the answers before any file is rendered; the logic lives in mlsd.hooks.

Answers reach this script as JSON text (``tojson``) and are parsed as data, so a
name such as ``{{ 7*7 }}`` or one with quotes can never become code here.
"""

import json
import sys

sys.path.insert(0, json.loads(r'''{{ mlsd_import_root() | tojson }}'''))

from mlsd.hooks import pre_generate  # noqa: E402

sys.exit(pre_generate(json.loads(r'''{{ cookiecutter | tojson }}''')))
