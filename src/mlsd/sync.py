"""``mlsd sync``: recompute what is derived from DESIGN.md's tables as the user edited them.

A design doc is edited for weeks. Its scale inputs (one table per workload in
section 2) and its latency budget (section 6) are inputs; docs/capacity.md,
the interview plan and the concepts page are computed from them. ``sync``
reads the tables back, records every changed value and basis with the
repo's answers (as ``--set`` would: field paths and text, no arithmetic),
generates again with them, and writes only the derived files, the answers
and the base copy, all or nothing and under the repo's lock. Because the
edits are recorded, ``mlsd update`` later generates the same numbers.

Each derived file ends with a fingerprint of the table values it was computed
from (:mod:`mlsd.derived_inputs`), so ``mlsd check`` can say cheaply when one
is stale.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlsd.derived_inputs import DERIVED_FILES, budget_table, input_tables
from mlsd.figures import KINDS, input_paths, latency
from mlsd.errors import MlsdError
from mlsd.markdown import fold
from mlsd.sections import parse

# A workload input row that is a limit says so after its label.
_LIMIT_SUFFIX = " (limit)"

# --------------------------------------------------------------------------- #
# Reading the edited tables back as overrides
# --------------------------------------------------------------------------- #


def _number(text: str, where: str) -> float | None:
    cleaned = text.strip().replace(",", "").replace("_", "")
    if not cleaned or cleaned.upper().startswith("TODO"):
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise MlsdError(f"{where}: '{text}' is not a number; write digits such as 1,200 or 0.6") from None


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is not b
    return abs(a - b) > 1e-9 * max(abs(a), abs(b), 1.0)


def _plain(cell: str) -> str:
    """A table cell back as the text it showed: escapes of the Markdown writer undone."""
    return fold(cell.replace("\\|", "|").replace("&lt;", "<"))


def table_overrides(design_text: str, preset: dict[str, Any], workload_views: list[dict[str, Any]]) -> dict[str, str]:
    """Field paths and values for every input the user changed in DESIGN.md's tables.

    ``workload_views`` are the view model's workloads (labels and names of the
    inputs, as rendered), so a row is matched by its label, not its position.
    """
    document = parse(design_text)
    overrides: dict[str, str] = {}
    tables_found = input_tables(document)
    workloads = preset.get("workloads") or []
    for index, (table, view) in enumerate(zip(tables_found, workload_views)):
        by_label = {row["label"]: row for row in view["inputs"]}
        raw = workloads[index] if index < len(workloads) else {}
        paths = input_paths(raw) if isinstance(raw, dict) and raw.get("kind") in KINDS else {}
        for line, cells in table.rows:
            row = by_label.get(_plain(cells[0]).removesuffix(_LIMIT_SUFFIX))
            path = paths.get(row["name"].split(".", 1)[1]) if row is not None else None
            if path is None or len(cells) < 4:
                continue
            item = _dig(raw, path)
            where = f"workloads[{index}]" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
            value = _number(cells[1], f"DESIGN.md:{line}")
            current = item.get("value") if isinstance(item.get("value"), (int, float)) else None
            if value is not None and _differs(value, current):
                overrides[f"{where}.value"] = str(int(value)) if value == int(value) else f"{value:g}"
            basis = _plain(cells[3])
            if basis and basis != fold(str(item.get("basis") or "")):
                overrides[f"{where}.basis"] = basis
    table = budget_table(document)
    scale = preset.get("scale") if isinstance(preset.get("scale"), dict) else {}
    budget = latency.compute(scale)
    if table is not None and budget.steps:
        # The table lists the rows latency.rows renders, in that order; only components and hops are set.
        rendered = latency.rows(budget, {})
        if len(table.rows) != len(rendered):
            raise MlsdError(
                f"DESIGN.md:{table.rows[0][0] if table.rows else 1}: the latency budget table has {len(table.rows)} rows "
                f"where the design has {len(rendered)}; change the ms values only, or edit the steps with --set"
            )
        current = {step.where: step.ms for step in latency.leaves(budget.steps)}
        for (line, cells), row in zip(table.rows, rendered):
            if not row["where"]:
                continue
            value = _number(cells[1], f"DESIGN.md:{line}")
            if value is not None and _differs(value, current[row["where"]]):
                overrides[f"scale.serving.latency_budget{row['where']}.ms"] = f"{value:g}"
    return overrides


def _dig(data: Any, path: tuple[str | int, ...]) -> dict[str, Any]:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return {}
    return data if isinstance(data, dict) else {}


# --------------------------------------------------------------------------- #
# The command
# --------------------------------------------------------------------------- #


@dataclass
class SyncResult:
    written: list[str] = field(default_factory=list)
    recorded: dict[str, str] = field(default_factory=dict)


def sync_repo(project_dir: Path, presets: Any = None, preset_file: Path | None = None) -> SyncResult:
    """Recompute the derived files of ``project_dir`` from its tables; see the module docstring."""
    from mlsd.answers import read_answers
    from mlsd.check import read_design
    from mlsd.interrupts import terminate_as_exception
    from mlsd.overrides import decode
    from mlsd.repo_files import RepoFiles
    from mlsd.scaffold import generate, resolve, template_root
    from mlsd.template_env import document, preset_for
    from mlsd.update import UpdatePlan, apply, check_preset_file, regeneration

    files = RepoFiles(project_dir)
    answers = read_answers(project_dir)
    check_preset_file(project_dir, answers, preset_file, "sync it")
    context = {**answers, "_repo_dir": str(template_root())}
    if preset_file is not None:
        context["_mlsd_preset_file"] = str(Path(preset_file).resolve())
    with files.lock():
        design = read_design(files)
        _, preset = preset_for(context)
        views = document(context)["workloads"]
        new = table_overrides(design, preset, views)
        overrides = {**decode(answers.get("_mlsd_overrides")), **new}
        with tempfile.TemporaryDirectory(prefix="mlsd-sync-") as scratch:
            request = regeneration(project_dir, answers, Path(scratch), preset_file, overrides)
            new_dir = generate(resolve(request, presets))
            plan = UpdatePlan(files.display_root, new_dir)
            for relative in DERIVED_FILES:
                fresh = new_dir / relative
                if not fresh.is_file():
                    continue
                current = files.read_bytes(relative)
                if current is not None and current.replace(b"\r\n", b"\n") == fresh.read_bytes():
                    continue
                plan.writes[relative] = fresh.read_text(encoding="utf-8")
                plan.originals[relative] = current
            with terminate_as_exception():
                apply(plan, files)
    return SyncResult(written=list(plan.writes), recorded=new)
