"""A small structural check of generated Markdown, used by the property tests."""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s")
_SEPARATOR = re.compile(r"^\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$")


def _cells(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row.strip())) - 1


def problems(text: str) -> list[str]:
    """Structural faults: heading levels that skip, open fences or comments, ragged tables."""
    found: list[str] = []
    in_fence = False
    previous_level = 0
    lines = text.splitlines()
    table_width: int | None = None
    comment_open = False
    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        opens, closes = line.count("<!--"), line.count("-->")
        if comment_open and closes:
            comment_open = False
        if opens > closes:
            comment_open = True
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if level > previous_level + 1:
                found.append(f"line {number}: heading level {level} after level {previous_level}")
            previous_level = level
        if line.startswith("|"):
            if table_width is None:
                table_width = _cells(line)
            elif _SEPARATOR.match(line) or True:
                if _cells(line) != table_width:
                    found.append(f"line {number}: table row has {_cells(line)} cells, the header {table_width}")
        else:
            table_width = None
    if in_fence:
        found.append("a code fence is never closed")
    if comment_open:
        found.append("an HTML comment is never closed")
    return found
