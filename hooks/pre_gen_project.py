"""Check the answers before any file is rendered; the logic lives in mlsd.hooks.

Answers reach this script as JSON text (``tojson``) and are parsed as data, so a
name holding Jinja syntax or quotes can never become code here.
"""

import json
import sys

sys.path.insert(0, json.loads(r'''{{ mlsd_import_root() | tojson }}'''))

from mlsd.hooks import pre_generate  # noqa: E402

answers = json.loads(r'''{{ cookiecutter | tojson }}''')
template_root = json.loads(r'''{{ mlsd_template_root() | tojson }}''')
sys.exit(pre_generate(answers, template_root))
