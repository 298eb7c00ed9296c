"""Making preset text safe inside generated Markdown."""

from __future__ import annotations

import re

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
