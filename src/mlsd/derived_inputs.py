"""The tables of DESIGN.md that derived files are computed from, and the fingerprint that ties them.

docs/capacity.md, the interview plan and the concepts page are computed from
the workload input tables (section 2) and the latency budget (section 6).
Each ends with a fingerprint of those tables' values; ``mlsd check`` reads the
tables back and says when a derived file was computed from other values, and
``mlsd sync`` recomputes it.
"""

from __future__ import annotations

import hashlib

from mlsd.sections import Document, Line, Table, tables

# Files computed from the tables; sync rewrites them and nothing the user writes.
DERIVED_FILES = ("docs/capacity.md", "docs/interview-plan.md", "docs/concepts.md")
FINGERPRINT_PREFIX = "<!-- mlsd:inputs "
SCALE_BLOCK = "Scale assumptions"
BUDGET_BLOCK = "Scaling approach"
_INPUT_HEADER = ("input", "value", "unit", "basis")
_BUDGET_HEADER = ("step", "budget (ms)")


def _block_lines(document: Document, section: int, title: str) -> list[Line]:
    found = document.section(section)
    if found is None:
        return []
    return [line for block in found.blocks if block.title == title for line in block.body]


def _header(table: Table) -> tuple[str, ...]:
    return tuple(cell.strip().lower() for cell in table.header)


def input_tables(document: Document) -> list[Table]:
    """The per-workload input tables of section 2, in order."""
    return [t for t in tables(_block_lines(document, 2, SCALE_BLOCK)) if _header(t) == _INPUT_HEADER]


def budget_table(document: Document) -> Table | None:
    """The latency budget table of section 6, if the document has one."""
    return next((t for t in tables(_block_lines(document, 6, BUDGET_BLOCK)) if _header(t) == _BUDGET_HEADER), None)


def table_values(document: Document) -> list[str]:
    """The value cells the derived files depend on, in document order."""
    values = [cells[1].strip() if len(cells) > 1 else "" for table in input_tables(document) for _, cells in table.rows]
    budget = budget_table(document)
    if budget is not None:
        values += [cells[1].strip() if len(cells) > 1 else "" for _, cells in budget.rows]
    return values


def fingerprint(values: list[str]) -> str:
    """A short digest of the table values; equal values give an equal fingerprint."""
    return hashlib.sha256("\x1f".join(values).encode("utf-8")).hexdigest()[:16]


def fingerprint_line(values: list[str]) -> str:
    """The comment a derived file ends with (invisible when rendered)."""
    return f"{FINGERPRINT_PREFIX}{fingerprint(values)} -->"


def recorded_fingerprint(text: str) -> tuple[int, str] | None:
    """The line and fingerprint a derived file records at its end, if it records one."""
    lines = text.splitlines()
    for number in range(len(lines), max(len(lines) - 5, 0), -1):
        line = lines[number - 1]
        if line.startswith(FINGERPRINT_PREFIX) and line.endswith(" -->"):
            return number, line[len(FINGERPRINT_PREFIX) : -4].strip()
    return None
