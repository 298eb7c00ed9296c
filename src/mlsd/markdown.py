"""Making preset text safe inside generated Markdown."""

from __future__ import annotations

import re
from typing import Any

from mlsd.capacity import number
from mlsd.schema import NOT_APPLICABLE, TODO_MARKER, is_not_applicable

_WHITESPACE = re.compile(r"\s+")


def one_line(text: object) -> str:
    """Fold any run of white space, line breaks included, into one space."""
    return _WHITESPACE.sub(" ", str(text)).strip()


def table_cell(text: object) -> str:
    """Text for a Markdown table cell: one line, pipes escaped."""
    return one_line(text).replace("|", "\\|")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: '5. System Architecture' -> '5-system-architecture'."""
    lowered = heading.strip().lower()
    kept = "".join(ch for ch in lowered if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def show(value: Any) -> str:
    """A field value as text: numbers with separators, empty numbers as TODO."""
    if value is None:
        return TODO_MARKER
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return number(value)
    if is_not_applicable(value):
        return f"Not applicable: {value[NOT_APPLICABLE]}"
    return str(value)
