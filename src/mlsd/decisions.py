"""Decision records: one MADR 4 file per preset decision, written after generation.

cookiecutter renders a fixed set of files, so the records, whose number and
names come from the preset, are written by the post-generation hook from the
``fragments/decision-record.md`` template at the template root.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from mlsd.markdown import one_line
from mlsd.naming import derive_slug
from mlsd.repo_files import RepoFiles

RECORD_TEMPLATE = "decision-record.md"
RECORDS_DIR = Path("docs") / "decisions"


def record_name(number: int, title: str) -> str:
    """``0001-embedding-table-for-sparse-ids.md``."""
    slug = derive_slug(title) or "decision"
    return f"{number:04d}-{slug}.md"


def decision_records(preset: dict[str, Any]) -> list[dict[str, Any]]:
    """File name and title of each record, in preset order."""
    return [
        {"number": n, "title": d["title"], "file": record_name(n, d["title"])}
        for n, d in enumerate(preset["decisions"], start=1)
    ]


@lru_cache(maxsize=4)
def _record_environment(fragments_dir: str) -> Environment:
    """One environment per template root: it keeps the compiled record template
    across generations in a process, and reloads it when the file changes."""
    env = Environment(
        loader=FileSystemLoader(fragments_dir),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["one_line"] = one_line
    return env


def write_records(
    project_dir: Path,
    preset: dict[str, Any],
    *,
    template_root: Path,
    system_name: str,
    guidance: bool,
    today: datetime.date | None = None,
) -> list[Path]:
    """Render every decision of ``preset`` into ``docs/decisions/`` of the project."""
    template = _record_environment(str(template_root / "fragments")).get_template(RECORD_TEMPLATE)
    files = RepoFiles(project_dir)
    written = []
    date = (today or datetime.date.today()).isoformat()
    for record, decision in zip(decision_records(preset), preset["decisions"]):
        relative = RECORDS_DIR / record["file"]
        files.write_text(relative, template.render(decision=decision, date=date, guidance=guidance, system_name=system_name))
        written.append(project_dir / relative)
    return written
