"""Decision records: one file per preset decision, from the template at the template root."""

from __future__ import annotations

import datetime
import os
import shutil
from pathlib import Path

from conftest import ROOT
from mlsd.decisions import record_name, write_records

DECISION = {
    "title": "Two-tower retrieval",
    "context": "Candidates must come from a billion items within 20 ms.",
    "options": ["Two-tower retrieval", "Item-to-item co-occurrence"],
    "chosen": "Two-tower retrieval",
    "rationale": "It serves new users from their context alone.",
    "consequences": ["An ANN index to rebuild daily"],
}


def test_record_names_number_and_slug_the_title() -> None:
    assert record_name(7, "Two-tower retrieval, then a ranker") == "0007-two-tower-retrieval-then-a-ranker.md"


def test_an_edited_record_template_is_read_again_in_the_same_process(tmp_path: Path) -> None:
    root = tmp_path / "template"
    shutil.copytree(ROOT / "fragments", root / "fragments")
    template = root / "fragments" / "decision-record.md"
    preset = {"decisions": [dict(DECISION)]}

    def render(project: str) -> str:
        (tmp_path / project).mkdir()
        (written,) = write_records(
            tmp_path / project, preset, template_root=root, system_name="S", guidance=False, today=datetime.date(2026, 1, 2)
        )
        return written.read_text(encoding="utf-8")

    first = render("one")
    template.write_text("Edited: {{ decision.title }}\n", encoding="utf-8")
    stamp = template.stat().st_mtime_ns + 2_000_000_000  # a later time even on a coarse clock
    os.utime(template, ns=(stamp, stamp))
    assert "Two-tower retrieval" in first and not first.startswith("Edited:")
    assert render("two") == "Edited: Two-tower retrieval\n"
