"""``mlsd sync``: recompute what is derived from DESIGN.md's tables as the user edited them.

A design doc is edited for weeks. Its scale inputs (one table per workload in
section 2) and its latency budget (section 6) are inputs; docs/capacity.md,
the interview plan and the concepts page are computed from them. ``sync``
reads the tables back, records every changed value and basis with the
repo's answers (as ``--set`` would: field paths and text, no arithmetic),
renders the derived files again with them, and writes only those, their base
copies and the answers, all or nothing and under the repo's lock. Because
the edits are recorded, ``mlsd update`` later generates the same numbers, and
merges the prose of DESIGN.md that refers to them.

Each derived file ends with a fingerprint of the table values it was computed
from (:mod:`mlsd.derived_inputs`), so ``mlsd check`` can say cheaply when one
is stale.
"""

from __future__ import annotations

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


def sync_repo(project_dir: Path, preset_file: Path | None = None) -> SyncResult:
    """Recompute the derived files of ``project_dir`` from its tables; see the module docstring."""
    from mlsd.answers import ANSWERS_FILE, MAX_ANSWERS_BYTES, purpose_of, read_answers
    from mlsd.check import read_design
    from mlsd.interrupts import terminate_as_exception
    from mlsd.overrides import decode, encode
    from mlsd.repo_files import RepoFiles
    from mlsd.scaffold import template_root
    from mlsd.snapshot import BASE_DIR
    from mlsd.template_env import document, preset_for, render_file
    from mlsd.update import UpdatePlan, check_preset_file, write_planned
    from mlsd.work_mode import INTERVIEW_ONLY_FILES

    files = RepoFiles(project_dir)
    answers = read_answers(project_dir)
    check_preset_file(project_dir, answers, preset_file, "sync it")
    context = {**answers, "_repo_dir": str(template_root())}
    if preset_file is not None:
        context["_mlsd_preset_file"] = str(Path(preset_file).resolve())
    derived = [
        relative for relative in DERIVED_FILES
        if not (purpose_of(answers) == "work" and relative in INTERVIEW_ONLY_FILES)
    ]
    with files.lock():
        design = read_design(files)
        _, preset = preset_for(context)
        new = table_overrides(design, preset, document(context)["workloads"])
        overrides = {**decode(answers.get("_mlsd_overrides")), **new}
        fresh = {**context, "_mlsd_overrides": encode(overrides)}
        plan = UpdatePlan(files.display_root, files.display_root)
        for relative in derived:
            text = render_file(fresh, relative)
            current = files.read_bytes(relative)
            if current is None or current.replace(b"\r\n", b"\n") != text.encode("utf-8"):
                plan.writes[relative] = text
                plan.originals[relative] = current
            # The base copy follows, so a later update sees no edit of the user's here.
            base = (BASE_DIR / relative).as_posix()
            if files.read_bytes(base) != text.encode("utf-8"):
                plan.writes[base] = text
                plan.originals[base] = files.read_bytes(base)
        if new:
            record = files.read_text(ANSWERS_FILE, MAX_ANSWERS_BYTES) or "{}"
            plan.writes[ANSWERS_FILE] = _with_overrides(record, encode(overrides))
            plan.originals[ANSWERS_FILE] = record.encode("utf-8")
        with terminate_as_exception():
            write_planned(plan, files)
    return SyncResult(written=[r for r in plan.writes if r in derived], recorded=new)


def _with_overrides(record_text: str, encoded: str) -> str:
    """The answers file with its recorded overrides replaced; everything else, the
    template commit included, stays as the last generation wrote it."""
    import json

    record = json.loads(record_text)
    cookiecutter = record["context"]["cookiecutter"]
    if encoded:
        cookiecutter["_mlsd_overrides"] = encoded
    else:
        cookiecutter.pop("_mlsd_overrides", None)
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
