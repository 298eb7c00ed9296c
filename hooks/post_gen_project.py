"""Finish the generated repo; the logic lives in mlsd.hooks."""

import json
import sys
from pathlib import Path

sys.path.insert(0, json.loads(r'''{{ mlsd_import_root() | tojson }}'''))

from mlsd.hooks import post_generate  # noqa: E402

answers = json.loads(r'''{{ cookiecutter | tojson }}''')
template_root = json.loads(r'''{{ mlsd_template_root() | tojson }}''')
sys.exit(post_generate(Path.cwd(), answers, template_root))
